/**
 * EX-03 claims a failure of the discovery page's download only when the certification's own
 * downloads did not show it (decision 10 of the rule catalog: one bug, one rule): when every DL rule
 * its violations name ("… — DL-02: …") failed too, the bug is reported under those rules, which note
 * that the page showed it as well. Applied to a whole list of rule results, so a certification and
 * a merge of its shards decide alike.
 */
import type { RuleResult, Violation } from './model.ts';

const PAGE_RULE = 'EX-03';

/** The DL rules an EX-03 violation names. */
function rulesNamedBy(violations: readonly Violation[]): string[] {
  return [...new Set(violations.flatMap((violation) => /— ([A-Z]{2}-[0-9]{2}): /.exec(violation.message)?.[1] ?? []))];
}

export function attributePageFailure(rules: readonly RuleResult[]): RuleResult[] {
  const page = rules.find((rule) => rule.id === PAGE_RULE && rule.status === 'failed');
  if (!page?.failure) return [...rules];
  const named = rulesNamedBy(page.failure.violations);
  const failed = (id: string) => rules.some((rule) => rule.id === id && rule.status === 'failed');
  if (named.length === 0 || !named.every(failed)) return [...rules];
  const where = page.failure.counterexample.path;
  return rules.map((rule): RuleResult => {
    if (rule === page) {
      return {
        id: rule.id, family: rule.family, level: rule.level, statement: rule.statement, cases: rule.cases, status: 'passed',
        attribution: [`the page's download ${where} failed ${named.join(', ')}, as the certification's own downloads did: the failure is reported there, not here`],
      };
    }
    if (!named.includes(rule.id)) return rule;
    const note = `also seen from the discovery page (${where})`;
    return (rule.attribution ?? []).includes(note) ? rule : { ...rule, attribution: [...(rule.attribution ?? []), note] };
  });
}
