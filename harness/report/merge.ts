/**
 * Merges the reports of the shards of one certification (`certify --shard i/n`, i = 1..n) into the
 * report an unsharded run with the same seed gives.
 *
 * Why this is exact: shards split the generated scenarios by run index (runner/shard.ts), every rule
 * is judged on every scenario, and the engine shrinks each rule's FIRST failing run, replayed from
 * the seed and that run's index whatever the shard. So, per rule, the unsharded run's failure is the
 * shards' failure with the smallest `foundAtRun`; cases and stats add up; a rule is skipped only if
 * no shard judged it; the verdict follows from the merged rules and the level.
 *
 * One limit: a shard stops exploring after the candidate had to be stopped by force a few times
 * (DL-16). Its shards then stop at different points than an unsharded run would; the failures kept
 * are still real, and the merged report carries the shards' notes saying so.
 *
 * Pure: takes parsed reports, returns the merged report or the reason the inputs do not merge.
 */
import type { CertificationReport, RuleFailure, RuleResult } from './model.ts';
import { decideVerdict } from './verdict.ts';
import { attributePageFailure } from './page-attribution.ts';

export interface MergeOptions {
  /** The replay command of a failing rule, pointing at the merged report.json. */
  replayCommand(ruleId: string): string;
}

/** What run identity two shards must share to merge. */
export type RunField = 'seed' | 'runs' | 'level' | 'timeout' | 'candidate' | 'tool version' | 'shard count' | 'rules';

/** Why the inputs are not the shards of one run. `input` and `inputs` are indices into the given reports. */
export type MergeProblem =
  | { kind: 'no-inputs' }
  | { kind: 'not-a-shard'; input: number }
  | { kind: 'shard-out-of-range'; input: number; index: number; count: number }
  | { kind: 'different-run'; input: number; field: RunField; expected: string; actual: string }
  | { kind: 'duplicate-shard'; inputs: [number, number]; index: number; count: number }
  | { kind: 'missing-shards'; missing: number[]; count: number };

export type MergeOutcome =
  | { ok: true; report: CertificationReport }
  | { ok: false; problem: MergeProblem };

export function mergeShardReports(reports: readonly CertificationReport[], options: MergeOptions): MergeOutcome {
  const problem = problemWith(reports);
  if (problem) return { ok: false, problem };
  return { ok: true, report: merge(reports, options) };
}

// ---- checks ------------------------------------------------------------------------------------

/** What identifies the run a shard belongs to, field by field, as text for the message. */
function runIdentity(report: CertificationReport): Record<RunField, string> {
  return {
    'seed': String(report.seed),
    'runs': String(report.runs),
    'level': report.level,
    'timeout': `${report.timeoutMs} ms`,
    'candidate': `${report.candidate.kind} sha256 ${report.candidate.sha256}`,
    'tool version': report.tool.version,
    'shard count': String(report.shard?.count),
    'rules': report.rules.map((rule) => rule.id).join(','),
  };
}

function problemWith(reports: readonly CertificationReport[]): MergeProblem | undefined {
  if (reports.length === 0) return { kind: 'no-inputs' };
  for (const [input, report] of reports.entries()) {
    if (report.shard === null) return { kind: 'not-a-shard', input };
    if (report.shard.index > report.shard.count) return { kind: 'shard-out-of-range', input, ...report.shard };
  }
  const first = runIdentity(reports[0]!);
  for (const [input, report] of reports.entries()) {
    const identity = runIdentity(report);
    for (const field of Object.keys(first) as RunField[]) {
      if (identity[field] !== first[field]) return { kind: 'different-run', input, field, expected: first[field], actual: identity[field] };
    }
  }
  const count = reports[0]!.shard!.count;
  const seen = new Map<number, number>();
  for (const [input, report] of reports.entries()) {
    const index = report.shard!.index;
    const earlier = seen.get(index);
    if (earlier !== undefined) return { kind: 'duplicate-shard', inputs: [earlier, input], index, count };
    seen.set(index, input);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((index) => !seen.has(index));
  if (missing.length > 0) return { kind: 'missing-shards', missing, count };
  return undefined;
}

// ---- merging -----------------------------------------------------------------------------------

function merge(given: readonly CertificationReport[], options: MergeOptions): CertificationReport {
  const shards = [...given].sort((a, b) => a.shard!.index - b.shard!.index);
  const first = shards[0]!;
  const resultsOf = (id: string) => shards.map((shard) => shard.rules.find((each) => each.id === id)!);
  // Context rules first: the release that wins (the earliest failure of the rule) decides which
  // failures given to other rules through a twin the unsharded run would have made.
  const releases = new Set<number>();
  const contextRules = new Map(first.rules.filter((rule) => CONTEXT_RULES.includes(rule.id)).map((rule) => [rule.id, mergeContextRule(rule.id, resultsOf(rule.id), options, releases)]));
  const rules = attributePageFailure(first.rules.map((rule) => contextRules.get(rule.id) ?? mergeRule(rule.id, resultsOf(rule.id), options, releases)));
  const scenarios = sum(shards, (shard) => shard.stats.scenarios);
  const { verdict, blockingFailures, unjudged } = decideVerdict(rules, first.level, scenarios, first.runs);
  const earliestStart = Math.min(...shards.map((shard) => Date.parse(shard.startedAt)));
  return {
    schemaVersion: 1,
    tool: first.tool,
    candidate: first.candidate,
    seed: first.seed,
    runs: first.runs,
    level: first.level,
    timeoutMs: first.timeoutMs,
    shard: null,
    mergedFrom: shards.map((shard) => ({ shard: shard.shard!, startedAt: shard.startedAt, durationMs: shard.durationMs })),
    startedAt: new Date(earliestStart).toISOString(),
    // The time an unsharded run would have taken, roughly; each shard's own is in mergedFrom.
    durationMs: shards.reduce((sum, shard) => sum + shard.durationMs, 0),
    verdict,
    blockingFailures,
    unjudged,
    rules,
    stats: {
      scenarios,
      planned: first.runs,
      tracks: sum(shards, (shard) => shard.stats.tracks),
      calls: sum(shards, (shard) => shard.stats.calls),
    },
    notes: shards.flatMap((shard) => shard.notes.map((note) => `shard ${shard.shard!.index}/${shard.shard!.count}: ${note}`)),
  };
}

/** The rules that claim a failure only when a twin without their context passes (harness/runner/attribution.ts), in the order they are attributed. */
const CONTEXT_RULES = ['DL-10', 'DL-12'];

/** Totals and notes of one rule over the shards. */
function mergedBase(id: string, results: readonly RuleResult[]) {
  const { family, level, statement } = results[0]!;
  const notes = [...new Set(results.flatMap((result) => result.attribution ?? []))];
  return { id, family, level, statement, cases: results.reduce((total, result) => total + result.cases, 0), ...(notes.length > 0 ? { attribution: notes } : {}) };
}

/**
 * A context rule's merged result follows its earliest failure over all shards, as the unsharded
 * run would have found and attributed it: failed when that failure was its own, passed (released)
 * when its twin gave it away. A winning release is remembered, by run, in `releases`.
 */
function mergeContextRule(id: string, results: readonly RuleResult[], options: MergeOptions, releases: Set<number>): RuleResult {
  const own = firstFailure(results, (failure) => failure.counterexample.twin === undefined);
  const released = results.reduce<RuleResult['released']>((earliest, result) =>
    result.released && (!earliest || result.released.foundAtRun < earliest.foundAtRun) ? result.released : earliest, undefined);
  if (released && (!own || released.foundAtRun < own.counterexample.foundAtRun)) {
    releases.add(released.foundAtRun);
    return { ...mergedBase(id, results), status: 'passed', released };
  }
  return mergeRule(id, results, options, releases);
}

function mergeRule(id: string, results: readonly RuleResult[], options: MergeOptions, releases: ReadonlySet<number>): RuleResult {
  const base = mergedBase(id, results);
  // Its own failure first; a failure given through a twin only when the release that gave it wins.
  const failure = firstFailure(results, (each) => each.counterexample.twin === undefined)
    ?? firstFailure(results, (each) => releases.has(each.counterexample.foundAtRun));
  if (failure) return { ...base, status: 'failed', failure: { ...failure, replay: options.replayCommand(id) } };
  if (base.cases > 0) return { ...base, status: 'passed' };
  // The shard that was to judge it says why it could not; "another shard judges it" says nothing once merged.
  const skipped = results.find((result) => result.skipCause !== 'other-shard') ?? results[0]!;
  const { reason, skipCause } = skipped;
  return { ...base, status: 'skipped', ...(reason === undefined ? {} : { reason }), ...(skipCause === undefined ? {} : { skipCause }) };
}

/** The failure the engine found first (among those `accept` keeps): the one an unsharded run shrinks. */
function firstFailure(results: readonly RuleResult[], accept: (failure: RuleFailure) => boolean = () => true): RuleFailure | undefined {
  let first: RuleFailure | undefined;
  for (const result of results) {
    const failure = result.failure;
    if (failure && accept(failure) && (!first || failure.counterexample.foundAtRun < first.counterexample.foundAtRun)) first = failure;
  }
  return first;
}

function sum(shards: readonly CertificationReport[], of: (shard: CertificationReport) => number): number {
  return shards.reduce((total, shard) => total + of(shard), 0);
}
