// The rule suites' vitest run, in a worker thread (harness/runner/run-suites.ts). Plain JavaScript on
// purpose: a worker does not inherit the tsx loader the CLI registered, so vitest and its few hundred
// modules load without a hook round trip each (about 0.5 s here against 4-5 s through tsx's hooks).
// vitest transforms the suites itself.
import { parentPort, workerData } from 'node:worker_threads';

const { root, reportPath, suiteFiles, early } = workerData;

/** The state of each test case, by rule ID (the first word of its name), and vitest's errors. */
const outcome = { passed: [], failed: [], skipped: [], errors: [] };
const reporter = {
  onTestCaseResult(testCase) {
    const id = testCase.name.split(' ')[0];
    const state = testCase.result().state;
    if (state === 'passed') outcome.passed.push(id);
    else if (state === 'failed') outcome.failed.push(id);
    else outcome.skipped.push(id);
  },
  onTestRunEnd(modules, unhandledErrors) {
    for (const module of modules) for (const error of module.errors()) outcome.errors.push(error.message);
    for (const error of unhandledErrors) outcome.errors.push(error.message ?? String(error));
  },
};

const options = {
  root,
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
};

try {
  const { createVitest } = await import('vitest/node');
  // Started early (while the certification runs): vitest loads and sets up now (the report path is
  // known; the suites read the report only in their tests), and runs once the report is written.
  // The suites are transformed while the certification runs (vite's warm-up), not after the report.
  const vitest = await createVitest('test', options, { server: { warmup: { ssrFiles: suiteFiles } } });
  try {
    if (early) await new Promise((resolve) => parentPort.once('message', resolve));
    await vitest.start([]);
  } finally {
    await vitest.close();
  }
  parentPort.postMessage({ type: 'outcome', outcome });
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
