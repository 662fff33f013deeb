/**
 * Issue 4, surviving hostile candidates, in process (a module candidate runs in a worker thread):
 * one that loops forever, one that exits the process, one that hoards memory. Each must end in a
 * report with DL-16 and the reason, within the scenario's hard cap, with nothing left running, and
 * the harness lives on to write it (exit 1, never 2 or a stack).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCandidate } from '../../harness/adapters/load-candidate.ts';
import { certify } from '../../harness/runner/certify.ts';
import {
  NO_CHROMIUM, ROOT, SCENARIO_BOUND_MS, TEST_TIMEOUT_MS, cleanUpAll, expectNotCertified, failedRules, failure, sandboxStops, startRuns,
} from './hostile-cli.ts';

const runs = startRuns({
  syncLoop: { target: ['fixtures/hostile/sync-loop.ts'] },
  processExit: { target: ['fixtures/hostile/process-exit.ts'] },
});

afterAll(cleanUpAll);

describe('a module candidate that takes its thread down (worker sandbox, through the CLI)', () => {
  it('an infinite synchronous loop in download: DL-16, "blocked"', async () => {
    const run = await runs.syncLoop;
    await expectNotCertified(run, 'DL-16');
    expect(failedRules(run)).not.toContain('DL-15');
    expect(failure(run, 'DL-16').message).toMatch(/blocked its thread for more than \d+ ms .*and was stopped/);
    expect(sandboxStops(run).map((event) => event.reason)).toEqual(['blocked']);
    // The hanging download is marked as never returned, and exploration gave up after a few stops.
    expect(failure(run, 'DL-16').trace.some((event) => event.type === 'return' && 'timedOut' in event)).toBe(true);
    expect(run.report?.notes.join('\n')).toMatch(/stopped by force 3 times/);
  }, TEST_TIMEOUT_MS);

  it('process.exit(3) inside the worker: only the worker dies; DL-16, "exited"', async () => {
    const run = await runs.processExit;
    await expectNotCertified(run, 'DL-16');
    expect(failedRules(run)).not.toContain('DL-15');
    expect(failure(run, 'DL-16').message).toMatch(/thread exited \(code 3\) in the middle of a scenario/);
    expect(sandboxStops(run).map((event) => event.reason)).toEqual(['exited']);
    // The harness lived on to write every report.
    expect(run.stdout).toMatch(/wmpcert: report .*report\.json/);
  }, TEST_TIMEOUT_MS);
});

describe('a module candidate that grows its memory without bound', () => {
  // Through the engine (certify's workerLimits), with a 64 MB heap cap: at the default 1 GB cap
  // the worker needs longer than a scenario's hard cap to get there on a busy machine.
  it('is stopped at its heap cap: DL-16, "out-of-memory"', async () => {
    process.env['CHROMIUM_PATH'] = NO_CHROMIUM; // as the CLI runs: the EX rules are skipped
    const loaded = await loadCandidate(join(ROOT, 'fixtures/hostile/memory-growth.ts'));
    const report = await certify(loaded, {
      runs: 8, seed: 1, timeoutMs: 5000, level: 'required', shard: null, replayCommand: () => '', log: () => {},
      workerLimits: { memoryMb: 64 },
    });
    const failed = report.rules.filter((rule) => rule.status === 'failed');
    expect(failed.map((rule) => rule.id)).toContain('DL-16');
    expect(report.verdict).toBe('not-certified');
    const dl16 = failed.find((rule) => rule.id === 'DL-16')!.failure!;
    expect(dl16.message).toMatch(/memory limit \(64 MB heap\)|of its 64 MB limit/);
    expect(dl16.trace.filter((event) => event.type === 'sandbox').map((event) => (event as { reason: string }).reason)).toEqual(['out-of-memory']);
    expect(Math.max(...dl16.trace.map((event) => event.at))).toBeLessThan(SCENARIO_BOUND_MS);
  }, TEST_TIMEOUT_MS);
});
