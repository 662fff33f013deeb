/**
 * A plug-in in this process that owes calls is not judged quiet while another thread of the process
 * is at work (harness/host/thread-state.ts): the thread pool's jobs show nowhere else; nor on the
 * turn after one ran: a short job that began and ended between two looks shows in their run time.
 */
import { pbkdf2 } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, test } from 'vitest';
import { pathToFileURL } from 'node:url';
import { harnessThreadRegistry, lookAtOtherThreads, otherThreadsAtWork } from '../../harness/host/thread-state.ts';

/** The compiled module (the test run builds dist/ first), for a worker to sign in with, as a sandbox's worker does. */
const COMPILED = pathToFileURL(new URL('../../dist/harness/host/thread-state.js', import.meta.url).pathname).href;

const workers: Worker[] = [];
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.terminate()));
});

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Looks until `want` is seen (GC helpers and the test runner's threads work now and then), for at most 2 s. */
async function seen(want: boolean): Promise<boolean> {
  for (const started = performance.now(); performance.now() - started < 2_000; await settle(3)) {
    if (otherThreadsAtWork() === want) return true;
  }
  return false;
}

describe.runIf(process.platform === 'linux')('otherThreadsAtWork', () => {
  test('a thread that spins is at work; once it is gone, nothing is', async () => {
    workers.push(new Worker('for (;;) {}', { eval: true }));
    await settle(200);
    expect(otherThreadsAtWork()).toBe(true);
    await workers.pop()!.terminate();
    // This thread runs as it asks: counted, it would keep the answer true.
    expect(await seen(false)).toBe(true);
  });

  test("a harness worker that spins is not counted: another certification's lane is not this plug-in's work", async () => {
    const code = `const { workerData, parentPort } = require('node:worker_threads');
      import(workerData.module).then(({ joinHarnessThreads }) => { joinHarnessThreads(workerData.threads); parentPort.postMessage('in'); for (;;) {} });`;
    const worker = new Worker(code, { eval: true, workerData: { module: COMPILED, threads: harnessThreadRegistry() } });
    workers.push(worker);
    await new Promise((resolve) => worker.once('message', resolve));
    await settle(100);
    expect(await seen(false)).toBe(true);
  });

  test('a job on the thread pool is at work while it runs', async () => {
    let done = false;
    // Long enough to be seen running several times over, on any machine.
    pbkdf2('secret', 'salt', 3_000_000, 32, 'sha256', () => { done = true; });
    expect(await seen(true)).toBe(true);
    expect(done).toBe(false);
    while (!done) await settle(10);
    expect(await seen(false)).toBe(true);
  }, 60_000);

  test("a short job that ran between two looks shows in the other threads' run time", async () => {
    const before = lookAtOtherThreads();
    await new Promise((resolve) => pbkdf2('secret', 'salt', 1, 32, 'sha256', resolve));
    const after = lookAtOtherThreads();
    expect(after.ranNs).toBeGreaterThan(before.ranNs);
  });
});
