/**
 * An out-of-process plug-in that owes calls is not judged quiet while any process of its group is
 * runnable (harness/sandbox/process-group-state.ts): one that computes is, one asleep is not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { processGroupRunnable } from '../../harness/sandbox/process-group-state.ts';

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

  test('no group, or one that is gone: not runnable', async () => {
    expect(processGroupRunnable(undefined)).toBe(false);
    expect(processGroupRunnable(2 ** 22 + 12345)).toBe(false);
  });
});
