/**
 * The fail-closed test of certifyInVitest decides on the report alone: nothing explored, or a verdict
 * withheld although no blocking rule failed (a required rule certify.ts would not accept as skipped),
 * must not look green; a verdict the failing rule tests already show adds nothing.
 */
import { expect, test } from 'vitest';
import { failClosedProblem } from '../../harness/vitest/rule-suite.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import { certifiedReport, notCertifiedReport } from '../report/sample-report.ts';

function withSkippedDl02(verdict: CertificationReport['verdict']): CertificationReport {
  const report = certifiedReport();
  return {
    ...report, verdict,
    rules: report.rules.map((rule) => rule.id === 'DL-02' ? { ...rule, status: 'skipped', cases: 0, reason: 'no generated scenario exercised this rule; raise --runs' } : rule),
  };
}

test('a certified report with scenarios is a pass', () => {
  expect(failClosedProblem(certifiedReport())).toBeUndefined();
});

test('zero scenarios is never a pass, whatever the verdict', () => {
  const report = certifiedReport();
  expect(failClosedProblem({ ...report, runs: 0, stats: { ...report.stats, scenarios: 0 } })).toBe('no scenario was run (runs: 0): nothing was certified');
});

test('a withheld verdict no failed rule explains names the skipped required rules and why', () => {
  expect(failClosedProblem(withSkippedDl02('not-certified'))).toBe(
    'the verdict is not-certified, though no blocking rule failed\n  - DL-02 was skipped: no generated scenario exercised this rule; raise --runs',
  );
  // The engine accepted the skip (a reason of the candidate's own): nothing to add.
  expect(failClosedProblem(withSkippedDl02('certified'))).toBeUndefined();
});

test('a blocking failure is shown by its rule test, not again', () => {
  expect(failClosedProblem(notCertifiedReport())).toBeUndefined();
});
