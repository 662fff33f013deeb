import { describe, expect, it } from 'vitest';
import { InvalidReportError, validateReport } from '../../harness/report/validate-report.ts';
import { certifiedReport, notCertifiedReport } from './sample-reports.ts';

function problemsOf(value: unknown): readonly string[] {
  try {
    validateReport(value);
  } catch (error) {
    if (error instanceof InvalidReportError) return error.problems;
    throw error;
  }
  return [];
}

describe('validateReport', () => {
  it('accepts a minimal certified report', () => {
    expect(() => validateReport(certifiedReport())).not.toThrow();
  });

  it('accepts a failed rule with its counterexample and every kind of trace event', () => {
    expect(() => validateReport(notCertifiedReport())).not.toThrow();
  });

  it('lists every problem, each naming where it is and what was expected', () => {
    const report = { ...certifiedReport(), verdict: 'maybe', extra: true, startedAt: 'yesterday' } as Record<string, unknown>;
    delete report['seed'];
    expect(() => validateReport(report)).toThrow(InvalidReportError);
    expect(problemsOf(report)).toEqual(expect.arrayContaining([
      "report must have required property 'seed'",
      'report must NOT have additional properties: "extra"',
      'report/verdict must be equal to one of the allowed values: "certified", "not-certified"',
      'report/startedAt must match format "date-time"',
    ]));
  });

  it('says so in the error message too, one problem per line', () => {
    expect(() => validateReport({ ...certifiedReport(), runs: 0 })).toThrow(/report\/runs must be >= 1/);
  });

  it('requires a failure on a failed rule and refuses one on a passed rule', () => {
    const report = notCertifiedReport();
    const [passed, failed] = report.rules;
    const swapped = { ...report, rules: [{ ...passed!, failure: failed!.failure }, { ...failed!, failure: undefined }] };
    const problems = problemsOf(JSON.parse(JSON.stringify(swapped)));
    expect(problems).toContain('report/rules/0/failure is not allowed here');
    expect(problems).toContain("report/rules/1 must have required property 'failure'");
  });

  it('checks trace events by their type', () => {
    const report = notCertifiedReport();
    const trace = report.rules[1]!.failure!.trace as unknown[];
    trace.push({ type: 'call', seq: 9, at: 9, callId: 2, from: 'nobody', to: 'plugin', method: 'download' });
    trace.push({ type: 'teleport', seq: 10, at: 10 });
    const problems = problemsOf(report);
    expect(problems).toContain("report/rules/1/failure/trace/6 must have required property 'args'");
    expect(problems.some((line) => line.startsWith('report/rules/1/failure/trace/6/from must be equal to one of the allowed values'))).toBe(true);
    expect(problems.some((line) => line.startsWith('report/rules/1/failure/trace/7/type'))).toBe(true);
  });

  it('keeps a candidate hash to 64 lowercase hex digits', () => {
    const report = certifiedReport();
    expect(problemsOf({ ...report, candidate: { ...report.candidate, sha256: 'ABC' } }))
      .toEqual(['report/candidate/sha256 must match pattern "^[0-9a-f]{64}$"']);
  });
});
