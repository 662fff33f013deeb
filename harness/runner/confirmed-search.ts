/**
 * A shrinking search with a search's timing, and its counterexample confirmed with the full one
 * (the plug-in side's ScenarioExecutor and the player side's PropertyExecutor both shrink so). The
 * search only chooses which smaller scenario to try next; what is reported is a run with the full
 * timing that fails the rule, which also gives the reported trace. When the counterexample does not
 * fail again, the search is made again with the full timing throughout, as if the short one had
 * never been tried.
 */
import type { Violation } from '../report/model.ts';
import type { ScenarioJudgement } from '../rules/plugin-judge.ts';
import type { Trace } from '../trace/events.ts';

export async function confirmedSearch<F extends { scenario: unknown; trace: Trace; violations: Violation[] }>(
  rule: string,
  search: () => Promise<F | undefined>,
  runFully: (scenario: F['scenario']) => Promise<{ trace: Trace; judgement: ScenarioJudgement }>,
  searchFully: () => Promise<F | undefined>,
): Promise<F | undefined> {
  const searched = await search();
  if (searched) {
    const confirmed = await runFully(searched.scenario);
    const violations = confirmed.judgement.violations.get(rule);
    if (violations) return { ...searched, trace: confirmed.trace, violations };
  }
  return searchFully();
}
