/** Judges every Player rule on one probe scenario: the trace is analysed once, then each check reads it. */
import type { Violation } from '../report/model.ts';
import type { ScenarioJudgement } from '../rules/plugin-judge.ts';
import type { Trace } from '../trace/events.ts';
import { analysePlayer } from './player-analysis.ts';
import { PLAYER_CHECKS, STOPPED_PLAYER_RULE } from './player-rules.ts';
import type { ProbeScenario } from './probe-model.ts';

export function judgePlayerScenario(scenario: ProbeScenario, trace: Trace, only?: string): ScenarioJudgement {
  const analysis = analysePlayer(scenario, trace.events);
  // When the sandbox had to stop the player, the rest of the trace is cut short: only that is judged.
  const stopped = trace.events.some((event) => event.type === 'sandbox');
  const applied = new Set<string>();
  const violations = new Map<string, Violation[]>();
  for (const rule of PLAYER_CHECKS) {
    if (only !== undefined && rule.id !== only) continue;
    if (stopped && rule.id !== STOPPED_PLAYER_RULE) continue;
    if (!rule.applies(analysis)) continue;
    applied.add(rule.id);
    const found = rule.check(analysis);
    if (found.length > 0) violations.set(rule.id, found);
  }
  return { applied, violations };
}
