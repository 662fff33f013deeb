// The rule suites' vitest run, in a worker thread (harness/runner/run-suites.ts). Plain JavaScript on
// purpose: a worker does not inherit the tsx loader the CLI registered, so vitest and its few hundred
// modules load without a hook round trip each (about 0.5 s here against 4-5 s through tsx's hooks).
// vitest transforms the suites itself.
import { BroadcastChannel, parentPort, threadId, workerData } from 'node:worker_threads';

const { root, reportPath, suiteFiles, early } = workerData;

// Started early, vitest runs at once and its suites wait for the report at this gate
// (harness/vitest/provided-report.ts): a suite asks 'waiting', and is told 'written' once the CLI's
// go has come, so that only the tests themselves are left to run after the report.
const gateName = `wmpcert-report-written:${process.pid}:${threadId}`;
let written = false;
const gate = new BroadcastChannel(gateName);
gate.onmessage = (event) => {
  if (event.data === 'waiting' && written) gate.postMessage('written');
};
if (early) {
  parentPort.once('message', () => {
    written = true;
    gate.postMessage('written');
  });
}

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
  provide: { wmpcertReportPath: reportPath, ...(early ? { wmpcertReportGate: gateName } : {}) },
  // A suite may wait at the gate for as long as the certification runs.
  testTimeout: 0,
  pool: 'threads',
  isolate: false,
  fileParallelism: false,
  passWithNoTests: false,
};

try {
  const { createVitest } = await import('vitest/node');
  // Started early (while the certification runs): vitest loads, transforms the suites (vite's
  // warm-up) and starts their run now; their tests wait at the gate for the report.
  const vitest = await createVitest('test', options, { server: { warmup: { ssrFiles: suiteFiles } } });
  try {
    await vitest.start([]);
  } finally {
    await vitest.close();
    gate.close();
  }
  parentPort.postMessage({ type: 'outcome', outcome });
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
}
