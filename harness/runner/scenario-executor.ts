/**
 * Executes and judges scenarios for one candidate. fast-check drives it twice: once over all
 * generated scenarios judging every rule on each (no scenario is generated per rule), then once per
 * failing rule to shrink that rule's first counterexample.
 */
import fc from 'fast-check';
import { scenarioTiming, searchTiming, type ScenarioTiming } from '../host/timing.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import type { Violation } from '../report/model.ts';
import { judgePluginScenario, type ScenarioJudgement } from '../rules/plugin-judge.ts';
import type { Scenario } from '../scenario/model.ts';
import { scenarioArbitrary } from '../scenario/scenario-arbitrary.ts';
import type { Trace } from '../trace/events.ts';
import { twinScenario, type TwinSpec } from '../rules/twins.ts';
import { attributeByCause, type AttributedCase, type Attribution } from './attribution.ts';
import { withoutTransactions } from '../scenario/without-transactions.ts';
import { exploreAll } from './explore.ts';
import { confirmedSearch } from './confirmed-search.ts';

export interface ExecutedScenario {
  scenario: Scenario;
  trace: Trace;
  judgement: ScenarioJudgement;
}

export interface ShrunkFailure {
  /** Set when the shrink budget, not the search, ended shrinking. */
  shrinkStopped?: string;
  rule: string;
  scenario: Scenario;
  trace: Trace;
  violations: Violation[];
  path: string;
  shrinks: number;
  /** Transactions (indices in the scenario at `path`) the deletion pass took out after fast-check's shrinking. */
  dropped?: number[];
}

/**
 * Shrinking stops looking for smaller cases once this budget is spent, keeping the smallest found.
 * The budget counts executions, a slow one (a call that timed out, a candidate stopped by force) as
 * SLOW_EXECUTION_COST of them, so the same seed shrinks to the same counterexample on any machine;
 * the wall-clock cap is only a safety net far above what the count allows.
 */
export const SHRINK_BUDGET: ShrinkBudget = { executions: 400, ms: 180_000, searchWindow: true };
/**
 * An out-of-process plug-in costs a child's round trips per execution: its shrinking gets a time
 * budget a certification can bear, and a report that says when the budget, not the search, ended it.
 * No search window: its owed window is its own (its timers are out of sight), and a confirming run
 * would be one more scenario in the life of its one child. Tried twice: a search with a 30 ms wire
 * window, confirmed with the full one, changed the attribution of a timing-dependent COM plug-in
 * (`shared-cookie.dll`: DL-04 and DL-10 instead of DL-04) in one clean-clone run of three.
 */
export const EXEC_SHRINK_BUDGET: ShrinkBudget = { executions: 400, ms: 15_000, totalMs: 25_000, searchWindow: false };

export interface ShrinkBudget {
  /** Executions per shrink, slow ones counted SLOW_EXECUTION_COST times. */
  executions: number;
  /** Wall-clock cap of one shrink. */
  ms: number;
  /** Wall-clock cap of all the shrinks of one certification together; none when absent. */
  totalMs?: number;
  /** Whether shrinking searches with searchTiming first, then confirms with the full window (ScenarioExecutor.shrink). */
  searchWindow: boolean;
}
const SLOW_EXECUTION_COST = 20;
/** Executions of the deletion pass after fast-check's shrinking (a few transactions, a pass or two). */
const DELETION_PASS_EXECUTIONS = 24;

export function executionCost(trace: Trace): number {
  const slow = trace.ended === 'hard-cap' || trace.events.some((event) => event.type === 'sandbox' || (event.type === 'return' && event.timedOut === true));
  return slow ? SLOW_EXECUTION_COST : 1;
}

export class ScenarioExecutor {
  readonly timing: ScenarioTiming;
  readonly arbitrary = scenarioArbitrary();
  /** Time spent shrinking so far, for the budget's total. */
  private shrinkingMs = 0;

  constructor(private readonly sandbox: Sandbox, timeoutMs: number, private readonly budget: ShrinkBudget = SHRINK_BUDGET) {
    this.timing = scenarioTiming(timeoutMs);
  }

  async execute(scenario: Scenario, onlyRule?: string, lane = 0, timing = this.timing): Promise<ExecutedScenario> {
    const trace = await this.sandbox.run(scenario, timing, lane);
    return { scenario, trace, judgement: judgePluginScenario(scenario, trace, onlyRule) };
  }

  /**
   * Runs `runs` generated scenarios on the sandbox's lanes; `visit` sees each executed one with its
   * run index, in run order, and ends the exploration by returning false. Skipped indices (other
   * shards) are not executed.
   */
  async explore(seed: number, runs: number, include: (runIndex: number) => boolean, visit: (runIndex: number, executed: ExecutedScenario) => boolean | void): Promise<void> {
    await exploreAll(this.arbitrary, seed, runs, include, this.sandbox.lanes ?? 1, (scenario, lane) => this.execute(scenario, undefined, lane), visit);
  }

  /**
   * Shrinks the failure of `rule` first seen at `runIndex` (same seed), to a minimal scenario. The
   * search runs with the short owed window of searchTiming, and its counterexample is confirmed with
   * the full window (confirmed-search.ts): a plug-in whose owed calls come late (work on the thread
   * pool, a loaded machine) is searched again with the full window. Only where the budget says so
   * (module candidates; see EXEC_SHRINK_BUDGET).
   */
  async shrink(seed: number, runs: number, rule: string, runIndex: number, lane = 0): Promise<ShrunkFailure | undefined> {
    const searchFully = () => this.checkRule(seed, runs, rule, String(runIndex), false, undefined, [], lane);
    if (!this.budget.searchWindow) return searchFully();
    return confirmedSearch(
      rule,
      () => this.checkRule(seed, runs, rule, String(runIndex), false, undefined, [], lane, searchTiming(this.timing)),
      (scenario) => this.execute(scenario, rule, lane),
      searchFully,
    );
  }

  /** Sandboxes side by side: exploration and shrinking spread over them. */
  get lanes(): number {
    return this.sandbox.lanes ?? 1;
  }

  /** Re-runs exactly the counterexample at `path` with `dropped` taken out (replay), or its twin when the failure was found on one. */
  async replay(seed: number, rule: string, path: string, twin?: TwinSpec, dropped: readonly number[] = []): Promise<ShrunkFailure | undefined> {
    return this.checkRule(seed, 1, rule, path, true, twin, dropped);
  }

  /** Which rule each context rule's failure belongs to, by running twins (harness/runner/attribution.ts). */
  attribute(failures: ReadonlyMap<string, AttributedCase>, firstFailure: ReadonlyMap<string, number>): Promise<Attribution> {
    return attributeByCause(failures, firstFailure, (scenario) => this.execute(scenario));
  }

  /**
   * The deletion pass: takes out each transaction (last first) whose absence keeps `rule` failing,
   * until none can go. Returns the smallest failing execution and the indices taken out of the
   * scenario fast-check's path gives.
   */
  private async deleteTransactions(
    failing: ExecutedScenario, rule: string, budgetLeft: () => boolean, spend: (cost: number) => void, lane: number, timing: ScenarioTiming,
  ): Promise<{ kept: ExecutedScenario; dropped: number[] }> {
    const generated = failing.scenario;
    let kept = failing;
    let remaining = generated.transactions.map((_tx, index) => index);
    for (let progress = true; progress && remaining.length > 1;) {
      progress = false;
      for (const index of [...remaining].reverse()) {
        if (!budgetLeft() || remaining.length === 1) break;
        const dropped = generated.transactions.map((_tx, i) => i).filter((i) => i === index || !remaining.includes(i));
        const executed = await this.execute(withoutTransactions(generated, dropped), rule, lane, timing);
        spend(executionCost(executed.trace));
        if (!executed.judgement.violations.has(rule)) continue;
        kept = executed;
        remaining = remaining.filter((i) => i !== index);
        progress = true;
      }
    }
    const dropped = generated.transactions.map((_tx, i) => i).filter((i) => !remaining.includes(i));
    return { kept, dropped };
  }

  private async checkRule(
    seed: number, runs: number, rule: string, path: string, endOnFailure: boolean, twin?: TwinSpec, dropped: readonly number[] = [], lane = 0, timing = this.timing,
  ): Promise<ShrunkFailure | undefined> {
    let last: ExecutedScenario | undefined;
    let executions = 0;
    const started = performance.now();
    let harnessError: { error: unknown } | undefined;
    let stoppedBy: 'executions' | 'time' | undefined;
    const property = fc.asyncProperty(this.arbitrary, async (scenario) => {
      if (harnessError) return true;
      // Past the budget, no smaller case is accepted: the smallest found so far stands.
      const elapsed = performance.now() - started;
      const outOfTime = elapsed > this.budget.ms || this.shrinkingMs + elapsed > (this.budget.totalMs ?? Infinity);
      if (!endOnFailure && last && (executions >= this.budget.executions || outOfTime)) {
        stoppedBy ??= executions >= this.budget.executions ? 'executions' : 'time';
        return true;
      }
      let executed: ExecutedScenario;
      try {
        const reduced = withoutTransactions(scenario, dropped);
        executed = await this.execute(twin ? twinScenario(reduced, twin) : reduced, rule, lane, timing);
      } catch (error) {
        harnessError = { error }; // never a "held" replay on a run that did not happen
        return true;
      }
      executions += executionCost(executed.trace);
      if (!executed.judgement.violations.has(rule)) return true;
      last = executed;
      return false;
    });
    const details = await fc.check(property, { seed, numRuns: runs, path, endOnFailure });
    if (harnessError) throw harnessError.error;
    let deleted: number[] = [];
    if (!endOnFailure && details.failed && last) {
      // A budget of its own: a search that spent fast-check's budget still loses its idle transactions.
      let passExecutions = 0;
      const passStarted = performance.now();
      const budgetLeft = () => passExecutions < DELETION_PASS_EXECUTIONS
        && performance.now() - passStarted < this.budget.ms && this.shrinkingMs + performance.now() - started < (this.budget.totalMs ?? Infinity) + this.budget.ms;
      const pass = await this.deleteTransactions(last, rule, budgetLeft, (cost) => { passExecutions += cost; }, lane, timing);
      last = pass.kept;
      deleted = pass.dropped;
    }
    if (!endOnFailure) this.shrinkingMs += performance.now() - started;
    if (!details.failed || !last || !details.counterexamplePath) return undefined;
    return {
      rule, scenario: last.scenario, trace: last.trace, violations: last.judgement.violations.get(rule)!,
      path: details.counterexamplePath, shrinks: details.numShrinks,
      ...(deleted.length > 0 ? { dropped: deleted } : dropped.length > 0 ? { dropped: [...dropped] } : {}),
      ...(stoppedBy ? { shrinkStopped: stoppedBy === 'time' ? `shrinking stopped when its time budget (${Math.round(this.budget.ms / 1000)} s${this.budget.totalMs ? `, ${Math.round(this.budget.totalMs / 1000)} s for all counterexamples` : ''}) ran out: this is the smallest counterexample found by then` : `shrinking stopped after its budget of ${this.budget.executions} executions: this is the smallest counterexample found by then` } : {}),
    };
  }
}
