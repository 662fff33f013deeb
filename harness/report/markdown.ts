/**
 * summary.md: the short CI job summary (e.g. $GITHUB_STEP_SUMMARY). Markdown renderers there accept
 * raw HTML, so every string from the report goes through escapeMarkdown, which leaves no `<` at
 * all; replay commands go in fenced code blocks, whose content is literal.
 */
import type { CertificationReport, RuleResult } from './model.ts';
import { escapeMarkdown, visibleText } from './escape.ts';
import { describeCandidate, formatDuration, ruleCounts, summaryLine } from './describe.ts';

/** A fenced code block that its content cannot close: the fence is longer than any backtick run in it. */
export function fencedBlock(content: string): string {
  const text = visibleText(content);
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}\n${text}\n${fence}`;
}

function levelCell(report: CertificationReport, rule: RuleResult): string {
  if (rule.level === 'required' || report.blockingFailures.includes(rule.id)) return escapeMarkdown(rule.level);
  return `${escapeMarkdown(rule.level)} (does not block)`;
}

export function renderSummaryMarkdown(report: CertificationReport): string {
  const certified = report.verdict === 'certified';
  const lines = [
    certified ? '**wmpcert: certified**' : '**wmpcert: NOT certified**',
    '',
    `Candidate: ${escapeMarkdown(describeCandidate(report))} (${escapeMarkdown(report.candidate.kind)}), `
      + `seed ${report.seed}, ${report.runs} runs, ${formatDuration(report.durationMs)}`,
    '',
    ...(report.candidate.dll
      ? [`COM DLL: ${escapeMarkdown(report.candidate.source)}, CLSID ${escapeMarkdown(report.candidate.dll.clsid)}, sha256 ${report.candidate.sha256}`, '']
      : []),
  ];
  const failed = report.rules.filter((rule) => rule.status === 'failed');
  const unjudged = report.rules.filter((rule) => report.unjudged?.includes(rule.id));
  if (unjudged.length > 0) {
    lines.push('Not judged, so not certified:', '', ...unjudged.map((rule) => `- ${escapeMarkdown(rule.id)}: ${escapeMarkdown(rule.reason ?? 'not judged')}`), '');
  }
  if (failed.length === 0) {
    const c = ruleCounts(report);
    lines.push(c.skipped === 0
      ? `All ${c.total} rules passed (${c.passed} passed, 0 failed, 0 skipped).`
      : `Every judged rule passed: ${escapeMarkdown(summaryLine(report))}.`);
    return lines.join('\n') + '\n';
  }
  lines.push(
    `${escapeMarkdown(summaryLine(report))}.`,
    '',
    '| Rule | Level | Message |',
    '|---|---|---|',
    ...failed.map((rule) =>
      `| ${escapeMarkdown(rule.id)} | ${levelCell(report, rule)} | ${escapeMarkdown(rule.failure?.message ?? 'failed')} |`),
  );
  for (const rule of failed) {
    if (!rule.failure) continue;
    lines.push('', `Replay ${escapeMarkdown(rule.id)}:`, '', fencedBlock(rule.failure.replay));
    for (const note of rule.attribution ?? []) lines.push('', `${escapeMarkdown(rule.id)}: ${escapeMarkdown(note)}`);
  }
  return lines.join('\n') + '\n';
}
