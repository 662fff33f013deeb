import { fileURLToPath } from 'node:url';
const root = fileURLToPath(new URL('../../', import.meta.url));
const pool = process.argv[3] ?? 'threads';
const t0 = performance.now();
const { startVitest } = await import('vitest/node');
const t1 = performance.now();
let results = 0;
const vitest = await startVitest('test', [], {
  root, config: false, include: ['suites/download.suite.ts', 'suites/lifecycle.suite.ts', 'suites/wire.suite.ts'], exclude: [], watch: false,
  reporters: [{ onTestCaseResult() { results++; } }], provide: { wmpcertReportPath: process.argv[2] }, pool: pool as 'threads',
  isolate: false, fileParallelism: false, passWithNoTests: false,
  ...(process.argv[4] ? JSON.parse(process.argv[4]) : {}),
});
const t2 = performance.now();
await vitest.close();
const t3 = performance.now();
console.log(pool, process.argv[4] ?? '', 'import', Math.round(t1 - t0), 'start+run', Math.round(t2 - t1), 'close', Math.round(t3 - t2), 'results', results);
process.exit(0);
