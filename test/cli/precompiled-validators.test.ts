/**
 * The compiled package (dist/, built by the test run's globalSetup) validates reports and wire
 * messages with the standalone code scripts/build.mjs wrote; the sources compile the schemas at run
 * time. Both must give the same verdicts and the same messages.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import * as wireFromSources from '../../harness/adapters/stdio/wire-schema.ts';
import * as reportFromSources from '../../harness/report/validate-report.ts';
import { certifiedReport, notCertifiedReport } from './sample-reports.ts';

const dist = (path: string) => new URL(`../../dist/harness/${path}`, import.meta.url);
const reportFromDist = await import(dist('report/validate-report.js').href) as typeof reportFromSources;
const wireFromDist = await import(dist('adapters/stdio/wire-schema.js').href) as typeof wireFromSources;

/** What validateReport of one side says of a value: "valid", or the problems it lists. */
function reportVerdict(side: typeof reportFromSources, value: unknown): string | readonly string[] {
  try {
    side.validateReport(value);
    return 'valid';
  } catch (error) {
    return (error as { problems?: readonly string[] }).problems ?? String(error);
  }
}

const badReports: [string, unknown][] = [
  ['not an object', 42],
  ['an empty object', {}],
  ['a wrong verdict, an extra field, a bad date', { ...certifiedReport(), verdict: 'maybe', extra: true, startedAt: 'yesterday' }],
  ['no runs', { ...certifiedReport(), runs: 0 }],
  ['a failed rule without its failure', { ...notCertifiedReport(), rules: notCertifiedReport().rules.map((rule) => ({ ...rule, failure: undefined })) }],
];

const request = (method: string, params: unknown) => ({ jsonrpc: '2.0', id: 1, method, params });
const wireMessages: [string, unknown][] = [
  ['a good download', request('download', { cookie: 1, list: { transactionType: 2, containers: [] } })],
  ['a download with a negative cookie', request('download', { cookie: -1, list: { transactionType: 2, containers: [] } })],
  ['an unknown method', request('frobnicate', {})],
  ['a success response', { jsonrpc: '2.0', id: 1, result: { hr: 0 } }],
  ['no jsonrpc', { id: 1, result: {} }],
];

describe('precompiled validators', () => {
  test('the build wrote them beside the modules that load them', () => {
    expect(existsSync(fileURLToPath(dist('report/report-validator.cjs')))).toBe(true);
    expect(existsSync(fileURLToPath(dist('adapters/stdio/wire-validators.cjs')))).toBe(true);
  });

  test.each([['a certified report', certifiedReport()], ['a report with failures', notCertifiedReport()], ...badReports])('report: %s gets the same verdict', (_name, value) => {
    const fromSources = reportVerdict(reportFromSources, value);
    expect(reportVerdict(reportFromDist, value)).toEqual(fromSources);
  });

  test('the bad reports are bad (the comparison above compares problems, not two "valid"s)', () => {
    for (const [name, value] of badReports) expect(reportVerdict(reportFromSources, value), name).not.toBe('valid');
  });

  test.each(wireMessages)('wire: %s gets the same verdict from each check', (_name, message) => {
    const checks = (side: typeof wireFromSources) => [
      side.checkWireMessage(message),
      side.wireSchema.checkRequest(message),
      side.wireSchema.checkSuccessResponse(message),
      side.wireSchema.checkErrorResponse(message),
      side.wireSchema.checkResult('initialize', (message as { result?: unknown }).result),
      side.wireSchema.checkResult('downloadTrack', (message as { result?: unknown }).result),
    ];
    expect(checks(wireFromDist)).toEqual(checks(wireFromSources));
  });
});
