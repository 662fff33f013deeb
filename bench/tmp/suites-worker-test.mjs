import { Worker } from 'node:worker_threads';
const t0 = performance.now();
const src = `
import { parentPort, workerData } from 'node:worker_threads';
const t0 = performance.now();
const { startVitest, createVitest } = await import('vitest/node');
const t1 = performance.now();
let n = 0;
const vitest = await createVitest('test', { root: workerData.root, config: false, include: workerData.files, exclude: [], watch: false, reporters: [{ onTestCaseResult() { n++; } }], provide: { wmpcertReportPath: workerData.report }, pool: workerData.pool, isolate: false, fileParallelism: false, passWithNoTests: false });
const t2 = performance.now();
await vitest.start();
const t3 = performance.now();
await vitest.close();
const t4 = performance.now();
parentPort.postMessage({ import: t1 - t0, create: t2 - t1, start: t3 - t2, close: t4 - t3, n });
`;
const w = new Worker(src, { eval: true, workerData: { root: process.cwd() + '/', files: ['suites/download.suite.ts', 'suites/lifecycle.suite.ts', 'suites/wire.suite.ts'], report: '/tmp/bench-cert/report.json', pool: process.argv[2] ?? 'threads' } });
w.on('message', (m) => { console.log(process.argv[2], Object.entries(m).map(([k, v]) => `${k} ${Math.round(v)}`).join(' '), 'total', Math.round(performance.now() - t0)); });
w.on('error', (e) => console.log('error', e));
