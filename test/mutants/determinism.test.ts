/**
 * Certification is a function of (candidate, seed, runs): two certifications of one mutant with the
 * same seed give the same verdict, failed rules, counterexample paths and counterexample scenarios.
 * The mutants chosen shrink well within the engine's shrink budget (a budget hit by wall-clock time
 * could stop shrinking at a different point on a slower run).
 */
import { describe, expect, test } from 'vitest';
import { loadCandidate } from '../../harness/adapters/load-candidate.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import { certify, type LoadedCandidate } from '../../harness/runner/certify.ts';
import { replay } from '../../harness/runner/replay.ts';
import { naturalMutantPath } from '../../fixtures/mutants/plugins/index.ts';

/** A natural mutant, certified by path in its worker sandbox, as `wmpcert certify` does. */
function loadMutant(file: string): Promise<LoadedCandidate> {
  return loadCandidate(naturalMutantPath(file));
}

function run(loaded: LoadedCandidate, seed: number): Promise<CertificationReport> {
  return certify(loaded, { runs: 60, seed, timeoutMs: 5_000, level: 'recommended', shard: null, replayCommand: () => '', log: () => {} });
}

/** Everything of a report that must not depend on when or how fast it ran. */
function outcome(report: CertificationReport) {
  return {
    verdict: report.verdict,
    blocking: report.blockingFailures,
    rules: report.rules.map((rule) => ({
      id: rule.id, status: rule.status,
      path: rule.failure?.counterexample.path,
      dropped: rule.failure?.counterexample.droppedTransactions,
      foundAtRun: rule.failure?.counterexample.foundAtRun,
      scenario: rule.failure?.counterexample.scenario,
      violations: rule.failure?.violations.map((violation) => violation.message),
      twins: rule.failure?.twins,
      attribution: rule.attribution,
    })),
  };
}

describe('determinism', () => {
  test.each([
    { file: 'dl-07-no-params-not-entitled.ts', seed: 3 },
    { file: 'dl-12-cookie-ring-int32.ts', seed: 4 },
    // Attributed through a twin: the same failures, released and given the same way each time.
    { file: 'dl-10-worker-stops-after-player-failure.ts', seed: 3 },
  ])('$file, seed $seed: two certifications agree', async ({ file, seed }) => {
    const loaded = await loadMutant(file);
    // Side by side: each certification has sandboxes of its own, and the seed alone decides what they play.
    const [first, second] = await Promise.all([run(loaded, seed), run(loaded, seed)]);
    expect(first.rules.some((rule) => rule.status === 'failed')).toBe(true);
    expect(outcome(second)).toEqual(outcome(first));
  }, 300_000);
});

describe('the deletion pass', () => {
  // On seed 4, fast-check's search spends its budget with an idle third transaction still in the
  // counterexample; the deletion pass takes it out, and replay takes it out again.
  test('takes out a transaction the failure does not need, and replay reproduces the smaller counterexample', async () => {
    const loaded = await loadMutant('dl-08-cdn-fallback.ts');
    const report = await run(loaded, 4);
    const failure = report.rules.find((rule) => rule.id === 'DL-08')!.failure!;
    const { seed, path, droppedTransactions, transactions } = failure.counterexample;
    expect(droppedTransactions).toEqual([2]);
    expect(transactions).toBe(2);
    const again = await replay(loaded, { seed, path, ruleId: 'DL-08', timeoutMs: report.timeoutMs, droppedTransactions: droppedTransactions! });
    expect(again.reproduced, again.message).toBe(true);
  }, 300_000);
});
