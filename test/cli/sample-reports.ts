/** Small, valid reports for the CLI and report-writing tests (built by hand, not by the engine). */
import type { CertificationReport, RuleResult } from '../../harness/report/model.ts';

export function certifiedReport(): CertificationReport {
  return {
    schemaVersion: 1,
    tool: { name: 'wmpcert', version: '0.1.0' },
    candidate: {
      kind: 'plugin',
      name: 'tiny',
      version: null,
      source: 'fixtures/tiny.ts',
      sourceType: 'module',
      sha256: '0'.repeat(64),
    },
    seed: 42,
    runs: 1,
    level: 'required',
    timeoutMs: 5000,
    shard: null,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 12,
    verdict: 'certified',
    blockingFailures: [],
    rules: [passedRule('DL-01')],
    stats: { scenarios: 1, tracks: 0, calls: 0 },
    notes: [],
  };
}

/** DL-02 failed with every kind of trace event in its evidence. */
export function notCertifiedReport(replay = 'npx wmpcert replay reports/tiny/report.json --rule DL-02'): CertificationReport {
  const failed: RuleResult = {
    id: 'DL-02',
    family: 'DL',
    level: 'required',
    statement: 'Every track ID in the list gets at least one `downloadTrack` call.',
    status: 'failed',
    cases: 3,
    failure: {
      message: 'track 3 of cookie 7 got no downloadTrack',
      violations: [{ rule: 'DL-02', message: 'track 3 got no call', cookie: 7, trackId: 3, events: [0, 1] }],
      counterexample: {
        scenario: { tracks: [], transactions: [], detachAfterAnswers: null, orderSalt: 0 },
        seed: -12345,
        path: '2:0:1',
        shrinks: 4,
        foundAtRun: 2,
        tracks: 1,
        transactions: 1,
      },
      trace: [
        { type: 'call', seq: 0, at: 0, callId: 1, from: 'player', to: 'plugin', method: 'download', args: [{}, 7] },
        { type: 'return', seq: 1, at: 1, callId: 1, from: 'plugin', to: 'player', method: 'download', value: 0 },
        { type: 'http-request', seq: 2, at: 2, requestId: 1, actor: 'store', by: 'plugin', method: 'GET', url: 'http://store.test/v1/tracks/3/download?cookie=7' },
        { type: 'http-response', seq: 3, at: 3, requestId: 1, actor: 'store', status: 0, error: 'network error' },
        { type: 'uncaught', seq: 4, at: 4, source: 'rejection', error: { kind: 'error', name: 'TypeError', message: 'Failed to fetch' } },
        { type: 'note', seq: 5, at: 5, text: 'scenario settled' },
      ],
      replay,
    },
  };
  return {
    ...certifiedReport(),
    verdict: 'not-certified',
    blockingFailures: ['DL-02'],
    rules: [passedRule('DL-01'), failed],
  };
}

function passedRule(id: string): RuleResult {
  return { id, family: 'DL', level: 'required', statement: `${id} statement`, status: 'passed', cases: 1 };
}
