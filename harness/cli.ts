/**
 * The wmpcert command line (contract §6). Exit status: 0 certified, 1 not certified (for replay:
 * the failure reproduced), 2 a usage or set-up error, printed as one line on stderr.
 *
 * Heavy modules (the engine, ajv, the report writers) are imported only by the command that needs
 * them, after the seed is printed: `rules` and a typo answer at once, and a crash still leaves the
 * seed on screen.
 */
import { randomInt } from 'node:crypto';
import { access, constants, mkdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import type { CertificationReport, RuleResult } from './report/model.ts';
import type { MergeProblem } from './report/merge.ts';
import type { LoadedCandidate } from './runner/certify.ts';
import { FAMILY_TITLES, RULES, type RuleFamily, type RuleLevel } from './rules/catalog.ts';
import { UsageError } from './errors.ts';
import * as messages from './messages.ts';
import { loadCandidate, loadCandidateInWorker } from './adapters/load-candidate.ts';
import { defaultOutDir } from './report/output-dir.ts';

const USAGE = `wmpcert: conformance certification of Windows Media Player content-partner plug-ins and players

Usage:
  wmpcert certify <candidate.ts|.js> [options]     certify a plug-in or player module
  wmpcert certify --exec "<command>" [options]     certify a plug-in run as a command (JSON-RPC on stdio)
  wmpcert certify <plugin.dll> [--clsid GUID]      certify a COM plug-in DLL (through the bridge; Wine off Windows)
  wmpcert replay <report.json> --rule <ID>         re-run one failing rule's counterexample (seed + path)
  wmpcert report merge <report.json...> --out DIR  merge the reports of shards
  wmpcert rules [--json]                           print the rule catalog
  wmpcert --version                                print wmpcert's version

Options of certify:
  --runs N          generated scenarios (default 100)
  --seed S          32-bit integer seed (default: a random one; printed first)
  --out DIR         where the reports go (default reports/<candidate name>/)
  --level L         which failures block: required (default) or recommended
  --shard i/n       run only the i-th of n shards
  --timeout-ms N    hard cap per scenario, in milliseconds (default 5000)
  --clsid GUID      the class of a COM DLL to certify (default: the one its type library names)

Exit status: 0 certified, 1 not certified (replay: the failure reproduced), 2 usage or set-up error.
Set WMPCERT_DEBUG=1 to see the stack behind an error.
`;

const DEFAULT_RUNS = 100;
const DEFAULT_TIMEOUT_MS = 5000;
/** setTimeout fires at once for anything longer. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
const MIN_SEED = -(2 ** 31);
const MAX_SEED = 2 ** 32 - 1;

/** What each option's value must be, for the message when it is missing or wrong. */
const EXPECTED: Record<string, string> = {
  runs: 'a positive integer',
  seed: `an integer from ${MIN_SEED} to ${MAX_SEED}`,
  out: 'a folder',
  level: '"required" or "recommended"',
  shard: '"i/n" with 1 <= i <= n, e.g. 2/4',
  'timeout-ms': `a positive integer of milliseconds, at most ${MAX_TIMEOUT_MS}`,
  exec: 'a command line, in quotes',
  rule: 'a rule ID such as DL-02',
};

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

const CERTIFY_OPTIONS = {
  runs: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  level: { type: 'string' },
  shard: { type: 'string' },
  'timeout-ms': { type: 'string' },
  exec: { type: 'string' },
  clsid: { type: 'string' },
  ...HELP_OPTION,
} as const;

const REPLAY_OPTIONS = { rule: { type: 'string' }, ...HELP_OPTION } as const;
const RULES_OPTIONS = { json: { type: 'boolean' }, ...HELP_OPTION } as const;
const MERGE_OPTIONS = { out: { type: 'string' }, ...HELP_OPTION } as const;

type OptionTable = typeof CERTIFY_OPTIONS | typeof REPLAY_OPTIONS | typeof RULES_OPTIONS | typeof MERGE_OPTIONS;

async function run(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      process.stderr.write(USAGE);
      return 2;
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case '--version':
    case '-v':
    case 'version': {
      const { HARNESS_VERSION } = await import('./version.ts');
      console.log(HARNESS_VERSION);
      return 0;
    }
    case 'certify':
      return certifyCommand(rest);
    case 'replay':
      return replayCommand(rest);
    case 'rules':
      return rulesCommand(rest);
    case 'report':
      return reportCommand(rest);
    default:
      throw new UsageError(command.startsWith('-') ? messages.unknownOption(command) : messages.unknownCommand(command));
  }
}

// ---- certify -----------------------------------------------------------------------------------

type Target = { module: string } | { exec: string } | { dll: string; clsid?: string };

interface CertifySettings {
  target: Target;
  runs: number;
  seed: number;
  level: RuleLevel;
  shard: { index: number; count: number } | null;
  timeoutMs: number;
  out: string | undefined;
}

async function certifyCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, CERTIFY_OPTIONS);
  if (values.help) return printUsage();
  const settings = certifySettings(values, positionals);
  console.log(messages.seedLine(settings.seed));

  // Started ahead and loading in their own threads meanwhile: a module candidate's worker sandboxes
  // (while this thread loads the engine), and vitest for the rule suites (while the certification
  // runs). What the certification does not take over is ended on the way out.
  const startedEarly: (() => Promise<void>)[] = [];
  try {
    if ('module' in settings.target) {
      const { warmWorkerSandbox } = await import('./sandbox/warm-sandbox.ts');
      startedEarly.push(warmWorkerSandbox(resolve(settings.target.module)));
    }
    // The engine loads while the candidate starts (its worker, its process; this thread would only
    // wait for it).
    import('./runner/certify.ts').catch(() => {}); // an error is met again where it is used
    // And the report writers (from the sources, the report's schema compiles as they load: ~0.1 s).
    import('./report/write-report.ts').catch(() => {});
    // So does Chromium, for the discovery page (shard 1 judges it): its driver, playwright-core, is a
    // synchronous load of this thread that would otherwise stall the scenarios (a command's are
    // played from this thread).
    if (settings.shard === null || settings.shard.index === 1) {
      const { launchBrowserEarly } = await import('./discovery/browser-thread.ts');
      startedEarly.push(launchBrowserEarly());
    }
    return await certifyLoaded(settings, startedEarly);
  } finally {
    await Promise.all(startedEarly.map((end) => end()));
  }
}

async function certifyLoaded(settings: CertifySettings, startedEarly: (() => Promise<void>)[]): Promise<number> {
  const loaded = 'exec' in settings.target
    ? await loadExecCandidate(settings.target.exec)
    : 'dll' in settings.target
      ? await loadDllCandidate(settings.target.dll, settings.target.clsid)
      : await loadModuleCandidate(settings.target.module);
  try {
    return await certifyLoadedCandidate(loaded, settings, startedEarly);
  } finally {
    await loaded.dispose?.();
  }
}

/** A module candidate, described by its warmed worker sandbox (this thread does not import it), else loaded here. */
async function loadModuleCandidate(path: string): Promise<LoadedCandidate> {
  const { warmedLoading } = await import('./sandbox/warm-sandbox.ts');
  const loading = warmedLoading(resolve(path));
  return loading ? loadCandidateInWorker(path, () => loading) : loadCandidate(path);
}

async function certifyLoadedCandidate(loaded: LoadedCandidate, settings: CertifySettings, startedEarly: (() => Promise<void>)[]): Promise<number> {
  const outDir = resolve(settings.out ?? defaultOutDir(loaded.info.name));
  // Before the run, not after it: a bad --out should not cost a whole certification.
  await ensureWritableDir(outDir);
  const reportPath = join(outDir, 'report.json');
  loaded.info.fromReport = relative(outDir, loaded.modulePath ?? loaded.sourcePath ?? loaded.cwd ?? process.cwd()) || '.';
  const { startRuleSuitesEarly, suitesFor } = await import('./runner/run-suites.ts');
  startedEarly.push(startRuleSuitesEarly(reportPath, suitesFor(loaded.info.kind)));

  const { certify } = await import('./runner/certify.ts');
  const { ProgressReporter } = await import('./runner/progress.ts');
  const progress = new ProgressReporter({ stream: process.stdout, rules: RULES.filter((rule) => rule.side === loaded.info.kind).length });
  const report = await certify(loaded, {
    runs: settings.runs,
    seed: settings.seed,
    timeoutMs: settings.timeoutMs,
    level: settings.level,
    shard: settings.shard,
    replayCommand: (ruleId) => replayCommandFor(reportPath, ruleId),
    log: (line) => progress.log(line),
    onProgress: (event) => progress.onProgress(event),
  }).finally(() => progress.end());
  await writeReportFiles(report, outDir);
  await checkWithRuleSuites(report, reportPath);
  printVerdict(report);
  console.log(messages.reportWrittenLine(displayPath(reportPath)));
  return report.verdict === 'certified' ? 0 : 1;
}

/** The verdict, then what stands in its way: each blocking failure with its message and replay command, the rules left unjudged. */
function printVerdict(report: CertificationReport): void {
  console.log(messages.verdictLine(report.verdict, report.blockingFailures, report.unjudged ?? []));
  for (const id of report.blockingFailures) {
    const failure = report.rules.find((rule) => rule.id === id)?.failure;
    if (failure) console.log(messages.failedRuleLines(id, failure.message, failure.replay));
  }
  // One line per reason: a run cut short leaves most rules unjudged for the same one.
  const unjudgedBy = new Map<string, string[]>();
  for (const id of report.unjudged ?? []) {
    const reason = report.rules.find((each) => each.id === id)?.reason ?? 'not judged';
    unjudgedBy.set(reason, [...(unjudgedBy.get(reason) ?? []), id]);
  }
  for (const [reason, ids] of unjudgedBy) console.log(messages.unjudgedRuleLine(ids, reason));
  if (report.stats.scenarios === 0) console.log(messages.noScenarioRanLine());
}

/**
 * The rule suites in suites/ run through vitest against the written report: one test per rule, the
 * same suites a plug-in author runs in their own vitest. Their verdict must be the engine's.
 */
async function checkWithRuleSuites(report: CertificationReport, reportPath: string): Promise<void> {
  const { runRuleSuites, suitesFor } = await import('./runner/run-suites.ts');
  const outcome = await runRuleSuites(reportPath, suitesFor(report.candidate.kind));
  console.log(messages.suitesLine(outcome.passed.length, outcome.failed.length, outcome.skipped.length));
  const disagree = outcome.errors.length > 0
    || outcome.failed.length !== report.blockingFailures.length
    || outcome.failed.some((id) => !report.blockingFailures.includes(id));
  if (disagree) throw new Error(`the rule suites disagree with the certification (suites failed: ${outcome.failed.join(', ') || 'none'}; engine: ${report.blockingFailures.join(', ') || 'none'}${outcome.errors.length ? `; ${outcome.errors[0]}` : ''})`);
}

function certifySettings(
  values: { runs?: string; seed?: string; out?: string; level?: string; shard?: string; 'timeout-ms'?: string; exec?: string; clsid?: string },
  positionals: readonly string[],
): CertifySettings {
  if (positionals.length > 1) throw new UsageError(messages.unexpectedArgument('certify', positionals[1]!));
  return {
    target: certifyTarget(positionals[0], values.exec, values.clsid),
    runs: values.runs === undefined ? DEFAULT_RUNS : parsePositiveInteger('runs', values.runs, Number.MAX_SAFE_INTEGER),
    // A random default is drawn signed, the way fast-check prints seeds.
    seed: values.seed === undefined ? randomInt(MIN_SEED, -MIN_SEED) : parseSeed(values.seed),
    level: values.level === undefined ? 'required' : parseLevel(values.level),
    shard: values.shard === undefined ? null : parseShard(values.shard),
    timeoutMs: values['timeout-ms'] === undefined
      ? DEFAULT_TIMEOUT_MS
      : parsePositiveInteger('timeout-ms', values['timeout-ms'], MAX_TIMEOUT_MS),
    out: values.out === undefined ? undefined : nonEmpty('out', values.out),
  };
}

function certifyTarget(modulePath: string | undefined, command: string | undefined, clsid: string | undefined): Target {
  if (modulePath !== undefined && command !== undefined) throw new UsageError(messages.candidateAndExec(modulePath, command));
  const isDll = modulePath !== undefined && /\.dll$/i.test(modulePath);
  if (clsid !== undefined && !isDll) throw new UsageError(messages.clsidWithoutDll());
  if (command !== undefined) return { exec: nonEmpty('exec', command) };
  if (isDll) return { dll: modulePath, ...(clsid === undefined ? {} : { clsid: nonEmpty('clsid', clsid) }) };
  if (modulePath !== undefined) return { module: modulePath };
  throw new UsageError(messages.missingCandidate());
}

/** A COM plug-in DLL (contract §6): its bridge speaks the wire protocol. */
async function loadDllCandidate(path: string, clsid?: string): Promise<LoadedCandidate> {
  const { loadDllCandidate: load } = await import('./adapters/load-dll-candidate.ts');
  return load(path, clsid === undefined ? {} : { clsid });
}

/** A candidate run as a command (contract §4): the stdio JSON-RPC adapter plugs in here. */
async function loadExecCandidate(command: string, cwd?: string): Promise<LoadedCandidate> {
  const { loadExecCandidate: load } = await import('./adapters/load-exec-candidate.ts');
  return load(command, cwd);
}

async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(messages.outDirNotWritable(dir, error), { cause: error });
  }
}

async function writeReportFiles(report: CertificationReport, outDir: string): Promise<void> {
  const { writeReport } = await import('./report/write-report.ts');
  try {
    await writeReport(report, outDir);
  } catch (error) {
    // The disk said no (full, permissions changed mid-run): the user's to fix. Anything else is ours.
    if (isErrnoError(error)) throw new UsageError(messages.outDirNotWritable(outDir, error), { cause: error });
    throw error;
  }
}

// ---- replay ------------------------------------------------------------------------------------

async function replayCommand(args: readonly string[]): Promise<number> {
  const { values, positionals } = parse(args, REPLAY_OPTIONS);
  if (values.help) return printUsage();
  const [reportArgument, extra] = positionals;
  if (reportArgument === undefined) throw new UsageError(messages.missingArgument('replay', 'the path of a report.json'));
  if (extra !== undefined) throw new UsageError(messages.unexpectedArgument('replay', extra));
  if (values.rule === undefined) throw new UsageError(messages.missingOption('replay', '--rule', `<ID>, ${EXPECTED['rule']}`));
  const ruleId = nonEmpty('rule', values.rule).toUpperCase();

  const report = await readReport(reportArgument);
  const failed = report.rules.find((rule) => rule.id === ruleId && rule.status === 'failed');
  if (failed?.failure === undefined) {
    const failedIds = report.rules.filter((rule) => rule.status === 'failed').map((rule) => rule.id);
    throw new UsageError(messages.ruleDidNotFail(ruleId, reportArgument, failedIds));
  }
  // The candidate is found relative to the report (fromReport), so replay works from any folder.
  const located = report.candidate.fromReport === undefined ? undefined : resolve(dirname(resolve(reportArgument)), report.candidate.fromReport);
  const loaded = report.candidate.sourceType === 'exec'
    ? await loadExecCandidate(report.candidate.source, located)
    : report.candidate.sourceType === 'dll'
      ? await loadDllCandidate(located ?? report.candidate.source, report.candidate.dll?.clsid)
      : await loadCandidate(located ?? report.candidate.source);
  try {
    return await replayLoaded(loaded, report, ruleId, failed.failure);
  } finally {
    await loaded.dispose?.();
  }
}

async function replayLoaded(loaded: LoadedCandidate, report: CertificationReport, ruleId: string, failure: NonNullable<RuleResult['failure']>): Promise<number> {
  if (loaded.info.sha256 !== report.candidate.sha256) console.log(messages.candidateChangedNote(report.candidate.source));
  const { seed, path, twin, judgedAs, droppedTransactions } = failure.counterexample;
  console.log(messages.replayStartLine(ruleId, seed, path));

  const { replay } = await import('./runner/replay.ts');
  const outcome = await replay(loaded, { seed, path, ruleId, timeoutMs: report.timeoutMs, ...(twin ? { twin } : {}), ...(judgedAs ? { judgedAs } : {}), ...(droppedTransactions ? { droppedTransactions } : {}) });
  console.log(messages.replayOutcomeLine(outcome.message));
  return outcome.reproduced ? 1 : 0;
}

async function readReport(given: string): Promise<CertificationReport> {
  const absolute = resolve(given);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(messages.reportNotFound(given, absolute));
    throw new UsageError(messages.reportUnreadable(given, error), { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(messages.reportNotJson(given, error), { cause: error });
  }
  const validation = await import('./report/validate-report.ts');
  // An assertion function must be called through a name with a declared type.
  const validateReport: (value: unknown) => asserts value is CertificationReport = validation.validateReport;
  try {
    validateReport(value);
  } catch (error) {
    if (error instanceof validation.InvalidReportError) throw new UsageError(messages.reportInvalid(given, error.problems));
    throw error;
  }
  return value;
}

// ---- rules -------------------------------------------------------------------------------------

function rulesCommand(args: readonly string[]): number {
  const { values, positionals } = parse(args, RULES_OPTIONS);
  if (values.help) return printUsage();
  if (positionals.length > 0) throw new UsageError(messages.unexpectedArgument('rules', positionals[0]!));
  if (values.json) {
    console.log(JSON.stringify(RULES, null, 2));
    return 0;
  }
  const levelWidth = Math.max(...RULES.map((rule) => rule.level.length));
  const sections: string[] = [];
  for (const family of Object.keys(FAMILY_TITLES) as RuleFamily[]) {
    const rules = RULES.filter((rule) => rule.family === family);
    if (rules.length === 0) continue;
    sections.push([
      `${family}  ${FAMILY_TITLES[family]}`,
      ...rules.map((rule) => `  ${rule.id}  ${rule.level.padEnd(levelWidth)}  ${rule.statement}`),
    ].join('\n'));
  }
  console.log(sections.join('\n\n'));
  return 0;
}

// ---- report merge ------------------------------------------------------------------------------

async function reportCommand(args: readonly string[]): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === '--help' || subcommand === '-h') return printUsage();
  if (subcommand === undefined) throw new UsageError(messages.missingArgument('report', 'a subcommand: merge'));
  if (subcommand !== 'merge') throw new UsageError(messages.unknownCommand(`report ${subcommand}`));
  const { values, positionals } = parse(rest, MERGE_OPTIONS);
  if (values.help) return printUsage();
  if (positionals.length === 0) throw new UsageError(messages.missingArgument('report merge', 'one or more report.json files'));
  if (values.out === undefined) throw new UsageError(messages.missingOption('report merge', '--out', 'DIR'));
  const outDir = resolve(nonEmpty('out', values.out));

  // Every input is read and validated against the schema before any is trusted.
  const shards: CertificationReport[] = [];
  for (const given of positionals) shards.push(await readReport(given));
  const reportPath = join(outDir, 'report.json');
  const { mergeShardReports } = await import('./report/merge.ts');
  const merged = mergeShardReports(shards, { replayCommand: (ruleId) => replayCommandFor(reportPath, ruleId) });
  if (!merged.ok) throw new UsageError(mergeProblemMessage(merged.problem, positionals));
  // fromReport is relative to each shard's report: re-anchor it on the merged one.
  const from = shards[0]!.candidate.fromReport;
  if (from !== undefined) merged.report.candidate.fromReport = relative(outDir, resolve(dirname(resolve(positionals[0]!)), from)) || '.';

  await ensureWritableDir(outDir);
  await writeReportFiles(merged.report, outDir);
  console.log(messages.mergedLine(shards.length, merged.report.seed, merged.report.runs));
  printVerdict(merged.report);
  console.log(messages.reportWrittenLine(displayPath(reportPath)));
  return merged.report.verdict === 'certified' ? 0 : 1;
}

function mergeProblemMessage(problem: MergeProblem, given: readonly string[]): string {
  const name = (input: number) => given[input]!;
  switch (problem.kind) {
    case 'no-inputs':
      return messages.missingArgument('report merge', 'one or more report.json files');
    case 'not-a-shard':
      return messages.mergeInputNotAShard(name(problem.input));
    case 'shard-out-of-range':
      return messages.mergeShardOutOfRange(name(problem.input), problem.index, problem.count);
    case 'different-run':
      return messages.mergeDifferentRuns(name(0), name(problem.input), problem.field, problem.expected, problem.actual);
    case 'duplicate-shard':
      return messages.mergeDuplicateShard(name(problem.inputs[0]), name(problem.inputs[1]), problem.index, problem.count);
    case 'missing-shards':
      return messages.mergeMissingShards(problem.missing, problem.count);
  }
}

// ---- parsing -----------------------------------------------------------------------------------

function parse<T extends OptionTable>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFromParseArgs(error);
  }
}

/** parseArgs says what is wrong in prose; we keep the option it names and say it our way. */
function usageErrorFromParseArgs(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : '';
  const option = optionNamedIn(text);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(messages.unknownOption(option));
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (text.includes('does not take an argument')) return new UsageError(messages.optionTakesNoValue(option));
    if (text.includes('ambiguous')) return new UsageError(messages.optionValueLooksLikeOption(option, expectedFor(option)));
    return new UsageError(messages.badOptionValue(option, undefined, expectedFor(option)));
  }
  return error;
}

/** The option in parseArgs' first quoted span ("'-h, --help'", "'--runs <value>'"), long form preferred. */
function optionNamedIn(text: string): string {
  const names = (/'([^']+)'/.exec(text)?.[1] ?? '').split(/[\s,]+/).filter((word) => word.startsWith('-'));
  return names.find((name) => name.startsWith('--')) ?? names[0] ?? '(an option)';
}

function expectedFor(option: string): string {
  return EXPECTED[option.replace(/^-+/, '')] ?? 'a value';
}

function badValue(name: string, value: string): UsageError {
  return new UsageError(messages.badOptionValue(`--${name}`, value, expectedFor(name)));
}

function nonEmpty(name: string, value: string): string {
  if (value.trim() === '') throw badValue(name, value);
  return value;
}

function parsePositiveInteger(name: string, value: string, max: number): number {
  const number = /^\+?[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= 1 && number <= max)) throw badValue(name, value);
  return number;
}

/** Signed (as fast-check prints seeds) or unsigned 32-bit. */
function parseSeed(value: string): number {
  const number = /^[+-]?[0-9]+$/.test(value) ? Number(value) : Number.NaN;
  if (!(number >= MIN_SEED && number <= MAX_SEED)) throw badValue('seed', value);
  return number;
}

function parseLevel(value: string): RuleLevel {
  if (value === 'required' || value === 'recommended') return value;
  throw badValue('level', value);
}

/** `i/n`, 1-based as in vitest's --shard. */
function parseShard(value: string): { index: number; count: number } {
  const match = /^([0-9]+)\/([0-9]+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!(index >= 1 && index <= count && Number.isSafeInteger(count))) throw badValue('shard', value);
  return { index, count };
}

// ---- output ------------------------------------------------------------------------------------

function printUsage(): number {
  process.stdout.write(USAGE);
  return 0;
}

/** Relative when it lies under the working directory (as a user would type it), absolute otherwise. */
function displayPath(absolute: string): string {
  const fromCwd = relative(process.cwd(), absolute);
  const outside = fromCwd === '' || fromCwd === '..' || fromCwd.startsWith(`..${sep}`) || isAbsolute(fromCwd);
  return outside ? absolute : fromCwd;
}

/** The exact command that replays a failing rule of the report written to `reportPath`. */
function replayCommandFor(reportPath: string, ruleId: string): string {
  return `npx wmpcert replay ${shellQuote(displayPath(reportPath))} --rule ${shellQuote(ruleId)}`;
}

/** Quotes a word for a POSIX shell, only when it needs it, so the usual command stays readable. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

function isErrnoError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

function printError(message: string): void {
  // One line, whatever a path or a thrown message smuggled in.
  process.stderr.write(`${message.replace(/[\r\n]+/g, ' ')}\n`);
}

function printDebugStack(error: unknown): void {
  if (process.env['WMPCERT_DEBUG'] !== '1') return;
  const stack = error instanceof Error ? error.stack : undefined;
  if (stack !== undefined) process.stderr.write(`${stack}\n`);
}

/** Runs one command line and returns its exit status. Prints everything itself; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      printError(error.message);
      printDebugStack(error.cause ?? error);
      return error.exitCode;
    }
    printError(messages.internalError(error));
    printDebugStack(error);
    return 2;
  }
}

/** The process entry point (bin/wmpcert.js): run the command line, flush, exit. */
export async function runAsProcess(): Promise<never> {
  const exitCode = await main(process.argv.slice(2));
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  // Exit explicitly: a candidate may leave a timer or socket open, and CI must not hang after the verdict.
  process.exit(exitCode);
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolveFlush) => stream.write('', () => resolveFlush()));
}
