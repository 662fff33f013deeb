/** Same seed, same certification: verdicts, cases and shrunk counterexamples are identical run to run. */
import { expect, test } from 'vitest';
import reuses from '../../fixtures/players/mutants/pl-08-reuses-cookie.ts';
import truncated from '../../fixtures/players/mutants/pl-05-success-on-truncated-body.ts';
import reference from '../../fixtures/players/reference.ts';
import type { PlayerCandidate } from '../../harness/protocol/types.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import { certifyPlayer } from './player-certification.ts';

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

test.each([
  ['reference', reference],
  ['pl-05', truncated],
  ['pl-08', reuses],
] as [string, PlayerCandidate][])('%s: two runs with one seed agree', async (_name, candidate) => {
  const first = await certifyPlayer(candidate, { runs: 40, seed: 424242 });
  const second = await certifyPlayer(candidate, { runs: 40, seed: 424242 });
  expect(outcome(second)).toEqual(outcome(first));
});
