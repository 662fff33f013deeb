/**
 * The player side shrinks as the plug-in side does (test/runner/search-window.test.ts): a search with
 * a search's timing, whose counterexample is reported only once the full timing fails it too. Here a
 * made-up "player" whose failure needs a bigger scenario under the full timing than under the
 * search's: the reported counterexample is always one the full timing fails.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PropertyExecutor, type RunAndJudge } from '../../harness/player/property-executor.ts';
import type { Violation } from '../../harness/report/model.ts';

/** Fails rule X on a scenario of `n` tracks from `searchFrom` tracks with a search's timing, from `fullFrom` with the full one. */
function thresholds(searchFrom: number, fullFrom: number) {
  const runs: { n: number; search: boolean }[] = [];
  const runAndJudge: RunAndJudge<number> = async (n, _rule, _lane, search = false) => {
    runs.push({ n, search });
    const fails = n >= (search ? searchFrom : fullFrom);
    const violations = new Map<string, Violation[]>(fails ? [['X', [{ rule: 'X', message: `${n} tracks, search ${search}`, events: [] }]]] : []);
    return { scenario: n, trace: { events: [], ended: 'settled', durationMs: 0 }, judgement: { applied: new Set(['X']), violations } };
  };
  return { runs, executor: new PropertyExecutor(fc.integer({ min: 0, max: 1_000 }), runAndJudge) };
}

/** Explores until the first failure under the full timing, then shrinks it: what shrinking ran, and what it reported. */
async function shrinkFirstFailure(searchFrom: number, fullFrom: number) {
  const { runs, executor } = thresholds(searchFrom, fullFrom);
  let first = -1;
  await executor.explore(7, 100, () => true, (run, executed) => {
    if (executed.judgement.violations.has('X')) first = run;
    return first < 0;
  });
  expect(first).toBeGreaterThanOrEqual(0);
  runs.length = 0;
  return { runs, shrunk: await executor.shrink(7, 100, 'X', first) };
}

describe('PropertyExecutor.shrink', () => {
  test('the search shrinks with the search timing; its counterexample is confirmed with the full one', async () => {
    const { runs, shrunk } = await shrinkFirstFailure(200, 200);
    expect(shrunk?.scenario).toBe(200);
    expect(shrunk?.violations[0]?.message).toBe('200 tracks, search false');
    // Every step of the search but the last run, the confirmation, had the search's timing.
    expect(runs.slice(0, -1).every((each) => each.search)).toBe(true);
    expect(runs.at(-1)).toEqual({ n: 200, search: false });
  });

  test('a search counterexample the full timing does not fail is never reported: the search is made again in full', async () => {
    const { runs, shrunk } = await shrinkFirstFailure(100, 300);
    expect(shrunk?.scenario).toBe(300);
    expect(shrunk?.violations[0]?.message).toBe('300 tracks, search false');
    expect(runs.some((each) => each.search && each.n === 100)).toBe(true);
  });
});
