/** A rule's check: a predicate over one scenario's analysed trace that yields violations with evidence. */
import type { Violation } from '../report/model.ts';

export interface RuleCheck<Analysis> {
  id: string;
  /** Whether this scenario exercised the rule at all (counted as a case). */
  applies(analysis: Analysis): boolean;
  check(analysis: Analysis): Violation[];
}

/** A finding before it is attributed to a rule: shared by rules that judge the same thing in different contexts. */
export interface Finding { message: string; events: number[]; cookie?: number; trackId?: number }

export function asViolations(rule: string, findings: Finding[]): Violation[] {
  return findings.map((finding) => ({ rule, ...finding }));
}
