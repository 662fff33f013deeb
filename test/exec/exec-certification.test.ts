/**
 * Plug-ins in other languages, certified over stdio (contract §4): the Python and plain-Node
 * reference plug-ins are certified; wire mutants are caught on the rule they break.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadExecCandidate } from '../../harness/adapters/load-exec-candidate.ts';
import { certify } from '../../harness/runner/certify.ts';
import { replay } from '../../harness/runner/replay.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import { EXEC_SHRINK_BUDGET } from '../../harness/runner/scenario-executor.ts';
import { openSandbox } from '../../harness/sandbox/open-sandbox.ts';
import { COMMAND_LANES, EXPLORATION_LANES } from '../../harness/sandbox/sandbox-pool.ts';

// Every execution here starts a child process (and a missing call costs a quiet window): shrinking is
// cut to its first step so these tests take minutes; shrinking itself is proven in process
// (test/mutants), and a scenario never holds more than six tracks.
const budget = { ...EXEC_SHRINK_BUDGET };
beforeAll(() => { EXEC_SHRINK_BUDGET.executions = 1; });
afterAll(() => { Object.assign(EXEC_SHRINK_BUDGET, budget); });

async function certifyCommand(command: string, seed: number, runs: number): Promise<CertificationReport> {
  const loaded = await loadExecCandidate(command);
  return certify(loaded, { runs, seed, timeoutMs: 5000, level: 'required', shard: null, replayCommand: () => '', log: () => {} });
}

const failedRules = (report: CertificationReport) => report.rules.filter((rule) => rule.status === 'failed').map((rule) => rule.id);

test("a command explores on COMMAND_LANES processes; a COM DLL's bridge (Wine) on EXPLORATION_LANES", async () => {
  const loaded = await loadExecCandidate('node fixtures/wire/reference-plugin.mjs');
  expect(COMMAND_LANES).toBeGreaterThan(EXPLORATION_LANES);
  for (const [sourceType, lanes] of [['exec', COMMAND_LANES], ['dll', EXPLORATION_LANES]] as const) {
    const sandbox = await openSandbox({ ...loaded, info: { ...loaded.info, sourceType } });
    try {
      expect(sandbox.lanes).toBe(lanes);
    } finally {
      await sandbox.close();
    }
  }
});

// Each describe's tests two at a time (vitest's maxConcurrency): a certification over the wire
// mostly waits for its child's answers and windows.
describe.concurrent('reference plug-ins over the wire', () => {
  test.each([
    ['python3 fixtures/wire/reference_plugin.py'],
    ['node fixtures/wire/reference-plugin.mjs'],
    ['node fixtures/wire/one-instance-plugin.mjs'],
  ])('%s is certified, the purchase, licence and message flows judged', async (command) => {
    const report = await certifyCommand(command, 21, 10);
    expect(failedRules(report)).toEqual([]);
    expect(report.verdict).toBe('certified');
    expect(report.candidate.sourceType).toBe('exec');
    expect(report.rules.find((rule) => rule.id === 'WR-01')?.status).toBe('passed');
    const flows = report.rules.filter((rule) => /^(BY|RL|SM)-/.test(rule.id));
    expect(flows.map((rule) => rule.id)).toEqual(['BY-01', 'BY-02', 'BY-03', 'BY-04', 'BY-05', 'RL-01', 'RL-02', 'RL-03', 'SM-01', 'SM-02', 'SM-03']);
    expect(flows.filter((rule) => rule.status !== 'passed')).toEqual([]);
  }, 240_000);

  test('a plug-in that lists no optional method has those flows skipped for that reason, never passed', async () => {
    const report = await certifyCommand('node test/exec/children/download-only.mjs', 21, 5);
    const flows = report.rules.filter((rule) => /^(BY|RL|SM)-/.test(rule.id));
    expect(flows.length).toBe(11);
    for (const rule of flows) {
      expect(rule.status, rule.id).toBe('skipped');
      expect(rule.skipCause, rule.id).toBe('candidate');
      expect(rule.reason, rule.id).toMatch(/the plug-in does not implement (buy|refreshLicense|sendMessage)\(\)/);
    }
  }, 120_000);
});

describe.concurrent('wire mutants', () => {
  // The wire mutants misbehave in every transaction, after faults and with edge values too: each is
  // reported once, under its own rule (the context rules' twins give it back), with the evidence.
  test.each([
    ['fixtures/wire/mutants/wrong-cookie.mjs', 'DL-05', /never given/],
    ['fixtures/wire/mutants/skips-track.mjs', 'DL-02', /never got a downloadTrack call/],
    ['fixtures/wire/mutants/double-call.mjs', 'DL-03', /got \d+ downloadTrack calls/],
  ])('%s breaks %s', async (file, rule, evidence) => {
    const report = await certifyCommand(`node ${file}`, 3, 12);
    expect(failedRules(report).filter((id) => id === 'DL-10' || id === 'DL-12')).toEqual([]);
    const caught = report.rules.find((each) => each.id === rule && each.status === 'failed');
    expect(caught, `failed: ${failedRules(report).join(', ')}`).toBeDefined();
    expect(caught!.failure!.violations.map((violation) => violation.message).join('\n')).toMatch(evidence);
    expect(caught!.failure!.counterexample.tracks).toBeLessThanOrEqual(6);
  }, 300_000);

  test('a wire counterexample replays', async () => {
    const command = 'node fixtures/wire/mutants/wrong-cookie.mjs';
    const report = await certifyCommand(command, 3, 12);
    const failure = report.rules.find((each) => each.id === 'DL-05')!.failure!;
    const again = await replay(await loadExecCandidate(command), { seed: failure.counterexample.seed, path: failure.counterexample.path, ruleId: 'DL-05', timeoutMs: 5000 });
    expect(again.reproduced).toBe(true);
  }, 300_000);
});

test('a command that does not exist is a set-up error, not a verdict', async () => {
  await expect(loadExecCandidate('definitely-not-a-command-wmpcert')).rejects.toThrow(/did not start/);
}, 30_000);
