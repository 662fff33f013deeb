/** Same seed, same certification: verdicts, cases and shrunk counterexamples are identical run to run. */
import { expect, test } from 'vitest';
import { naturalPlayerMutantPath } from '../../fixtures/mutants/players/index.ts';
import reference from '../../fixtures/players/reference.ts';
import { loadCandidate } from '../../harness/adapters/load-candidate.ts';
import type { PlayerCandidate } from '../../harness/protocol/types.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import { certifyPlayer, failedRules } from './player-certification.ts';

/** What must not change between runs: everything but wall-clock times. */
function outcome(report: CertificationReport) {
  return {
    verdict: report.verdict,
    stats: report.stats,
    rules: report.rules.map((rule) => ({
      id: rule.id, status: rule.status, cases: rule.cases,
      counterexample: rule.failure?.counterexample,
      violations: rule.failure?.violations,
      trace: rule.failure?.trace.map(({ at: _at, ...event }) => event),
    })),
  };
}

/** A natural player mutant, loaded from its module file and certified in its worker, as the CLI does. */
async function natural(file: string): Promise<{ candidate: PlayerCandidate; modulePath: string }> {
  const loaded = await loadCandidate(naturalPlayerMutantPath(file));
  return { candidate: loaded.candidate as PlayerCandidate, modulePath: loaded.modulePath! };
}

test.each([
  ['reference', async () => ({ candidate: reference }), []],
  // A truncated body reported as a success.
  ['connection-close-ends-body (PL-05)', () => natural('connection-close-ends-body.ts'), ['PL-05']],
  // A cookie handed out again while its transaction is still in flight.
  ['frees-cookie-when-download-returns (PL-08)', () => natural('frees-cookie-when-download-returns.ts'), ['PL-08']],
] as [string, () => Promise<{ candidate: PlayerCandidate; modulePath?: string }>, string[]][])('%s: two runs with one seed agree', { timeout: 240_000 }, async (_name, load, failing) => {
  const { candidate, modulePath } = await load();
  const run = { runs: 40, seed: 424242, ...(modulePath === undefined ? {} : { modulePath }) };
  const first = await certifyPlayer(candidate, run);
  const second = await certifyPlayer(candidate, run);
  // A mutant's failure is found, so its shrunk counterexample is compared too.
  expect(failedRules(first)).toEqual(failing);
  expect(outcome(second)).toEqual(outcome(first));
});
