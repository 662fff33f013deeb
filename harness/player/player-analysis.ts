/**
 * Facts derived once from a probe scenario and its trace, shared by every PL rule: each transaction
 * (startDownload, the download it caused, the list as read, when it was in flight), each probe call
 * (the Player's answer, the media it fetched for it, whether that arrived whole), each completion
 * and the call it answers, the callbacks set, the library and the detach.
 */
import { isHResult, succeeded } from '../protocol/hresult.ts';
import type { CallEvent, HttpRequestEvent, HttpResponseEvent, ReturnEvent, TraceEvent } from '../trace/events.ts';
import { matchCompletions } from './completion-matching.ts';
import type { ProbeScenario, ProbeTransaction } from './probe-model.ts';
import { probePlan, type PlannedCall, type ProbePlan } from './probe-plan.ts';

export interface MediaExchange { request: HttpRequestEvent; response?: HttpResponseEvent }

export interface CompletionFacts {
  call: CallEvent;
  ret?: ReturnEvent;
  hr: unknown;
  contentId: unknown;
  params: unknown;
  /** The call it answers, if any. */
  answers?: ProbeCallFacts;
}

export interface ProbeCallFacts {
  planned: PlannedCall;
  call: CallEvent;
  ret?: ReturnEvent;
  /** The cookie the probe sent. */
  cookie: unknown;
  /** The Player returned a success HRESULT. */
  accepted: boolean;
  /** A listed track with a success hrDownload that the Player accepted: it owes one completion (PL-01). */
  owed: boolean;
  /** Media requests the Player made for this call's URL. */
  media: MediaExchange[];
  /** The media arrived whole: the URL serves a healthy body and the Player got its 200. */
  whole: boolean;
  completions: CompletionFacts[];
}

export interface ListRead {
  method: string;
  /** Container index, then item index, as the probe passed them. */
  indices: number[];
  call: CallEvent;
  ret?: ReturnEvent;
  outOfRange: boolean;
}

export interface TransactionFacts {
  index: number;
  spec: ProbeTransaction;
  startCall?: CallEvent;
  startReturn?: ReturnEvent;
  download?: CallEvent;
  downloadReturn?: ReturnEvent;
  /** The cookie the Player passed to download. */
  cookie: unknown;
  reads: ListRead[];
  calls: ProbeCallFacts[];
  /** From its download until its last call and owed completion (Infinity while one is still owed). */
  inFlight: { from: number; until: number };
}

export interface PlayerAnalysis {
  scenario: ProbeScenario;
  plan: ProbePlan;
  events: TraceEvent[];
  transactions: TransactionFacts[];
  calls: ProbeCallFacts[];
  completions: CompletionFacts[];
  /** download calls no startDownload asked for. */
  strayDownloads: CallEvent[];
  setCallbacks: CallEvent[];
  library?: { call: CallEvent; ret?: ReturnEvent };
  detach?: { call: CallEvent; ret?: ReturnEvent };
  created: boolean;
}

const LIST_GETTERS = new Set(['getTransactionType', 'getContainerCount', 'getContainer', 'getID', 'getPrice', 'getType', 'getContentCount', 'getContentPrice', 'getContentID']);

function isOutOfRange(spec: ProbeTransaction, method: string, indices: number[]): boolean {
  const [container, item] = indices;
  if (method === 'getContainer') return container! >= spec.containers.length;
  if (method === 'getContentPrice' || method === 'getContentID') return item! >= spec.containers[container!]!.items.length;
  return false;
}

/** A success HRESULT returned (not thrown, not timed out). */
export function returnedSuccess(ret: ReturnEvent | undefined): boolean {
  return ret !== undefined && !ret.threw && !ret.timedOut && isHResult(ret.value) && succeeded(ret.value);
}

export function analysePlayer(scenario: ProbeScenario, events: TraceEvent[]): PlayerAnalysis {
  const plan = probePlan(scenario);
  const returns = new Map<number, ReturnEvent>();
  const responses = new Map<number, HttpResponseEvent>();
  for (const event of events) {
    if (event.type === 'return') returns.set(event.callId, event);
    else if (event.type === 'http-response') responses.set(event.requestId, event);
  }

  const transactions: TransactionFacts[] = scenario.transactions.map((spec, index) => ({
    index, spec, cookie: undefined, reads: [], calls: [], inFlight: { from: Infinity, until: Infinity },
  }));
  const mediaByUrl = new Map<string, MediaExchange[]>();
  const calls: ProbeCallFacts[] = [];
  const completions: CompletionFacts[] = [];
  const strayDownloads: CallEvent[] = [];
  const setCallbacks: CallEvent[] = [];
  let library: PlayerAnalysis['library'];
  let detach: PlayerAnalysis['detach'];
  let created = false;

  for (const event of events) {
    if (event.type === 'http-request' && event.by === 'player') {
      const list = mediaByUrl.get(event.url) ?? [];
      list.push({ request: event, response: responses.get(event.requestId) });
      mediaByUrl.set(event.url, list);
      continue;
    }
    if (event.type !== 'call') continue;
    const ret = returns.get(event.callId);
    const transactionArg = (event.args[0] as { transaction?: number } | null)?.transaction;
    if (event.from === 'harness') {
      if (event.method === 'create') created = ret !== undefined && !ret.threw;
      else if (event.method === 'startDownload') Object.assign(transactions[transactionArg!]!, { startCall: event, startReturn: ret });
      else if (event.method === 'library') library = { call: event, ret };
      else if (event.method === 'detach') detach = { call: event, ret };
    } else if (event.from === 'player' && event.method === 'setCallback') {
      setCallbacks.push(event);
    } else if (event.from === 'player' && event.method === 'download') {
      if (transactionArg === undefined || transactionArg < 0) strayDownloads.push(event);
      else Object.assign(transactions[transactionArg]!, { download: event, downloadReturn: ret, cookie: event.args[1] });
    } else if (event.from === 'player' && event.method === 'downloadTrackComplete') {
      const [hr, contentId, params] = event.args;
      completions.push({ call: event, ret, hr, contentId, params });
    } else if (event.from === 'plugin' && event.method === 'downloadTrack') {
      const planned = plan.byUrl.get(event.args[1] as string)!;
      const accepted = returnedSuccess(ret);
      const facts: ProbeCallFacts = {
        planned, call: event, ret, cookie: event.args[0], accepted,
        owed: accepted && planned.kind === 'track' && succeeded(planned.hrDownload),
        media: [], whole: false, completions: [],
      };
      calls.push(facts);
      transactions[planned.transaction]!.calls.push(facts);
    } else if (event.from === 'plugin' && LIST_GETTERS.has(event.method) && transactionArg !== undefined) {
      const facts = transactions[transactionArg]!;
      const indices = event.args.slice(1) as number[];
      facts.reads.push({ method: event.method, indices, call: event, ret, outOfRange: isOutOfRange(facts.spec, event.method, indices) });
    }
  }

  for (const call of calls) {
    call.media = mediaByUrl.get(call.planned.url) ?? [];
    call.whole = call.planned.media === 'healthy' && call.media.some((exchange) => exchange.response?.status === 200);
  }
  matchCompletions(calls, completions).forEach((callIndex, completionIndex) => {
    if (callIndex === undefined) return;
    const completion = completions[completionIndex]!;
    completion.answers = calls[callIndex]!;
    calls[callIndex]!.completions.push(completion);
  });
  for (const facts of transactions) facts.inFlight = inFlightWindow(facts);

  return { scenario, plan, events, transactions, calls, completions, strayDownloads, setCallbacks, library, detach, created };
}

/** A transaction is in flight from its download until its last call has returned and every owed completion has come. */
function inFlightWindow(facts: TransactionFacts): { from: number; until: number } {
  if (!facts.download) return { from: Infinity, until: Infinity };
  let until = facts.downloadReturn?.seq ?? Infinity;
  for (const call of facts.calls) {
    until = Math.max(until, call.ret?.seq ?? Infinity);
    if (call.owed) until = Math.max(until, call.completions[0]?.call.seq ?? Infinity);
  }
  return { from: facts.download.seq, until };
}

/** Another transaction in flight at `seq` under the same cookie, if any. */
export function sharesCookieInFlight(analysis: PlayerAnalysis, facts: TransactionFacts, seq: number): TransactionFacts | undefined {
  return analysis.transactions.find((other) => other !== facts && other.download !== undefined && other.cookie === facts.cookie
    && other.inFlight.from < seq && seq < other.inFlight.until);
}

/** Another transaction under the same cookie whose time in flight overlaps this one's: the Player could not tell them apart. */
export function cookieSharedWhileInFlight(analysis: PlayerAnalysis, facts: TransactionFacts): TransactionFacts | undefined {
  return analysis.transactions.find((other) => other !== facts && other.download !== undefined && facts.download !== undefined
    && other.cookie === facts.cookie && other.inFlight.from < facts.inFlight.until && facts.inFlight.from < other.inFlight.until);
}
