/**
 * Certifies natural plug-in mutants of fixtures/mutants/plugins/ and checks each is reported under
 * exactly the rules naming its bug's cause (rules.md, decision 10). Shared by the two test files
 * that split the kit between vitest's two workers (each certification takes seconds).
 */
import { afterAll, beforeAll, test } from 'vitest';
import { DiscoveryBrowser, type PageBrowser } from '../../harness/discovery/page-browser.ts';
import { loadCandidate } from '../../harness/adapters/load-candidate.ts';
import { loadExecCandidate } from '../../harness/adapters/load-exec-candidate.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import { certify, type CertifyOptions, type LoadedCandidate } from '../../harness/runner/certify.ts';
import { NATURAL_MUTANTS, naturalMutantPath, type NaturalMutant } from '../../fixtures/mutants/plugins/index.ts';

const RUNS = 60;
/** Every mutant is certified on each of these seeds; the conforming ones (cheap: nothing to shrink) on more. */
const SEEDS = [3, 4];
const CONFORMING_SEEDS = [3, 4, 5, 6, 7];
const MAX_TRANSACTIONS = 2;
const MAX_TRACKS = 3;

function load(mutant: NaturalMutant): Promise<LoadedCandidate> {
  const path = naturalMutantPath(mutant.file);
  return mutant.sandbox === 'exec' ? loadExecCandidate(`node ${path}`) : loadCandidate(path);
}

const options = (seed: number, browser: PageBrowser | undefined): CertifyOptions => ({
  runs: RUNS, seed, timeoutMs: 5_000, level: 'required', shard: null,
  replayCommand: (rule) => `wmpcert replay report.json --rule ${rule}`,
  log: () => {},
  ...(browser ? { browser } : {}),
});

/** What failed, with the first message of each: the assertion message when a mutant is misjudged. */
function failures(report: CertificationReport): string {
  return `seed ${report.seed}:\n` + (report.rules.filter((rule) => rule.status === 'failed')
    .map((rule) => `${rule.id} (${rule.level}): ${rule.failure?.message ?? '?'}`).join('\n') || '(nothing failed)');
}

const sorted = (ids: readonly string[]) => [...ids].sort();

/** One test per mutant of the kit whose index `include` keeps. */
export function describeNaturalMutants(include: (index: number) => boolean): void {
  const mutants = NATURAL_MUTANTS.filter((_mutant, index) => include(index));
  // One Chromium for the file's discovery pages (each plays in a context of its own), not one per certification.
  // (Without one, each certification meets the missing browser itself, as it would alone.)
  let browser: PageBrowser | undefined;
  beforeAll(async () => {
    const opened = await DiscoveryBrowser.open();
    if (opened.ok) browser = opened.browser;
  });
  afterAll(async () => { await browser?.close(); });
  // Side by side (vitest's maxConcurrency): a certification spends most of its time waiting out
  // quiet windows in its sandboxes, so several share the two cores. Each test reports through its
  // own context's expect.
  test.concurrent.for(mutants.map((mutant) => ({ ...mutant })))('$file', { timeout: 900_000 }, async (mutant, { expect }) => {
    const loaded = await load(mutant);
    const conforming = mutant.expected.length === 0 && (mutant.recommended ?? []).length === 0;
    for (const seed of conforming ? CONFORMING_SEEDS : SEEDS) {
      const report = await certify(loaded, options(seed, browser));
      const summary = failures(report);
      // A known gap of the attribution is listed with the mutant and asserted as it is: the test
      // fails when it is closed (then move the rules out of `knownGap`) as when it widens.
      const reported = mutant.knownGap?.reported?.[seed] ?? mutant.expected;
      expect.soft(sorted(report.blockingFailures), `failed required rules, ${summary}`).toEqual(sorted(reported));
      const failedRecommended = report.rules.filter((rule) => rule.status === 'failed' && rule.level === 'recommended').map((rule) => rule.id);
      for (const id of mutant.recommended ?? []) expect.soft(failedRecommended, `recommended ${id}, ${summary}`).toContain(id);
      if (mutant.expected.length === 0) expect.soft(report.verdict, summary).toBe('certified');

      for (const rule of report.rules.filter((each) => each.status === 'failed')) {
        const failure = rule.failure!;
        const { transactions, tracks } = failure.counterexample;
        // A failure that did not reproduce while shrinking comes back unshrunk, with no violations.
        expect.soft(failure.violations.length, `${rule.id} was not shrunk, seed ${seed}: ${failure.message}`).toBeGreaterThan(0);
        expect.soft(transactions, `${rule.id}'s counterexample, seed ${seed}: transactions`).toBeLessThanOrEqual(mutant.knownGap?.maxTransactions ?? MAX_TRANSACTIONS);
        expect.soft(tracks, `${rule.id}'s counterexample, seed ${seed}: tracks`).toBeLessThanOrEqual(MAX_TRACKS);
      }
    }
  });
}
