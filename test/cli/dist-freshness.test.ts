/**
 * bin/wmpcert.js runs a checkout's dist/ only when it was built after every source last changed:
 * a developer always runs what they just edited.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript beside the command, without declarations
import { builtSinceSourcesChanged } from '../../bin/dist-freshness.js';

const INPUTS = ['harness/cli.ts', 'suites/download.suite.ts', 'scripts/build.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const roots: string[] = [];
afterEach(() => { for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true }); });

/** A checkout whose sources all changed at `sourcesAt`, built at `builtAt` (undefined: never built). */
function checkout(sourcesAt: Date, builtAt: Date | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'wmpcert-fresh-'));
  roots.push(root);
  for (const input of INPUTS) {
    const path = join(root, input);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '');
    utimesSync(path, sourcesAt, sourcesAt);
  }
  for (const folder of ['harness', 'suites', 'scripts']) utimesSync(join(root, folder), sourcesAt, sourcesAt);
  if (builtAt) {
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, 'dist', '.built-at'), '');
    utimesSync(join(root, 'dist', '.built-at'), builtAt, builtAt);
  }
  return root;
}

const fresh = (root: string): boolean => builtSinceSourcesChanged(pathToFileURL(`${root}/`));
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 12, minute));

describe('bin/dist-freshness.js', () => {
  it('uses dist/ built after the sources', () => {
    expect(fresh(checkout(at(0), at(1)))).toBe(true);
  });

  it('does not use dist/ that was never built, or built before a source changed', () => {
    expect(fresh(checkout(at(0), undefined))).toBe(false);
    expect(fresh(checkout(at(2), at(1)))).toBe(false);
  });

  it('notices one edited file, and a file added to a folder', () => {
    const edited = checkout(at(0), at(1));
    utimesSync(join(edited, 'harness', 'cli.ts'), at(2), at(2));
    expect(fresh(edited)).toBe(false);
    const added = checkout(at(0), at(1));
    writeFileSync(join(added, 'suites', 'new.suite.ts'), '');
    expect(fresh(added)).toBe(false);
  });
});
