/**
 * `npm run bench`: every figure of bench/README.md, measured in this run, each in its own child
 * process (so one measurement's heap and JIT state do not leak into the next). Prints a table, then,
 * as its last line, one JSON object with the figures.
 *
 *   node --import tsx bench/run.ts [--root DIR] [--quick] [--suite]
 *
 * --root measures another checkout of wmpcert with this bench (copied into its bench/ folder; how
 * the "before" column of bench/README.md was measured); --quick uses smaller sizes, for trying the
 * bench itself out; --suite also times the whole test suite (`npm test`, many minutes) as
 * testSuiteSeconds.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const argv = process.argv.slice(2);
const rootIndex = argv.indexOf('--root');
const ROOT = rootIndex >= 0 ? resolve(argv[rootIndex + 1]!) : resolve(BENCH, '..');
const QUICK = argv.includes('--quick');
const SUITE = argv.includes('--suite');

/** The seed of the certification: fixed, so every run certifies the same 100 scenarios. */
const CERTIFY_SEED = 20_061;
/** How many times each certification runs (alternately): its figures are the medians. */
const CERTIFY_ROUNDS = QUICK ? 1 : 3;
const SIZES = QUICK ? { small: 300, large: 3_000, peak: 10_000, scenarios: 30, roundTrips: 500 } : { small: 1_000, large: 10_000, peak: 100_000, scenarios: 100, roundTrips: 10_000 };

interface ChildResult { seconds: number; code: number | null; stdout: string; stderr: string; lines: { ms: number; text: string }[] }

function runChild(args: string[], cwd = ROOT): Promise<ChildResult> {
  return new Promise((resolveChild) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const lines: ChildResult['lines'] = [];
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      partial += text;
      let newline: number;
      while ((newline = partial.indexOf('\n')) >= 0) {
        lines.push({ ms: performance.now() - started, text: partial.slice(0, newline) });
        partial = partial.slice(newline + 1);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
    child.on('close', (code) => resolveChild({ seconds: (performance.now() - started) / 1000, code, stdout, stderr, lines }));
  });
}

/** The last JSON line a bench child printed. */
function jsonLines(result: ChildResult, what: string): Record<string, unknown>[] {
  const found = result.stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
  if (result.code !== 0 || found.length === 0) throw new Error(`${what} failed (exit ${result.code}): ${result.stderr.slice(-2000)}`);
  return found;
}

/** The bench scripts run from the measured checkout (its harness, its reference plug-in): --root gets a copy of them. */
if (resolve(ROOT, 'bench') !== resolve(BENCH)) {
  cpSync(BENCH, join(ROOT, 'bench'), { recursive: true, filter: (source) => !source.includes('/bench/tmp') });
}
const benchScript = (name: string) => join(ROOT, 'bench', name);
const round = (value: number, digits: number) => Number(value.toFixed(digits));

async function main(): Promise<void> {
  const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
  console.log(`wmpcert bench: ${ROOT}${QUICK ? ' (quick)' : ''}; node ${process.version}; load average ${load()}`);

  // The compiled package, as `npm ci` leaves it (its "prepare" builds dist/), so that bin/wmpcert.js
  // runs what an installed wmpcert runs; built here (not timed) only when the sources changed since.
  const { builtSinceSourcesChanged } = await import(pathToFileURL(join(ROOT, 'bin', 'dist-freshness.js')).href).catch(() => ({ builtSinceSourcesChanged: () => false }));
  if (!builtSinceSourcesChanged(pathToFileURL(`${ROOT}/`))) {
    const build = await runChild([join(ROOT, 'scripts', 'build.mjs')]);
    if (build.code !== 0) throw new Error(`npm run build failed (exit ${build.code}): ${build.stderr.slice(-2000)}`);
  }

  // 1. The default certification, exactly `npm run certify`'s work (with a fixed seed and a temporary --out),
  // and 1b. the same certification of the Node reference wire plug-in (one long-lived child, many
  // instances): alternately, CERTIFY_ROUNDS times each, medians. One run of each is one sample of a
  // shared machine's moment; the ratio of two single runs moved by ±0.1.
  const certifyOnce = async (args: string[], what: string): Promise<ChildResult> => {
    const out = mkdtempSync(join(tmpdir(), 'wmpcert-bench-'));
    const result = await runChild(['bin/wmpcert.js', 'certify', ...args, '--seed', String(CERTIFY_SEED), '--out', out]);
    rmSync(out, { recursive: true, force: true });
    if (result.code !== 0) throw new Error(`the certification of ${what} did not end certified (exit ${result.code}): ${result.stderr.slice(-2000)}`);
    return result;
  };
  const certifies: ChildResult[] = [];
  const wires: ChildResult[] = [];
  for (let round = 0; round < CERTIFY_ROUNDS; round++) {
    certifies.push(await certifyOnce(['fixtures/plugins/reference.ts'], 'the reference plug-in'));
    wires.push(await certifyOnce(['--exec', `"${process.execPath}" fixtures/wire/reference-plugin.mjs`], 'the reference wire plug-in'));
  }
  const medianRun = (runs: ChildResult[]) => [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)]!;
  const certify = medianRun(certifies);
  const wire = medianRun(wires);
  const phases = certify.lines.map((line) => `${(line.ms / 1000).toFixed(1).padStart(6)} s  ${line.text.slice(0, 100)}`);
  const secondsOf = (runs: ChildResult[]) => runs.map((run) => run.seconds.toFixed(2)).join(' / ');

  // 2. Harness against the direct driver, same scenarios, same store fake.
  const overhead = jsonLines(await runChild(['--import', 'tsx', benchScript('overhead.ts'), String(SIZES.scenarios)]), 'overhead')[0]!;

  // 3. One big transaction, run and judged (a small one first, so that 1,000 tracks are not timed with a cold JIT).
  const big = jsonLines(await runChild(['--import', 'tsx', benchScript('big-transaction.ts'), '200', String(SIZES.small), String(SIZES.large)]), 'big transaction');
  const small = big.find((run) => run['tracks'] === SIZES.small)!;
  const large = big.find((run) => run['tracks'] === SIZES.large)!;

  // 4. Peak memory of a 100,000-track transaction, in a child of its own.
  const peak = jsonLines(await runChild(['--import', 'tsx', benchScript('big-transaction.ts'), String(SIZES.peak)]), 'peak memory')[0]!;

  // 5. The stdio adapter against a bare NDJSON loop.
  const stdio = jsonLines(await runChild(['--import', 'tsx', benchScript('stdio.ts'), String(SIZES.roundTrips)]), 'stdio')[0]!;

  // 6. The whole test suite, when asked: `npm test`, exactly as the README gives it.
  const suite = SUITE ? await runChild([join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run']) : undefined;
  if (suite && suite.code !== 0) throw new Error(`npm test failed (exit ${suite.code}): ${suite.stdout.slice(-3000)}`);

  const figures = {
    certifySeconds: round(certify.seconds, 2),
    overheadRatio: round(overhead['ratio'] as number, 3),
    tracksPerSecond: Math.round((large['tracks'] as number) / (large['seconds'] as number)),
    linearityRatio: round((large['seconds'] as number) / (small['seconds'] as number), 2),
    peakRssMB100k: Math.round(peak['maxRssMB'] as number),
    stdioVsRaw: round(stdio['ratio'] as number, 3),
    execVsInProcess: round(wire.seconds / certify.seconds, 2),
    ...(suite ? { testSuiteSeconds: Math.round(suite.seconds) } : {}),
  };
  const goals: Record<keyof typeof figures, [string, boolean]> = {
    certifySeconds: ['≤ 2', figures.certifySeconds <= 2],
    overheadRatio: ['≤ 1.3', figures.overheadRatio <= 1.3],
    tracksPerSecond: ['≥ 2000', figures.tracksPerSecond >= 2000],
    linearityRatio: ['≤ 11', figures.linearityRatio <= 11],
    peakRssMB100k: ['≤ 400', figures.peakRssMB100k <= 400],
    stdioVsRaw: ['≥ 0.7', figures.stdioVsRaw >= 0.7],
    execVsInProcess: ['≤ 2', figures.execVsInProcess <= 2],
    testSuiteSeconds: ['≤ 600', (figures.testSuiteSeconds ?? 0) <= 600],
  };
  const details: Record<keyof typeof figures, string> = {
    certifySeconds: `npm run certify --seed ${CERTIFY_SEED}: certified; median of ${secondsOf(certifies)} s`,
    overheadRatio: `${overhead['scenarios']} scenarios, ${overhead['tracks']} tracks: harness ${(overhead['harnessSeconds'] as number).toFixed(3)} s, direct ${(overhead['directSeconds'] as number).toFixed(3)} s (same dispatch: ${(overhead['directSameDispatchSeconds'] as number).toFixed(3)} s, ratio ${(overhead['sameDispatchRatio'] as number).toFixed(2)})${(overhead['violations'] as string[]).length ? `; FAILED: ${(overhead['violations'] as string[]).join(', ')}` : ''}`,
    tracksPerSecond: `${large['tracks']} tracks in ${(large['seconds'] as number).toFixed(2)} s (run ${(large['runSeconds'] as number).toFixed(2)} s, judge ${(large['judgeSeconds'] as number).toFixed(2)} s), ${large['events']} events, ${large['ended']}`,
    linearityRatio: `${small['tracks']} tracks in ${(small['seconds'] as number).toFixed(2)} s`,
    peakRssMB100k: `${peak['tracks']} tracks in ${(peak['seconds'] as number).toFixed(1)} s (judge ${(peak['judgeSeconds'] as number).toFixed(1)} s), ${peak['events']} events, ${peak['ended']}${(peak['violations'] as string[]).length ? `; FAILED: ${(peak['violations'] as string[]).join(', ')}` : ''}`,
    execVsInProcess: `certify --exec "node fixtures/wire/reference-plugin.mjs" --seed ${CERTIFY_SEED}: certified; median of ${secondsOf(wires)} s over the in-process median`,
    testSuiteSeconds: suite ? `npm test: ${suite.stdout.replace(/\x1b\[[0-9;]*m/g, '').match(/Tests\s+.*?(\d+ passed)/)?.[1] ?? 'passed'}` : '',
    stdioVsRaw: `adapter ${Math.round(stdio['adapterPerSecond'] as number)}/s, raw ${Math.round(stdio['rawPerSecond'] as number)}/s, on CPU ${String(stdio['cpus'])} (reference wire plug-in through the adapter: ${Math.round(stdio['referencePluginPerSecond'] as number)}/s)`,
  };

  console.log('\ncertification phases (time since spawn, stdout line):');
  for (const line of phases) console.log(line);
  console.log('');
  console.log(`${'figure'.padEnd(16)} ${'value'.padStart(10)}  ${'goal'.padEnd(8)} ${'met'.padEnd(4)} detail`);
  for (const [name, value] of Object.entries(figures) as [keyof typeof figures, number][]) {
    if (value === undefined) continue;
    const [goal, met] = goals[name];
    console.log(`${name.padEnd(16)} ${String(value).padStart(10)}  ${goal.padEnd(8)} ${(met ? 'yes' : 'NO').padEnd(4)} ${details[name]}`);
  }
  console.log(`load average at the end: ${load()}`);
  console.log(JSON.stringify(figures));
}

await main();
