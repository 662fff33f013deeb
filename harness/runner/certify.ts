/**
 * The certification engine: explores generated scenarios judging every rule on each, shrinks the
 * first counterexample of each failing rule, and assembles the report. It never writes files.
 */
import { ruleById, rulesFor, type RuleLevel } from '../rules/catalog.ts';
import type { CandidateInfo, CertificationReport, RuleResult } from '../report/model.ts';
import type { Candidate } from '../protocol/types.ts';
import type { ScenarioJudgement } from '../rules/plugin-judge.ts';
import type { Trace } from '../trace/events.ts';
import type { RuleFailure, SkipCause, TwinRecord, Violation } from '../report/model.ts';
import type { TwinSpec } from '../rules/twins.ts';
import type { Attribution } from './attribution.ts';
import { decideVerdict } from '../report/verdict.ts';
import { playerExecutor } from '../player/player-executor.ts';
import { HARNESS_VERSION } from '../version.ts';
import { EXEC_SHRINK_BUDGET, SHRINK_BUDGET, ScenarioExecutor } from './scenario-executor.ts';
import { inShard, shardSize, type Shard } from './shard.ts';
import { openPlayerSandbox, openSandbox } from '../sandbox/open-sandbox.ts';
import { notImplementedNote } from '../host/flow-driver.ts';
import { FLOW_METHOD_OF_FAMILY } from '../rules/flow-rules.ts';
import type { WorkerLimits } from '../sandbox/worker-sandbox.ts';
import { startDiscoveryPage } from '../discovery/certify-page.ts';
import type { PageBrowser } from '../discovery/page-browser.ts';

export interface LoadedCandidate {
  candidate: Candidate;
  info: CandidateInfo;
  /** Absolute path of a module candidate: it then runs in a worker thread the harness can stop. */
  modulePath?: string;
  /** The command of an out-of-process plug-in (--exec): a child per scenario, JSON-RPC on stdio. */
  command?: string;
  /** The folder an --exec command runs in. */
  cwd?: string;
  /** The candidate's file when it is not a module (a COM DLL): replay finds it relative to the report. */
  sourcePath?: string;
  /** More environment for the command (the Wine prefix of a COM DLL's bridge). */
  commandEnv?: Readonly<Record<string, string>>;
  /** Ends what loading started for the candidate (a Wine server); called once the CLI is done with it. */
  dispose?: () => Promise<void>;
}

export interface CertifyOptions {
  runs: number;
  seed: number;
  /** Hard cap per scenario, ms. */
  timeoutMs: number;
  level: RuleLevel;
  shard: Shard | null;
  /** Builds the exact replay command for a failing rule (the CLI knows where report.json goes). */
  replayCommand(ruleId: string): string;
  /** One plain progress line (the CLI decides where it goes). */
  log(line: string): void;
  /** Progress of the run, for a live display (harness/runner/progress.ts). */
  onProgress?(event: CertifyProgressEvent): void;
  /** Limits of the worker thread a module candidate runs in (default: DEFAULT_WORKER_LIMITS). */
  workerLimits?: Partial<WorkerLimits>;
  /**
   * A running Chromium for the discovery page, shared by a batch of certifications (each page plays
   * in a browser context of its own); otherwise each certification launches one and closes it.
   */
  browser?: PageBrowser;
}

/** What the engine is doing: exploring (`done` of the `total` scenarios of this shard), or shrinking one rule's counterexample. */
export type CertifyProgressEvent =
  | { type: 'explore-progress'; done: number; total: number }
  | { type: 'shrink-start'; rule: string }
  | { type: 'shrink-end'; rule: string; shrinks: number };

interface RuleTally { cases: number; firstFailure: number | undefined }

/** What the report counts of a scenario: the plug-in side's Scenario and the player side's ProbeScenario both have it. */
interface ScenarioShape { tracks: readonly unknown[]; transactions: readonly { containers: readonly { items: readonly unknown[] }[] }[] }

interface ShrunkCase<S> { scenario: S; trace: Trace; violations: Violation[]; path: string; shrinks: number; twin?: TwinSpec; twins?: TwinRecord[]; shrinkStopped?: string; judgedAs?: string; dropped?: number[] }

/** What certifyWith needs of an executor: the plug-in's ScenarioExecutor and the player's PropertyExecutor both fit. */
interface CertificationExecutor<S extends ScenarioShape> {
  explore(seed: number, runs: number, include: (runIndex: number) => boolean, visit: (runIndex: number, executed: { scenario: S; trace: Trace; judgement: ScenarioJudgement }) => boolean | void): Promise<void>;
  shrink(seed: number, runs: number, rule: string, runIndex: number, lane?: number): Promise<ShrunkCase<S> | undefined>;
  /** Sandboxes side by side (explore and shrink spread over them). */
  readonly lanes?: number;
  /** Which rule each failure belongs to (the plug-in side's context rules, by twins). */
  attribute?(failures: ReadonlyMap<string, ShrunkCase<S>>, firstFailure: ReadonlyMap<string, number>): Promise<Attribution>;
}

export async function certify(loaded: LoadedCandidate, options: CertifyOptions): Promise<CertificationReport> {
  if (loaded.candidate.kind === 'player') return certifyPlayer(loaded, options);
  const startedAt = new Date();
  const started = performance.now();
  const rules = rulesFor('plugin');
  // The page plays in Chromium while the scenarios run; its downloads are played once they are done.
  const page = await startDiscoveryPage(loaded, options);
  const sandbox = await openSandbox(loaded, options.workerLimits);
  const executor = new ScenarioExecutor(sandbox, options.timeoutMs, loaded.command === undefined ? SHRINK_BUDGET : EXEC_SHRINK_BUDGET);
  try {
    const report = await certifyWith(executor, () => sandbox.output(), loaded, rules, options, startedAt, started);
    return await page.finish(report, (scenario, timing) => sandbox.run(scenario, timing));
  } finally {
    await sandbox.close();
  }
}

/** A player is certified by the probe plug-in, in its sandbox: a player that blocks its thread is stopped there (PL-12). */
async function certifyPlayer(loaded: LoadedCandidate, options: CertifyOptions): Promise<CertificationReport> {
  const startedAt = new Date();
  const started = performance.now();
  const sandbox = await openPlayerSandbox(loaded, options.workerLimits);
  try {
    return await certifyWith(playerExecutor(sandbox, options.timeoutMs), () => sandbox.output(), loaded, rulesFor('player'), options, startedAt, started);
  } finally {
    await sandbox.close();
  }
}

/** After this many scenarios ended with the candidate stopped by force, exploring further only burns time. */
const MAX_FORCED_STOPS = 3;

async function certifyWith<S extends ScenarioShape>(
  executor: CertificationExecutor<S>, output: () => string, loaded: LoadedCandidate, rules: ReturnType<typeof rulesFor>,
  options: CertifyOptions, startedAt: Date, started: number,
): Promise<CertificationReport> {
  const tallies = new Map<string, RuleTally>(rules.map((rule) => [rule.id, { cases: 0, firstFailure: undefined }]));
  const stats = { scenarios: 0, tracks: 0, calls: 0 };
  const notes: string[] = [];
  /** Notes of optional flows the plug-in does not implement: their rules are skipped, with that reason. */
  const unimplemented = new Set<string>();
  let forcedStops = 0;

  options.log(`exploring ${options.runs} scenarios${options.shard ? ` (shard ${options.shard.index}/${options.shard.count})` : ''}, judging ${rules.length} rules on each`);
  const include = (run: number) => inShard(run, options.shard);
  const total = shardSize(options.runs, options.shard);
  options.onProgress?.({ type: 'explore-progress', done: 0, total });
  await executor.explore(options.seed, options.runs, include, (run, executed) => {
    stats.scenarios++;
    options.onProgress?.({ type: 'explore-progress', done: stats.scenarios, total });
    for (const event of executed.trace.events) {
      if (event.type === 'note' && event.text.startsWith(NOT_IMPLEMENTED_PREFIX)) unimplemented.add(event.text);
    }
    if (executed.trace.events.some((event) => event.type === 'sandbox')) {
      forcedStops++;
      if (forcedStops === MAX_FORCED_STOPS) notes.push(`exploration stopped after scenario ${run}: the candidate had to be stopped by force ${forcedStops} times`);
    }
    stats.tracks += executed.scenario.transactions.reduce((sum, tx) => sum + tx.containers.reduce((n, c) => n + c.items.length, 0), 0);
    stats.calls += executed.trace.events.filter((event) => event.type === 'call' && event.method === 'downloadTrack').length;
    for (const rule of executed.judgement.applied) tallies.get(rule)!.cases++;
    for (const rule of executed.judgement.violations.keys()) {
      const tally = tallies.get(rule)!;
      if (tally.firstFailure === undefined) {
        tally.firstFailure = run;
        options.log(`${rule} failed on scenario ${run}; it will be shrunk`);
      }
    }
    return forcedStops < MAX_FORCED_STOPS;
  });

  const failures = await shrinkAll(executor, [...tallies].flatMap(([rule, tally]) => tally.firstFailure === undefined ? [] : [{ rule, runIndex: tally.firstFailure }]), options);

  const firstFailures = new Map([...tallies].flatMap(([rule, tally]) => tally.firstFailure === undefined ? [] : [[rule, tally.firstFailure] as const]));
  const attribution = executor.attribute ? await executor.attribute(failures, firstFailures) : undefined;

  // More scenarios would not have judged a rule the exploration never reached: --runs is not the cure.
  const cutShort = stats.scenarios >= total ? undefined
    : forcedStops >= MAX_FORCED_STOPS
      ? `the exploration stopped after ${stats.scenarios} of ${total} scenarios, the candidate stopped by force ${forcedStops} times (see the failures above): fix that, then certify again`
      : `the exploration ended after ${stats.scenarios} of ${total} scenarios`;
  const results: RuleResult[] = rules.map((rule): RuleResult => {
    const tally = tallies.get(rule.id)!;
    const attributed = attribution?.notes.get(rule.id);
    const base = { id: rule.id, family: rule.family, level: rule.level, statement: rule.statement, cases: tally.cases, ...(attributed ? { attribution: attributed } : {}) };
    const assigned = attribution?.assigned.get(rule.id);
    if (tally.firstFailure !== undefined && !attribution?.released.has(rule.id)) {
      const shrunk = failures.get(rule.id);
      const confirmed = attribution?.confirmed.get(rule.id);
      return {
        ...base, status: 'failed',
        failure: shrunk
          ? failureOf(confirmed ? { ...shrunk, twins: [confirmed] } : shrunk, options.seed, tally.firstFailure, options.replayCommand(rule.id))
          : unshrunkFailure(rule.id, options.seed, tally.firstFailure, options.replayCommand(rule.id)),
      };
    }
    if (assigned) return { ...base, status: 'failed', failure: failureOf(assigned.shrunk, options.seed, assigned.foundAtRun, options.replayCommand(rule.id)) };
    const released = attribution?.released.get(rule.id);
    if (released && tally.firstFailure !== undefined) return { ...base, status: 'passed', released: { foundAtRun: tally.firstFailure, twin: released } };
    if (tally.cases === 0) return { ...base, status: 'skipped', ...whySkipped(rule.family, loaded, unimplemented, cutShort) };
    return { ...base, status: 'passed' };
  });

  const decision = decideVerdict(results, options.level, stats.scenarios, total, options.shard ? 'shard' : 'whole');
  if (stats.scenarios < total) notes.push(`${stats.scenarios} of the ${total} planned scenarios ran: a run cut short is never certified`);
  return {
    schemaVersion: 1,
    tool: { name: 'wmpcert', version: HARNESS_VERSION },
    candidate: loaded.info,
    seed: options.seed,
    runs: options.runs,
    level: options.level,
    timeoutMs: options.timeoutMs,
    shard: options.shard,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    verdict: decision.verdict,
    blockingFailures: decision.blockingFailures,
    unjudged: decision.unjudged,
    rules: results,
    stats: { scenarios: stats.scenarios, planned: total, tracks: stats.tracks, calls: stats.calls },
    notes: [...notes, ...outputNote(output())],
  };
}

const NOT_IMPLEMENTED_PREFIX = 'flow not implemented';

function whySkipped(family: string, loaded: LoadedCandidate, unimplemented: Set<string>, cutShort: string | undefined): { reason: string; skipCause: SkipCause } {
  const method = FLOW_METHOD_OF_FAMILY[family];
  const reason = family === 'WR' && loaded.command === undefined
    ? 'the candidate runs in process: there is no wire protocol to judge'
    : method !== undefined && unimplemented.has(notImplementedNote(method))
        ? `the plug-in does not implement ${method}() (an optional flow), so this rule was not judged`
        : undefined;
  if (reason !== undefined) return { reason, skipCause: 'candidate' };
  return cutShort === undefined
    ? { reason: 'no generated scenario exercised this rule: raise --runs (a rule left unjudged is never certified)', skipCause: 'coverage' }
    : { reason: `no scenario judged this rule before ${cutShort} (a rule left unjudged is never certified)`, skipCause: 'coverage' };
}

/**
 * Shrinks each failing rule's counterexample. Rules are shrunk side by side on the executor's
 * lanes: the k-th failing rule on lane k mod lanes, each lane's rules one after the other, so which
 * sandbox shrinks a rule (and what it played before) never depends on timing.
 */
async function shrinkAll<S extends ScenarioShape>(
  executor: CertificationExecutor<S>, failing: { rule: string; runIndex: number }[], options: CertifyOptions,
): Promise<Map<string, ShrunkCase<S>>> {
  const lanes = Math.max(1, Math.min(executor.lanes ?? 1, failing.length));
  const shrunk = new Map<string, ShrunkCase<S> | undefined>();
  const shrinkLane = async (lane: number) => {
    for (const [index, { rule, runIndex }] of failing.entries()) {
      if (index % lanes !== lane) continue;
      options.log(`shrinking the counterexample of ${rule}`);
      options.onProgress?.({ type: 'shrink-start', rule });
      const result = await executor.shrink(options.seed, options.runs, rule, runIndex, lane);
      options.onProgress?.({ type: 'shrink-end', rule, shrinks: result?.shrinks ?? 0 });
      shrunk.set(rule, result);
    }
  };
  // Every lane ends before an error of one is thrown: nothing keeps playing on a sandbox about to close.
  const settled = await Promise.allSettled(Array.from({ length: lanes }, (_none, lane) => shrinkLane(lane)));
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  // In the rules' order, whichever lane finished first.
  return new Map(failing.flatMap(({ rule }) => { const result = shrunk.get(rule); return result ? [[rule, result] as const] : []; }));
}

function outputNote(printed: string): string[] {
  return printed.length === 0 ? [] : [`the candidate printed (last 64 KiB kept):\n${printed}`];
}

function failureOf(shrunk: ShrunkCase<ScenarioShape>, seed: number, foundAtRun: number, replay: string): RuleFailure {
  const scenario = shrunk.scenario;
  return {
    message: shrunk.violations[0]!.message,
    violations: shrunk.violations.slice(0, 20),
    counterexample: {
      scenario, seed, path: shrunk.path, shrinks: shrunk.shrinks, foundAtRun,
      tracks: scenario.tracks.length, transactions: scenario.transactions.length,
      ...(shrunk.dropped ? { droppedTransactions: shrunk.dropped } : {}),
      ...(shrunk.twin ? { twin: shrunk.twin } : {}),
      ...(shrunk.shrinkStopped ? { shrinkStopped: shrunk.shrinkStopped } : {}),
      ...(shrunk.judgedAs ? { judgedAs: shrunk.judgedAs } : {}),
    },
    trace: shrunk.trace.events,
    replay,
    ...(shrunk.twins ? { twins: shrunk.twins } : {}),
  };
}

/** A failure that did not reproduce while shrinking (a timing-dependent candidate): reported as found, unshrunk. */
function unshrunkFailure(rule: string, seed: number, foundAtRun: number, replay: string) {
  return {
    message: `${ruleById(rule)?.id} failed on generated scenario ${foundAtRun}, but the failure did not reproduce when re-run: the candidate behaves differently on identical input (timing-dependent)`,
    violations: [],
    counterexample: { scenario: {}, seed, path: String(foundAtRun), shrinks: 0, foundAtRun, tracks: 0, transactions: 0 },
    trace: [],
    replay,
  };
}
