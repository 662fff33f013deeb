/**
 * The public result model of a certification: what report.json holds (validated against
 * report.schema.json) and what every other writer (JUnit, HTML, Markdown) renders.
 */
import type { RuleFamily, RuleLevel, CandidateSide } from '../rules/catalog.ts';
import type { TraceEvent } from '../trace/events.ts';

export type Verdict = 'certified' | 'not-certified';
export type RuleStatus = 'passed' | 'failed' | 'skipped';
/**
 * Why a rule was not judged: `candidate`, a reason of the candidate's own (an optional method it
 * lacks, a rule for another kind of candidate); `other-shard`, another shard of the run judges it;
 * `machine`, something this machine lacks (a browser); `coverage`, no generated scenario exercised
 * it. Only the first two allow a certificate (harness/report/verdict.ts).
 */
export type SkipCause = 'candidate' | 'other-shard' | 'machine' | 'coverage';

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
  /**
   * Set when the counterexample is a twin of another rule's shrunk counterexample (see TwinRecord):
   * replay regenerates the scenario from seed and path, then takes this context away again.
   */
  twin?: { kind: 'without-earlier-faults' | 'ordinary-values' | 'one-at-a-time'; cookies: number[]; healed?: number[] };
  /**
   * Transactions (indices in the scenario at `path`) the deletion pass took out after fast-check's
   * shrinking: replay takes them out again before any twin.
   */
  droppedTransactions?: number[];
  /** Set when the shrink budget, not the search, ended shrinking (the counterexample may not be minimal). */
  shrinkStopped?: string;
  /** The rule whose check shows the failure in this counterexample, when not the rule's own (a twin that kept its context): replay checks it. */
  judgedAs?: string;
}

/**
 * A twin of a counterexample, run to see which rule names the failure (harness/rules/twins.ts): the
 * same scenario with one context taken away. When it passes, the context rule owns the failure;
 * when it fails, the rules it fails own it.
 */
export interface TwinRecord {
  kind: 'without-earlier-faults' | 'ordinary-values' | 'one-at-a-time';
  description: string;
  /** The rule whose counterexample was twinned. */
  of: string;
  /** Rules the twin failed (those that judge serving a transaction); empty when it passed. */
  failed: string[];
}

export interface RuleFailure {
  message: string;
  violations: Violation[];
  counterexample: Counterexample;
  trace: TraceEvent[];
  /** The exact command that re-runs this counterexample. */
  replay: string;
  /** The twins run to attribute this failure to its rule. */
  twins?: TwinRecord[];
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
  skipCause?: SkipCause;
  failure?: RuleFailure;
  /**
   * How this rule's result was attributed: where else its failure showed ("also seen after faults"),
   * or, for a context rule, the failure seen in its context that its twin gave to another rule.
   */
  attribution?: string[];
  /**
   * A context rule (DL-10, DL-12) whose own failure its twin gave to other rules: the run it was
   * found at and the twin, so that merged shards attribute exactly as one unsharded run does.
   */
  released?: { foundAtRun: number; twin: TwinRecord };
}

export interface DllInfo {
  /** The class certified, as {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}. */
  clsid: string;
  /** The DLL's machine type: the bridge of the same width hosts it. */
  arch: 'x64' | 'x86';
  /** How the bridge ran: natively (Windows) or under Wine. */
  runner: 'native' | 'wine';
}

export interface CandidateInfo {
  kind: CandidateSide;
  name: string;
  version: string | null;
  /** The module path (as given), the --exec command, or the plug-in DLL's path (as given). */
  source: string;
  sourceType: 'module' | 'exec' | 'dll';
  /** Of the module file, of the command's text, or of the DLL file. */
  sha256: string;
  /** A COM plug-in DLL, certified through the bridge (wmpcert-com-host.exe). */
  dll?: DllInfo;
  /**
   * Where replay finds the candidate, relative to the folder of the report.json that names it: the
   * module file, or the folder an --exec command ran in. Replay then works from any folder, and
   * after the project and its reports folder move together.
   */
  fromReport?: string;
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
  /** Required rules (and recommended ones under --level recommended) that were not judged, for a reason that is not the candidate's: the run is then not certified. */
  unjudged?: string[];
  rules: RuleResult[];
  /** `planned`: the scenarios this run (or shard) was to explore; `scenarios`: those that ran. */
  stats: { scenarios: number; planned?: number; tracks: number; calls: number };
  /** Things the harness noticed that are not rule results (candidate output, set-up notes). */
  notes: string[];
}
