/**
 * Executes and judges generated scenarios of any kind, the way the plug-in side's ScenarioExecutor
 * does: fast-check drives it once over all generated scenarios judging every rule on each, then once
 * per failing rule to shrink that rule's first counterexample, and replays a counterexample from its
 * seed and path. Only the arbitrary and the run-and-judge function differ between sides.
 */
import fc from 'fast-check';
import type { Violation } from '../report/model.ts';
import type { ScenarioJudgement } from '../rules/plugin-judge.ts';
import { SHRINK_BUDGET, executionCost } from '../runner/scenario-executor.ts';
import { exploreAll } from '../runner/explore.ts';
import { confirmedSearch } from '../runner/confirmed-search.ts';
import type { Trace } from '../trace/events.ts';

export interface Executed<S> {
  scenario: S;
  trace: Trace;
  judgement: ScenarioJudgement;
}

export interface Shrunk<S> {
  rule: string;
  scenario: S;
  trace: Trace;
  violations: Violation[];
  path: string;
  shrinks: number;
}

/**
 * Runs one scenario (on `lane` of the sandbox, 0 when absent) and judges it (every rule, or only
 * `onlyRule` while shrinking); `search` runs it with a shrinking search's timing (host/timing.ts).
 */
export type RunAndJudge<S> = (scenario: S, onlyRule?: string, lane?: number, search?: boolean) => Promise<Executed<S>>;

export class PropertyExecutor<S> {
  constructor(
    readonly arbitrary: fc.Arbitrary<S>,
    private readonly runAndJudge: RunAndJudge<S>,
    private readonly budget: { executions: number; ms: number; searchWindow: boolean } = SHRINK_BUDGET,
    /** Scenarios the exploration plays at once (the sandbox's lanes). */
    readonly lanes = 1,
  ) {}

  execute(scenario: S, onlyRule?: string): Promise<Executed<S>> {
    return this.runAndJudge(scenario, onlyRule);
  }

  /** Runs `runs` generated scenarios on the lanes; `visit` sees each executed one with its run index, in run order, and ends the exploration by returning false. Skipped indices (other shards) are not executed. */
  async explore(seed: number, runs: number, include: (runIndex: number) => boolean, visit: (runIndex: number, executed: Executed<S>) => boolean | void): Promise<void> {
    await exploreAll(this.arbitrary, seed, runs, include, this.lanes, (scenario, lane) => this.runAndJudge(scenario, undefined, lane), visit);
  }

  /**
   * Shrinks the failure of `rule` first seen at `runIndex` (same seed), to a minimal scenario. As on
   * the plug-in side, the search runs with a search's timing (a silent thread is blocked sooner) and
   * its counterexample is confirmed with the full timing (runner/confirmed-search.ts).
   */
  shrink(seed: number, runs: number, rule: string, runIndex: number, lane = 0): Promise<Shrunk<S> | undefined> {
    const searchFully = () => this.checkRule(seed, runs, rule, String(runIndex), false, lane);
    if (!this.budget.searchWindow) return searchFully();
    return confirmedSearch(
      rule,
      () => this.checkRule(seed, runs, rule, String(runIndex), false, lane, true),
      (scenario) => this.runAndJudge(scenario, rule, lane),
      searchFully,
    );
  }

  /** Re-runs exactly the counterexample at `path` (replay). */
  replay(seed: number, rule: string, path: string): Promise<Shrunk<S> | undefined> {
    return this.checkRule(seed, 1, rule, path, true);
  }

  private async checkRule(seed: number, runs: number, rule: string, path: string, endOnFailure: boolean, lane = 0, search = false): Promise<Shrunk<S> | undefined> {
    let last: Executed<S> | undefined;
    let executions = 0;
    const started = performance.now();
    const property = fc.asyncProperty(this.arbitrary, async (scenario) => {
      // Past the budget, no smaller case is accepted: the smallest found so far stands.
      if (!endOnFailure && last && (executions >= this.budget.executions || performance.now() - started > this.budget.ms)) return true;
      const executed = await this.runAndJudge(scenario, rule, lane, search);
      // A player stopped by force costs what a plug-in does (see SHRINK_BUDGET): the budget stays a count.
      executions += executionCost(executed.trace);
      if (!executed.judgement.violations.has(rule)) return true;
      last = executed;
      return false;
    });
    const details = await fc.check(property, { seed, numRuns: runs, path, endOnFailure });
    if (!details.failed || !last || !details.counterexamplePath) return undefined;
    return {
      rule, scenario: last.scenario, trace: last.trace, violations: last.judgement.violations.get(rule)!,
      path: details.counterexamplePath, shrinks: details.numShrinks,
    };
  }
}
