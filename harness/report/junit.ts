/**
 * junit.xml: the certification organised by rule (one testsuite per rule family, one testcase per
 * rule), for CI systems that show JUnit results. Hand-written XML rather than a builder library:
 * the builders we tried strip NUL, ESC and lone surrogates silently, while every string here goes
 * through escape.ts, which keeps them as visible `\uXXXX`. The output is well-formed for any input.
 */
import type { CertificationReport, RuleResult } from './model.ts';
import type { RuleFamily } from '../rules/catalog.ts';
import { FAMILY_TITLES } from '../rules/catalog.ts';
import { escapeXml, escapeXmlAttribute } from './escape.ts';
import {
  describeCandidate, describeCounterexample, describeViolation, prettyJson, requestersOf, traceLine,
} from './describe.ts';

type Attributes = Record<string, string | number>;

function attributes(attrs: Attributes): string {
  return Object.entries(attrs).map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`).join('');
}

/** The model has no per-rule timing, so testcases report 0 s; the run's duration is on <testsuites>. */
const RULE_SECONDS = 0;

function counts(rules: readonly RuleResult[]): Attributes {
  return {
    tests: rules.length,
    failures: rules.filter((rule) => rule.status === 'failed').length,
    errors: 0,
    skipped: rules.filter((rule) => rule.status === 'skipped').length,
  };
}

/** Rules grouped by family, families in the order the report first lists them. */
function byFamily(rules: readonly RuleResult[]): Map<RuleFamily, RuleResult[]> {
  const groups = new Map<RuleFamily, RuleResult[]>();
  for (const rule of rules) {
    const group = groups.get(rule.family);
    if (group) group.push(rule);
    else groups.set(rule.family, [rule]);
  }
  return groups;
}

function properties(report: CertificationReport): string[] {
  const entries: [string, string | number][] = [
    ['seed', report.seed],
    ['runs', report.runs],
    ['candidate', describeCandidate(report)],
    ['candidate.kind', report.candidate.kind],
    ['candidate.source', report.candidate.source],
    ['candidate.sha256', report.candidate.sha256],
    ...(report.candidate.dll ? [['candidate.clsid', report.candidate.dll.clsid] as [string, string]] : []),
    ['verdict', report.verdict],
    ['level', report.level],
    ['wmpcert.version', report.tool.version],
    ...report.notes.map((note): [string, string] => ['note', note]),
  ];
  return [
    '    <properties>',
    ...entries.map(([name, value]) => `      <property${attributes({ name, value })}/>`),
    '    </properties>',
  ];
}

/** The body of a <failure>: everything needed to understand and reproduce it without the HTML. */
function failureText(report: CertificationReport, rule: RuleResult): string {
  const failure = rule.failure;
  const lines: string[] = [];
  if (rule.level === 'recommended') {
    lines.push(report.blockingFailures.includes(rule.id)
      ? 'Recommended rule, blocking because the run used --level recommended.'
      : 'Recommended rule: reported, does not block certification.');
  }
  if (!failure) return [...lines, 'No failure details were recorded.'].join('\n');
  const requesters = requestersOf(failure.trace);
  const evidence = new Set(failure.violations.flatMap((violation) => violation.events));
  lines.push(
    failure.message,
    '',
    `Violations (${failure.violations.length}):`,
    ...failure.violations.map((violation) => `  - ${describeViolation(violation)}`),
    '',
    `Counterexample (${describeCounterexample(failure)}):`,
    prettyJson(failure.counterexample.scenario),
    '',
    `Replay: ${failure.replay}`,
    '',
    `Trace (${failure.trace.length} events, * = evidence):`,
    ...failure.trace.map((event) => `${evidence.has(event.seq) ? '*' : ' '} ${traceLine(event, requesters)}`),
  );
  return lines.join('\n');
}

function testcase(report: CertificationReport, rule: RuleResult): string[] {
  const open = `    <testcase${attributes({ classname: rule.family, name: `${rule.id} ${rule.statement}`, time: RULE_SECONDS })}`;
  switch (rule.status) {
    case 'passed':
      return [`${open}/>`];
    case 'skipped':
      return [`${open}>`, `      <skipped${attributes({ message: rule.reason ?? 'not judged' })}/>`, '    </testcase>'];
    case 'failed':
      // type is the rule's level. A failed recommended rule is listed as a failure so CI shows it,
      // but type="recommended" marks that it does not block certification (unless --level
      // recommended was used; the text says which). The verdict property is authoritative.
      return [
        `${open}>`,
        `      <failure${attributes({ message: rule.failure?.message ?? 'failed', type: rule.level })}>`
          + `${escapeXml(failureText(report, rule))}</failure>`,
        '    </testcase>',
      ];
  }
}

export function renderJunit(report: CertificationReport): string {
  const seconds = (report.durationMs / 1000).toFixed(3);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'wmpcert', ...counts(report.rules), time: seconds })}>`,
  ];
  for (const [family, rules] of byFamily(report.rules)) {
    const title = FAMILY_TITLES[family] ?? family;
    lines.push(
      `  <testsuite${attributes({ name: `${family} — ${title}`, ...counts(rules), time: RULE_SECONDS, timestamp: report.startedAt })}>`,
      ...properties(report),
      ...rules.flatMap((rule) => testcase(report, rule)),
      '  </testsuite>',
    );
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
