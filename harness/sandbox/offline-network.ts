/**
 * Certification never leaves the machine (contract §3). Imported by a candidate's worker thread
 * before the candidate loads, this gives the thread only the harness's network: its global fetch is
 * the running scenario's recording fetch (as env.fetch is), and sockets and DNS lookups for anything
 * but loopback are refused, so node:http, node:net, tls and a fetch captured elsewhere fail like an
 * unreachable host.
 */
import dns from 'node:dns';
import { syncBuiltinESMExports } from 'node:module';
import { Socket } from 'node:net';

const offline = (what: string) => Object.assign(new Error(`${what}: wmpcert certification never leaves the machine (only loopback is reachable)`), { code: 'ECONNREFUSED' });

let scenarioFetch: typeof fetch | undefined;

/** The running scenario's recording fetch becomes this thread's global fetch (undefined: none is running). */
export function useScenarioFetch(fetch: typeof globalThis.fetch | undefined): void {
  scenarioFetch = fetch;
}

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
