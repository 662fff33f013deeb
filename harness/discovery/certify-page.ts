/**
 * The EX rules: a store's discovery page calls `window.external.download(Type, IDs)` (protocol.md
 * §6). wmpcert plays the page — the candidate's own (`discoveryPage` on PluginCandidate) or one it
 * generates — in headless Chromium with a recording `external` (./page-browser.ts), then judges
 * every recorded call:
 *
 * - EX-01: Type is "CPTrackID", "CPAlbumID" or "CPListID", exactly;
 * - EX-02: IDs is a string of ";"-separated decimal DWORDs, no empty item (./page-call.ts);
 * - EX-03: each well-formed call becomes a download (./mapping.ts) played against the candidate's
 *   plug-in by the simulated Player; violations of the required DL rules there are EX-03's.
 *
 * Results are RuleResults shaped like every other rule's, so the report writers need nothing new.
 * Without Chromium the EX rules are skipped with the reason, never passed.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { scenarioTiming, type ScenarioTiming } from '../host/timing.ts';
import type { PluginCandidate } from '../protocol/types.ts';
import type { CertificationReport, RuleFailure, RuleResult, SkipCause, Violation } from '../report/model.ts';
import { decideVerdict } from '../report/verdict.ts';
import { attributePageFailure } from '../report/page-attribution.ts';
import { ruleById } from '../rules/catalog.ts';
import { judgePluginScenario } from '../rules/plugin-judge.ts';
import type { CertifyOptions, LoadedCandidate } from '../runner/certify.ts';
import { openSandbox } from '../sandbox/open-sandbox.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Trace, TraceEvent } from '../trace/events.ts';
import { toTraceValue } from '../trace/trace-value.ts';
import { generatePage, renderGeneratedPage, type GeneratedPage, type PageArg } from './generated-page.ts';
import { containersFor, derivedCatalog, scenarioForCall, type PageCatalog } from './mapping.ts';
import { openBrowser } from './browser-thread.ts';
import { PAGE_URL, chromiumPath, type PageBrowser, type PageRecording } from './page-browser.ts';
import { parseIds, quoteCall, typeProblem, wellFormed, type PageCall, type PageValue, type WellFormedCall } from './page-call.ts';

export const EX_RULES = ['EX-01', 'EX-02', 'EX-03'] as const;
export type ExRule = (typeof EX_RULES)[number];

/** Cases on the generated page when the run does not say. */
export const DEFAULT_PAGE_CASES = 8;
const MAX_VIOLATIONS = 20;
const MAX_PAGE_BYTES = 5 * 1024 * 1024;

export type ScenarioRunner = (scenario: Scenario, timing: ScenarioTiming) => Promise<Trace>;

export interface PageJudgeOptions {
  /** The run's seed: the generated page, the derived catalog and the cookies follow from it. */
  seed: number;
  /** Absolute path of the candidate module: a `discoveryPage` path is relative to its directory (else to the working directory). */
  modulePath?: string;
  /** How the candidate is named in a fallback replay command. */
  source?: string;
  /** A running browser (a test file launches one); otherwise one is launched and closed here. */
  browser?: PageBrowser;
  /** Where Chromium is when no browser is given (default: CHROMIUM_PATH, else /usr/bin/chromium). */
  executablePath?: string;
  /** Cases on the generated page (default 8). */
  pageCases?: number;
  /** The generated page's cases, given instead of generated (the catalog is then derived from them). */
  cases?: PageArg[][];
  /** Hard cap per scenario, ms (default 5000). */
  timeoutMs?: number;
  /** Plays one scenario against the candidate (certify passes its sandbox); default: runScenario in this thread. */
  run?: ScenarioRunner;
  replayCommand?(ruleId: string): string;
  log?(line: string): void;
}

export interface PageJudgement {
  /** EX-01, EX-02, EX-03, in that order, shaped like every RuleResult of the report. */
  rules: RuleResult[];
  /** `generated`, `inline HTML` or the page's path as the candidate gave it. */
  page: string;
  calls: PageCall[];
  /** Every URL the page's route handler saw: only the page's own when nothing tried to leave. */
  requests: string[];
  notes: string[];
}

interface PageSource { label: string; html: string | Buffer; generated?: GeneratedPage }

const isInlineHtml = (value: string) => value.trimStart().startsWith('<');

/** The page to play: the candidate's (a file next to its module, or inline HTML), or a generated one. */
export async function resolvePage(candidate: PluginCandidate, options: Pick<PageJudgeOptions, 'seed' | 'modulePath' | 'pageCases' | 'cases'>): Promise<PageSource> {
  const given: unknown = (candidate as { discoveryPage?: unknown }).discoveryPage;
  if (given === undefined) {
    if (options.cases) return { label: 'generated', html: renderGeneratedPage(options.cases) };
    const generated = generatePage(options.seed, options.pageCases ?? DEFAULT_PAGE_CASES);
    return { label: 'generated', html: renderGeneratedPage(generated.cases), generated };
  }
  if (typeof given !== 'string' || given.trim() === '') {
    throw new UsageError('wmpcert: discoveryPage must be a non-empty string: a path to an .html file (relative to the candidate module) or inline HTML starting with "<".');
  }
  if (isInlineHtml(given)) return { label: 'inline HTML', html: given };
  const extension = extname(given).toLowerCase();
  if (extension !== '.html' && extension !== '.htm') {
    throw new UsageError(`wmpcert: discoveryPage ${JSON.stringify(given)} is neither inline HTML (starting with "<") nor an .html file; give the path of the page's .html file, relative to the candidate module.`);
  }
  const base = options.modulePath ? dirname(options.modulePath) : process.cwd();
  const path = isAbsolute(given) ? given : resolve(base, given);
  let html: Buffer;
  try {
    html = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`wmpcert: discoveryPage ${JSON.stringify(given)} ${code === 'ENOENT' ? 'not found' : `cannot be read (${code ?? String(error)})`}: looked for ${path}; fix the path (it is relative to the candidate module).`, { cause: error });
  }
  if (html.byteLength > MAX_PAGE_BYTES) throw new UsageError(`wmpcert: discoveryPage ${JSON.stringify(given)} is larger than 5 MiB; a discovery page must be a self-contained page.`);
  return { label: given, html };
}

function baseResult(id: ExRule, cases: number): Omit<RuleResult, 'status'> {
  const rule = ruleById(id);
  if (!rule) throw new Error(`${id} is missing from harness/rules/catalog.ts`);
  return { id, family: rule.family, level: rule.level, statement: rule.statement, cases };
}

export function skippedPageRules(reason: string, skipCause: SkipCause, ids: readonly ExRule[] = EX_RULES): RuleResult[] {
  return ids.map((id) => ({ ...baseResult(id, 0), status: 'skipped', reason, skipCause }));
}

/** A page value as the trace records candidate values (JSON-safe, strings exact). */
function traceValueOf(value: PageValue): unknown {
  switch (value.type) {
    case 'string': return value.value;
    case 'null': return null;
    case 'boolean': return value.text === 'true';
    case 'number': { const n = Number(value.text); return Number.isFinite(n) && !Object.is(n, -0) ? n : { $type: 'number', text: value.text }; }
    case 'undefined': return toTraceValue(undefined);
    case 'bigint': case 'function': case 'symbol': case 'object': return { $type: value.type, text: value.text };
  }
}

/** The page's calls as trace events: a note for each harness step, then the call and its (undefined) return. */
function pageTrace(calls: readonly PageCall[]): { events: TraceEvent[]; seqOf: Map<number, number> } {
  const events: TraceEvent[] = [];
  const seqOf = new Map<number, number>();
  let step = '';
  for (const call of calls) {
    if (call.after !== step) {
      step = call.after;
      events.push({ type: 'note', seq: events.length, at: call.at, text: `discovery page: ${step}` });
    }
    seqOf.set(call.index, events.length);
    events.push(...callEvents(call, events.length));
  }
  return { events, seqOf };
}

function callEvents(call: PageCall, seq: number): TraceEvent[] {
  const base = { callId: call.index, from: 'plugin' as const, to: 'player' as const, method: 'External.download' };
  return [
    { type: 'call', seq, at: call.at, ...base, args: call.args.map(traceValueOf) },
    { type: 'return', seq: seq + 1, at: call.at, ...base, value: toTraceValue(undefined) },
  ];
}

function callSummary(call: PageCall) {
  return { index: call.index, after: call.after, argc: call.argc, args: call.args.map(traceValueOf), quoted: quoteCall(call) };
}

interface CallJudgement { call: PageCall; problem: string | undefined }

/** EX-01 / EX-02 over every call: each malformed call is a violation quoting the page's own call. */
function syntaxResult(id: 'EX-01' | 'EX-02', calls: PageCall[], judged: CallJudgement[], page: string, trace: ReturnType<typeof pageTrace>, seed: number, replay: string): RuleResult {
  const base = baseResult(id, calls.length);
  const bad = judged.filter((each) => each.problem !== undefined);
  if (bad.length === 0) return { ...base, status: 'passed' };
  const violations: Violation[] = bad.slice(0, MAX_VIOLATIONS).map(({ call, problem }) => ({
    rule: id, message: `page call #${call.index} ${quoteCall(call)} (${call.after}): ${problem}`, events: [trace.seqOf.get(call.index)!],
  }));
  const first = bad[0]!.call;
  const failure: RuleFailure = {
    message: violations[0]!.message + (bad.length > 1 ? ` (and ${bad.length - 1} more malformed call${bad.length > 2 ? 's' : ''})` : ''),
    violations,
    counterexample: { scenario: { page, call: callSummary(first) }, seed, path: `page:${first.index}`, shrinks: 0, foundAtRun: first.index - 1, tracks: 0, transactions: 0 },
    trace: trace.events,
    replay,
  };
  return { ...base, status: 'failed', failure };
}

interface PlayedCall { wellFormed: WellFormedCall; scenario: Scenario; trace: Trace; violations: Violation[] }

/** Shifts a scenario trace behind the page call that started it (seq 0 and 1). */
function withPageCall(call: PageCall, trace: Trace): TraceEvent[] {
  return [...callEvents(call, 0), ...trace.events.map((event) => ({ ...event, seq: event.seq + 2 }))];
}

/** The required DL rules' violations on one page call's download, as EX-03's. */
function downloadViolations(call: PageCall, scenario: Scenario, trace: Trace): Violation[] {
  const judgement = judgePluginScenario(scenario, trace);
  const found: Violation[] = [];
  for (const [rule, violations] of judgement.violations) {
    const info = ruleById(rule);
    if (!info || info.family !== 'DL' || info.level !== 'required') continue;
    for (const violation of violations) {
      found.push({
        rule: 'EX-03',
        message: `page call #${call.index} ${quoteCall(call)} (${call.after}) became a download the plug-in did not serve in full — ${rule}: ${violation.message}`,
        events: [0, ...violation.events.map((seq) => seq + 2)],
        ...(violation.cookie === undefined ? {} : { cookie: violation.cookie }),
        ...(violation.trackId === undefined ? {} : { trackId: violation.trackId }),
      });
    }
  }
  return found;
}

async function judgeDownloads(
  candidate: PluginCandidate, calls: WellFormedCall[], catalog: PageCatalog, options: PageJudgeOptions, notes: string[],
): Promise<PlayedCall[]> {
  // In this thread only when no sandbox is given: the simulated Player (and msw with it) is loaded then.
  const run = options.run ?? (async (scenario, timing) => (await import('../host/simulated-player.ts')).runScenario(candidate, scenario, timing));
  const timing = scenarioTiming(options.timeoutMs ?? 5_000);
  const played: PlayedCall[] = [];
  for (const [position, each] of calls.entries()) {
    if (played.some((call) => call.violations.length > 0)) {
      notes.push(`EX-03 failed on page call #${played.at(-1)!.wellFormed.call.index}: the ${calls.length - position} later well-formed call(s) were not played`);
      break;
    }
    const { containers, absent } = containersFor(each, catalog);
    const quoted = `page call #${each.call.index} ${quoteCall(each.call)}`;
    if (absent.length > 0) notes.push(`${quoted}: ${each.type} ${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} not in the catalog, so not in the list`);
    if (containers.length === 0) {
      notes.push(`${quoted} names nothing in the catalog: no download is started`);
      continue;
    }
    const scenario = scenarioForCall(containers, options.seed, each.call.index);
    const trace = await run(scenario, timing);
    played.push({ wellFormed: each, scenario, trace, violations: downloadViolations(each.call, scenario, trace) });
  }
  return played;
}

function downloadResult(played: PlayedCall[], page: string, catalog: PageCatalog, wellFormedCount: number, seed: number, replay: string): RuleResult {
  const base = baseResult('EX-03', played.length);
  if (played.length === 0) {
    const reason = wellFormedCount === 0
      ? 'no External.download call of the page was well-formed (EX-01, EX-02): there is no download to judge'
      : 'no well-formed External.download call of the page named anything in the catalog: there is no download to judge';
    // The page's own calls decided it: nothing of the machine's.
    return { ...base, status: 'skipped', reason, skipCause: 'candidate' };
  }
  // Playing stops at the first failing call: it is the counterexample.
  const first = played.find((each) => each.violations.length > 0);
  if (!first) return { ...base, status: 'passed' };
  const call = first.wellFormed.call;
  const violations = first.violations.slice(0, MAX_VIOLATIONS);
  const failure: RuleFailure = {
    message: violations[0]!.message,
    violations,
    counterexample: {
      scenario: { page, call: callSummary(call), catalog, ...first.scenario },
      seed, path: `page:${call.index}`, shrinks: 0, foundAtRun: call.index - 1,
      tracks: first.scenario.tracks.length, transactions: first.scenario.transactions.length,
    },
    trace: withPageCall(call, first.trace),
    replay,
  };
  return { ...base, status: 'failed', failure };
}

function noCallsReason(recording: PageRecording): string {
  if (recording.loadError) return `the discovery page did not load: ${recording.loadError}`;
  return 'the discovery page made no External.download call (wmpcert loads it, then clicks every <button> and [data-wmpcert-click] element once)';
}

/** The page played in Chromium: what it called, or why it could not be played (the EX rules are then skipped). */
export interface PagePlay {
  source: PageSource;
  recording?: PageRecording;
  /** Set when there is no recording: Chromium missing, did not start, or failed while playing. */
  skipReason?: string;
}

/**
 * Plays the page in headless Chromium and records its calls (no candidate code runs here: only the
 * page). Throws a UsageError only when the candidate's `discoveryPage` is unusable.
 */
export async function playPage(candidate: PluginCandidate, options: PageJudgeOptions, resolved?: PageSource): Promise<PagePlay> {
  const source = resolved ?? await resolvePage(candidate, options);
  let browser = options.browser;
  if (!browser) {
    const opened = await openBrowser(chromiumPath(options.executablePath));
    if (!opened.ok) return { source, skipReason: opened.reason };
    browser = opened.browser;
  }
  try {
    options.log?.(`playing the discovery page (${source.label}) in headless Chromium`);
    // Each button of the generated page makes exactly one call: wait for it rather than for quiet.
    return { source, recording: await browser.record(source.html, source.label === 'generated' ? { callsPerClick: 1, scriptedClicks: true } : {}) };
  } catch (error) {
    return { source, skipReason: `headless Chromium failed while playing the discovery page: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
  } finally {
    if (!options.browser) await browser.close();
  }
}

/** Judges EX-01…EX-03 on a played page: its well-formed calls become downloads played against the candidate. */
export async function judgePlayedPage(candidate: PluginCandidate, played: PagePlay, options: PageJudgeOptions): Promise<PageJudgement> {
  const { source, recording } = played;
  const replay = (id: string) => options.replayCommand?.(id) ?? `npx wmpcert certify ${options.source ?? '<candidate>'} --seed ${options.seed}`;
  const empty = (reason: string, skipCause: SkipCause, notes: string[] = []): PageJudgement =>
    ({ rules: skippedPageRules(reason, skipCause), page: source.label, calls: recording?.calls ?? [], requests: recording?.requests ?? [], notes });
  if (!recording) return empty(played.skipReason ?? 'the discovery page was not played', 'machine');

  const notes = [...recording.notes];
  for (const call of recording.calls) if (call.argc > 2) notes.push(`page call #${call.index} ${quoteCall(call)} passes ${call.argc} arguments: the ones after IDs are ignored`);
  const { calls } = recording;
  if (calls.length === 0) return empty(noCallsReason(recording), 'candidate', notes);

  const trace = pageTrace(calls);
  const ex01 = syntaxResult('EX-01', calls, calls.map((call) => ({ call, problem: typeProblem(call) })), source.label, trace, options.seed, replay('EX-01'));
  const ex02 = syntaxResult('EX-02', calls, calls.map((call) => {
    const parsed = parseIds(call.args[1]);
    return { call, problem: parsed.ok ? undefined : parsed.problems.join('; ') };
  }), source.label, trace, options.seed, replay('EX-02'));

  const good = calls.map(wellFormed).filter((each): each is WellFormedCall => each !== undefined);
  const catalog = source.generated?.catalog ?? derivedCatalog(good, options.seed);
  const downloads = await judgeDownloads(candidate, good, catalog, options, notes);
  const ex03 = downloadResult(downloads, source.label, catalog, good.length, options.seed, replay('EX-03'));
  return { rules: [ex01, ex02, ex03], page: source.label, calls, requests: recording.requests, notes };
}

/** Plays the page and judges EX-01…EX-03. Throws a UsageError only when the candidate's `discoveryPage` is unusable. */
export async function judgePage(candidate: PluginCandidate, options: PageJudgeOptions): Promise<PageJudgement> {
  return judgePlayedPage(candidate, await playPage(candidate, options), options);
}

/** Puts the EX results into a report (replacing any placeholder of the same ID) and recomputes the verdict. */
export function mergePageRules(report: CertificationReport, results: readonly RuleResult[], notes: readonly string[] = []): CertificationReport {
  const byId = new Map(results.map((result) => [result.id, result]));
  const placed = report.rules.map((rule) => byId.get(rule.id) ?? rule);
  for (const result of results) if (!report.rules.some((rule) => rule.id === result.id)) placed.push(result);
  const rules = attributePageFailure(placed);
  const { verdict, blockingFailures, unjudged } = decideVerdict(rules, report.level, report.stats.scenarios, report.stats.planned ?? report.stats.scenarios, report.shard ? 'shard' : 'whole');
  return {
    ...report, rules, blockingFailures, unjudged, verdict,
    notes: [...report.notes, ...notes.slice(0, 50).map((note) => `discovery page: ${note}`)],
  };
}

/** certify's hook for plug-in candidates: started before exploring, finished after it. */
export interface DiscoveryPageRun {
  /** Judges the played page (its downloads run through `run`, the candidate's sandbox) and merges the EX results into the report. */
  finish(report: CertificationReport, run: ScenarioRunner): Promise<CertificationReport>;
}

/**
 * Starts playing the candidate's discovery page in Chromium now, so that the browser's start and the
 * page overlap the exploration (Chromium runs in its own processes; the page runs no candidate code).
 * The page is judged in shard 1 only, so merged shards count its cases once. A bad `discoveryPage`
 * is a UsageError, met at once rather than after the exploration.
 */
export async function startDiscoveryPage(loaded: LoadedCandidate, options: CertifyOptions): Promise<DiscoveryPageRun> {
  const candidate = loaded.candidate;
  if (candidate.kind !== 'plugin') return { finish: async (report) => report };
  if (options.shard && options.shard.index !== 1) {
    const reason = `the discovery page is judged by shard 1 of ${options.shard.count}`;
    return { finish: async (report) => mergePageRules(report, skippedPageRules(reason, 'other-shard')) };
  }
  const pageOptions: PageJudgeOptions = {
    seed: options.seed, modulePath: loaded.modulePath, source: loaded.info.source, timeoutMs: options.timeoutMs,
    replayCommand: (id) => options.replayCommand(id), log: (line) => options.log(line),
    ...(options.browser ? { browser: options.browser } : {}),
  };
  const source = await resolvePage(candidate, pageOptions); // an unusable discoveryPage fails here, before exploring
  const playing = playPage(candidate, { ...pageOptions, log: undefined }, source);
  playing.catch(() => {}); // met in finish
  return {
    async finish(report, run) {
      const played = await playing;
      if (played.recording) options.log(`discovery page (${played.source.label}) played in headless Chromium: ${played.recording.calls.length} External.download call(s)`);
      const judged = await judgePlayedPage(candidate, played, { ...pageOptions, run });
      const merged = mergePageRules(report, judged.rules, judged.notes);
      // Said after attribution: a page download that failed a DL rule the exploration also failed is reported there, not as EX.
      for (const rule of merged.rules) {
        if (isPageRule(rule.id) && rule.status === 'failed') options.log(`${rule.id} failed on the discovery page (${rule.failure!.counterexample.path})`);
      }
      return merged;
    },
  };
}

/** Whether a rule ID is judged on the discovery page (replay dispatches those to replayPage). */
export function isPageRule(ruleId: string): boolean {
  return (EX_RULES as readonly string[]).includes(ruleId);
}

export interface PageReplayOptions { seed: number; path: string; ruleId: string; timeoutMs: number; browser?: PageBrowser; executablePath?: string }

/**
 * `wmpcert replay … --rule EX-0x`: plays the page again with the report's seed (the generated page
 * and the catalog follow from it) and says whether the rule still fails on the page call the
 * counterexample names (`page:<n>`). Shaped like harness/runner/replay.ts's ReplayResult.
 */
export async function replayPage(loaded: LoadedCandidate, options: PageReplayOptions): Promise<{ reproduced: boolean; message: string; trace: unknown[] }> {
  if (loaded.candidate.kind !== 'plugin') throw new UsageError(`wmpcert: ${options.ruleId} judges a plug-in's discovery page; this candidate is a player.`);
  const callIndex = /^page:([1-9][0-9]*)$/.exec(options.path)?.[1];
  if (callIndex === undefined) throw new UsageError(`wmpcert: ${JSON.stringify(options.path)} is not a discovery-page path (page:<n>); replay the report that holds this ${options.ruleId} failure.`);
  const sandbox = await openSandbox(loaded);
  let judged: PageJudgement;
  try {
    judged = await judgePage(loaded.candidate, {
      seed: options.seed, modulePath: loaded.modulePath, source: loaded.info.source, timeoutMs: options.timeoutMs,
      browser: options.browser, executablePath: options.executablePath, run: (scenario, timing) => sandbox.run(scenario, timing),
    });
  } finally {
    await sandbox.close();
  }
  const result = judged.rules.find((rule) => rule.id === options.ruleId);
  if (!result) throw new UsageError(`wmpcert: ${options.ruleId} is not a discovery-page rule (${EX_RULES.join(', ')}).`);
  const where = `seed ${options.seed}, ${options.path}`;
  if (result.status === 'skipped') return { reproduced: false, message: `${options.ruleId} could not be judged (${where}): ${result.reason ?? 'skipped'}`, trace: [] };
  const prefix = `page call #${callIndex} `;
  const onCall = result.failure?.violations.filter((violation) => violation.message.startsWith(prefix)) ?? [];
  if (onCall.length === 0) return { reproduced: false, message: `${options.ruleId} held on the replayed page call (${where})`, trace: [] };
  return {
    reproduced: true,
    message: [`${options.ruleId} fails again on the replayed page call (${where}):`, ...onCall.slice(0, 5).map((violation) => `  - ${violation.message}`)].join('\n'),
    trace: result.failure!.trace,
  };
}

export { PAGE_URL };
