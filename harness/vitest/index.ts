/**
 * `wmpcert/vitest`: run a certification inside your own vitest run.
 *
 *   import { certifyInVitest } from 'wmpcert/vitest';
 *   import plugin from './my-plugin.ts';
 *   certifyInVitest(plugin, { runs: 100, seed: 42 });
 *
 * One test per rule, grouped by family, exactly as `wmpcert certify` runs them.
 */
import { createHash } from 'node:crypto';
import { certify, type LoadedCandidate } from '../runner/certify.ts';
import { FAMILY_TITLES, RULES, type RuleFamily, type RuleLevel } from '../rules/catalog.ts';
import type { Candidate } from '../protocol/types.ts';
import type { CertificationReport } from '../report/model.ts';
import { describeRuleFamily } from './rule-suite.ts';

export interface InVitestOptions {
  runs?: number;
  /** Fixed by default so test names and results are stable between runs; set it to vary the scenarios. */
  seed?: number;
  timeoutMs?: number;
  level?: RuleLevel;
}

export function certifyInVitest(candidate: Candidate, options: InVitestOptions = {}): void {
  const seed = options.seed ?? Number(process.env.WMPCERT_SEED ?? 20061030);
  const loaded: LoadedCandidate = {
    candidate,
    info: {
      kind: candidate.kind, name: candidate.name, version: candidate.version ?? null, source: candidate.name, sourceType: 'module',
      sha256: createHash('sha256').update(candidate.name).digest('hex'),
    },
  };
  let report: Promise<CertificationReport> | undefined;
  const run = () => (report ??= certify(loaded, {
    runs: options.runs ?? 100, seed, timeoutMs: options.timeoutMs ?? 5000, level: options.level ?? 'required', shard: null,
    replayCommand: (rule) => `WMPCERT_SEED=${seed} npx vitest run -t "${rule}"`,
    log: () => {},
  }));
  const families = [...new Set(RULES.filter((rule) => rule.side === candidate.kind).map((rule) => rule.family))] as RuleFamily[];
  for (const family of families) describeRuleFamily(family, candidate.kind, run);
}

export { FAMILY_TITLES };
