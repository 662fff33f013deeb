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

/** Workers started by startRuleSuitesEarly, waiting for their run, by report and suites. */
const earlyWorkers = new Map<string, Worker>();
const runKey = (reportPath: string, suiteFiles: string[]) => JSON.stringify([reportPath, suiteFiles]);
const suitesWorker = (reportPath: string, suiteFiles: string[], early: boolean) =>
  new Worker(SUITES_WORKER, { workerData: { root: PACKAGE_ROOT, reportPath, suiteFiles, early } });

/**
 * Starts loading vitest now, in its worker, for a run of these suites against this report once it
 * is written: runRuleSuites with the same arguments then uses that worker. The CLI calls it before
 * the certification, so that loading vitest overlaps it. The returned function ends the worker if
 * nothing used it.
 */
export function startRuleSuitesEarly(reportPath: string, suiteFiles: string[]): () => Promise<void> {
  const key = runKey(reportPath, suiteFiles);
  const worker = suitesWorker(reportPath, suiteFiles, true);
  worker.on('error', () => {}); // runRuleSuites meets it, if it takes this worker
  earlyWorkers.set(key, worker);
  return async () => {
    if (earlyWorkers.get(key) !== worker) return;
    earlyWorkers.delete(key);
    await worker.terminate();
  };
}

export async function runRuleSuites(reportPath: string, suiteFiles: string[]): Promise<SuiteOutcome> {
  const exitCode = process.exitCode;
  const key = runKey(reportPath, suiteFiles);
  const early = earlyWorkers.get(key);
  earlyWorkers.delete(key);
  try {
    return await new Promise<SuiteOutcome>((resolve, reject) => {
      // An early worker waits for its go (it never ends on its own before it): one that did end is replaced.
      const worker = early && early.threadId !== -1 ? early : suitesWorker(reportPath, suiteFiles, false);
      if (worker === early) worker.postMessage({ type: 'run' });
      worker.once('message', (message: FromSuitesWorker) => {
        void worker.terminate(); // vitest is closed: nothing of it may keep the CLI waiting
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

/** The suites are TypeScript in a checkout and compiled JavaScript in the package (PACKAGE_ROOT is then dist/). */
const SUITE_EXTENSION = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

export function suitesFor(side: 'plugin' | 'player'): string[] {
  const names = side === 'plugin' ? ['download', 'lifecycle', 'purchase', 'licence', 'message', 'discovery', 'wire'] : ['player'];
  return names.map((name) => `suites/${name}.suite.${SUITE_EXTENSION}`);
}
