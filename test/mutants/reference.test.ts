/**
 * The reference plug-in conforms: certified (no rule failed, recommended ones included) on 20 seeds,
 * and a 100-run certification exercises every rule. Certifications run one after another in
 * process: they must not share a thread (the host counts the thread's live timers to know when a
 * scenario is over), and a worker thread per certification costs more than it saves on two cores.
 */
import { describe, expect, test } from 'vitest';
import type { CertificationReport } from '../../harness/report/model.ts';
import { certify, type LoadedCandidate } from '../../harness/runner/certify.ts';
import { RULES } from '../../harness/rules/catalog.ts';
import reference from '../../fixtures/plugins/reference.ts';

const SEEDS = Array.from({ length: 20 }, (_, index) => 1000 + index);
/** Rules judged only for out-of-process (--exec) candidates: never exercised by a module. */
const OUT_OF_PROCESS_ONLY = new Set(RULES.filter((rule) => rule.family === 'WR').map((rule) => rule.id));

const loaded: LoadedCandidate = {
  candidate: reference,
  info: { kind: 'plugin', name: reference.name, version: reference.version ?? null, source: 'fixtures/plugins/reference.ts', sourceType: 'module', sha256: '0'.repeat(64) },
};

function run(seed: number, runs: number): Promise<CertificationReport> {
  return certify(loaded, { runs, seed, timeoutMs: 5_000, level: 'recommended', shard: null, replayCommand: () => '', log: () => {} });
}

const failures = (report: CertificationReport) => report.rules.filter((rule) => rule.status === 'failed')
  .map((rule) => `seed ${report.seed}: ${rule.id}: ${rule.failure?.message ?? '?'}`);

describe('the reference plug-in', () => {
  test(`is certified on ${SEEDS.length} seeds × 40 runs`, async () => {
    const found: string[] = [];
    for (const seed of SEEDS) {
      const report = await run(seed, 40);
      expect(report.stats.scenarios).toBe(40);
      found.push(...failures(report));
    }
    expect(found).toEqual([]);
  }, 900_000);

  test('exercises every rule in a 100-run certification', async () => {
    const report = await run(1, 100);
    expect(failures(report)).toEqual([]);
    expect(report.verdict).toBe('certified');
    const skipped = report.rules.filter((rule) => rule.status === 'skipped' && !OUT_OF_PROCESS_ONLY.has(rule.id)).map((rule) => rule.id);
    expect(skipped).toEqual([]);
    for (const rule of report.rules) if (!OUT_OF_PROCESS_ONLY.has(rule.id)) expect(rule.cases, rule.id).toBeGreaterThan(0);
  }, 120_000);
});
