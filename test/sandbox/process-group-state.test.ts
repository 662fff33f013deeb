/**
 * An out-of-process plug-in that owes calls is not judged quiet while any process of its group is
 * runnable (harness/sandbox/process-group-state.ts): one that computes is, one asleep is not; and one
 * that ran since the last look, however briefly, shows it in its run time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { lookAtProcessGroup, processGroupRunnable } from '../../harness/sandbox/process-group-state.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
});

/** A shell in a group of its own running `script` in Node, as the exec sandbox starts a plug-in. */
function startGroup(script: string): number {
  const child = spawn(`"${process.execPath}" -e "${script}"`, { shell: true, detached: true, stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(process.platform === 'linux')('processGroupRunnable', () => {
  test('a group whose Node process spins is runnable; one whose process sleeps is not', async () => {
    const spinning = startGroup('for (;;) {}');
    const sleeping = startGroup('setTimeout(() => {}, 60000)');
    await settle(500);
    expect(processGroupRunnable(spinning)).toBe(true);
    await settle(10); // past the cache of the last answer
    expect(processGroupRunnable(sleeping)).toBe(false);
  });

  test("a group's run time grows when one of its processes runs, and only then", async () => {
    // Wakes every 300 ms for a moment, asleep in between.
    const waking = startGroup('setInterval(() => {}, 300)');
    await settle(500);
    const first = lookAtProcessGroup(waking);
    expect(first.ranNs).toBeGreaterThan(0);
    await settle(700);
    expect(lookAtProcessGroup(waking).ranNs).toBeGreaterThan(first.ranNs);
    // Once it has started (on a loaded machine that takes a while), a process asleep stays still.
    const sleeping = startGroup('setTimeout(() => {}, 60000)');
    let still = false;
    for (const started = performance.now(); !still && performance.now() - started < 10_000;) {
      const before = lookAtProcessGroup(sleeping).ranNs;
      await settle(50);
      still = lookAtProcessGroup(sleeping).ranNs === before;
    }
    expect(still).toBe(true);
  });

  test('no group, or one that is gone: not runnable', async () => {
    expect(processGroupRunnable(undefined)).toBe(false);
    expect(processGroupRunnable(2 ** 22 + 12345)).toBe(false);
  });
});
