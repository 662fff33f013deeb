/**
 * A preload (`node --require`, or NODE_OPTIONS) that records every network target this process
 * tries to reach, in every thread (worker threads run preloads too): TCP connects at the socket
 * layer and at the handle layer below it (the last stop before the system call), and DNS lookups.
 * Each attempt is appended as one JSON line to $WMPCERT_TRIPWIRE_LOG. Attempts on anything but
 * loopback are then refused (ECONNREFUSED / ENOTFOUND), so a failing test never waits on a network.
 */
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const { threadId } = require('node:worker_threads');

const LOG = process.env.WMPCERT_TRIPWIRE_LOG;
if (!LOG) throw new Error('net-tripwire: set WMPCERT_TRIPWIRE_LOG to the file that records attempts');

function record(kind, target) {
  fs.appendFileSync(LOG, JSON.stringify({ kind, target, pid: process.pid, threadId }) + '\n');
}

function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true; // Node's default is localhost
  const name = String(host).toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name) || /^::ffff:127\.\d+\.\d+\.\d+$/.test(name);
}

function refused(host) {
  return Object.assign(new Error(`net-tripwire: connection to ${host} refused (not loopback)`), { code: 'ECONNREFUSED' });
}

/** What a Socket.prototype.connect call aims at: a path (local IPC) or a host and port. */
function targetOf(args) {
  let options = args[0];
  if (Array.isArray(options)) options = options[0]; // net's internal normalized form
  if (options !== null && typeof options === 'object') {
    if (options.path !== undefined && options.path !== null) return { path: String(options.path) };
    return { host: options.host ?? 'localhost', port: options.port };
  }
  if (typeof options === 'string' && !/^\d+$/.test(options)) return { path: options };
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: options };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function tripwireConnect(...args) {
  const target = targetOf(args);
  record('socket', target);
  if (target.path === undefined && !isLoopback(target.host)) {
    process.nextTick(() => this.destroy(refused(target.host)));
    return this;
  }
  return connect.apply(this, args);
};

// The handle layer: every TCP connection, whatever path led to it, passes TCP.prototype.connect(6).
try {
  const { TCP } = process.binding('tcp_wrap');
  for (const method of ['connect', 'connect6']) {
    const original = TCP.prototype[method];
    TCP.prototype[method] = function tripwireHandleConnect(req, address, port) {
      record('tcp', { host: address, port });
      if (!isLoopback(address)) return -111; // UV_ECONNREFUSED
      return original.call(this, req, address, port);
    };
  }
} catch (error) {
  record('tripwire-warning', { message: `tcp_wrap not patched: ${error.message}` });
}

const lookup = dns.lookup;
dns.lookup = function tripwireLookup(hostname, ...rest) {
  record('dns', { host: hostname });
  if (!isLoopback(hostname)) {
    const callback = rest.at(-1);
    const error = Object.assign(new Error(`net-tripwire: lookup of ${hostname} refused (not loopback)`), { code: 'ENOTFOUND', hostname });
    if (typeof callback === 'function') process.nextTick(callback, error);
    return {};
  }
  return lookup.call(this, hostname, ...rest);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = async function tripwirePromisesLookup(hostname, ...rest) {
  record('dns', { host: hostname });
  if (!isLoopback(hostname)) throw Object.assign(new Error(`net-tripwire: lookup of ${hostname} refused (not loopback)`), { code: 'ENOTFOUND', hostname });
  return promisesLookup.call(this, hostname, ...rest);
};

record('armed', { argv: process.argv.slice(1, 3) });
