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

/** What a flatMapAll callback returns for an item with nothing to report: one shared empty array, not a new one for each of a million events. */
export const NONE: readonly never[] = Object.freeze([]);

/**
 * `items.flatMap(each)` for callbacks that return arrays (mostly empty ones), in order, without the
 * cost of V8's flatMap: about 5 times slower per element, over the million events of a big trace.
 */
export function flatMapAll<T, R>(items: readonly T[], each: (item: T) => readonly R[]): R[] {
  const all: R[] = [];
  for (let index = 0; index < items.length; index++) {
    const found = each(items[index]!);
    for (let at = 0; at < found.length; at++) all.push(found[at]!);
  }
  return all;
}
