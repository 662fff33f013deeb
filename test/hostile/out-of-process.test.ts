/**
 * Issue 4, surviving hostile candidates, out of process (`--exec`): a plug-in that crashes mid-run,
 * hangs, stops reading its stdin, or leaves a grandchild behind (from a shell script, from Python).
 * Each ends in a report (exit 1) naming DL-16 with what happened, each scenario within its hard
 * cap, and no process it started is still running afterwards (zombies aside: PID 1 does not reap).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_TIMEOUT_MS, cleanUpAll, expectNotCertified, failedRules, failure, sandboxStops, startRuns } from './hostile-cli.ts';

const runs = startRuns({
  crash: { target: ['--exec', 'node fixtures/hostile/crash-mid-run.mjs'] },
  hang: { target: ['--exec', 'node fixtures/hostile/hangs.mjs'] },
  stopsReading: { target: ['--exec', 'python3 fixtures/hostile/stops-reading.py'] },
  shellGrandchild: { target: ['--exec', 'sh fixtures/hostile/grandchild.sh'] },
  pythonGrandchild: { target: ['--exec', 'python3 fixtures/hostile/grandchild.py'] },
});

afterAll(cleanUpAll);

describe('a plug-in process that dies, hangs or leaves children behind', () => {
  it('crashes after its first download: DL-16 gives the exit code and its last stderr line', async () => {
    const run = await runs.crash;
    await expectNotCertified(run, 'DL-16');
    expect(failure(run, 'DL-16').message).toMatch(/exited with code 70 in the middle of the scenario; its stderr ends: "fatal: simulated crash/);
    expect(failedRules(run)).toEqual(['DL-16']);
    expect(sandboxStops(run).map((event) => event.reason)).toEqual(['exited']);
    // What it printed on stderr is in the report, bounded.
    expect(run.report!.notes.join('\n')).toContain('fatal: simulated crash while serving the first download');
    // The rules it never let a scenario reach are unjudged for that reason, not for want of --runs.
    const unreached = run.report!.rules.filter((rule) => rule.status === 'skipped' && rule.skipCause === 'coverage');
    expect(unreached.length).toBeGreaterThan(0);
    for (const rule of unreached) expect(rule.reason).toMatch(/^no scenario judged this rule before the exploration stopped after \d+ of \d+ scenarios, the candidate stopped by force 3 times/);
    // The CLI says that reason once, naming the blocking rules it left unjudged (which ones depends
    // on how far the scenarios got before each crash).
    const notJudged = run.stdout.split('\n').filter((line) => line.includes('not judged: no scenario judged'));
    expect(notJudged).toHaveLength(1);
    expect(notJudged[0]).toMatch(/^ {2}(?:[A-Z]{2}-\d{2}, )+[A-Z]{2}-\d{2} {2}not judged: no scenario judged this rule before the exploration stopped/);
  }, TEST_TIMEOUT_MS);

  it('never answers download: DL-16, it stopped answering', async () => {
    const run = await runs.hang;
    await expectNotCertified(run, 'DL-16');
    expect(failure(run, 'DL-16').message).toMatch(/the plug-in stopped answering: .*did not answer download \(request #\d+\) within \d+ ms/);
    // One bug, one rule: a download past its call timeout is not also judged as a slow return
    // (DL-01, DL-11) while the child has still to answer it.
    expect(failedRules(run)).toEqual(['DL-16']);
    expect(sandboxStops(run).map((event) => event.reason)).toEqual(['blocked']);
  }, TEST_TIMEOUT_MS);

  it('stops reading its stdin (Python, asleep): DL-16, it stopped answering', async () => {
    const run = await runs.stopsReading;
    await expectNotCertified(run, 'DL-16');
    expect(failure(run, 'DL-16').message).toMatch(/the plug-in stopped answering: .*did not answer \w+ \(request #\d+\)/);
  }, TEST_TIMEOUT_MS);

  it('a shell script whose grandchild (sleep 300 &) holds its pipes: the crash is still seen, the sleeper killed', async () => {
    const run = await runs.shellGrandchild;
    await expectNotCertified(run, 'DL-16');
    expect(failure(run, 'DL-16').message).toMatch(/exited with code 70 in the middle of the scenario|the plug-in process is gone/);
  }, TEST_TIMEOUT_MS);

  it('a Python plug-in that starts a Python grandchild and hangs: DL-16, and no Python left running', async () => {
    const run = await runs.pythonGrandchild;
    await expectNotCertified(run, 'DL-16');
    expect(failure(run, 'DL-16').message).toMatch(/stopped answering: .*did not answer download/);
  }, TEST_TIMEOUT_MS);
});
