/**
 * Every line wmpcert shows a user, in one place (msw's habit). Each message is one line that says
 * what went wrong and ends with what to do next; the CLI prints it as it is.
 */
const TOOL = 'wmpcert';
const HELP_HINT = `Run "${TOOL} --help" for usage.`;
const CANDIDATE_SHAPE = 'a .ts or .js module whose default export is a plug-in or player candidate';

/** JSON quotes: the value stays visible, and one holding a newline still prints on one line. */
function quote(value: string): string {
  return JSON.stringify(value);
}

function line(text: string): string {
  return `${TOOL}: ${text}`;
}

/**
 * The first line of a message. A header that ends in ":" (esbuild's "Transform failed with 1
 * error:") is joined with the line after it, which is the one that says where the problem is.
 */
function firstLineOf(text: string): string {
  const lines = text.split(/\r?\n/).map((part) => part.trim()).filter((part) => part !== '');
  const first = lines[0] ?? '(no message)';
  const joined = first.endsWith(':') && lines[1] !== undefined ? `${first} ${lines[1]}` : first;
  // Our sentence goes on after it: "not set." + ". Fix..." would read "not set.. Fix...".
  return joined.replace(/\.+$/, '');
}

/** What was thrown, as one line: the error's name and the first line of its message, no stack. */
/** A thrown value in one line: `Name: first line of its message`, or its type and text when it is not an Error. */
export function oneLineError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${firstLineOf(error.message)}`;
  return `${typeof error}: ${firstLineOf(printable(error))}`;
}

/** String() of anything a module may throw; an object with no usable toString does not crash us. */
function printable(value: unknown): string {
  try {
    return String(value);
  } catch {
    return '(a value that cannot be printed)';
  }
}

// ---- the candidate -----------------------------------------------------------------------------

export function candidateNotFound(given: string, resolved: string): string {
  return line(`cannot find candidate ${quote(given)} (resolved to ${resolved}). Give the path of ${CANDIDATE_SHAPE}.`);
}

export function candidateIsADirectory(given: string, resolved: string): string {
  return line(`candidate ${quote(given)} is a directory (${resolved}). Give the path of ${CANDIDATE_SHAPE}, not its folder.`);
}

export function unsupportedCandidateFile(given: string, extension: string): string {
  const shown = extension === '' ? 'no extension' : `extension ${quote(extension)}`;
  return line(`candidate ${quote(given)} has ${shown}. Give the path of ${CANDIDATE_SHAPE} (.ts, .mts, .cts, .js, .mjs or .cjs).`);
}

export function moduleFailedToLoad(given: string, error: unknown): string {
  return moduleFailedToLoadWith(given, oneLineError(error));
}

/** moduleFailedToLoad, with the error already in one line (oneLineError, in the thread that met it). */
export function moduleFailedToLoadWith(given: string, errorLine: string): string {
  return line(`candidate ${quote(given)} failed to load: ${errorLine}. Fix the module so that importing it succeeds (WMPCERT_DEBUG=1 shows the stack).`);
}

export function candidateFailedInSandbox(path: string, problem: string): string {
  return line(`candidate ${quote(path)} could not be started in its sandbox (a worker thread): ${firstLineOf(problem)}. No scenario ran, so nothing was certified; fix the module so that it loads on its own (WMPCERT_DEBUG=1 shows the stack).`);
}

export function notACandidate(given: string, problems: readonly string[]): string {
  return line(`${quote(given)} is not a candidate: ${problems.join('; ')}. Export default { kind: "plugin" | "player", name, create(env) }: see "Writing a candidate" in wmpcert's README (node_modules/wmpcert/README.md).`);
}

export function missingCandidate(): string {
  return line(`certify needs a candidate: a module path or --exec "<command>". ${HELP_HINT}`);
}

export function candidateAndExec(given: string, command: string): string {
  return line(`certify got both a module (${quote(given)}) and --exec ${quote(command)}. Give one of them.`);
}

export function execNotSupportedYet(command: string): string {
  return line(`--exec ${quote(command)}: certifying a command is not supported yet. Certify a .ts or .js module for now.`);
}

// ---- the command line --------------------------------------------------------------------------

export function unknownCommand(command: string): string {
  return line(`unknown command ${quote(command)}. Commands: certify, replay, report merge, rules. ${HELP_HINT}`);
}

export function unknownOption(option: string): string {
  return line(`unknown option ${quote(option)}. ${HELP_HINT}`);
}

/** `value` is undefined when the option was given no value at all. */
export function badOptionValue(option: string, value: string | undefined, expected: string): string {
  if (value === undefined) return line(`${option} needs a value: ${expected}. ${HELP_HINT}`);
  return line(`${option} ${quote(value)} is not valid: expected ${expected}. Fix the value and run again.`);
}

/** parseArgs will not take a value that starts with "-" (a negative seed) unless it is attached with "=". */
export function optionValueLooksLikeOption(option: string, expected: string): string {
  return line(`${option} needs a value: ${expected}. A value starting with "-" must be attached: ${option}=VALUE.`);
}

export function optionTakesNoValue(option: string): string {
  return line(`${option} takes no value. Write ${option} alone.`);
}

export function missingOption(command: string, option: string, expected: string): string {
  return line(`${command} needs ${option} ${expected}. ${HELP_HINT}`);
}

export function unexpectedArgument(command: string, argument: string): string {
  return line(`${command} got an unexpected argument ${quote(argument)}. ${HELP_HINT}`);
}

export function missingArgument(command: string, what: string): string {
  return line(`${command} needs ${what}. ${HELP_HINT}`);
}

// ---- report merge ------------------------------------------------------------------------------

const MERGE_HINT = `Give the report.json of every shard of one "${TOOL} certify --shard i/n" run (same candidate, --seed, --runs, --level, --timeout-ms), each once.`;

export function mergeInputNotAShard(given: string): string {
  return line(`report ${quote(given)} is not the report of a shard (it was certified without --shard, or merged already). ${MERGE_HINT}`);
}

export function mergeShardOutOfRange(given: string, index: number, count: number): string {
  return line(`report ${quote(given)} names shard ${index}/${count}, which does not exist. ${MERGE_HINT}`);
}

/** `what` names the field the reports disagree on ("seed", "candidate"...). */
export function mergeDifferentRuns(firstGiven: string, otherGiven: string, what: string, expected: string, actual: string): string {
  return line(`reports ${quote(firstGiven)} and ${quote(otherGiven)} are not shards of one run: their ${what} differs (${quote(expected)} vs ${quote(actual)}). ${MERGE_HINT}`);
}

export function mergeDuplicateShard(firstGiven: string, otherGiven: string, index: number, count: number): string {
  const what = firstGiven === otherGiven
    ? `report ${quote(firstGiven)} (shard ${index}/${count}) is given twice`
    : `reports ${quote(firstGiven)} and ${quote(otherGiven)} are both shard ${index}/${count}`;
  return line(`${what}. ${MERGE_HINT}`);
}

export function mergeMissingShards(missing: readonly number[], count: number): string {
  const shards = missing.map((index) => `${index}/${count}`).join(', ');
  return line(`shard${missing.length === 1 ? '' : 's'} ${shards} ${missing.length === 1 ? 'is' : 'are'} missing: a merge needs all ${count}. ${MERGE_HINT}`);
}

export function mergedLine(shards: number, seed: number, runs: number): string {
  return line(`merged ${shards} shard${shards === 1 ? '' : 's'} of seed ${seed}, ${runs} runs`);
}

// ---- reports and replay ------------------------------------------------------------------------

export function outDirNotWritable(dir: string, error: unknown): string {
  return line(`cannot write the report to ${dir}: ${oneLineError(error)}. Give a writable folder with --out DIR.`);
}

export function reportNotFound(given: string, resolved: string): string {
  return line(`cannot find report ${quote(given)} (resolved to ${resolved}). Give the path of a report.json written by "${TOOL} certify".`);
}

export function reportUnreadable(given: string, error: unknown): string {
  return line(`cannot read report ${quote(given)}: ${oneLineError(error)}. Give the path of a readable report.json.`);
}

export function reportNotJson(given: string, error: unknown): string {
  return line(`report ${quote(given)} is not JSON (${oneLineError(error)}). Give the report.json written by "${TOOL} certify", unedited.`);
}

/** Shows the first few problems only: the line must stay readable. */
export function reportInvalid(given: string, problems: readonly string[]): string {
  const shown = problems.slice(0, 3).join('; ');
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return line(`report ${quote(given)} does not match the report schema: ${shown}${more}. Re-run "${TOOL} certify" to get a fresh report.`);
}

export function ruleDidNotFail(ruleId: string, given: string, failedRules: readonly string[]): string {
  const failed = failedRules.length === 0 ? 'no rule failed in it' : `rules that failed: ${failedRules.join(', ')}`;
  return line(`${ruleId} did not fail in ${quote(given)} (${failed}). Replay one of the rules that failed.`);
}

export function replayOfExecNotSupportedYet(command: string): string {
  return line(`report names the command ${quote(command)}: replaying a command candidate is not supported yet. Re-run "${TOOL} certify --exec" with the report's seed.`);
}

export function internalError(error: unknown): string {
  const message = error instanceof Error ? error.message : printable(error);
  return line(`internal error: ${firstLineOf(message)} (set WMPCERT_DEBUG=1 to see the stack)`);
}

// ---- outcome lines -----------------------------------------------------------------------------

export function seedLine(seed: number): string {
  return line(`seed ${seed}`);
}

export function verdictLine(verdict: 'certified' | 'not-certified', blockingFailures: readonly string[], unjudged: readonly string[] = []): string {
  if (verdict === 'certified') return line('certified');
  const why = [
    ...(blockingFailures.length > 0 ? [blockingFailures.join(', ')] : []),
    ...(unjudged.length > 0 ? [`not judged: ${unjudged.join(', ')}`] : []),
  ];
  return line(why.length === 0 ? 'NOT certified' : `NOT certified: ${why.join('; ')}`);
}

/** A blocking failure under the verdict: the rule, its message on one line, and the command that replays it. */
export function failedRuleLines(ruleId: string, message: string, replay: string): string {
  return `  ${ruleId}  ${firstLineOf(message)}\n         replay: ${replay}`;
}

/** Blocking rules the run could not judge, for one reason: the run is not certified, and the reason says what to do. */
export function unjudgedRuleLine(ruleIds: readonly string[], reason: string): string {
  return `  ${ruleIds.join(', ')}  not judged: ${firstLineOf(reason)}`;
}

export function noScenarioRanLine(): string {
  return '  no scenario ran: nothing was certified';
}

export function reportWrittenLine(reportPath: string): string {
  return line(`report ${reportPath}`);
}

export function candidateChangedNote(source: string): string {
  return line(`note: ${quote(source)} changed since the report was written (sha256 differs); replaying against the file as it is now.`);
}

export function replayStartLine(ruleId: string, seed: number, path: string): string {
  return line(`replaying ${ruleId} (seed ${seed}, path ${quote(path)})`);
}

/** The engine's own account of the replay (reproduced or not), which names the rule, seed and path. */
export function replayOutcomeLine(message: string): string {
  return line(message);
}

/** What the rule suites (vitest) concluded, one line. */
export function suitesLine(passed: number, failed: number, skipped: number): string {
  return `rule suites (vitest): ${passed} passed, ${failed} failed, ${skipped} skipped`;
}

/** The loopback HTTP server for an --exec candidate could not start. */
export function loopbackUnavailable(error: unknown): string {
  return `wmpcert: cannot start the loopback store server on 127.0.0.1 (${oneLineError(error)}). Free a local port or check the sandbox's network permissions.`;
}

/** An --exec command that does not start or does not answer initialize. */
export function execDidNotStart(command: string, error: unknown, stderr: string): string {
  const last = stderr.trim().split('\n').at(-1)?.slice(0, 200);
  const said = oneLineError(error);
  // The peer's error may quote the end of stderr already: the line says it once.
  const quoted = last !== undefined && last !== '' && said.includes(JSON.stringify(last).slice(1, -1));
  return `wmpcert: the plug-in command ${JSON.stringify(command)} did not start (${said}${last && !quoted ? `; its stderr: ${JSON.stringify(last)}` : ''}). Check the command runs on its own and answers "initialize" on stdout (README: "Plug-ins in any language").`;
}

// ---- COM plug-in DLLs (the bridge) -------------------------------------------------------------

export function notAWindowsDll(given: string): string {
  return line(`${quote(given)} is not a Windows DLL (no PE header marked as a DLL). Give the plug-in's COM DLL, the one regsvr32 would register.`);
}

export function dllMachineUnsupported(given: string, machine: number): string {
  return line(`${quote(given)} is built for machine 0x${machine.toString(16)}: the COM bridge hosts x64 and x86 DLLs only.`);
}

export function badClsid(given: string): string {
  return line(`--clsid ${quote(given)} is not a CLSID: write it as {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}.`);
}

export function clsidWithoutDll(): string {
  return line(`--clsid chooses a class of a COM DLL: give the DLL too, as in wmpcert certify store-plugin.dll --clsid {…}. ${HELP_HINT}`);
}

export function bridgeMissing(path: string, arch: string): string {
  return line(`the COM bridge for ${arch} DLLs is missing (${path}). Rebuild it with npm run build:bridge (Debian: apt-get install g++-mingw-w64-${arch === 'x64' ? 'x86-64' : 'i686'}).`);
}

export function wineMissing(arch: string): string {
  return arch === 'x64'
    ? line('certifying a COM DLL here needs Wine (the bridge is a Windows program): apt-get install wine64 (Debian/Ubuntu), or set WMPCERT_WINE to the wine64 loader.')
    : line('certifying a 32-bit COM DLL here needs 32-bit Wine: dpkg --add-architecture i386 && apt-get update && apt-get install wine32, or set WMPCERT_WINE to the wine loader.');
}

export function wineFailed(error: unknown): string {
  return line(`Wine could not be set up for the COM bridge (${oneLineError(error)}). Check that wine runs on its own (WINEDEBUG=-all wine64 cmd /c echo ok).`);
}

export function dllNotFound(given: string, resolved: string): string {
  return line(`cannot find the plug-in DLL ${quote(given)} (resolved to ${resolved}).`);
}

export function bridgeDidNotStart(dll: string, error: unknown, stderr: string): string {
  // The bridge says why on its last stderr line (no class found, a DLL that does not load, …).
  const said = stderr.trim().split('\n').at(-1)?.replace(/^wmpcert-com-host:\s*/, '').slice(0, 300);
  return line(`the COM bridge could not host ${quote(dll)}: ${said || oneLineError(error)}`);
}
