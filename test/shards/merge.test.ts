/** mergeShardReports, on hand-built shard reports: what merges, how, and what is refused. */
import { describe, expect, it } from 'vitest';
import { mergeShardReports, type MergeOutcome } from '../../harness/report/merge.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import { validateReport } from '../../harness/report/validate-report.ts';
import { failure, replayCommand, rule, shard, threeShards } from './shard-reports.ts';

function merged(outcome: MergeOutcome): CertificationReport {
  if (!outcome.ok) throw new Error(`expected a merge, got ${JSON.stringify(outcome.problem)}`);
  return outcome.report;
}

describe('merging the shards of one run', () => {
  it('per rule: the failure found first, cases added up, skipped only when skipped in every shard', () => {
    const report = merged(mergeShardReports(threeShards(), { replayCommand }));
    const byId = Object.fromEntries(report.rules.map((each) => [each.id, each]));
    expect(report.rules.map((each) => [each.id, each.status, each.cases])).toEqual([
      ['DL-01', 'passed', 30], ['DL-02', 'failed', 10], ['DL-09', 'passed', 1], ['DL-11', 'skipped', 0], ['DL-14', 'failed', 6],
    ]);
    expect(byId['DL-02']!.failure!.counterexample).toEqual(failure(5, '5:2:1').counterexample);
    expect(byId['DL-02']!.failure!.trace).toEqual(failure(5, '5:2:1').trace);
    expect(byId['DL-11']!.reason).toBe('no generated scenario exercised this rule; raise --runs');
    expect(byId['DL-09']!.reason).toBeUndefined();
  });

  it('replay commands point at the merged report', () => {
    const report = merged(mergeShardReports(threeShards(), { replayCommand }));
    const failures = report.rules.filter((each) => each.failure).map((each) => each.failure!.replay);
    expect(failures).toEqual([replayCommand('DL-02'), replayCommand('DL-14')]);
  });

  it('recomputes the verdict with the level: a recommended rule blocks only under --level recommended', () => {
    const required = merged(mergeShardReports(threeShards(), { replayCommand }));
    expect(required.verdict).toBe('not-certified');
    expect(required.blockingFailures).toEqual(['DL-02']);
    const recommended = merged(mergeShardReports(threeShards({ level: 'recommended' }), { replayCommand }));
    expect(recommended.blockingFailures).toEqual(['DL-02', 'DL-14']);

    const noFailure = threeShards().map((each) => ({
      ...each,
      rules: each.rules.map((result) => result.id === 'DL-02' ? rule('DL-02', 'passed', result.cases) : result),
      verdict: 'certified' as const,
      blockingFailures: [],
    }));
    // Fail closed: DL-11 was judged by no shard, so the merged run is not certified, and says why.
    const unjudged = merged(mergeShardReports(noFailure, { replayCommand }));
    expect(unjudged.verdict).toBe('not-certified');
    expect(unjudged.blockingFailures).toEqual([]);
    expect(unjudged.unjudged).toEqual(['DL-11']);
    // Once one shard judged it, the merged run is certified.
    const clean = noFailure.map((each) => ({
      ...each,
      rules: each.rules.map((result) => result.id === 'DL-11' && each.shard!.index === 2 ? rule('DL-11', 'passed', 1) : result),
    }));
    const certified = merged(mergeShardReports(clean, { replayCommand }));
    expect(certified.verdict).toBe('certified');
    expect(certified.blockingFailures).toEqual([]);
    expect(certified.unjudged).toEqual([]);
  });

  it('adds up the stats and durations, keeps the run identity, records the shards, and is a valid report', () => {
    const shards = threeShards();
    const report = merged(mergeShardReports([shards[2]!, shards[0]!, shards[1]!], { replayCommand }));
    expect(report.stats).toEqual({ scenarios: 30, planned: 30, tracks: 60, calls: 600 });
    expect(report.durationMs).toBe(6000);
    expect(report.startedAt).toBe('2025-01-01T00:00:01.000Z');
    expect(report.shard).toBeNull();
    expect(report.mergedFrom).toEqual([1, 2, 3].map((index) => ({ shard: { index, count: 3 }, startedAt: `2025-01-01T00:00:0${index}.000Z`, durationMs: 1000 * index })));
    expect({ seed: report.seed, runs: report.runs, level: report.level, timeoutMs: report.timeoutMs, candidate: report.candidate })
      .toEqual({ seed: 42, runs: 30, level: 'required', timeoutMs: 5000, candidate: shards[0]!.candidate });
    expect(report.notes).toEqual(['shard 3/3: the candidate printed (last 64 KiB kept):\nhello']);
    expect(() => validateReport(JSON.parse(JSON.stringify(report)))).not.toThrow();
  });

  it('a single shard 1/1 merges to itself, unsharded', () => {
    const only = shard(1, 1, [rule('DL-01', 'passed', 30)]);
    const report = merged(mergeShardReports([only], { replayCommand }));
    expect(report.rules).toEqual(only.rules);
    expect(report.shard).toBeNull();
  });
});

describe('refusing what is not the shards of one run', () => {
  const problem = (reports: CertificationReport[]) => {
    const outcome = mergeShardReports(reports, { replayCommand });
    if (outcome.ok) throw new Error('expected a refusal');
    return outcome.problem;
  };

  it('no input, or an input that is not a shard', () => {
    expect(problem([])).toEqual({ kind: 'no-inputs' });
    const [one, two, three] = threeShards();
    expect(problem([one!, { ...two!, shard: null }, three!])).toEqual({ kind: 'not-a-shard', input: 1 });
    expect(problem([one!, { ...two!, shard: { index: 4, count: 3 } }, three!])).toEqual({ kind: 'shard-out-of-range', input: 1, index: 4, count: 3 });
  });

  it.each([
    ['seed', { seed: 43 }, '42', '43'],
    ['runs', { runs: 31 }, '30', '31'],
    ['level', { level: 'recommended' as const }, 'required', 'recommended'],
    ['timeout', { timeoutMs: 100 }, '5000 ms', '100 ms'],
    ['tool version', { tool: { name: 'wmpcert' as const, version: '0.2.0' } }, '0.1.0', '0.2.0'],
  ])('shards of different runs: %s', (field, override, expected, actual) => {
    const [one, two, three] = threeShards();
    expect(problem([one!, two!, { ...three!, ...override }])).toEqual({ kind: 'different-run', input: 2, field, expected, actual });
  });

  it('shards of a different candidate, or of a different shard count', () => {
    const [one, two, three] = threeShards();
    expect(problem([one!, { ...two!, candidate: { ...two!.candidate, sha256: 'b'.repeat(64) } }, three!]))
      .toMatchObject({ kind: 'different-run', input: 1, field: 'candidate' });
    expect(problem([one!, two!, { ...three!, shard: { index: 3, count: 4 } }]))
      .toEqual({ kind: 'different-run', input: 2, field: 'shard count', expected: '3', actual: '4' });
  });

  it('a shard given twice, or missing', () => {
    const [one, two, three] = threeShards();
    expect(problem([one!, two!, three!, two!])).toEqual({ kind: 'duplicate-shard', inputs: [1, 3], index: 2, count: 3 });
    expect(problem([one!, three!])).toEqual({ kind: 'missing-shards', missing: [2], count: 3 });
    expect(problem([two!])).toEqual({ kind: 'missing-shards', missing: [1, 3], count: 3 });
  });
});
