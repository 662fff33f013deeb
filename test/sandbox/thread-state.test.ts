/**
 * A plug-in in this process that owes calls is not judged quiet while another thread of the process
 * is at work (harness/host/thread-state.ts): the thread pool's jobs show nowhere else.
 */
import { pbkdf2 } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, test } from 'vitest';
import { otherThreadsAtWork } from '../../harness/host/thread-state.ts';

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

  test('a job on the thread pool is at work while it runs', async () => {
    let done = false;
    // Long enough to be seen running several times over, on any machine.
    pbkdf2('secret', 'salt', 3_000_000, 32, 'sha256', () => { done = true; });
    expect(await seen(true)).toBe(true);
    expect(done).toBe(false);
    while (!done) await settle(10);
    expect(await seen(false)).toBe(true);
  }, 60_000);
});
