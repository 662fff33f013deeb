/**
 * COM plug-in DLLs (issue 14), certified as their authors would: `wmpcert certify store-plugin.dll`.
 * The fixture DLLs are built here from their C++ sources (bridge/fixtures, mingw-w64) and hosted by
 * the bridge (bridge/bin, built by `npm run build:bridge`) under Wine. A conforming DLL (64- and
 * 32-bit) is certified; the SDK sample's port and each natural C++ bug fail under the rule that
 * names the bug; nothing of Wine is left running; a missing Wine is one line and exit 2.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath } from '../../harness/discovery/page-browser.ts';
import { findWine, WineSession } from '../../harness/adapters/com/wine.ts';
import { ROOT, cleanUpAll, certifyCli, describeRun, expectNotCertified, expectSetUpError, processesLeftBehind, type CliRun } from '../hostile/hostile-cli.ts';

const BUILD_MS = 600_000;
const RUN_MS = 150_000;
const fixtures = mkdtempSync(join(tmpdir(), 'wmpcert-com-fixtures-'));
const dll = (arch: 'x64' | 'x86', name: string) => join(fixtures, arch, `${name}.dll`);
const SDK_SAMPLE_CLSID = '{E9D2F982-5F0F-4449-A71E-46D1E3F19623}';

beforeAll(() => {
  // From source, as CI does: the fixtures are never committed binaries.
  for (const arch of ['x64', 'x86']) {
    const built = spawnSync(process.execPath, ['scripts/build-bridge.mjs', '--fixtures', join(fixtures, arch), '--fixtures-arch', arch], { cwd: ROOT, encoding: 'utf8', timeout: BUILD_MS });
    expect(built.status, `${built.stdout}\n${built.stderr}`).toBe(0);
  }
}, 2 * BUILD_MS);

afterAll(async () => {
  await cleanUpAll();
  rmSync(fixtures, { recursive: true, force: true });
});

async function expectCertified(run: CliRun): Promise<void> {
  expect(run.code, describeRun(run)).toBe(0);
  expect(run.report?.verdict).toBe('certified');
  expect(await processesLeftBehind(run)).toEqual([]);
}

interface DllReport { candidate: { sourceType: string; sha256: string; dll?: { clsid: string; arch: string; runner: string } }; rules: { id: string; status: string }[] }

describe('the hand-declared interfaces (mingw-w64 has no contentpartner.h)', () => {
  it('match protocol.md §3 slot by slot and IID by IID, in the 64- and the 32-bit build (run under Wine)', async () => {
    const tools = findWine('x64');
    expect(tools, 'Wine is installed (.ci/run installs it)').toBeDefined();
    const wine = await WineSession.open(tools!);
    try {
      const check = spawnSync(process.execPath, ['scripts/build-bridge.mjs', '--check'], { cwd: ROOT, encoding: 'utf8', timeout: BUILD_MS, env: { ...process.env, ...wine.env } });
      expect(check.status, `${check.stdout}\n${check.stderr}`).toBe(0);
      expect(check.stdout).toMatch(/vtable check: \d+ slots of 4 interfaces and 4 IIDs match protocol\.md section 3 \(64-bit\)/);
      expect(check.stdout).toMatch(/vtable check: \d+ slots of 4 interfaces and 4 IIDs match protocol\.md section 3 \(32-bit\)/);
    } finally {
      await wine.close();
    }
  }, BUILD_MS);
});

describe('a conforming COM plug-in DLL', () => {
  // The two builds side by side (each certification has a Wine prefix and server of its own): they mostly wait.
  it.concurrent.for(['x64', 'x86'] as const)('(%s) is certified through the bridge under Wine, its class found in its type library, every flow judged', { timeout: RUN_MS }, async (arch) => {
    const path = dll(arch, 'conforming-plugin');
    // With Chromium: certified means every rule judged, the discovery page's included.
    const run = await certifyCli([path], { runs: 30, env: { CHROMIUM_PATH: chromiumPath() } });
    await expectCertified(run);
    const report = run.report as unknown as DllReport;
    expect(report.candidate.sourceType).toBe('dll');
    expect(report.candidate.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    expect(report.candidate.dll).toEqual({ clsid: '{E11AF2F3-3133-4BB0-9598-769BE50598A2}', arch, runner: 'wine' });
    expect(report.rules.filter((rule) => /^(BY|RL|SM)-/.test(rule.id) && rule.status !== 'passed')).toEqual([]);
  });
});

/** One certification per mutant DLL (at --runs 30), shared by the tests that read it: each takes ~25 s under Wine. */
const mutantRuns = new Map<string, Promise<CliRun>>();
function certifyMutant(name: string): Promise<CliRun> {
  let run = mutantRuns.get(name);
  if (!run) mutantRuns.set(name, run = certifyCli([dll('x64', name)], { runs: 30 }));
  return run;
}

describe('natural C++ bugs, each under the rule that names it', () => {
  // Two at a time: a DLL's certification mostly waits out its windows. Not shared-cookie (below):
  // its bug shows only when two Downloads overlap, which another certification's load changes.
  it.concurrent('the SDK wizard sample\'s download worker, which dies after the Player fails a call: liveness (DL-10, DL-02, DL-01), never DL-12', async () => {
    const run = await certifyCli([dll('x64', 'sdk-sample-port'), '--clsid', SDK_SAMPLE_CLSID], { runs: 30 });
    await expectNotCertified(run);
    const failed = run.report!.blockingFailures;
    expect(failed.length).toBeGreaterThan(0);
    // After the worker died, every Download fails, empty lists (DL-11) included.
    for (const rule of failed) expect(['DL-01', 'DL-02', 'DL-10', 'DL-11']).toContain(rule);
  }, RUN_MS);

  const expectReportedUnder = async (name: string, expected: string[]) => {
    const run = await certifyMutant(name);
    await expectNotCertified(run, expected[0]);
    expect(run.report!.blockingFailures).toEqual(expected);
  };
  it.concurrent.for([
    ['signed-track-id', ['DL-12'], 'a DWORD track ID held in an int: IDs from 2^31 on are skipped as "negative"'],
    ['sysallocstring-copy', ['SM-02'], 'BSTRs copied with SysAllocString: a page message is cut at U+0000'],
  ] as const)('%s: %j (%s)', { timeout: RUN_MS }, async ([name, expected]) => expectReportedUnder(name, [...expected]));
  // After the ones above, on its own.
  it('shared-cookie: ["DL-04"] (one member cookie for every worker: a second Download re-labels the first one\'s tracks)', async () => {
    await expectReportedUnder('shared-cookie', ['DL-04']);
  }, RUN_MS);

  it('a DLL\'s counterexample replays from its report', async () => {
    const run = await certifyMutant('signed-track-id');
    const replay = spawnSync(process.execPath, ['bin/wmpcert.js', 'replay', join(run.outDir, 'report.json'), '--rule', 'DL-12'], { cwd: ROOT, encoding: 'utf8', timeout: RUN_MS });
    expect(replay.status, `${replay.stdout}\n${replay.stderr}`).toBe(1);
    expect(replay.stdout).toMatch(/DL-12 fails again on the replayed scenario/);
  }, 2 * RUN_MS);
});

describe('what a COM DLL certification needs', () => {
  it('without Wine: exit 2, one line saying what to install', async () => {
    const run = await certifyCli([dll('x64', 'conforming-plugin')], { env: { WMPCERT_WINE: '/nonexistent/wine64' } });
    expect(await expectSetUpError(run)).toMatch(/needs Wine .*apt-get install wine64/);
  }, RUN_MS);

  it('a DLL without a type library and no --clsid: exit 2, the bridge says to name the class', async () => {
    const run = await certifyCli([dll('x64', 'sdk-sample-port')]);
    expect(await expectSetUpError(run)).toMatch(/could not host .*sdk-sample-port\.dll.*--clsid/);
  }, RUN_MS);
});
