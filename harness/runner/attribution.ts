/**
 * Attribution by cause (decision 10 of the rule catalog: one bug, one rule). DL-10 judges serving
 * a transaction that started after a fault, DL-12 one that carries edge values; each claims its
 * shrunk counterexample only when the twin without that context passes. When the twin fails, the
 * failure belongs to the rules the twin fails: such a rule that had not failed yet is given the
 * twin as its counterexample, and a rule that had already failed notes where else it showed.
 */
import type { TwinRecord, Violation } from '../report/model.ts';
import { TWIN_DESCRIPTIONS, tracksToHeal, twinScenario, type TwinKind, type TwinSpec } from '../rules/twins.ts';
import { analyseDownloads, hasEdgeValues } from '../rules/download-analysis.ts';
import { NOT_CARRIED_EXACTLY } from '../rules/download-rules.ts';
import { backendFaultProblems, decisionProblems, extraCalls, missingTracks, urlProblems } from '../rules/transaction-findings.ts';
import { judgePluginScenario, type ScenarioJudgement } from '../rules/plugin-judge.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Trace } from '../trace/events.ts';

/** The context rules, the twin that takes their context away, and what a note says of them. */
const CONTEXTS: readonly { rule: string; twin: TwinKind; seen: string }[] = [
  { rule: 'DL-10', twin: 'without-earlier-faults', seen: 'after faults' },
  { rule: 'DL-12', twin: 'ordinary-values', seen: 'with edge values' },
];

/** The rules that judge serving a transaction in full: the base rules and the context rules. */
const SERVING_RULES = ['DL-02', 'DL-03', 'DL-06', 'DL-07', 'DL-08', 'DL-10', 'DL-12'];

/** The rule of concurrent transactions mixed up, and what a mix-up also breaks in the transactions it mixed. */
const MIX_UP_RULE = 'DL-04';
const MIX_UP_CONSEQUENCES: readonly { rule: string; seen: string }[] = [
  { rule: 'DL-02', seen: 'as tracks left without a call' },
  { rule: 'DL-03', seen: 'as tracks called twice' },
];

/**
 * The base rules whose failure in a transaction already in flight when another's fault came (a
 * worker that dies, a circuit breaker that opens) can be that fault's consequence: DL-10's liveness.
 */
const IN_FLIGHT_CONSEQUENCES = ['DL-02', 'DL-07'];
const LIVENESS_RULE = 'DL-10';

/** The base rule about a fault of the transaction's own. */
const FAULT_RULE = 'DL-08';

/** The base rule of each kind of serving finding (transaction-findings.ts). */
const BASE_RULES_BY_KIND = [
  ['DL-02', missingTracks], ['DL-03', extraCalls], ['DL-06', urlProblems], ['DL-07', decisionProblems], ['DL-08', backendFaultProblems],
] as const;

/** The base rules whose findings the transactions with these cookies have, whatever their context. */
function baseRulesOf(scenario: Scenario, trace: Trace, cookies: readonly number[]): string[] {
  const analysis = analyseDownloads(scenario, trace.events);
  const failing = analysis.transactions.filter((facts) => facts.started && !facts.empty && !facts.listFault && cookies.includes(facts.spec.cookie));
  return BASE_RULES_BY_KIND.filter(([, findings]) => failing.some((facts) => findings(facts, analysis).length > 0)).map(([rule]) => rule);
}

export interface AttributedCase {
  scenario: Scenario;
  trace: Trace;
  violations: Violation[];
  path: string;
  shrinks: number;
  twin?: TwinSpec;
  twins?: TwinRecord[];
  /** Transactions the deletion pass took out of the scenario at `path` (scenario-executor.ts). */
  dropped?: number[];
  /** The rule whose check shows this failure in its counterexample, when it is not the rule's own. */
  judgedAs?: string;
}

export interface Attribution {
  /** Context rules whose failure belongs to other rules, with the twin that showed it. */
  released: Map<string, TwinRecord>;
  /** Failures given to rules through a twin (rules that had not failed themselves), with the run where the context rule failed. */
  assigned: Map<string, { shrunk: AttributedCase; foundAtRun: number }>;
  /** Twins that confirmed a context rule's claim. */
  confirmed: Map<string, TwinRecord>;
  /** Per rule, where else its failure showed. */
  notes: Map<string, string[]>;
}

type Execute = (scenario: Scenario) => Promise<{ trace: Trace; judgement: ScenarioJudgement }>;
type Executed = Awaited<ReturnType<Execute>>;

/**
 * How many runs a decision of attribution takes before it concludes that a scenario does not show
 * a failure (a twin passes, a mix-up is not there). A plug-in with a race (two threads sharing a
 * member, a retry timer against the next transaction) may hide its bug in one run, on a loaded
 * machine especially, and one passing twin would then hand the failure to a context rule (a COM
 * DLL's cookie mix-up reported as DL-04 and DL-10). A plug-in without one runs alike every time:
 * the extra runs of a passing twin cost a few short scenarios, once per failing context rule.
 */
const ATTRIBUTION_RUNS = 3;

/** Runs the scenario until `shows` holds of a run, at most ATTRIBUTION_RUNS times: the last run, and whether it showed it. */
async function runUntil(execute: Execute, scenario: Scenario, shows: (executed: Executed) => boolean): Promise<{ executed: Executed; shown: boolean }> {
  for (let run = 1; ; run++) {
    const executed = await execute(scenario);
    const shown = shows(executed);
    if (shown || run === ATTRIBUTION_RUNS) return { executed, shown };
  }
}

/** Whether a run breaks any of these rules. */
const breaksAny = (rules: readonly string[]) => (executed: Executed) => rules.some((rule) => executed.judgement.violations.has(rule));

export async function attributeByCause(
  shrunk: ReadonlyMap<string, AttributedCase>, firstFailure: ReadonlyMap<string, number>, execute: Execute,
): Promise<Attribution> {
  const result: Attribution = { released: new Map(), assigned: new Map(), confirmed: new Map(), notes: new Map() };
  const note = (rule: string, text: string) => result.notes.set(rule, [...(result.notes.get(rule) ?? []), text]);
  for (const context of CONTEXTS) {
    const found = shrunk.get(context.rule);
    if (!found) continue;
    // A cookie or ID not carried bit-exactly is DL-12's own finding: no twin could give it to another rule.
    if (found.violations.some((violation) => violation.message.endsWith(NOT_CARRIED_EXACTLY))) continue;
    const cookies = [...new Set(found.violations.flatMap((violation) => violation.cookie === undefined ? [] : [violation.cookie]))];
    let twin: TwinSpec = context.twin === 'without-earlier-faults'
      ? { kind: context.twin, cookies, healed: tracksToHeal(analyseDownloads(found.scenario, found.trace.events), new Set(cookies)) }
      : { kind: context.twin, cookies };
    let twinned = twinScenario(found.scenario, twin);
    let { executed } = await runUntil(execute, twinned, breaksAny(SERVING_RULES));
    const other = SERVING_RULES.filter((rule) => rule !== context.rule && executed.judgement.violations.has(rule));
    // A twin that still meets the context (a fault its own transactions share with earlier ones) does
    // not pass: what went wrong is named by the base rules its findings are of, judged in the twin.
    let inconclusive = other.length === 0 && executed.judgement.violations.has(context.rule);
    let failed = inconclusive ? baseRulesOf(twinned, executed.trace, cookies) : other;
    if (inconclusive && context.twin === 'without-earlier-faults' && !failed.includes(FAULT_RULE)) {
      // Unless no fault at all is needed: the same scenario with every fault taken away. (Not when the
      // finding is about a fault of the transaction's own (DL-08): without it there is nothing to judge.)
      const faultless: TwinSpec = { ...twin, healed: found.scenario.tracks.map((track) => track.id) };
      const healed = twinScenario(found.scenario, faultless);
      const { executed: again, shown: breaks } = await runUntil(execute, healed, breaksAny(SERVING_RULES));
      if (!breaks) failed = [];
      else if (!again.judgement.violations.has(context.rule)) {
        twin = faultless; twinned = healed; executed = again; inconclusive = false;
        failed = SERVING_RULES.filter((rule) => rule !== context.rule && again.judgement.violations.has(rule));
      }
    }
    const record: TwinRecord = { kind: context.twin, description: TWIN_DESCRIPTIONS[context.twin], of: context.rule, failed };
    if (failed.length === 0) {
      // The twin passes: the context is the cause.
      result.confirmed.set(context.rule, record);
      continue;
    }
    result.released.set(context.rule, record);
    note(context.rule, `its shrunk counterexample fails ${failed.join(', ')} just the same as ${TWIN_DESCRIPTIONS[context.twin]}: the failure is reported there, not here`);
    for (const rule of failed) {
      note(rule, `also seen ${context.seen} (${context.rule}'s counterexample; its twin, ${TWIN_DESCRIPTIONS[context.twin]}, fails ${rule} too)`);
      if (shrunk.has(rule) || result.assigned.has(rule)) continue;
      // Judged in the twin under the context rule when the twin kept the context (replay checks the same).
      const judgedAs = inconclusive ? context.rule : rule;
      result.assigned.set(rule, {
        shrunk: {
          scenario: twinned, trace: executed.trace, violations: executed.judgement.violations.get(judgedAs)!, path: found.path, shrinks: found.shrinks,
          ...(found.dropped ? { dropped: found.dropped } : {}), twin, twins: [record], ...(inconclusive ? { judgedAs } : {}),
        },
        foundAtRun: firstFailure.get(context.rule) ?? 0,
      });
    }
  }
  await attributeMixUps(shrunk, execute, result, note);
  await attributeInFlightStarvation(shrunk, firstFailure, execute, result, note);
  await attributeEdgeValuesInPurchases(shrunk, firstFailure, execute, result, note);
  return result;
}

/** The rule of what a Buy asks the store for, and the edge-values rule that may own its failure. */
const PURCHASE_RULE = 'BY-05';
const EDGE_VALUES_RULE = 'DL-12';

/**
 * A Buy's list carries the same values as a download's: a plug-in disturbed by an unknown container
 * type or an ID ≥ 2^31 buys the wrong tracks as it downloads the wrong ones. Such a BY-05 failure is
 * DL-12's when its twin with ordinary values passes.
 */
async function attributeEdgeValuesInPurchases(
  shrunk: ReadonlyMap<string, AttributedCase>, firstFailure: ReadonlyMap<string, number>, execute: Execute,
  result: Attribution, note: (rule: string, text: string) => void,
): Promise<void> {
  const found = shrunk.get(PURCHASE_RULE);
  if (!found || result.released.has(EDGE_VALUES_RULE) || !(found.scenario.flows?.purchases ?? []).some(hasEdgeValues)) return;
  const twin: TwinSpec = { kind: 'ordinary-values', cookies: [] };
  const { shown: breaks } = await runUntil(execute, twinScenario(found.scenario, twin), breaksAny([PURCHASE_RULE]));
  if (breaks) return;
  const description = TWIN_DESCRIPTIONS['ordinary-values'];
  const record: TwinRecord = { kind: 'ordinary-values', description, of: PURCHASE_RULE, failed: [] };
  result.released.set(PURCHASE_RULE, record);
  note(PURCHASE_RULE, `its shrunk counterexample passes as ${description}: the purchase went wrong on edge values in the Buy's list, reported under ${EDGE_VALUES_RULE}, not here`);
  if (shrunk.has(EDGE_VALUES_RULE) || result.assigned.has(EDGE_VALUES_RULE)) {
    note(EDGE_VALUES_RULE, `also seen in purchases (${PURCHASE_RULE}'s counterexample; ${description} pass)`);
    return;
  }
  result.assigned.set(EDGE_VALUES_RULE, { shrunk: { ...found, twins: [record], judgedAs: PURCHASE_RULE }, foundAtRun: firstFailure.get(PURCHASE_RULE) ?? 0 });
}

/**
 * A transaction in flight when another transaction's fault came is not "later" for DL-10's check,
 * yet a plug-in whose worker dies or whose breaker opens on that fault starves it (DL-02) or fails
 * it (DL-07) just the same. Such a failure is DL-10's when the twin without the faults the failing
 * transactions did not meet themselves passes: the fault elsewhere is all it needs.
 */
async function attributeInFlightStarvation(
  shrunk: ReadonlyMap<string, AttributedCase>, firstFailure: ReadonlyMap<string, number>, execute: Execute,
  result: Attribution, note: (rule: string, text: string) => void,
): Promise<void> {
  if (result.released.has(LIVENESS_RULE)) return;
  const description = TWIN_DESCRIPTIONS['without-earlier-faults'];
  for (const rule of IN_FLIGHT_CONSEQUENCES) {
    const found = shrunk.get(rule);
    if (!found || result.released.has(rule)) continue;
    const cookies = [...new Set(found.violations.flatMap((violation) => violation.cookie === undefined ? [] : [violation.cookie]))];
    const analysis = analyseDownloads(found.scenario, found.trace.events);
    if (cookies.length === 0 || analysis.faults.length === 0) continue;
    const twin: TwinSpec = { kind: 'without-earlier-faults', cookies, healed: tracksToHeal(analysis, new Set(cookies)) };
    const twinned = twinScenario(found.scenario, twin);
    const { executed } = await runUntil(execute, twinned, breaksAny([...SERVING_RULES, MIX_UP_RULE]));
    const failed = [...SERVING_RULES, MIX_UP_RULE].filter((each) => executed.judgement.violations.has(each));
    if (failed.length > 0) continue;
    const record: TwinRecord = { kind: 'without-earlier-faults', description, of: rule, failed };
    result.released.set(rule, record);
    note(rule, `its shrunk counterexample passes as ${description}: the transaction was in flight when another one's fault came, and what it suffered is the plug-in's liveness after faults (${LIVENESS_RULE}), reported there, not here`);
    if (shrunk.has(LIVENESS_RULE) || result.assigned.has(LIVENESS_RULE)) {
      note(LIVENESS_RULE, `also seen in a transaction in flight when the fault came (${rule}'s counterexample; ${description} pass)`);
      continue;
    }
    // Judged by the base rule's check (the transaction is not after the fault): replay checks the same.
    result.assigned.set(LIVENESS_RULE, {
      shrunk: { ...found, twins: [record], judgedAs: rule },
      foundAtRun: firstFailure.get(rule) ?? 0,
    });
  }
}

/**
 * A cookie mix-up (DL-04) leaves tracks of the transactions it mixed without their call (DL-02) or
 * with two (DL-03). Such a failure is DL-04's when its own counterexample shows a mix-up — a call
 * under the wrong cookie (DL-04), or one transaction's call gone to another (a track left without
 * its call where another has one too many; when both list the track, no single call is wrong) —
 * and the same transactions, one at a time, pass: concurrency, which the mix-up needs, is all it needs.
 */
async function attributeMixUps(
  shrunk: ReadonlyMap<string, AttributedCase>, execute: Execute, result: Attribution, note: (rule: string, text: string) => void,
): Promise<void> {
  if (!shrunk.has(MIX_UP_RULE)) return;
  for (const consequence of MIX_UP_CONSEQUENCES) {
    // Its own counterexample, or the one a context rule's twin gave it.
    const found = shrunk.get(consequence.rule) ?? result.assigned.get(consequence.rule)?.shrunk;
    if (!found || result.released.has(consequence.rule)) continue;
    // By what its transactions show, whatever context rule judged them (after faults, edge values).
    const cookies = found.scenario.transactions.map((tx) => tx.cookie);
    const showsMixUp = (run: Executed) => run.judgement.violations.has(MIX_UP_RULE)
      || MIX_UP_CONSEQUENCES.every(({ rule }) => baseRulesOf(found.scenario, run.trace, cookies).includes(rule));
    // Its own run first: the failure it recorded is what a mix-up there explains (a race may not come back in a new run).
    const recorded: Executed = { trace: found.trace, judgement: judgePluginScenario(found.scenario, found.trace) };
    if (!showsMixUp(recorded) && !(await runUntil(execute, found.scenario, showsMixUp)).shown) continue;
    const twin: TwinSpec = { kind: 'one-at-a-time', cookies: [] };
    const { executed: alone } = await runUntil(execute, twinScenario(found.scenario, twin), breaksAny([...SERVING_RULES, MIX_UP_RULE]));
    const failed = [...SERVING_RULES, MIX_UP_RULE].filter((rule) => alone.judgement.violations.has(rule));
    if (failed.length > 0) continue;
    const description = TWIN_DESCRIPTIONS['one-at-a-time'];
    if (result.assigned.delete(consequence.rule) && !shrunk.has(consequence.rule)) {
      note(MIX_UP_RULE, `also seen ${consequence.seen} (given to ${consequence.rule} by a context rule's twin; ${description} do not show it)`);
      continue;
    }
    result.released.set(consequence.rule, { kind: 'one-at-a-time', description, of: consequence.rule, failed });
    note(consequence.rule, `its shrunk counterexample mixes up the cookies of concurrent transactions (${MIX_UP_RULE}), and ${description} pass: the failure is reported under ${MIX_UP_RULE}, not here`);
    note(MIX_UP_RULE, `also seen ${consequence.seen} (${consequence.rule}'s counterexample, which ${description} do not show)`);
  }
}
