/**
 * The public result model of a certification: what report.json holds (validated against
 * report.schema.json) and what every other writer (JUnit, HTML, Markdown) renders.
 */
import type { RuleFamily, RuleLevel, CandidateSide } from '../rules/catalog.ts';
import type { TraceEvent } from '../trace/events.ts';

export type Verdict = 'certified' | 'not-certified';
export type RuleStatus = 'passed' | 'failed' | 'skipped';

/** One broken expectation, with the trace events that show it. */
export interface Violation {
  rule: string;
  message: string;
  cookie?: number;
  trackId?: number;
  /** seq numbers of the trace events that are the evidence. */
  events: number[];
}

export interface Counterexample {
  /** The shrunk scenario (plain data, see harness/scenario/model.ts). */
  scenario: unknown;
  seed: number;
  /** fast-check path of the shrunk counterexample: with the seed, replays exactly this scenario. */
  path: string;
  shrinks: number;
  /** Index of the generated scenario where the rule first failed, before shrinking. */
  foundAtRun: number;
  tracks: number;
  transactions: number;
}

export interface RuleFailure {
  message: string;
  violations: Violation[];
  counterexample: Counterexample;
  trace: TraceEvent[];
  /** The exact command that re-runs this counterexample. */
  replay: string;
}

export interface RuleResult {
  id: string;
  family: RuleFamily;
  level: RuleLevel;
  statement: string;
  status: RuleStatus;
  /** Scenarios in which the rule was judged. */
  cases: number;
  /** Why a skipped rule was not judged. */
  reason?: string;
  failure?: RuleFailure;
}

export interface CandidateInfo {
  kind: CandidateSide;
  name: string;
  version: string | null;
  /** The module path (as given) or the --exec command. */
  source: string;
  sourceType: 'module' | 'exec';
  sha256: string;
}

export interface CertificationReport {
  schemaVersion: 1;
  tool: { name: 'wmpcert'; version: string };
  candidate: CandidateInfo;
  seed: number;
  runs: number;
  level: RuleLevel;
  timeoutMs: number;
  shard: { index: number; count: number } | null;
  /**
   * Set by `wmpcert report merge` (harness/report/merge.ts): the shards this report was merged from,
   * by index, each with its own start and duration. `shard` is then null: the report covers every run.
   */
  mergedFrom?: { shard: { index: number; count: number }; startedAt: string; durationMs: number }[];
  startedAt: string;
  durationMs: number;
  verdict: Verdict;
  /** Required rules (and recommended ones under --level recommended) that failed. */
  blockingFailures: string[];
  rules: RuleResult[];
  stats: { scenarios: number; tracks: number; calls: number };
  /** Things the harness noticed that are not rule results (candidate output, set-up notes). */
  notes: string[];
}
