import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { RequestDeadlines } from '../../harness/adapters/stdio/request-deadlines.ts';

describe('RequestDeadlines', () => {
  // The clock is faked (timers and performance.now alike), so "when" is exact on any machine.
  beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }); });
  afterEach(() => { vi.useRealTimers(); });
  const delay = (ms: number) => vi.advanceTimersByTime(ms);

  test('expires each request once, in deadline order, and never one deleted before its deadline', async () => {
    const expired: number[] = [];
    const deadlines = new RequestDeadlines(id => expired.push(id));
    deadlines.add(1, 400);
    deadlines.add(2, 40); // sooner than the timer already set: it must be re-armed
    deadlines.add(3, 120);
    deadlines.add(4, 80);
    deadlines.delete(4);
    delay(250);
    expect(expired).toEqual([2, 3]);
    delay(400);
    expect(expired).toEqual([2, 3, 1]);
    deadlines.add(5, 30); // the timer was spent: a new deadline arms it again
    delay(200);
    expect(expired).toEqual([2, 3, 1, 5]);
  });

  test('clear forgets every deadline', async () => {
    const expired: number[] = [];
    const deadlines = new RequestDeadlines(id => expired.push(id));
    deadlines.add(1, 30);
    deadlines.clear();
    delay(120);
    expect(expired).toEqual([]);
  });

  test('keeps the process alive while a request is pending, and not once none is', () => {
    vi.useRealTimers();
    const module = fileURLToPath(new URL('../../harness/adapters/stdio/request-deadlines.ts', import.meta.url));
    // A process still running after a minute counts as held alive: execFileSync throws.
    const run = (script: string) => execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
      `import { RequestDeadlines } from ${JSON.stringify(module)};\n${script}`], { encoding: 'utf8', timeout: 60_000 });
    // Answered at once: a 10-minute deadline must not hold the process (it would outlast run's limit).
    expect(run(`const d = new RequestDeadlines(() => {}); d.add(1, 600000); d.delete(1); console.log('done');`)).toBe('done\n');
    // Still pending: the process waits for the deadline, and the request expires.
    expect(run(`const d = new RequestDeadlines((id) => console.log('expired', id)); d.add(7, 300);`)).toBe('expired 7\n');
  });
});
