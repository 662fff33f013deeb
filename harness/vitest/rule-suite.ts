/**
 * Turns a certification's rule results into vitest tests: one test per rule, named by its ID and
 * statement, grouped by family. A blocking failure fails the test with the counterexample and the
 * replay command; a skipped rule is skipped with its reason; a non-blocking (recommended) failure
 * passes with an annotation, as the catalog's levels say.
 */
import { describe, test } from 'vitest';
import { FAMILY_TITLES, RULES, type CandidateSide, type RuleFamily } from '../rules/catalog.ts';
import type { CertificationReport, RuleResult } from '../report/model.ts';

export class RuleFailedError extends Error {
  constructor(result: RuleResult) {
    const failure = result.failure!;
    const counterexample = failure.counterexample;
    const evidence = failure.violations.slice(0, 5).map((violation) => `  - ${violation.message}`).join('\n');
    super([
      `${result.id} failed: ${failure.message}`,
      evidence,
      `counterexample (seed ${counterexample.seed}, path ${counterexample.path}): ${counterexample.tracks} track(s), ${counterexample.transactions} transaction(s), shrunk ${counterexample.shrinks} time(s)`,
      `replay: ${failure.replay}`,
    ].filter(Boolean).join('\n'));
    this.name = 'RuleFailedError';
  }
}

function blocks(report: CertificationReport, result: RuleResult): boolean {
  return result.level === 'required' || report.level === 'recommended';
}

export function describeRuleFamily(family: RuleFamily, side: CandidateSide, report: () => Promise<CertificationReport>): void {
  describe(`${family} — ${FAMILY_TITLES[family]}`, () => {
    for (const rule of RULES.filter((each) => each.family === family && each.side === side)) {
      test(`${rule.id} ${rule.statement}`, async (context) => {
        const certification = await report();
        const result = certification.rules.find((each) => each.id === rule.id);
        if (!result) throw new Error(`${rule.id} has no result in this certification`);
        if (result.status === 'skipped') return context.skip(result.reason ?? 'not exercised');
        if (result.status === 'failed') {
          if (blocks(certification, result)) throw new RuleFailedError(result);
          await context.annotate(`${rule.id} (recommended) failed: ${result.failure?.message ?? ''}`, 'warning');
        }
      });
    }
  });
}

/**
 * Why a certification that no rule test fails is still not a pass (fail closed): nothing was
 * explored, or the verdict withholds certification for a reason no failed rule shows (certify.ts
 * decides which skipped required rules count). Undefined when the rule tests tell the whole story.
 */
export function failClosedProblem(report: CertificationReport): string | undefined {
  if (report.stats.scenarios === 0) return `no scenario was run (runs: ${report.runs}): nothing was certified`;
  if (report.verdict === 'certified') return undefined;
  if (report.rules.some((result) => result.status === 'failed' && blocks(report, result))) return undefined;
  const skipped = report.rules.filter((result) => result.status === 'skipped' && result.level === 'required');
  return [
    `the verdict is ${report.verdict}, though no blocking rule failed`,
    ...skipped.map((result) => `  - ${result.id} was skipped: ${result.reason ?? 'no reason given'}`),
  ].join('\n');
}

/** The one test that fails when the certification is not a pass for a reason no rule test shows. */
export function describeVerdict(report: () => Promise<CertificationReport>): void {
  test('fail closed: scenarios were explored and the verdict follows from the rule tests', async () => {
    const problem = failClosedProblem(await report());
    if (problem) throw new Error(`wmpcert: ${problem}`);
  });
}
