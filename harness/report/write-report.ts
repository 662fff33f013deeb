/**
 * Writes one certification to its folder: report.json (checked against the schema first, so a
 * malformed report is never published) and the files rendered from it for CI and people.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CertificationReport } from './model.ts';
import { validateReport } from './validate-report.ts';
import { writeFileAtomic } from './output-dir.ts';
import { renderJunit } from './junit.ts';
import { renderHtml } from './html.ts';
import { renderSummaryMarkdown } from './markdown.ts';

export interface WriteReportOptions {
  /** GitHub Actions' job summary file: summary.md is appended to it. Default $GITHUB_STEP_SUMMARY; null: none. */
  stepSummaryPath?: string | null;
}

export interface WrittenReport {
  /** Absolute path of report.json. */
  reportPath: string;
  /** Absolute paths of every file written, report.json first. */
  files: string[];
}

/** Every file rendered from report.json, one renderer each (contract §6). */
const RENDERED_FILES: readonly { fileName: string; render(report: CertificationReport): string }[] = [
  { fileName: 'junit.xml', render: renderJunit },
  { fileName: 'report.html', render: renderHtml },
  { fileName: 'summary.md', render: renderSummaryMarkdown },
];

export async function writeReport(
  report: CertificationReport,
  outDir: string,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  const json = `${JSON.stringify(report, null, 2)}\n`;
  // Validate what goes to disk (undefined members dropped, NaN turned to null), not the object in memory.
  validateReport(JSON.parse(json));
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  // report.json first: if a renderer fails, the result itself is still on disk.
  const reportPath = await writeFileAtomic(dir, 'report.json', json);
  const files = [reportPath];
  for (const { fileName, render } of RENDERED_FILES) files.push(await writeFileAtomic(dir, fileName, render(report)));
  const stepSummaryPath = options.stepSummaryPath === undefined ? process.env['GITHUB_STEP_SUMMARY'] : options.stepSummaryPath;
  if (stepSummaryPath) await appendFile(stepSummaryPath, `${renderSummaryMarkdown(report)}\n`);
  return { reportPath, files };
}
