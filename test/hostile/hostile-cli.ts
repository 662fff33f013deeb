/**
 * Runs `wmpcert certify` as users do — `node bin/wmpcert.js` in a child process — against a hostile
 * candidate, and inspects what it left: exit status, stdout and stderr (kept bounded: a harness
 * that floods its output fails the test, not the test runner), the report, and the process table.
 *
 * Every run carries a unique marker in its environment, which every process it starts inherits (the
 * plug-in's shell, the plug-in, anything the plug-in starts), so "no process left behind" is a
 * look through /proc for a live process with that marker.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** CHROMIUM_PATH for these runs: no Chromium, so the discovery page (EX rules) is skipped with its reason. */
export const NO_CHROMIUM = join(ROOT, 'no-chromium-for-hostile-tests');
const BIN = join(ROOT, 'bin', 'wmpcert.js');
const MARKER_VARIABLE = 'WMPCERT_HOSTILE_MARKER';
/** More than this of stdout or stderr is not kept (only counted). */
const KEPT_OUTPUT_BYTES = 1024 * 1024;
/** A run that takes longer is killed: the test then fails on its exit status, with what it printed. */
export const RUN_LIMIT_MS = 115_000;

export interface Violation { rule: string; message: string }
export interface TraceEvent { type: string; at: number; reason?: string; message?: string; url?: string; by?: string; kind?: string }
export interface RuleResult {
  id: string;
  status: 'passed' | 'failed' | 'skipped';
  reason?: string;
  skipCause?: string;
  failure?: { message: string; violations: Violation[]; trace: TraceEvent[]; counterexample: { transactions: number; tracks: number } };
}
export interface Report { verdict: string; blockingFailures: string[]; rules: RuleResult[]; notes: string[]; timeoutMs: number; stats: { scenarios: number } }

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutBytes: number;
  stderrBytes: number;
  ms: number;
  outDir: string;
  marker: string;
  report: Report | undefined;
  reportBytes: number;
}

export interface CliOptions {
  /** Options for node itself, before bin/wmpcert.js (e.g. --require a preload). */
  nodeArgs?: string[];
  env?: Record<string, string>;
  runs?: number;
}

const runsOfThisFile: CliRun[] = [];

/** At most `limit` tasks at once. */
function semaphore(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (active >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
/** Two runs at a time: two shared cores, and each run has its own workers and children. */
const twoAtATime = semaphore(Number(process.env['WMPCERT_HOSTILE_PARALLEL'] ?? 2));

/**
 * `wmpcert certify <target…> --runs N --seed 1 --out <tmp>`; the temporary folder is removed by
 * `cleanUpAll`.
 */
export async function certifyCli(target: string[], options: CliOptions = {}): Promise<CliRun> {
  const run = await twoAtATime(() => runCli(target, options));
  runsOfThisFile.push(run);
  return run;
}

/**
 * Starts the runs of a test file at once (two at a time, in order), so that each test only waits
 * for what is left of its own run: a test's timeout never pays for the runs queued before it.
 */
export function startRuns<K extends string>(specs: Record<K, { target: string[]; options?: CliOptions }>): Record<K, Promise<CliRun>> {
  const started = {} as Record<K, Promise<CliRun>>;
  for (const key of Object.keys(specs) as K[]) {
    started[key] = certifyCli(specs[key].target, specs[key].options);
    started[key].catch(() => {}); // a test that awaits it sees the failure
  }
  return started;
}

/** Removes the output folders of every run of this test file (call it in afterAll). */
export async function cleanUpAll(): Promise<void> {
  await Promise.all(runsOfThisFile.splice(0).map(cleanUp));
}

async function runCli(target: string[], options: CliOptions): Promise<CliRun> {
  const outDir = await mkdtemp(join(tmpdir(), 'wmpcert-hostile-'));
  const marker = randomUUID();
  const args = [...(options.nodeArgs ?? []), BIN, 'certify', ...target, '--runs', String(options.runs ?? 8), '--seed', '1', '--out', outDir];
  // No Chromium: the discovery page (EX rules) is skipped, with its reason. These tests are about
  // the sandboxes; a page played against each hostile candidate would only multiply their stops.
  const env: NodeJS.ProcessEnv = { ...process.env, CHROMIUM_PATH: NO_CHROMIUM, ...options.env, [MARKER_VARIABLE]: marker };
  delete env['WMPCERT_DEBUG'];
  delete env['GITHUB_STEP_SUMMARY'];
  const startedAt = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = boundedCollector(child.stdout);
  const stderr = boundedCollector(child.stderr);
  const killer = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (c, s) => resolve([c, s])));
  clearTimeout(killer);
  const ms = Math.round(performance.now() - startedAt);
  console.log(`[hostile] wmpcert certify ${target.join(' ')}: exit ${code ?? signal} in ${ms} ms`);
  let report: Report | undefined;
  let reportBytes = 0;
  const reportPath = join(outDir, 'report.json');
  if (existsSync(reportPath)) {
    const text = await readFile(reportPath, 'utf8');
    reportBytes = Buffer.byteLength(text);
    report = JSON.parse(text) as Report;
  }
  return {
    code, signal, ms, outDir, marker, report, reportBytes,
    stdout: stdout.text(), stderr: stderr.text(), stdoutBytes: stdout.bytes(), stderrBytes: stderr.bytes(),
  };
}

function boundedCollector(stream: NodeJS.ReadableStream): { text(): string; bytes(): number } {
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  stream.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (kept < KEPT_OUTPUT_BYTES) {
      chunks.push(chunk.subarray(0, KEPT_OUTPUT_BYTES - kept));
      kept += Math.min(chunk.length, KEPT_OUTPUT_BYTES - kept);
    }
  });
  return { text: () => Buffer.concat(chunks).toString('utf8'), bytes: () => total };
}

export async function cleanUp(run: CliRun): Promise<void> {
  await rm(run.outDir, { recursive: true, force: true });
}

export function failedRules(run: CliRun): string[] {
  return (run.report?.rules ?? []).filter((rule) => rule.status === 'failed').map((rule) => rule.id).sort();
}

export function failure(run: CliRun, rule: string): NonNullable<RuleResult['failure']> {
  const result = run.report?.rules.find((candidate) => candidate.id === rule);
  if (result?.status !== 'failed' || !result.failure) {
    throw new Error(`${rule} did not fail (failed: ${failedRules(run).join(', ') || 'none'}; exit ${run.code}; stderr ${JSON.stringify(run.stderr.slice(0, 500))})`);
  }
  return result.failure;
}

/** The `sandbox` events of a rule's counterexample trace: why the harness had to stop the candidate. */
export function sandboxStops(run: CliRun, rule = 'DL-16'): TraceEvent[] {
  return failure(run, rule).trace.filter((event) => event.type === 'sandbox');
}

/** The latest moment (ms into the scenario) of every failing rule's counterexample trace. */
export function longestTraceMs(run: CliRun): number {
  let longest = 0;
  for (const rule of run.report?.rules ?? []) for (const event of rule.failure?.trace ?? []) longest = Math.max(longest, event.at);
  return longest;
}

/** What one run shows when an assertion fails. */
export function describeRun(run: CliRun): string {
  const failures = (run.report?.rules ?? []).filter((rule) => rule.status === 'failed').map((rule) => `${rule.id}: ${rule.failure?.message.slice(0, 300)}`);
  return [
    `exit ${run.code}${run.signal ? ` (${run.signal})` : ''} after ${run.ms} ms`,
    `stderr: ${JSON.stringify(run.stderr.slice(0, 1000))}`,
    `stdout (${run.stdoutBytes} bytes): ${run.stdout.slice(-1500)}`,
    ...failures,
  ].join('\n');
}

/** Processes (not zombies: PID 1 here does not reap) whose environment carries this run's marker. */
export function liveProcessesOf(run: CliRun): string[] {
  if (!existsSync('/proc/self/environ')) return [];
  const needle = `${MARKER_VARIABLE}=${run.marker}\0`;
  const live: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state === 'Z' || !readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      live.push(`pid ${entry} pgid ${pgid} stat ${state}: ${args}`);
    } catch {
      // it ended while we looked, or is not ours to read
    }
  }
  return live;
}

/** Waits briefly (a SIGKILLed group needs a moment to be gone) and returns what still runs. */
export async function processesLeftBehind(run: CliRun, waitMs = 3000): Promise<string[]> {
  const until = performance.now() + waitMs;
  let live = liveProcessesOf(run);
  while (live.length > 0 && performance.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    live = liveProcessesOf(run);
  }
  return live;
}

// ---- what every hostile run must show ------------------------------------------------------------

/** Per test: one run of a few tens of seconds (shrinking an --exec failure has a 15 s budget per rule, 25 s in all). */
export const TEST_TIMEOUT_MS = 120_000;
/** The default hard cap per scenario (--timeout-ms 5000), plus the watchdog's or the wire's 1.5 s, plus slack. */
export const SCENARIO_BOUND_MS = 5000 + 1500 + 1500;

/** A verdict, not a harness error: exit 1, nothing on stderr, every scenario within its cap, no process left. */
export async function expectNotCertified(run: CliRun, rule?: string): Promise<void> {
  expect(run.code, describeRun(run)).toBe(1);
  expect(run.stderr, describeRun(run)).toBe('');
  expect(run.stdout).toMatch(/wmpcert: NOT certified: /);
  expect(run.stdout).not.toMatch(/internal error|disagree/i);
  expect(run.report?.verdict).toBe('not-certified');
  if (rule !== undefined) expect(failedRules(run), describeRun(run)).toContain(rule);
  // The harness's own errors are never blamed on the plug-in as something it threw.
  expect(JSON.stringify(run.report?.rules.map((result) => result.failure?.message))).not.toMatch(/threw (PeerClosedError|RequestTimeoutError|InvalidResponseError)/);
  expect(longestTraceMs(run), describeRun(run)).toBeLessThan(SCENARIO_BOUND_MS);
  expect(await processesLeftBehind(run)).toEqual([]);
}

/** A set-up error: exit 2 and exactly one line on stderr, no report, nothing left running. */
export async function expectSetUpError(run: CliRun): Promise<string> {
  expect(run.code, describeRun(run)).toBe(2);
  expect(run.stderr).toMatch(/^wmpcert: [^\n]+\n$/);
  expect(run.report).toBeUndefined();
  expect(await processesLeftBehind(run)).toEqual([]);
  return run.stderr;
}
