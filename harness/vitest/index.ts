/**
 * `wmpcert/vitest`: run a certification inside your own vitest run.
 *
 *   import { certifyInVitest } from 'wmpcert/vitest';
 *   import plugin from './my-plugin.ts';
 *   certifyInVitest(plugin, { runs: 100, seed: 42 });
 *
 * One test per rule, grouped by family, exactly as `wmpcert certify` runs them. The certification
 * runs once, in a beforeAll with a timeout computed here (it can take minutes: shrinking), so the
 * rule tests only read its result and fit vitest's default test timeout.
 */
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { beforeAll, describe } from 'vitest';
import { certify, type LoadedCandidate } from '../runner/certify.ts';
import { SHRINK_BUDGET } from '../runner/scenario-executor.ts';
import { FAMILY_TITLES, RULES, type RuleFamily, type RuleLevel } from '../rules/catalog.ts';
import type { Candidate } from '../protocol/types.ts';
import type { CertificationReport } from '../report/model.ts';
import { describeRuleFamily, describeVerdict } from './rule-suite.ts';

export interface InVitestOptions {
  runs?: number;
  /** Fixed by default (or WMPCERT_SEED) so test names and results are stable between runs; set it to vary the scenarios. */
  seed?: number;
  timeoutMs?: number;
  level?: RuleLevel;
}

const DEFAULT_SEED = 20061030;
/** Launching Chromium and playing the discovery page, on top of the scenarios. */
const STARTUP_ALLOWANCE_MS = 10 * 60_000;
/** setTimeout fires at once above this; vitest would then time the hook out immediately. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The beforeAll timeout: generous on purpose, it only stops a certification that hangs. Every
 * scenario may run to its hard cap, and every rule may fail and spend its whole shrinking budget
 * (plus the execution in flight when the budget runs out).
 */
export function certificationTimeoutMs(runs: number, timeoutMs: number, rules: number): number {
  return Math.min(MAX_TIMER_MS, STARTUP_ALLOWANCE_MS + runs * timeoutMs + rules * (SHRINK_BUDGET.ms + timeoutMs));
}

/** options.seed, else WMPCERT_SEED (what the printed re-run command sets), else the fixed default. */
function seedOf(options: InVitestOptions): number {
  if (options.seed !== undefined) return options.seed;
  const given = process.env.WMPCERT_SEED;
  if (given === undefined || given === '') return DEFAULT_SEED;
  // The CLI's --seed range: signed (as fast-check prints seeds) or unsigned 32-bit.
  const seed = /^[+-]?[0-9]+$/.test(given.trim()) ? Number(given) : Number.NaN;
  if (!(seed >= -(2 ** 31) && seed <= 2 ** 32 - 1)) throw new Error(`wmpcert: WMPCERT_SEED=${given} is not a seed: give an integer from ${-(2 ** 31)} to ${2 ** 32 - 1}`);
  return seed;
}

/** A path as a shell word: quoted only when it needs to be. */
function shellWord(word: string): string {
  return /^[\w./@+-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export function certifyInVitest(candidate: Candidate, options: InVitestOptions = {}): void {
  const runs = options.runs ?? 100;
  const timeoutMs = options.timeoutMs ?? 5000;
  const loaded: LoadedCandidate = {
    candidate,
    info: {
      kind: candidate.kind, name: candidate.name, version: candidate.version ?? null, source: candidate.name, sourceType: 'module',
      sha256: createHash('sha256').update(candidate.name).digest('hex'),
    },
  };
  const rules = RULES.filter((rule) => rule.side === candidate.kind);
  // Set once by beforeAll; the tests only read it, so none of them waits on the certification.
  let outcome: { report: CertificationReport } | { error: unknown } | undefined;
  const report = async (): Promise<CertificationReport> => {
    if (outcome === undefined) throw new Error('wmpcert: the certification did not finish (see the beforeAll error of this suite)');
    if ('error' in outcome) throw outcome.error;
    return outcome.report;
  };

  describe(`wmpcert: ${candidate.name}`, () => {
    // vitest parses the first parameter as a fixture list: it must be a destructuring pattern.
    beforeAll(async ({}, suite) => {
      try {
        const seed = seedOf(options);
        const file = shellWord(relative(process.cwd(), suite.file.filepath));
        outcome = {
          report: await certify(loaded, {
            runs, seed, timeoutMs, level: options.level ?? 'required', shard: null,
            // " ID " matches this rule's test alone: other statements cite IDs ("DL-02…DL-07").
            replayCommand: (rule) => `WMPCERT_SEED=${seed} npx vitest run ${file} -t " ${rule} "`,
            log: () => {},
          }),
        };
      } catch (error) {
        // Every test fails with it, rather than a hook error and tests vitest skips.
        outcome = { error };
      }
    }, certificationTimeoutMs(runs, timeoutMs, rules.length));
    const families = [...new Set(rules.map((rule) => rule.family))] as RuleFamily[];
    for (const family of families) describeRuleFamily(family, candidate.kind, report);
    describeVerdict(report);
  });
}

export { FAMILY_TITLES };
