/**
 * stdioVsRaw: round trips per second through the stdio adapter (harness/adapters/stdio: the
 * ExecPlugin of createExecCandidate, over NdjsonPeer, schema-checked) against a bare NDJSON loop
 * over the same kind of child, measured in the same run. One round trip is one
 * `downloadTrackComplete` request and its answer, sent one after another (latency, as the simulated
 * Player makes them), after a warm-up long enough for both processes' JIT to settle.
 *
 * Both loops run pinned to one CPU (with `taskset`, which this script calls itself under): on this
 * 2-vCPU VM, whether the scheduler puts the harness and its child on one CPU or two is a coin flip
 * per child that changes a loop's round trips 3-fold (a wake-up across vCPUs costs ~50 µs), so an
 * unpinned ratio mostly measured which loop won it. On one CPU every microsecond either process
 * spends is counted: the condition least kind to the adapter, and the same for both loops.
 *
 *   node --import tsx bench/stdio.ts [roundTrips=10000] → one JSON line
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createExecCandidate } from '../harness/adapters/stdio/exec-candidate.ts';
import { S_OK } from '../harness/protocol/hresult.ts';

const child = (name: string) => fileURLToPath(new URL(`./children/${name}`, import.meta.url));
const REFERENCE_WIRE_PLUGIN = fileURLToPath(new URL('../fixtures/wire/reference-plugin.mjs', import.meta.url));
/** Nothing listens there: the reference wire plug-in's completion reports fail at once. */
const NO_STORE = 'http://127.0.0.1:9/store';

export interface StdioFigures { adapterPerSecond: number; rawPerSecond: number; referencePluginPerSecond: number; ratio: number }

/** The CPUs this process may run on, as Linux lists them ("0", "0-1"); undefined elsewhere. */
function allowedCpus(): string | undefined {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** A bare NDJSON client: write a line, wait for the answer line with its id. */
async function rawRoundTrips(count: number, warmUp: number): Promise<number> {
  const process_ = spawn(process.execPath, [child('raw-echo.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffered = '';
  const waiting = new Map<number, () => void>();
  process_.stdout.setEncoding('utf8').on('data', (text: string) => {
    buffered += text;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      const message = JSON.parse(line) as { id: number };
      waiting.get(message.id)?.();
      waiting.delete(message.id);
    }
  });
  let nextId = 1;
  const request = (method: string, params: unknown) => new Promise<void>((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    process_.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
  });
  await request('initialize', { protocol: 1 });
  for (let i = 0; i < warmUp; i++) await request('downloadTrackComplete', { hr: S_OK, contentId: i, param: 'p' });
  const started = performance.now();
  for (let i = 0; i < count; i++) await request('downloadTrackComplete', { hr: S_OK, contentId: i, param: 'p' });
  const seconds = (performance.now() - started) / 1000;
  await request('shutdown', {}).catch(() => {});
  process_.kill();
  return count / seconds;
}

/** The same round trips through the adapter the engine uses for --exec candidates. */
async function adapterRoundTrips(command: string, count: number, warmUp: number): Promise<number> {
  const exec = createExecCandidate(command, { storeUrl: NO_STORE, requestTimeoutMs: 10_000 });
  const plugin = exec.create();
  try {
    await plugin.initialized;
    await plugin.setCallback({ downloadTrack: () => S_OK });
    for (let i = 0; i < warmUp; i++) await plugin.downloadTrackComplete(S_OK, i, 'p');
    const started = performance.now();
    for (let i = 0; i < count; i++) await plugin.downloadTrackComplete(S_OK, i, 'p');
    return count / ((performance.now() - started) / 1000);
  } finally {
    await plugin.dispose();
    await exec.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function measureStdio(count = 10_000, rounds = 3): Promise<StdioFigures> {
  const warmUp = Math.min(2000, count);
  const raw: number[] = [];
  const adapter: number[] = [];
  const reference: number[] = [];
  for (let round = 0; round < rounds; round++) {
    raw.push(await rawRoundTrips(count, warmUp));
    adapter.push(await adapterRoundTrips(`"${process.execPath}" "${child('minimal-wire-plugin.mjs')}"`, count, warmUp));
    reference.push(await adapterRoundTrips(`"${process.execPath}" "${REFERENCE_WIRE_PLUGIN}"`, count, warmUp));
  }
  const adapterPerSecond = median(adapter);
  const rawPerSecond = median(raw);
  return { adapterPerSecond, rawPerSecond, referencePluginPerSecond: median(reference), ratio: adapterPerSecond / rawPerSecond };
}

const PINNED = 'WMPCERT_BENCH_STDIO_PINNED';

if (import.meta.url === `file://${process.argv[1]}`) {
  const cpus = allowedCpus();
  const hasTaskset = process.platform === 'linux' && spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
  if (process.env[PINNED] === undefined && hasTaskset && cpus !== undefined) {
    // Again, on the first CPU this process may use; its children inherit the affinity.
    const cpu = cpus.split(/[-,]/)[0]!;
    const pinned = spawnSync('taskset', ['-c', cpu, process.execPath, ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)],
      { stdio: 'inherit', env: { ...process.env, [PINNED]: cpu } });
    process.exit(pinned.status ?? 1);
  }
  console.log(JSON.stringify({ ...await measureStdio(Number(process.argv[2] ?? 10_000)), cpus: cpus ?? 'unknown' }));
  process.exit(0);
}
