/**
 * "Nothing leaves the machine" (README, contract §3): a plug-in that phones home through
 * `env.fetch`, the global `fetch`, `node:http`, a raw `node:net` socket and a DNS lookup, and hands
 * the Player media URLs on a public host, is certified under a tripwire preload
 * (net-tripwire.cjs) that records every network target in every thread of the process. Every
 * target recorded must be loopback (or a local socket path).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_CHROMIUM, ROOT, TEST_TIMEOUT_MS, certifyCli, cleanUpAll, describeRun, failure, processesLeftBehind } from './hostile-cli.ts';

const TRIPWIRE = join(ROOT, 'test/hostile/net-tripwire.cjs');

interface Attempt { kind: string; target: { host?: string; port?: number; path?: string; argv?: string[] }; pid: number; threadId: number }

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmpcert-tripwire-'));
});

afterAll(async () => {
  await cleanUpAll();
  await rm(dir, { recursive: true, force: true });
});

async function attempts(log: string): Promise<Attempt[]> {
  if (!existsSync(log)) return [];
  return (await readFile(log, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Attempt);
}

function isLoopback(host: string | undefined): boolean {
  const name = (host ?? 'localhost').toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(name);
}

/** Every recorded attempt that went (or tried to go) beyond this machine. */
function beyondLoopback(recorded: Attempt[]): Attempt[] {
  return recorded.filter((attempt) => ['socket', 'tcp', 'dns'].includes(attempt.kind) && attempt.target.path === undefined && !isLoopback(attempt.target.host));
}

describe('certification never leaves the machine', () => {
  it('a module candidate (worker sandbox, through the CLI): no target beyond loopback, every door refused', async () => {
    const log = join(dir, 'cli.log');
    const run = await certifyCli(['fixtures/hostile/phones-home.ts'], {
      env: { WMPCERT_TRIPWIRE_LOG: log }, nodeArgs: ['--require', TRIPWIRE],
    });
    const recorded = await attempts(log);
    // The tripwire was armed in the main thread and in the candidate's worker threads.
    expect(recorded.filter((attempt) => attempt.kind === 'armed' && attempt.threadId > 0).length).toBeGreaterThan(0);
    expect(recorded.filter((attempt) => attempt.kind === 'tripwire-warning')).toEqual([]);
    expect(beyondLoopback(recorded)).toEqual([]);

    // A verdict like any other: the media URLs on a public host are the plug-in's failure to serve.
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toBe('');
    const served = run.report!.rules.filter((rule) => rule.status === 'failed' && /DL-0[67]|DL-1[02]/.test(rule.id));
    expect(served.length, describeRun(run)).toBeGreaterThan(0);
    expect(served.map((rule) => rule.failure!.message).join('\n')).toMatch(/http:\/\/example\.com\/media\/\d+\.wma.*nothing serves this URL|is not served|did not download completely/);
    // Its global fetch went through the scenario's recording fetch: the trace shows it, answered by nobody.
    const trace = served[0]!.failure!.trace;
    expect(trace.some((event) => event.type === 'http-request' && event.url?.includes('via=global.fetch'))).toBe(true);
    expect(trace.some((event) => event.type === 'http-request' && event.by === 'player' && event.url?.startsWith('http://example.com/media/'))).toBe(true);
    expect(failure(run, served[0]!.id).message.length).toBeGreaterThan(0);
    expect(await processesLeftBehind(run)).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it('a candidate object (in-process sandbox): its env.fetch and global fetch go to the scenario, nowhere else', async () => {
    const log = join(dir, 'in-process.log');
    const child = spawn(process.execPath, ['--require', TRIPWIRE, '--import', 'tsx', join(ROOT, 'test/hostile/certify-in-process.ts')], {
      cwd: ROOT, env: { ...process.env, WMPCERT_TRIPWIRE_LOG: log, CHROMIUM_PATH: NO_CHROMIUM }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => { stdout += text; });
    child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code, stderr).toBe(0);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { verdict: string; failed: string[]; requests: string[]; globalFetchRestored: boolean };
    expect(beyondLoopback(await attempts(log))).toEqual([]);
    expect(summary.verdict).toBe('not-certified');
    expect(summary.requests).toEqual(expect.arrayContaining([
      expect.stringMatching(/^plugin http:\/\/example\.com\/beacon\?via=env\.fetch/),
      expect.stringMatching(/^plugin http:\/\/93\.184\.216\.34\/beacon\?via=global\.fetch/),
    ]));
    // After the scenarios, the caller's own fetch is back.
    expect(summary.globalFetchRestored).toBe(true);
  }, TEST_TIMEOUT_MS);
});
