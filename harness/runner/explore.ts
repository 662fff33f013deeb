/**
 * The exploration: every generated scenario of a seed executed once and visited in run order, on as
 * many lanes as the sandbox has. fast-check generates the scenarios one by one; the k-th scenario
 * this run includes is played on lane k mod lanes, after that lane's previous one. Results are
 * visited strictly in run order, so what the visitor sees (and decides) does not depend on which
 * lane finished first.
 */
import fc from 'fast-check';

/**
 * Runs `execute` on each of `runs` generated scenarios that `include` keeps and hands each result to
 * `visit` in run order; `visit` returning false ends the exploration (results after it are not
 * visited, and nothing more is started). An error of the harness (a sandbox that cannot load its
 * candidate, a bug of ours) ends the exploration and is thrown to the caller: fast-check would
 * otherwise count it as a failing case and carry on, and a run that explored nothing could look clean.
 */
export async function exploreAll<S, R>(
  arbitrary: fc.Arbitrary<S>, seed: number, runs: number, include: (runIndex: number) => boolean, lanes: number,
  execute: (scenario: S, lane: number) => Promise<R>,
  visit: (runIndex: number, result: R) => boolean | void,
): Promise<void> {
  const laneCount = Math.max(1, Math.floor(lanes));
  /** Each lane's scenario in flight: the next one on that lane waits for it. */
  const laneBusy: Promise<unknown>[] = Array.from({ length: laneCount }, () => Promise.resolve());
  const finished = new Map<number, R>();
  /** Run indices started, in order; `visited` of them have been visited. */
  const started: number[] = [];
  let visited = 0;
  let stopped = false;
  let harnessError: { error: unknown } | undefined;

  const visitInOrder = () => {
    while (!stopped && visited < started.length && finished.has(started[visited]!)) {
      const index = started[visited++]!;
      const result = finished.get(index)!;
      finished.delete(index);
      if (visit(index, result) === false) stopped = true;
    }
  };

  let runIndex = 0;
  const property = fc.asyncProperty(arbitrary, async (scenario) => {
    const index = runIndex++;
    if (stopped || harnessError || !include(index)) return true;
    const lane = started.length % laneCount;
    await laneBusy[lane];
    if (stopped || harnessError) return true;
    started.push(index);
    // Never rejected: a lane waiting on it would throw inside the property, and fast-check would shrink that.
    laneBusy[lane] = execute(scenario, lane)
      .then((result) => { finished.set(index, result); visitInOrder(); })
      .catch((error: unknown) => { harnessError ??= { error }; stopped = true; });
    return true;
  });
  await fc.check(property, { seed, numRuns: runs });
  await Promise.all(laneBusy);
  if (harnessError) throw harnessError.error;
}
