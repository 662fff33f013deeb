/**
 * Whether another thread of this process is at work: running or waiting for a CPU (state R in
 * /proc/self/task/<tid>/stat), or in a disk wait (D). A plug-in in this process that owes calls may
 * be waiting on such a thread: the thread pool's crypto and zlib jobs (webcrypto's `subtle.sign`
 * among them) appear in no resource list of the event loop, and on a loaded machine one can take
 * longer than the owed window. And how long they have run: a short job that ran and ended between
 * two looks shows there only. Linux only; elsewhere nothing is seen and the window alone decides.
 */
import { readlinkSync } from 'node:fs';
import { NOTHING_SEEN, type CandidateLook, type CandidateWatch } from './candidate-look.ts';
import { procStats, ranNs } from './proc-stat.ts';

/**
 * One scan serves the looks of this long: the settle loop looks about every millisecond while
 * another thread is at work, and a scan reads a file per thread. The look that decides is fresh.
 */
const CACHE_MS = 4;

let ownThread: string | null | undefined;
let cached: { at: number; atWork: boolean } | undefined;

/** This thread's /proc task folder (its run time, for whoever watches it from another thread of this process), or undefined where /proc does not say. */
export function ownTaskFolder(): string | undefined {
  const id = ownThreadId();
  return id === null ? undefined : `/proc/self/task/${id}`;
}

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

/** Whether another thread of this process, but the harness's own, is at work (a look up to CACHE_MS old). */
export function otherThreadsAtWork(): boolean {
  if (process.platform !== 'linux') return false;
  const now = performance.now();
  if (!cached || now - cached.at >= CACHE_MS) cached = { at: now, atWork: scan(false).atWork };
  return cached.atWork;
}

/** A fresh look at the other threads of this process, but the harness's own: at work now, and how long they have run. */
export function lookAtOtherThreads(): CandidateLook {
  if (process.platform !== 'linux') return NOTHING_SEEN;
  const look = scan(true);
  cached = { at: performance.now(), atWork: look.atWork };
  return look;
}

/** The default watch of a plug-in in this process. */
export const otherThreads: CandidateWatch = Object.freeze({ atWork: otherThreadsAtWork, look: lookAtOtherThreads });

function scan(withRunTime: boolean): CandidateLook {
  const own = ownThreadId();
  if (own === null) return NOTHING_SEEN;
  const harness = harnessThreads();
  let atWork = false;
  let ran = 0;
  for (const { id, fields: [state] } of procStats('/proc/self/task')) {
    if (id === own || harness.has(Number(id))) continue;
    if (state === 'R' || state === 'D') atWork = true;
    if (withRunTime) ran += ranNs(`/proc/self/task/${id}`);
  }
  return { atWork, ranNs: ran };
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
