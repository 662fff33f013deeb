/**
 * vitest globalSetup: the public package as a plug-in author's project sees it. Builds dist/ (the
 * compiled package the root package.json's "exports" point at) when the sources changed since the
 * last build, and links fixtures/mutants/node_modules/wmpcert to the repository root, so the
 * natural mutants there import nothing but 'wmpcert'. Runs once per vitest run; both steps are
 * idempotent (node_modules is git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIST = join(ROOT, 'dist');
/** Written into dist/ after a build: the hash of the sources it was built from (scripts/build.mjs empties dist/ first). */
const STAMP = join(DIST, '.source-hash');
const INPUTS = ['harness', 'suites', 'scripts/build.mjs', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const KIT_MODULES = join(ROOT, 'fixtures', 'mutants', 'node_modules');

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => files(join(path, name)));
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => files(join(ROOT, input)))) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function buildPackage(): void {
  const hash = sourceHash();
  if (existsSync(join(DIST, 'harness', 'index.js')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash) return;
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  } catch (error) {
    // Only the tests that import the built package can need it: they fail on their own, the others run.
    console.warn(`test/setup/public-package.ts: the package could not be built (${error instanceof Error ? error.message : String(error)}); tests of fixtures/mutants/ will fail`);
    return;
  }
  writeFileSync(STAMP, hash);
}

/** fixtures/mutants/node_modules/wmpcert → the repository root (a relative link, so the checkout can move). */
function linkPackage(): void {
  const link = join(KIT_MODULES, 'wmpcert');
  const target = relative(KIT_MODULES, ROOT) || '.';
  let present = false;
  try {
    present = lstatSync(link).isSymbolicLink() && resolve(KIT_MODULES, readlinkSync(link)) === resolve(ROOT);
  } catch {
    // Not there yet.
  }
  if (present) return;
  mkdirSync(KIT_MODULES, { recursive: true });
  rmSync(link, { recursive: true, force: true });
  symlinkSync(target, link, 'dir');
}

export default function setup(): void {
  buildPackage();
  linkPackage();
}
