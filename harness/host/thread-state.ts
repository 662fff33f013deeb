/**
 * Whether another thread of this process is at work: running or waiting for a CPU (state R in
 * /proc/self/task/<tid>/stat), or in a disk wait (D). A plug-in in this process that owes calls may
 * be waiting on such a thread: the thread pool's crypto and zlib jobs (webcrypto's `subtle.sign`
 * among them) appear in no resource list of the event loop, and on a loaded machine one can take
 * longer than the owed window. Linux only; elsewhere the answer is false and the window alone
 * decides, as before. Another certification's threads in the same process only make the window
 * longer, never shorter.
 */
import { readlinkSync } from 'node:fs';
import { procStats } from './proc-stat.ts';

/** One scan serves the looks of this long. */
const CACHE_MS = 1;

let ownThread: string | null | undefined;
let cached: { at: number; atWork: boolean } | undefined;

/** This thread's ID, or null where /proc does not say. */
function ownThreadId(): string | null {
  if (ownThread === undefined) {
    try {
      ownThread = readlinkSync('/proc/thread-self').split('/').pop() ?? null;
    } catch {
      ownThread = null;
    }
  }
  return ownThread;
}

export function otherThreadsAtWork(): boolean {
  if (process.platform !== 'linux') return false;
  const now = performance.now();
  if (cached && now - cached.at < CACHE_MS) return cached.atWork;
  const atWork = scan(ownThreadId());
  cached = { at: now, atWork };
  return atWork;
}

function scan(own: string | null): boolean {
  if (own === null) return false;
  for (const { id, fields: [state] } of procStats('/proc/self/task')) {
    if (id !== own && (state === 'R' || state === 'D')) return true;
  }
  return false;
}
