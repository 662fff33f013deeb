/**
 * The natural player mutants (fixtures/mutants/players/): players written against the public
 * `wmpcert` API only, each with one bug an author could plausibly make. Each is loaded from its
 * module file as `wmpcert certify` loads it and certified in the player's worker sandbox; the set of
 * failed rules (recommended ones included) must be exactly the mutant's `expected`, each failure
 * naming its rule, shrunk to at most 3 tracks and 4 probe calls, and reproduced by replaying its
 * counterexample (seed and path) as `wmpcert replay` does; the conforming ones must be certified.
 *
 * `wmpcert` resolves through fixtures/mutants/node_modules/wmpcert, linked to the built package by
 * the globalSetup (test/setup/public-package.ts).
 */
import { describe, test, type ExpectStatic } from 'vitest';
import { NATURAL_PLAYER_MUTANTS, naturalPlayerMutantPath, type NaturalPlayerMutant } from '../../fixtures/mutants/players/index.ts';
import { loadCandidate } from '../../harness/adapters/load-candidate.ts';
import type { ProbeScenario } from '../../harness/player/probe-model.ts';
import { probePlan } from '../../harness/player/probe-plan.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import { certify, type LoadedCandidate } from '../../harness/runner/certify.ts';
import { replay } from '../../harness/runner/replay.ts';

const RUNS = 60;
const SEEDS = [1, 2];
/** A player stopped by force costs the watchdog's wait and a fresh worker per shrink step: one seed. */
const ONE_SEED_RULES = new Set(['PL-12']);
/** Measured durations (how long a blocked thread was silent) differ between runs: digits are not compared. */
const digitless = (text: string) => text.replace(/\d+/g, '#');

function failedRules(report: CertificationReport): string[] {
  return report.rules.filter((rule) => rule.status === 'failed').map((rule) => rule.id);
}

async function loadMutant(mutant: NaturalPlayerMutant, expect: ExpectStatic): Promise<LoadedCandidate> {
  const loaded = await loadCandidate(naturalPlayerMutantPath(mutant.file));
  expect(loaded.candidate.kind).toBe('player');
  expect(loaded.modulePath).toBeDefined();
  return loaded;
}

function certifyMutant(loaded: LoadedCandidate, seed: number): Promise<CertificationReport> {
  return certify(loaded, {
    runs: RUNS, seed, timeoutMs: 3000, level: 'recommended', shard: null,
    replayCommand: (rule) => `npx wmpcert replay report.json --rule ${rule}`,
    log: () => {},
  });
}

const cases = NATURAL_PLAYER_MUTANTS.flatMap((mutant) => {
  const seeds = mutant.expected.some((rule) => ONE_SEED_RULES.has(rule)) ? SEEDS.slice(0, 1) : SEEDS;
  return seeds.map((seed) => ({ ...mutant, seed, label: mutant.expected.length === 0 ? 'is certified' : `fails ${mutant.expected.join(', ')} and nothing else` }));
});

describe('natural player mutants', () => {
  for (const { label, seed, ...mutant } of cases) {
    // Generous: a player stopped by force (PL-12) costs the watchdog's wait per scenario and per shrink step.
    // Side by side (vitest's maxConcurrency): each certification has worker threads of its own, and
    // a blocked player's certification mostly waits for its watchdog. Each test asserts through its own expect.
    test.concurrent(`${mutant.file} ${label} (seed ${seed})`, { timeout: 600_000 }, async ({ expect }) => {
      const loaded = await loadMutant(mutant, expect);
      const report = await certifyMutant(loaded, seed);

      expect(failedRules(report)).toEqual(mutant.expected);
      if (mutant.expected.length === 0) {
        expect(report.verdict).toBe('certified');
        return;
      }
      expect(report.verdict).toBe('not-certified');
      for (const rule of report.rules.filter((result) => result.status === 'failed')) {
        const failure = rule.failure!;
        expect(failure.violations.length).toBeGreaterThan(0);
        expect(failure.violations.every((violation) => violation.rule === rule.id && violation.events.length > 0), rule.id).toBe(true);
        // Shrunk: a handful of probe calls at most (two are needed for a second completion or a shared cookie).
        const { counterexample } = failure;
        expect(counterexample.shrinks).toBeGreaterThan(0);
        expect(counterexample.tracks).toBeLessThanOrEqual(3);
        expect(probePlan(counterexample.scenario as ProbeScenario).calls.flat().length).toBeLessThanOrEqual(4);

        // Replayed from its seed and path, as `wmpcert replay` does, the counterexample fails the rule again.
        const replayed = await replay(loaded, { seed: counterexample.seed, path: counterexample.path, ruleId: rule.id, timeoutMs: report.timeoutMs });
        expect(replayed.reproduced, replayed.message).toBe(true);
        expect(digitless(replayed.message)).toContain(digitless(failure.violations[0]!.message).slice(0, 60));
      }
    });
  }
});
