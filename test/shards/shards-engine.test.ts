/**
 * Sharding is exact: certifying as 3 shards and merging the reports gives the verdict, the rule
 * results and the counterexamples of the unsharded run with the same seed, for a conforming plug-in
 * and for one whose failures turn up in several shards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadCandidate } from '../../harness/adapters/load-candidate.ts';
import { certify, type LoadedCandidate } from '../../harness/runner/certify.ts';
import { SHRINK_BUDGET } from '../../harness/runner/scenario-executor.ts';
import { mergeShardReports } from '../../harness/report/merge.ts';
import type { CertificationReport } from '../../harness/report/model.ts';

/** By path, as a user certifies them: each certification plays in worker threads of its own, so the four can run side by side. */
const REFERENCE = join(import.meta.dirname, '..', '..', 'fixtures', 'plugins', 'reference.ts');
const DROPS_LAST_TRACK = join(import.meta.dirname, 'fixtures', 'drops-last-track.ts');

const SEED = 3;
const RUNS = 30;
const SHARDS = 3;

// The shrink budget's clock would make a shrink depend on the machine's speed; its count of
// executions alone keeps it bounded and deterministic.
const budgetMs = SHRINK_BUDGET.ms;
beforeAll(() => { SHRINK_BUDGET.ms = Number.POSITIVE_INFINITY; });
afterAll(() => { SHRINK_BUDGET.ms = budgetMs; });

function run(loaded: LoadedCandidate, shard: { index: number; count: number } | null): Promise<CertificationReport> {
  return certify(loaded, {
    runs: RUNS, seed: SEED, timeoutMs: 5000, level: 'required', shard,
    replayCommand: (rule) => `npx wmpcert replay ${shard ? `shard-${shard.index}` : 'whole'}/report.json --rule ${rule}`,
    log: () => {},
  });
}

/** What must not change when a run is sharded. */
function outcome(report: CertificationReport) {
  return {
    verdict: report.verdict,
    blockingFailures: report.blockingFailures,
    // Not `cases`: whether a timed event (a detach after k store answers) comes before or after an
    // optional flow starts can move one scenario in or out of a rule's cases; statuses stay equal.
    rules: report.rules.map((rule) => ({
      id: rule.id, status: rule.status, reason: rule.reason,
      counterexample: rule.failure && {
        seed: rule.failure.counterexample.seed,
        path: rule.failure.counterexample.path,
        foundAtRun: rule.failure.counterexample.foundAtRun,
        scenario: rule.failure.counterexample.scenario,
      },
    })),
    // Not stats.calls: how many calls a plug-in makes may depend on timing (a retry after a slow answer).
    stats: { scenarios: report.stats.scenarios, tracks: report.stats.tracks },
  };
}

async function unshardedAndMerged(path: string) {
  const loaded = await loadCandidate(path);
  // The whole run and its shards side by side: what each finds follows from the seed alone.
  const [whole, ...shards] = await Promise.all([
    run(loaded, null),
    ...Array.from({ length: SHARDS }, (_none, shard) => run(loaded, { index: shard + 1, count: SHARDS })),
  ]);
  const merged = mergeShardReports(shards, { replayCommand: (rule) => `npx wmpcert replay merged/report.json --rule ${rule}` });
  if (!merged.ok) throw new Error(`the shards did not merge: ${JSON.stringify(merged.problem)}`);
  return { whole, shards, merged: merged.report };
}

describe(`certify --shard i/${SHARDS} then report merge = certify (seed ${SEED}, ${RUNS} runs)`, () => {
  it('the reference plug-in: certified either way, with the same rule results', { timeout: 300_000 }, async () => {
    const { whole, shards, merged } = await unshardedAndMerged(REFERENCE);
    expect(whole.verdict).toBe('certified');
    expect(outcome(merged)).toEqual(outcome(whole));
    // Not vacuous: some rule is skipped in one shard and judged in another.
    expect(whole.rules.some((rule) => rule.status === 'passed' && shards.some((shard) => shard.rules.find((each) => each.id === rule.id)!.status === 'skipped'))).toBe(true);
  });

  it('a mutant failing in several shards: the same verdict, blocking failures and counterexamples', { timeout: 300_000 }, async () => {
    const { whole, shards, merged } = await unshardedAndMerged(DROPS_LAST_TRACK);
    expect(whole.verdict).toBe('not-certified');
    expect(merged.blockingFailures.length).toBeGreaterThan(0);
    expect(outcome(merged)).toEqual(outcome(whole));
    for (const rule of merged.rules.filter((each) => each.failure)) {
      expect(rule.failure!.replay).toBe(`npx wmpcert replay merged/report.json --rule ${rule.id}`);
      expect(rule.failure!.trace.length).toBeGreaterThan(0);
    }
    // Not vacuous: a rule failed in two shards, and the merge kept the earliest failure of all
    // (merge.test.ts proves the earliest wins even when it is not the first shard's).
    const failingShards = (id: string) => shards.filter((shard) => shard.rules.find((each) => each.id === id)!.failure);
    const contested = merged.rules.find((rule) => failingShards(rule.id).length >= 2);
    expect(contested, 'a rule failing in two shards').toBeDefined();
    const runs = failingShards(contested!.id).map((shard) => shard.rules.find((each) => each.id === contested!.id)!.failure!.counterexample.foundAtRun);
    expect(contested!.failure!.counterexample.foundAtRun).toBe(Math.min(...runs));
  });
});
