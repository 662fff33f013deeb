/**
 * The natural plug-in mutant kit (fixtures/mutants/plugins/): store plug-ins with realistic bugs, written against
 * the public 'wmpcert' API only, knowing nothing of how the harness classifies transactions or
 * faults. Each is certified by path as a user would (a worker thread; the wire one as a child over
 * stdio) and must be reported under exactly the rules that name its bug's cause (rules.md,
 * decision 10): the failed required rules are `expected`, each with a small shrunk counterexample;
 * the conforming ones are certified.
 *
 * Certifications run one after another: they must not share a thread (the worker sandbox isolates
 * them anyway, and two cores are all there is).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { describeNaturalMutants } from './natural-mutant-certification.ts';
import { rulesFor } from '../../harness/rules/catalog.ts';
import { NATURAL_MUTANTS, naturalMutantPath } from '../../fixtures/mutants/plugins/index.ts';


/** The plug-in mutants' folder, and the package it is part of (fixtures/mutants/, with the players' kit). */
const KIT = naturalMutantPath('.');
const PACKAGE = join(KIT, '..');
const ROOT = join(PACKAGE, '..', '..');
/** Files of the kit that are not plug-ins: shared code and the list itself. */
const SHARED = new Set(['index.ts', join('lib', 'store-client.ts'), join('lib', 'job-queue.ts')]);

const sorted = (ids: readonly string[]) => [...ids].sort();

/** Every plug-in file of the kit, relative to it. */
function kitFiles(dir: string = KIT): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? kitFiles(path) : /\.(ts|mjs)$/.test(entry.name) ? [relative(KIT, path)] : [];
  });
}

describe('the natural plug-in mutant kit', () => {
  test('lists every plug-in of the kit once, each file naming what it breaks in its header', () => {
    const listed = NATURAL_MUTANTS.map((mutant) => mutant.file);
    expect(new Set(listed).size).toBe(listed.length);
    expect(sorted(kitFiles().filter((file) => !SHARED.has(file)))).toEqual(sorted(listed));
    for (const mutant of NATURAL_MUTANTS) {
      const header = readFileSync(naturalMutantPath(mutant.file), 'utf8').slice(0, 800);
      const broken = [...mutant.expected, ...(mutant.recommended ?? [])];
      for (const id of broken) expect(header, mutant.file).toContain(id);
    }
  });

  test('breaks every plug-in rule but the discovery page\'s (EX) with at least one mutant', () => {
    const broken = new Set(NATURAL_MUTANTS.flatMap((mutant) => [...mutant.expected, ...(mutant.recommended ?? [])]));
    const pluginRules = rulesFor('plugin').map((rule) => rule.id);
    expect(pluginRules.filter((id) => !id.startsWith('EX-') && !broken.has(id))).toEqual([]);
    for (const id of broken) expect(pluginRules, id).toContain(id);
  });

  test('imports nothing but the public API and its own files', () => {
    for (const file of kitFiles()) {
      const source = readFileSync(join(KIT, file), 'utf8');
      for (const [, specifier] of source.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        // Relative imports stay inside the kit.
        const allowed = specifier === 'wmpcert' || specifier!.startsWith('node:')
          || (specifier!.startsWith('.') && !relative(KIT, join(KIT, file, '..', specifier!)).startsWith('..'));
        expect(allowed, `${file} imports ${specifier}`).toBe(true);
      }
    }
  });

  test('type-checks against the built package\'s declarations', () => {
    // The root tsconfig.json leaves fixtures/mutants/ out: it is a project of its own, which sees 'wmpcert' only once built.
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', PACKAGE], { cwd: ROOT, encoding: 'utf8' });
  }, 120_000);
});

describe('each natural mutant is reported under the rules naming its bug (half of the kit: the other is in natural-mutants-odd.test.ts)', () => {
  describeNaturalMutants((index) => index % 2 === 0);
});
