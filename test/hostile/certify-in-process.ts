/**
 * Certifies a candidate object in this thread — the in-process sandbox, as wmpcert/vitest does —
 * and prints a summary as one JSON line: the verdict, the failed rules, and every HTTP request
 * the counterexample traces recorded. Run as a child by phones-home.test.ts, under the tripwire:
 *   node --require test/hostile/net-tripwire.cjs --import tsx test/hostile/certify-in-process.ts
 */
import { fetchOnly } from '../../fixtures/hostile/phones-home.ts';
import { certify } from '../../harness/runner/certify.ts';

const report = await certify(
  { candidate: fetchOnly, info: { kind: 'plugin', name: fetchOnly.name, version: null, source: fetchOnly.name, sourceType: 'module', sha256: '0'.repeat(64) } },
  { runs: 4, seed: 1, timeoutMs: 5000, level: 'required', shard: null, replayCommand: () => '', log: () => {} },
);
const requests = report.rules.flatMap((rule) => rule.failure?.trace ?? [])
  .flatMap((event) => (event.type === 'http-request' ? [`${event.by} ${event.url}`] : []));
process.stdout.write(`${JSON.stringify({
  verdict: report.verdict,
  failed: report.rules.filter((rule) => rule.status === 'failed').map((rule) => rule.id),
  requests: [...new Set(requests)],
  globalFetchRestored: typeof globalThis.fetch === 'function' && globalThis.fetch.name === 'fetch',
})}\n`);
process.exit(0);
