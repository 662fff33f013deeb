/**
 * Certification is a function of (candidate, seed, runs): two certifications of one mutant with the
 * same seed give the same verdict, failed rules, counterexample paths and counterexample scenarios.
 * The mutants chosen shrink well within the engine's shrink budget (a budget hit by wall-clock time
 * could stop shrinking at a different point on a slower run).
 */
import { describe, expect, test } from 'vitest';
import { pathToFileURL } from 'node:url';
import type { PluginCandidate } from '../../harness/protocol/types.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import { certify, type LoadedCandidate } from '../../harness/runner/certify.ts';
import { mutantPath } from '../../fixtures/plugins/mutants/index.ts';

async function loadMutant(file: string): Promise<LoadedCandidate> {
  const path = mutantPath(file);
  const candidate = (await import(pathToFileURL(path).href) as { default: PluginCandidate }).default;
  return { candidate, info: { kind: 'plugin', name: candidate.name, version: candidate.version ?? null, source: path, sourceType: 'module', sha256: '0'.repeat(64) } };
}

function run(loaded: LoadedCandidate, seed: number): Promise<CertificationReport> {
  return certify(loaded, { runs: 60, seed, timeoutMs: 5_000, level: 'recommended', shard: null, replayCommand: () => '', log: () => {} });
}

/** Everything of a report that must not depend on when or how fast it ran. */
function outcome(report: CertificationReport) {
  return {
    verdict: report.verdict,
    blocking: report.blockingFailures,
    rules: report.rules.map((rule) => ({
      id: rule.id, status: rule.status,
      path: rule.failure?.counterexample.path,
      foundAtRun: rule.failure?.counterexample.foundAtRun,
      scenario: rule.failure?.counterexample.scenario,
      violations: rule.failure?.violations.map((violation) => violation.message),
    })),
  };
}

describe('determinism', () => {
  test.each([
    { file: 'dl-07-null-params-refused.ts', seed: 3 },
    { file: 'dl-12-signed-cookie.ts', seed: 4 },
  ])('$file, seed $seed: two certifications agree', async ({ file, seed }) => {
    const loaded = await loadMutant(file);
    const first = await run(loaded, seed);
    const second = await run(loaded, seed);
    expect(first.rules.some((rule) => rule.status === 'failed')).toBe(true);
    expect(outcome(second)).toEqual(outcome(first));
  }, 300_000);
});
