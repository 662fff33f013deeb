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
import { loadCandidate } from '../../harness/adapters/load-candidate.ts';
import { loadExecCandidate } from '../../harness/adapters/load-exec-candidate.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import { certify, type CertifyOptions, type LoadedCandidate } from '../../harness/runner/certify.ts';
import { rulesFor } from '../../harness/rules/catalog.ts';
import { NATURAL_MUTANTS, naturalMutantPath, type NaturalMutant } from '../../fixtures/mutants/plugins/index.ts';

const RUNS = 60;
/** Every mutant is certified on each of these seeds; the conforming ones (cheap: nothing to shrink) on more. */
const SEEDS = [3, 4];
const CONFORMING_SEEDS = [3, 4, 5, 6, 7];
const MAX_TRANSACTIONS = 2;
const MAX_TRACKS = 3;

/** The plug-in mutants' folder, and the package it is part of (fixtures/mutants/, with the players' kit). */
const KIT = naturalMutantPath('.');
const PACKAGE = join(KIT, '..');
const ROOT = join(PACKAGE, '..', '..');
/** Files of the kit that are not plug-ins: shared code and the list itself. */
const SHARED = new Set(['index.ts', join('lib', 'store-client.ts'), join('lib', 'job-queue.ts')]);

function load(mutant: NaturalMutant): Promise<LoadedCandidate> {
  const path = naturalMutantPath(mutant.file);
  return mutant.sandbox === 'exec' ? loadExecCandidate(`node ${path}`) : loadCandidate(path);
}

const options = (seed: number): CertifyOptions => ({
  runs: RUNS, seed, timeoutMs: 5_000, level: 'required', shard: null,
  replayCommand: (rule) => `wmpcert replay report.json --rule ${rule}`,
  log: () => {},
});

/** What failed, with the first message of each: the assertion message when a mutant is misjudged. */
function failures(report: CertificationReport): string {
  return `seed ${report.seed}:\n` + (report.rules.filter((rule) => rule.status === 'failed')
    .map((rule) => `${rule.id} (${rule.level}): ${rule.failure?.message ?? '?'}`).join('\n') || '(nothing failed)');
}

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

describe('each natural mutant is reported under the rules naming its bug', () => {
  test.each(NATURAL_MUTANTS.map((mutant) => ({ ...mutant })))('$file', async (mutant) => {
    const loaded = await load(mutant);
    const conforming = mutant.expected.length === 0 && (mutant.recommended ?? []).length === 0;
    for (const seed of conforming ? CONFORMING_SEEDS : SEEDS) {
      const report = await certify(loaded, options(seed));
      const summary = failures(report);
      expect.soft(sorted(report.blockingFailures), `failed required rules, ${summary}`).toEqual(sorted(mutant.expected));
      const failedRecommended = report.rules.filter((rule) => rule.status === 'failed' && rule.level === 'recommended').map((rule) => rule.id);
      for (const id of mutant.recommended ?? []) expect.soft(failedRecommended, `recommended ${id}, ${summary}`).toContain(id);
      if (mutant.expected.length === 0) expect.soft(report.verdict, summary).toBe('certified');

      for (const rule of report.rules.filter((each) => each.status === 'failed')) {
        const failure = rule.failure!;
        const { transactions, tracks } = failure.counterexample;
        // A failure that did not reproduce while shrinking comes back unshrunk, with no violations.
        expect.soft(failure.violations.length, `${rule.id} was not shrunk, seed ${seed}: ${failure.message}`).toBeGreaterThan(0);
        expect.soft(transactions, `${rule.id}'s counterexample, seed ${seed}: transactions`).toBeLessThanOrEqual(MAX_TRANSACTIONS);
        expect.soft(tracks, `${rule.id}'s counterexample, seed ${seed}: tracks`).toBeLessThanOrEqual(MAX_TRACKS);
      }
    }
  }, 900_000);
});
