/**
 * The verdict, computed from what ran (fail closed): `certified` needs scenarios that really ran, no
 * blocking failure, and every blocking rule judged, or skipped for a reason of the candidate's own
 * (an optional method it lacks) or because another shard judges it. A rule skipped for a reason of
 * the machine (no browser) or of the run (no scenario exercised it) leaves the run not certified:
 * nothing vouches for it.
 */
import type { RuleLevel } from '../rules/catalog.ts';
import type { RuleResult, SkipCause, Verdict } from './model.ts';

/** Skip causes that do not stand in the way of a certificate. */
const ACCEPTED_SKIPS: ReadonlySet<SkipCause> = new Set<SkipCause>(['candidate', 'other-shard']);
const SHARD_ACCEPTED_SKIPS: ReadonlySet<SkipCause> = new Set<SkipCause>([...ACCEPTED_SKIPS, 'coverage']);

export interface VerdictDecision {
  verdict: Verdict;
  /** Blocking rules that failed. */
  blockingFailures: string[];
  /** Blocking rules that were not judged, for a reason that is not the candidate's. */
  unjudged: string[];
}

export function blocks(rule: Pick<RuleResult, 'level'>, level: RuleLevel): boolean {
  return rule.level === 'required' || level === 'recommended';
}

/**
 * `scenariosRun` of `scenariosPlanned`: fewer than planned (exploration cut short) or none at all is
 * never certified.
 */
export function decideVerdict(
  rules: readonly RuleResult[], level: RuleLevel, scenariosRun: number, scenariosPlanned: number, part: 'whole' | 'shard' = 'whole',
): VerdictDecision {
  // A shard's verdict is about its own part: a rule none of its scenarios exercised may be judged by
  // another shard, and the merge, which sees them all, fails closed on a rule no shard judged.
  const accepted = part === 'shard' ? SHARD_ACCEPTED_SKIPS : ACCEPTED_SKIPS;
  const blocking = rules.filter((rule) => blocks(rule, level));
  const blockingFailures = blocking.filter((rule) => rule.status === 'failed').map((rule) => rule.id);
  const unjudged = blocking
    .filter((rule) => rule.status === 'skipped' && !accepted.has(rule.skipCause ?? 'coverage'))
    .map((rule) => rule.id);
  const ran = scenariosRun > 0 && scenariosRun >= scenariosPlanned;
  const certified = ran && blockingFailures.length === 0 && unjudged.length === 0;
  return { verdict: certified ? 'certified' : 'not-certified', blockingFailures, unjudged };
}
