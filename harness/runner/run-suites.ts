/**
 * Runs the rule suites in suites/ through vitest's Node API against a written report, and returns
 * what vitest concluded per rule. `certify` gates on it: the suites are how a certification's rules
 * are executed as tests, the same suites a plug-in author can run inside their own vitest.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface SuiteOutcome {
  passed: string[];
  failed: string[];
  skipped: string[];
  /** Errors vitest met outside the tests (a suite that failed to load). */
  errors: string[];
}

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** vitest runs in a worker thread without the CLI's tsx loader: see suites-worker.js. */
const SUITES_WORKER = new URL('./suites-worker.js', import.meta.url);

type FromSuitesWorker = { type: 'outcome'; outcome: SuiteOutcome } | { type: 'failed'; message: string };

export async function runRuleSuites(reportPath: string, suiteFiles: string[]): Promise<SuiteOutcome> {
  const exitCode = process.exitCode;
  try {
    return await new Promise<SuiteOutcome>((resolve, reject) => {
      const worker = new Worker(SUITES_WORKER, { workerData: { root: PACKAGE_ROOT, reportPath, suiteFiles } });
      worker.once('message', (message: FromSuitesWorker) => {
        if (message.type === 'outcome') resolve(message.outcome);
        else reject(new Error(`the rule suites could not run: ${message.message}`));
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the rule suites' worker exited (code ${code}) before it answered`)));
    });
  } finally {
    // vitest sets process.exitCode on failures; the CLI decides the exit code itself.
    process.exitCode = exitCode;
  }
}

export function suitesFor(side: 'plugin' | 'player'): string[] {
  return side === 'plugin' ? ['suites/download.suite.ts', 'suites/lifecycle.suite.ts', 'suites/purchase.suite.ts', 'suites/licence.suite.ts', 'suites/message.suite.ts', 'suites/discovery.suite.ts', 'suites/wire.suite.ts'] : ['suites/player.suite.ts'];
}
