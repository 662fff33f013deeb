// Whether a checkout's dist/ is up to date: built (scripts/build.mjs stamps dist/.built-at with the
// time it read the sources) after the last change to anything it is built from. Used by
// bin/wmpcert.js and the bench; an installed package has no sources and never asks.
import { readdirSync, statSync } from 'node:fs';

const INPUTS = ['harness', 'suites', 'scripts/build.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** `root` is the checkout's URL, ending in a slash. */
export function builtSinceSourcesChanged(root = new URL('../', import.meta.url)) {
  let builtAt;
  try {
    builtAt = statSync(new URL('dist/.built-at', root)).mtimeMs;
  } catch {
    return false;
  }
  return INPUTS.every((input) => newestChange(new URL(input, root)) < builtAt);
}

/** The latest mtime under a path: its files' and its folders' (a folder's changes when a file is added, removed or renamed). */
function newestChange(url) {
  const stats = statSync(url);
  if (!stats.isDirectory()) return stats.mtimeMs;
  const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
  return readdirSync(url).reduce((newest, name) => Math.max(newest, newestChange(new URL(name, base))), stats.mtimeMs);
}
