/**
 * Fail closed: a certification that did not really run its scenarios is never certified. A
 * candidate that loads but cannot be started in its sandbox, or whose sandbox dies before the first
 * scenario, is a set-up error (exit 2, one line, no verdict); zero scenarios, a run cut short or a
 * required rule left unjudged for a reason that is not the candidate's is never `certified`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleResult } from '../../harness/report/model.ts';
import { decideVerdict } from '../../harness/report/verdict.ts';
import { DEFAULT_WORKER_LIMITS, WorkerSandbox } from '../../harness/sandbox/worker-sandbox.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'wmpcert.js');
let out: string;

interface Outcome { code: number; stdout: string; stderr: string }

function wmpcert(...args: string[]): Promise<Outcome> {
  const env = { ...process.env };
  delete env['WMPCERT_DEBUG'];
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

beforeAll(async () => { out = await mkdtemp(join(tmpdir(), 'wmpcert-fail-closed-')); });
afterAll(async () => { await rm(out, { recursive: true, force: true }); });

describe('a candidate whose sandbox never runs a scenario', () => {
  it.each([
    // The CLI's thread never imports a module candidate: its worker does, and says why it could not.
    ['fixtures/bad/breaks-in-worker.ts', /failed to load: Error: this module cannot be loaded in a worker thread/],
    ['fixtures/bad/exits-in-worker.ts', /could not be started in its sandbox .*exited \(code 3\) before it was ready/],
  ])('%s: exit 2, one line, no verdict', { timeout: 120_000 }, async (candidate, why) => {
    const outcome = await wmpcert('certify', candidate, '--runs', '5', '--seed', '1', '--out', join(out, candidate.replaceAll('/', '-')));
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(2);
    expect(outcome.stderr).toMatch(/^wmpcert: [^\n]+\n$/);
    expect(outcome.stderr).toMatch(why);
    expect(outcome.stdout).not.toMatch(/certified/);
  });
});

describe('a candidate that never finishes loading', () => {
  it('fixtures/bad/waits-for-config.ts: its sandbox gives up at the load deadline with one clear reason', { timeout: 60_000 }, async () => {
    const sandbox = new WorkerSandbox(resolve(ROOT, 'fixtures/bad/waits-for-config.ts'), { ...DEFAULT_WORKER_LIMITS, loadTimeoutMs: 2_000 });
    try {
      await expect(sandbox.loading()).rejects.toThrow(/could not be started in its sandbox .*did not finish loading within 2 s/);
    } finally {
      await sandbox.close();
    }
  });
});

const rule = (id: string, status: RuleResult['status'], extra: Partial<RuleResult> = {}): RuleResult =>
  ({ id, family: 'DL', level: id === 'DL-14' ? 'recommended' : 'required', statement: id, status, cases: status === 'skipped' ? 0 : 1, ...extra });

describe('the verdict is computed from what ran', () => {
  const judged = [rule('DL-01', 'passed'), rule('DL-02', 'passed'), rule('DL-14', 'skipped', { skipCause: 'coverage' })];

  it('certified: the planned scenarios ran, no blocking failure, every blocking rule judged', () => {
    expect(decideVerdict(judged, 'required', 10, 10)).toEqual({ verdict: 'certified', blockingFailures: [], unjudged: [] });
  });

  it('zero scenarios, or fewer than planned, is never certified', () => {
    expect(decideVerdict(judged, 'required', 0, 0).verdict).toBe('not-certified');
    expect(decideVerdict(judged, 'required', 9, 10).verdict).toBe('not-certified');
  });

  it('a blocking rule skipped for the machine or for coverage is unjudged; for the candidate or another shard it is not', () => {
    for (const cause of ['machine', 'coverage'] as const) {
      expect(decideVerdict([...judged, rule('EX-01', 'skipped', { skipCause: cause })], 'required', 10, 10))
        .toEqual({ verdict: 'not-certified', blockingFailures: [], unjudged: ['EX-01'] });
    }
    for (const cause of ['candidate', 'other-shard'] as const) {
      expect(decideVerdict([...judged, rule('BY-01', 'skipped', { skipCause: cause })], 'required', 10, 10).verdict).toBe('certified');
    }
    // A skipped rule that does not say why is taken as unjudged.
    expect(decideVerdict([...judged, rule('DL-11', 'skipped')], 'required', 10, 10).unjudged).toEqual(['DL-11']);
  });

  it('a shard leaves a rule none of its scenarios exercised to the merge; the machine still blocks it', () => {
    const uncovered = [...judged, rule('DL-11', 'skipped', { skipCause: 'coverage' })];
    expect(decideVerdict(uncovered, 'required', 10, 10, 'shard').verdict).toBe('certified');
    expect(decideVerdict(uncovered, 'required', 10, 10, 'whole').unjudged).toEqual(['DL-11']);
    expect(decideVerdict([...judged, rule('EX-01', 'skipped', { skipCause: 'machine' })], 'required', 10, 10, 'shard').unjudged).toEqual(['EX-01']);
  });

  it('under --level recommended, a recommended rule left unjudged blocks too', () => {
    expect(decideVerdict(judged, 'recommended', 10, 10)).toEqual({ verdict: 'not-certified', blockingFailures: [], unjudged: ['DL-14'] });
  });
});
