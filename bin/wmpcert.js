#!/usr/bin/env node
// The wmpcert command. The installed package runs its compiled JavaScript (dist/) on plain Node.
// A checkout of the repository runs dist/ too when it was built after every source last changed
// (npm ci builds it; so does the test run), and otherwise the TypeScript sources through tsx, so
// that what a developer runs is always what they just edited. Compiled, a certification starts
// without a tsx hook round trip per module in each thread. Both of tsx's hooks for the sources: see
// harness/adapters/candidate-module.ts.
import { existsSync, readdirSync, statSync } from 'node:fs';

const sources = new URL('../harness/cli.ts', import.meta.url);
let cli;
if (existsSync(sources) && !builtSinceSourcesChanged()) {
  const [{ register }, { register: registerCommonJs }] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  register();
  registerCommonJs();
  globalThis[Symbol.for('wmpcert.tsx-registered')] = true;
  cli = await import('../harness/cli.ts');
} else {
  cli = await import('../dist/harness/cli.js');
}
// The CLI exports its entry point rather than running on import, so tests can drive main() in-process.
await cli.runAsProcess();

/** dist/ was built (scripts/build.mjs stamps dist/.built-at) after the last change to anything it is built from. */
function builtSinceSourcesChanged() {
  let builtAt;
  try {
    builtAt = statSync(new URL('../dist/.built-at', import.meta.url)).mtimeMs;
  } catch {
    return false;
  }
  const inputs = ['harness', 'suites', 'scripts/build.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
  return inputs.every((input) => newestChange(new URL(`../${input}`, import.meta.url)) < builtAt);
}

/** The latest mtime under a path: its files' and its folders' (a folder's changes when a file is added, removed or renamed). */
function newestChange(url) {
  const stats = statSync(url);
  if (!stats.isDirectory()) return stats.mtimeMs;
  const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
  return readdirSync(url).reduce((newest, name) => Math.max(newest, newestChange(new URL(name, base))), stats.mtimeMs);
}
