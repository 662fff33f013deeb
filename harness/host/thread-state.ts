/**
 * Whether another thread of this process is at work: running or waiting for a CPU (state R in
 * /proc/self/task/<tid>/stat), or in a disk wait (D). A plug-in in this process that owes calls may
 * be waiting on such a thread: the thread pool's crypto and zlib jobs (webcrypto's `subtle.sign`
 * among them) appear in no resource list of the event loop, and on a loaded machine one can take
 * longer than the owed window. And their time slices so far: a short job that ran and ended between
 * two looks shows there only. Linux only; elsewhere nothing is seen and the window alone decides.
 */
import { readlinkSync } from 'node:fs';
import { NOTHING_SEEN, type CandidateLook } from './candidate-look.ts';
import { procStats, timeSlices } from './proc-stat.ts';

/** One scan serves the looks of this long, unless a fresh one is asked for. */
const CACHE_MS = 1;

let ownThread: string | null | undefined;
let cached: { at: number; look: CandidateLook } | undefined;

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
  return lookAtOtherThreads().atWork;
}

/** The other threads of this process, but the harness's own: at work now, and their time slices so far. */
export function lookAtOtherThreads(fresh = false): CandidateLook {
  if (process.platform !== 'linux') return NOTHING_SEEN;
  const now = performance.now();
  if (!fresh && cached && now - cached.at < CACHE_MS) return cached.look;
  const look = scan(ownThreadId());
  cached = { at: now, look };
  return look;
}

function scan(own: string | null): CandidateLook {
  if (own === null) return NOTHING_SEEN;
  const harness = harnessThreads();
  let atWork = false;
  let slices = 0;
  for (const { id, fields: [state] } of procStats('/proc/self/task')) {
    if (id === own || harness.has(Number(id))) continue;
    if (state === 'R' || state === 'D') atWork = true;
    slices += timeSlices(`/proc/self/task/${id}`);
  }
  return { atWork, timeSlices: slices };
}

/**
 * The harness's own JavaScript threads (the main thread, the sandboxes' workers) are not counted:
 * their work is not a plug-in's, and another certification's lanes in the same process (a plug-in
 * spinning in one) would otherwise hold every owed window open. One registry per process, in shared
 * memory: a sandbox worker gets it in its workerData and signs in (joinHarnessThreads). A thread
 * past its slots is counted, which only makes windows longer.
 */
const REGISTRY_SLOTS = 4096;
let registry: Int32Array | undefined;
let known: { count: number; ids: Set<number> } = { count: 0, ids: new Set() };

/** The registry to hand a new harness worker: made, with this thread signed in, on first use. */
export function harnessThreadRegistry(): SharedArrayBuffer {
  if (!registry) {
    registry = new Int32Array(new SharedArrayBuffer(4 * (REGISTRY_SLOTS + 1)));
    signIn(registry);
  }
  return registry.buffer as SharedArrayBuffer;
}

/** In a harness worker: takes the process's registry, and signs this thread in. */
export function joinHarnessThreads(buffer: SharedArrayBuffer): void {
  registry = new Int32Array(buffer);
  signIn(registry);
}

function signIn(into: Int32Array): void {
  const own = Number(ownThreadId());
  if (!(own > 0)) return;
  const slot = Atomics.add(into, 0, 1);
  if (slot < REGISTRY_SLOTS) Atomics.store(into, slot + 1, own);
}

function harnessThreads(): ReadonlySet<number> {
  const count = registry ? Math.min(Atomics.load(registry, 0), REGISTRY_SLOTS) : 0;
  if (count !== known.count) {
    const ids = new Set<number>();
    for (let slot = 1; slot <= count; slot++) ids.add(Atomics.load(registry!, slot));
    known = { count, ids };
  }
  return known.ids;
}
