/** Hand-built shard reports for the merge tests (the engine's own shards are in shards-engine.test.ts). */
import type { CertificationReport, RuleFailure, RuleResult } from '../../harness/report/model.ts';

export const replayCommand = (ruleId: string) => `npx wmpcert replay merged/report.json --rule ${ruleId}`;

export function failure(foundAtRun: number, path: string): RuleFailure {
  return {
    message: `failed at ${foundAtRun}`,
    violations: [{ rule: 'DL-02', message: 'track 3 got no call', cookie: 7, trackId: 3, events: [0] }],
    counterexample: { scenario: { foundAtRun }, seed: 42, path, shrinks: 3, foundAtRun, tracks: 1, transactions: 1 },
    trace: [{ type: 'note', seq: 0, at: 0, text: `run ${foundAtRun}` }],
    replay: 'npx wmpcert replay shard/report.json --rule DL-02',
  };
}

export function rule(id: string, status: RuleResult['status'], cases: number, extra: Partial<RuleResult> = {}): RuleResult {
  const level = id === 'DL-14' ? 'recommended' : 'required';
  return { id, family: 'DL', level, statement: `${id} statement`, status, cases, ...extra };
}

export function shard(index: number, count: number, rules: RuleResult[], overrides: Partial<CertificationReport> = {}): CertificationReport {
  const blocking = rules.filter((each) => each.status === 'failed' && each.level === 'required').map((each) => each.id);
  return {
    schemaVersion: 1,
    tool: { name: 'wmpcert', version: '0.1.0' },
    candidate: { kind: 'plugin', name: 'tiny', version: '1.0.0', source: 'tiny.ts', sourceType: 'module', sha256: 'a'.repeat(64) },
    seed: 42,
    runs: 30,
    level: 'required',
    timeoutMs: 5000,
    shard: { index, count },
    startedAt: `2025-01-01T00:00:0${index}.000Z`,
    durationMs: 1000 * index,
    verdict: blocking.length === 0 ? 'certified' : 'not-certified',
    blockingFailures: blocking,
    rules,
    stats: { scenarios: 10, tracks: 10 * index, calls: 100 * index },
    notes: [],
    ...overrides,
  };
}

/** Three shards: DL-02 fails in shards 1 (run 27) and 3 (run 5); DL-09 is judged in shard 2 only; DL-11 nowhere; DL-14 (recommended) fails in shard 2. */
export function threeShards(overrides: Partial<CertificationReport> = {}): CertificationReport[] {
  const skipped = { reason: 'no generated scenario exercised this rule; raise --runs' };
  return [
    shard(1, 3, [rule('DL-01', 'passed', 10), rule('DL-02', 'failed', 4, { failure: failure(27, '27:1') }), rule('DL-09', 'skipped', 0, skipped), rule('DL-11', 'skipped', 0, skipped), rule('DL-14', 'passed', 2)], overrides),
    shard(2, 3, [rule('DL-01', 'passed', 10), rule('DL-02', 'passed', 3), rule('DL-09', 'passed', 1), rule('DL-11', 'skipped', 0, skipped), rule('DL-14', 'failed', 3, { failure: failure(10, '10:0') })], overrides),
    shard(3, 3, [rule('DL-01', 'passed', 10), rule('DL-02', 'failed', 3, { failure: failure(5, '5:2:1') }), rule('DL-09', 'skipped', 0, skipped), rule('DL-11', 'skipped', 0, skipped), rule('DL-14', 'passed', 1)], { notes: ['the candidate printed (last 64 KiB kept):\nhello'], ...overrides }),
  ];
}

