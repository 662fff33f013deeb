/**
 * Runs the rule suites in suites/ through vitest's Node API against a written report, and returns
 * what vitest concluded per rule. `certify` gates on it: the suites are how a certification's rules
 * are executed as tests, the same suites a plug-in author can run inside their own vitest.
 */
import { fileURLToPath } from 'node:url';
import type { Reporter, TestCase } from 'vitest/node';

export interface SuiteOutcome {
  passed: string[];
  failed: string[];
  skipped: string[];
  /** Errors vitest met outside the tests (a suite that failed to load). */
  errors: string[];
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

class RuleOutcomeReporter implements Reporter {
  readonly outcome: SuiteOutcome = { passed: [], failed: [], skipped: [], errors: [] };

  onTestCaseResult(testCase: TestCase): void {
    const id = testCase.name.split(' ')[0]!;
    const state = testCase.result().state;
    if (state === 'passed') this.outcome.passed.push(id);
    else if (state === 'failed') this.outcome.failed.push(id);
    else this.outcome.skipped.push(id);
  }

  onTestRunEnd(modules: ReadonlyArray<{ errors(): ReadonlyArray<{ message: string }> }>, unhandledErrors: ReadonlyArray<{ message?: string }>): void {
    for (const module of modules) for (const error of module.errors()) this.outcome.errors.push(error.message);
    for (const error of unhandledErrors) this.outcome.errors.push(error.message ?? String(error));
  }
}

export async function runRuleSuites(reportPath: string, suiteFiles: string[]): Promise<SuiteOutcome> {
  const { startVitest } = await import('vitest/node');
  const reporter = new RuleOutcomeReporter();
  const exitCode = process.exitCode;
  const vitest = await startVitest('test', [], {
    root: PACKAGE_ROOT,
    config: false,
    include: suiteFiles,
    exclude: [],
    watch: false,
    reporters: [reporter],
    provide: { wmpcertReportPath: reportPath },
    pool: 'threads',
    isolate: false,
    fileParallelism: false,
    passWithNoTests: false,
  });
  await vitest.close();
  // vitest sets process.exitCode on failures; the CLI decides the exit code itself.
  process.exitCode = exitCode;
  return reporter.outcome;
}

export function suitesFor(side: 'plugin' | 'player'): string[] {
  return side === 'plugin' ? ['suites/download.suite.ts', 'suites/lifecycle.suite.ts', 'suites/purchase.suite.ts', 'suites/licence.suite.ts', 'suites/message.suite.ts', 'suites/discovery.suite.ts', 'suites/wire.suite.ts'] : ['suites/player.suite.ts'];
}
