/**
 * Issue 4, surviving hostile candidates, in process: module candidates that throw what is not an
 * Error, return what is not an HRESULT, call back with the wrong types, or flood the console. Each
 * is the plug-in's finding under the rule that names it — never a harness crash (no DL-16 "blocked"
 * from a harness that choked on a value, no exit 2) — and the output stays bounded.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
  TEST_TIMEOUT_MS, cleanUpAll, describeRun, expectNotCertified, failedRules, failure, processesLeftBehind, startRuns,
} from './hostile-cli.ts';

const runs = startRuns({
  throwsNonError: { target: ['fixtures/hostile/throws-non-error.ts'] },
  nonNumberHResult: { target: ['fixtures/hostile/non-number-hresult.ts'] },
  wrongTypes: { target: ['fixtures/hostile/wrong-types.ts'] },
  // Enough scenarios that every rule but the page's is judged (a rule left unjudged is never certified).
  floodsConsole: { target: ['fixtures/hostile/floods-console.ts'], options: { runs: 40 } },
});

afterAll(cleanUpAll);

describe('a module candidate that hands the harness hostile values (worker sandbox, through the CLI)', () => {
  it('throws a string, a plain object, undefined, a number, a revoked Proxy, rejects with a symbol: DL-15', async () => {
    const run = await runs.throwsNonError;
    await expectNotCertified(run, 'DL-15');
    expect(failedRules(run)).not.toContain('DL-16');
    expect(failure(run, 'DL-15').message).toMatch(/threw a non-Error value: .*only a failure HRESULT may escape|raised an (uncaught exception|unhandled rejection): (number|symbol|object)/);
    // setCallback(null) threw undefined: LC-02 says so in words.
    expect(failure(run, 'LC-02').message).toMatch(/setCallback\(null\) threw undefined/);
  }, TEST_TIMEOUT_MS);

  it("returns 'S_OK', undefined, NaN, a bigint, a revoked Proxy as HRESULTs: DL-01/DL-11, DL-09, LC-02", async () => {
    const run = await runs.nonNumberHResult;
    await expectNotCertified(run, 'DL-09');
    expect(failedRules(run)).toContain('LC-02');
    expect(failedRules(run)).not.toContain('DL-16');
    // `download` returning garbage is DL-01's for a list with tracks, DL-11's for an empty one.
    const downloadRule = failedRules(run).find((rule) => rule === 'DL-01' || rule === 'DL-11');
    expect(downloadRule, describeRun(run)).toBeDefined();
    expect(failure(run, downloadRule!).message).toMatch(/download .* returned .*not an HRESULT/);
    expect(failure(run, 'DL-09').message).toMatch(/downloadTrackComplete\(.*\) returned .*(bigint|NaN).*not an HRESULT/);
    expect(failure(run, 'LC-02').message).toMatch(/setCallback\(a callback\) returned "S_OK"/);
  }, TEST_TIMEOUT_MS);

  it('calls downloadTrack with strings, objects and bigints: DL-05 and DL-12 findings', async () => {
    const run = await runs.wrongTypes;
    await expectNotCertified(run, 'DL-05');
    expect(failedRules(run)).toContain('DL-12');
    expect(failedRules(run)).not.toContain('DL-16');
    expect(failure(run, 'DL-05').message).toMatch(/track ID .* is not a DWORD|cookie .* never given/);
    expect(failure(run, 'DL-12').message).toMatch(/not carried exactly/);
  }, TEST_TIMEOUT_MS);

  it('floods the console with megabytes: the report keeps a bounded tail, the harness output stays sane', async () => {
    const run = await runs.floodsConsole;
    // It serves like the reference plug-in, whatever it printed: no rule fails. These runs have no
    // Chromium, so the page's rules are not judged, and the run is not certified for that alone.
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.report!.blockingFailures).toEqual([]);
    expect((run.report as { unjudged?: string[] }).unjudged).toEqual(['EX-01', 'EX-02', 'EX-03']);
    expect(run.stdout).toContain('  EX-01, EX-02, EX-03  not judged: headless Chromium not found');
    expect(run.stderr).toBe('');
    expect(run.stdoutBytes).toBeLessThan(8 * 1024);
    expect(run.stdout).not.toContain('flood flood');
    const printed = run.report!.notes.filter((note) => note.startsWith('the candidate printed'));
    expect(printed).toHaveLength(1);
    expect(printed[0]!.length).toBeLessThan(64 * 1024 + 200);
    expect(printed[0]).toMatch(/\[\d+ earlier characters dropped\]/);
    expect(printed[0]).toContain('flood flood');
    expect(run.reportBytes).toBeLessThan(2 * 1024 * 1024);
    expect(await processesLeftBehind(run)).toEqual([]);
  }, TEST_TIMEOUT_MS);
});
