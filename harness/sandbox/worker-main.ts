/**
 * Inside a candidate's worker thread: loads the candidate once, runs the scenarios it is sent and
 * ships the trace back in batches (before each call into the candidate, and on every settle tick),
 * so that if the candidate blocks the thread for good, the harness still has the trace up to it.
 */
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import { getHeapStatistics } from 'node:v8';
import { Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { ScenarioRun } from '../host/simulated-player.ts';
import type { PluginCandidate } from '../protocol/types.ts';
import type { TraceEvent } from '../trace/events.ts';
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol.ts';

const port = parentPort!;
const HEARTBEAT_MS = 100;
const send = (message: FromWorker) => port.postMessage(message);

async function runOne(candidate: PluginCandidate, message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  let shipped = 0;
  let lastSent = 0;
  const ship = (events: readonly TraceEvent[]) => {
    const now = performance.now();
    // With nothing new, a heartbeat now and then: a quiet wait (calls still owed) is not a blocked thread.
    if (events.length === shipped && now - lastSent < HEARTBEAT_MS) return;
    send({ type: 'events', id: message.id, events: events.slice(shipped), heapUsedMb: Math.round(getHeapStatistics().used_heap_size / 2 ** 20) });
    shipped = events.length;
    lastSent = now;
  };
  const run = new ScenarioRun(candidate, message.scenario, message.timing, { checkpoint: ship });
  scenarioFetch = run.pluginFetch;
  const trace = await run.run().finally(() => { scenarioFetch = undefined; });
  ship(trace.events);
  send({ type: 'done', id: message.id, ended: trace.ended, durationMs: trace.durationMs });
}

// ---- Certification never leaves the machine (contract §3) -------------------------------------
// The candidate's thread has only the harness's network: its global fetch is the running scenario's
// recording fetch (as env.fetch is), and sockets and DNS lookups for anything but loopback are
// refused, so node:http, node:net, tls and a fetch captured elsewhere fail like an unreachable host.

let scenarioFetch: typeof fetch | undefined;
const offline = (what: string) => Object.assign(new Error(`${what}: wmpcert certification never leaves the machine (only loopback is reachable)`), { code: 'ECONNREFUSED' });

globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => scenarioFetch
  ? scenarioFetch(input, init)
  : Promise.reject(new TypeError('fetch failed', { cause: offline('no scenario is running') }))) as typeof fetch;

function isLoopback(host: unknown): boolean {
  const name = String(host ?? 'localhost').toLowerCase().replace(/^\[|\]$/g, '');
  return name === '' || name === 'localhost' || name === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(name);
}

/** The host a Socket#connect call aims at; undefined for a local (IPC) path. */
function connectHost(args: unknown[]): unknown {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0]; // net passes its normalized [options, callback]
  if (typeof first === 'object' && first !== null) {
    const options = first as { path?: unknown; host?: unknown };
    return options.path !== undefined && options.path !== null ? undefined : options.host;
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined;
  return typeof args[1] === 'string' ? args[1] : 'localhost'; // connect(port[, host][, listener])
}

const socketConnect = Socket.prototype.connect as (this: Socket, ...args: unknown[]) => Socket;
Socket.prototype.connect = function connect(this: Socket, ...args: unknown[]): Socket {
  const host = connectHost(args);
  if (host === undefined || isLoopback(host)) return socketConnect.apply(this, args);
  process.nextTick(() => this.destroy(offline(`connect to ${String(host)}`)));
  return this;
} as typeof Socket.prototype.connect;

const dnsLookup = dns.lookup as (...args: unknown[]) => unknown;
dns.lookup = function lookup(hostname: unknown, ...rest: unknown[]) {
  if (isLoopback(hostname)) return dnsLookup(hostname, ...rest);
  const callback = rest.at(-1);
  if (typeof callback === 'function') process.nextTick(callback, Object.assign(offline(`lookup of ${String(hostname)}`), { code: 'ENOTFOUND' }));
  return {};
} as typeof dns.lookup;
const dnsPromisesLookup = dns.promises.lookup as (...args: unknown[]) => Promise<unknown>;
dns.promises.lookup = (async (hostname: unknown, ...rest: unknown[]) => {
  if (isLoopback(hostname)) return dnsPromisesLookup(hostname, ...rest);
  throw Object.assign(offline(`lookup of ${String(hostname)}`), { code: 'ENOTFOUND' });
}) as typeof dns.promises.lookup;
// ESM imports of node:dns see the patched functions too.
syncBuiltinESMExports();

async function main(): Promise<void> {
  const { modulePath } = workerData as WorkerData;
  let candidate: PluginCandidate;
  try {
    const exported = ((await import(pathToFileURL(modulePath).href)) as { default: PluginCandidate & { __esModule?: boolean; default?: PluginCandidate } }).default;
    // A .ts file outside a "type": "module" package arrives as CommonJS, its default one level down.
    candidate = exported.__esModule && exported.default ? exported.default : exported;
  } catch (error) {
    send({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.on('message', (message: ToWorker) => {
    if (message.type === 'run') void runOne(candidate, message);
  });
  send({ type: 'ready' });
}

void main();
