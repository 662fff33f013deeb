import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidReportError } from '../../harness/report/validate-report.ts';
import { writeReport } from '../../harness/report/write-report.ts';
import { notCertifiedReport } from './sample-reports.ts';

describe('writeReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmpcert-write-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes pretty report.json with a final newline, and every rendered file, into a new folder', async () => {
    const report = notCertifiedReport();
    const outDir = join(dir, 'reports', 'tiny');
    const written = await writeReport(report, outDir, { stepSummaryPath: null });
    expect(written.reportPath).toBe(join(outDir, 'report.json'));
    const text = await readFile(written.reportPath, 'utf8');
    expect(text).toBe(`${JSON.stringify(report, null, 2)}\n`);
    expect((await readdir(outDir)).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md']);
  });

  it('appends the summary to the CI step summary file', async () => {
    const stepSummaryPath = join(dir, 'step-summary.md');
    await writeFile(stepSummaryPath, 'earlier step\n');
    await writeReport(notCertifiedReport(), join(dir, 'out'), { stepSummaryPath });
    const summary = await readFile(stepSummaryPath, 'utf8');
    expect(summary.startsWith('earlier step\n')).toBe(true);
    expect(summary).toContain('NOT certified');
  });

  it('writes nothing when the report does not match the schema', async () => {
    const broken = { ...notCertifiedReport(), verdict: 'maybe' } as unknown as Parameters<typeof writeReport>[0];
    await expect(writeReport(broken, join(dir, 'out'), { stepSummaryPath: null })).rejects.toThrow(InvalidReportError);
    expect(await readdir(dir)).toEqual([]);
  });
});
