/**
 * Issue 4, surviving hostile candidates, on the wire: a plug-in that prints a 10 MB line or a line
 * that is not UTF-8 is named by WR-01 with the line quoted, the harness's memory and output stay
 * bounded; and set-up errors — a command that does not exist, a loopback port that cannot be
 * bound — exit 2 with one line, never 1.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ROOT, TEST_TIMEOUT_MS, cleanUpAll, expectNotCertified, expectSetUpError, failedRules, failure, startRuns,
} from './hostile-cli.ts';

const runs = startRuns({
  longLine: { target: ['--exec', 'node fixtures/hostile/long-line.mjs'] },
  invalidUtf8: { target: ['--exec', 'node fixtures/hostile/invalid-utf8.mjs'] },
  // Owed calls that never come cost the owed window in every scenario and in every shrink step:
  // at --runs 30 the report still comes, under a bounded shrinking budget.
  skipsTracks: { target: ['--exec', 'node fixtures/wire/mutants/skips-track.mjs'], options: { runs: 30 } },
  noSuchCommand: { target: ['--exec', 'wmpcert-no-such-command-4711 --serve'] },
  noListen: { target: ['--exec', 'node fixtures/wire/reference-plugin.mjs'], options: { nodeArgs: ['--require', join(ROOT, 'test/hostile/no-listen.cjs')] } },
});

afterAll(cleanUpAll);

describe('a wire plug-in that never calls downloadTrack for some tracks', () => {
  it('is reported under DL-02 alone, at --runs 30, with a shrunk counterexample and nothing left running', async () => {
    const run = await runs.skipsTracks;
    await expectNotCertified(run, 'DL-02');
    expect(failedRules(run)).toEqual(['DL-02']);
    const counterexample = failure(run, 'DL-02').counterexample;
    expect(counterexample.transactions).toBeLessThanOrEqual(2);
    expect(run.report!.stats.scenarios).toBe(30);
  }, TEST_TIMEOUT_MS);
});

describe('a plug-in that breaks the wire', () => {
  it('prints a 10 MB line: WR-01 quotes its head, DL-16 says the harness killed it; the output stays small', async () => {
    const run = await runs.longLine;
    await expectNotCertified(run, 'WR-01');
    expect(failure(run, 'WR-01').message).toMatch(/a line passed 1048576 bytes without a newline; the plug-in was killed \(line-too-long\); the line: "\{\\"jsonrpc\\":\\"2\.0\\",\\"method\\":\\"log\\"/);
    expect(failure(run, 'DL-16').message).toMatch(/the harness killed the plug-in process: a line passed 1048576 bytes|was killed \(a line on stdout passed/);
    expect(run.stdoutBytes).toBeLessThan(8 * 1024);
    expect(run.reportBytes).toBeLessThan(2 * 1024 * 1024);
  }, TEST_TIMEOUT_MS);

  it('prints a line that is not UTF-8: WR-01 quotes it, and the plug-in is otherwise served', async () => {
    const run = await runs.invalidUtf8;
    await expectNotCertified(run, 'WR-01');
    expect(failure(run, 'WR-01').message).toMatch(/the line is not valid UTF-8 \(invalid-utf8\); the line: "\{\\"jsonrpc\\":\\"2\.0\\",\\"method\\":\\"log\\",\\"params\\":\{\\"text\\":\\"caf\uFFFD/);
    // It went on answering afterwards: no scenario had to be stopped.
    expect(failedRules(run)).not.toContain('DL-16');
  }, TEST_TIMEOUT_MS);
});

describe('set-up errors out of process exit 2, never 1', () => {
  it('a command that does not exist: exit 2, one line naming it', async () => {
    const line = await expectSetUpError(await runs.noSuchCommand);
    expect(line).toContain('"wmpcert-no-such-command-4711 --serve" did not start');
    expect(line).toMatch(/not found/);
  }, TEST_TIMEOUT_MS);

  it('a loopback port that cannot be bound: exit 2, one line', async () => {
    expect(await expectSetUpError(await runs.noListen)).toMatch(/cannot start the loopback store server on 127\.0\.0\.1 \(.*EADDRINUSE/);
  }, TEST_TIMEOUT_MS);
});
