/** Judges every plug-in rule on one scenario: the trace is analysed once, then each check reads it. */
import type { Violation } from '../report/model.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Trace } from '../trace/events.ts';
import { analyseDownloads, type DownloadAnalysis } from './download-analysis.ts';
import { DOWNLOAD_CHECKS } from './download-rules.ts';
import { LIFECYCLE_CHECKS } from './lifecycle-rules.ts';
import { WIRE_CHECKS } from './wire-rules.ts';
import { FLOW_CHECKS } from './flow-rules.ts';
import type { RuleCheck } from './rule-check.ts';

export const PLUGIN_CHECKS: readonly RuleCheck<DownloadAnalysis>[] = [...DOWNLOAD_CHECKS, ...LIFECYCLE_CHECKS, ...FLOW_CHECKS, ...WIRE_CHECKS];

/** The rule that judges a scenario the sandbox had to stop. */
const STOPPED_RULE = 'DL-16';

export interface ScenarioJudgement {
  /** Rules this scenario exercised. */
  applied: Set<string>;
  /** Violations per rule (only rules with at least one). */
  violations: Map<string, Violation[]>;
}

export function judgePluginScenario(scenario: Scenario, trace: Trace, only?: string): ScenarioJudgement {
  const analysis = analyseDownloads(scenario, trace.events);
  // When the sandbox had to stop the candidate, the rest of the trace is cut short: only that is judged.
  const stopped = trace.events.some((event) => event.type === 'sandbox');
  const applied = new Set<string>();
  const violations = new Map<string, Violation[]>();
  for (const rule of PLUGIN_CHECKS) {
    if (only !== undefined && rule.id !== only) continue;
    if (stopped && rule.id !== STOPPED_RULE && rule.id !== 'WR-01') continue;
    if (!rule.applies(analysis)) continue;
    applied.add(rule.id);
    const found = rule.check(analysis);
    if (found.length > 0) violations.set(rule.id, found);
  }
  return { applied, violations };
}
