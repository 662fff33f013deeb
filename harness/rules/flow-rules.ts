/**
 * The flows around downloads (protocol §5): purchases (BY), licence refreshes (RL) and page messages
 * (SM). Each request is paired with its completions by its correlator (the Buy cookie, the refresh
 * cookie, the echoed strings), then judged.
 */
import { E_NOTIMPL, hresultName, isHResult, succeeded } from '../protocol/hresult.ts';
import type { FlowsSpec, LicenceSpec, MessageSpec, PurchaseSpec } from '../scenario/model.ts';
import type { CallEvent, ReturnEvent, TraceEvent } from '../trace/events.ts';
import { isMidWorkDetach, lenientDword, type DownloadAnalysis } from './download-analysis.ts';
import { PURCHASE_REQUEST_NOTE, type PurchaseRequest } from '../world/store-world.ts';
import { asViolations, type Finding, type RuleCheck } from './rule-check.ts';

type Check = RuleCheck<DownloadAnalysis>;

interface Request<Spec> { spec: Spec; call: CallEvent; ret: ReturnEvent | undefined; completions: CallEvent[] }

const flowsOf = (analysis: DownloadAnalysis): FlowsSpec => analysis.scenario.flows ?? { purchases: [], licences: [], messages: [] };

/**
 * Every check of a scenario reads the same trace, several times each (applies, then check): what is
 * read from it is computed once per trace (and again only if the trace grew), not once per read —
 * each read was a pass over every event, which made the flow rules most of the judging time of a
 * trace of many tracks. Callers never modify what they get. (The returns come from the analysis.)
 */
const readsOfTrace = new WeakMap<TraceEvent[], { length: number; reads: Map<string, unknown> }>();
function readOnce<T>(events: TraceEvent[], key: string, read: () => T): T {
  let cached = readsOfTrace.get(events);
  if (!cached || cached.length !== events.length) {
    cached = { length: events.length, reads: new Map() };
    readsOfTrace.set(events, cached);
  }
  if (!cached.reads.has(key)) cached.reads.set(key, read());
  return cached.reads.get(key) as T;
}

const NO_CALLS: readonly CallEvent[] = Object.freeze([]);
const FLOW_CALLS = new Set(['canBuySilent', 'buy', 'buyComplete', 'refreshLicense', 'refreshLicenseComplete', 'sendMessage', 'sendMessageComplete']);

/** The calls of a flow `method` made by `from`, in trace order (sorted out in one pass). */
const callsTo = (events: TraceEvent[], method: string, from: 'player' | 'plugin'): readonly CallEvent[] => !FLOW_CALLS.has(method)
  ? events.filter((event): event is CallEvent => event.type === 'call' && event.method === method && event.from === from)
  : readOnce(events, 'calls', () => {
    const byCaller = new Map<string, CallEvent[]>();
    // Indexed loops over the trace in this file: a loop that runs once stays unoptimised, and a for-of
    // there makes an iterator result per event (38 MB over a million events).
    for (let index = 0; index < events.length; index++) {
      const event = events[index]!;
      if (event.type !== 'call' || !FLOW_CALLS.has(event.method)) continue;
      const key = `${event.from} ${event.method}`;
      const calls = byCaller.get(key);
      if (calls) calls.push(event);
      else byCaller.set(key, [event]);
    }
    return byCaller;
  }).get(`${from} ${method}`) ?? NO_CALLS;

/** A flow method answered E_NOTIMPL is not implemented (host/flow-driver.ts): its rules do not judge that call. */
const notImplemented = (ret: ReturnEvent | undefined) => ret !== undefined && (ret.value === E_NOTIMPL || (ret.threw?.hr ?? 0) === E_NOTIMPL);

function returnedSuccess(ret: ReturnEvent | undefined): boolean {
  return ret !== undefined && !ret.timedOut && !ret.threw && isHResult(ret.value) && succeeded(ret.value);
}

/** A request must be answered once if it was accepted (or hung), and no detach in the middle excused it. */
function owesCompletion(request: Request<unknown>, analysis: DownloadAnalysis): boolean {
  if (!(returnedSuccess(request.ret) || request.ret?.timedOut)) return false;
  const detach = analysis.events.find(isMidWorkDetach);
  return !(detach && detach.seq > request.call.seq && request.completions.length === 0);
}

function describeReturn(ret: ReturnEvent | undefined): string {
  if (!ret) return 'never returned';
  if (ret.timedOut) return 'did not return at once (the store answers are held until it returns)';
  if (ret.threw) return `threw ${ret.threw.name}: ${ret.threw.message}`;
  return isHResult(ret.value) ? `returned ${hresultName(ret.value)}` : `returned ${JSON.stringify(ret.value)}, not an HRESULT`;
}

const quote = (value: unknown) => (JSON.stringify(value) ?? String(value)).slice(0, 120);

// ---- purchases -----------------------------------------------------------------------------------

function purchases(analysis: DownloadAnalysis): Request<PurchaseSpec>[] {
  const returns = analysis.returns;
  const completions = callsTo(analysis.events, 'buyComplete', 'plugin');
  return callsTo(analysis.events, 'buy', 'player').flatMap((call) => {
    const spec = flowsOf(analysis).purchases[(call.args[0] as { purchase: number }).purchase]!;
    const ret = returns.get(call.callId);
    return notImplemented(ret) ? [] : [{ spec, call, ret, completions: completions.filter((completion) => completion.args[1] === spec.cookie) }];
  });
}

const BY_01: Check = {
  id: 'BY-01',
  applies: (analysis) => purchases(analysis).length > 0,
  check: (analysis) => asViolations('BY-01', purchases(analysis).filter((request) => !returnedSuccess(request.ret)).map((request) => ({
    message: `buy(list, cookie ${request.spec.cookie}) ${describeReturn(request.ret)}; it must return a success HRESULT at once`,
    events: [request.call.seq, ...(request.ret ? [request.ret.seq] : [])], cookie: request.spec.cookie,
  }))),
};

const BY_02: Check = {
  id: 'BY-02',
  applies: (analysis) => purchases(analysis).some((request) => owesCompletion(request, analysis)),
  check: (analysis) => {
    const findings: Finding[] = [];
    const requests = purchases(analysis);
    for (const request of requests) {
      if (!owesCompletion(request, analysis) || request.completions.length === 1) continue;
      const what = request.completions.length === 0 ? 'never got a buyComplete' : `got ${request.completions.length} buyComplete calls`;
      findings.push({
        message: `the purchase with cookie ${request.spec.cookie} (store answer: ${request.spec.answer}) ${what}; exactly one is due, on failure too`,
        events: [request.call.seq, ...request.completions.map((completion) => completion.seq)], cookie: request.spec.cookie,
      });
    }
    const known = new Set(requests.map((request) => request.spec.cookie));
    for (const completion of callsTo(analysis.events, 'buyComplete', 'plugin')) {
      if (!known.has(completion.args[1] as number)) {
        findings.push({ message: `buyComplete names cookie ${quote(completion.args[1])}, which no Buy was given`, events: [completion.seq] });
      }
    }
    return asViolations('BY-02', findings);
  },
};

/** A completion's result that is not an HRESULT at all reports neither a success nor a failure: it is wrong whatever the store said. */
const NOT_AN_HRESULT = 'is not an HRESULT (a signed 32-bit integer): it reports neither a success nor a failure';

const BY_03: Check = {
  id: 'BY-03',
  applies: (analysis) => purchases(analysis).some((request) => request.completions.length > 0),
  check: (analysis) => asViolations('BY-03', purchases(analysis).flatMap((request) => request.completions.flatMap((completion): Finding[] => {
    const hr = completion.args[0];
    if (!isHResult(hr)) return [{ message: `buyComplete(${quote(hr)}, ${request.spec.cookie}): ${quote(hr)} ${NOT_AN_HRESULT}`, events: [completion.seq], cookie: request.spec.cookie }];
    if (succeeded(hr) === (request.spec.answer === 'accepted')) return [];
    return [{
      message: `buyComplete(${hresultName(hr)}, ${request.spec.cookie}) but the store ${request.spec.answer === 'accepted' ? 'accepted' : request.spec.answer === 'declined' ? 'declined (402)' : 'failed (500)'} the purchase`,
      events: [completion.seq], cookie: request.spec.cookie,
    }];
  }))),
};

/** canBuySilent is part of the purchase flow: a plug-in whose Buy is not implemented owes it nothing. */
const purchasesImplemented = (analysis: DownloadAnalysis) =>
  !callsTo(analysis.events, 'buy', 'player').some((call) => notImplemented(analysis.returns.get(call.callId)));

const BY_04: Check = {
  id: 'BY-04',
  applies: (analysis) => purchasesImplemented(analysis) && callsTo(analysis.events, 'canBuySilent', 'player').length > 0,
  check: (analysis) => {
    const returns = analysis.returns;
    return asViolations('BY-04', callsTo(analysis.events, 'canBuySilent', 'player').flatMap((call): Finding[] => {
      const ret = returns.get(call.callId);
      const value = ret?.value as { totalPrice?: unknown; silentOK?: unknown } | undefined;
      if (ret && !ret.threw && !ret.timedOut && typeof value === 'object' && value !== null
        && typeof value.totalPrice === 'string' && typeof value.silentOK === 'boolean') return [];
      const outcome = !ret ? 'never returned' : ret.threw ? `threw ${ret.threw.name}: ${ret.threw.message}` : ret.timedOut ? 'did not return' : `returned ${quote(ret.value)}`;
      return [{ message: `canBuySilent ${outcome}; it must give a total price string and a boolean`, events: [call.seq, ...(ret ? [ret.seq] : [])] }];
    }));
  },
};

/** What the store was asked to sell, from the trace's notes (world/store-world.ts records each request). */
function purchaseRequests(analysis: DownloadAnalysis): readonly PurchaseRequest[] {
  return readOnce(analysis.events, 'purchase-requests', () => {
    // A loop, not flatMap: an empty array per event of a million-event trace is garbage the judge need not make.
    const requests: PurchaseRequest[] = [];
    for (let index = 0; index < analysis.events.length; index++) {
      const event = analysis.events[index]!;
      if (event.type === 'note' && event.text.startsWith(PURCHASE_REQUEST_NOTE)) requests.push(JSON.parse(event.text.slice(PURCHASE_REQUEST_NOTE.length)) as PurchaseRequest);
    }
    return requests;
  });
}

const listTracks = (spec: PurchaseSpec) => new Set(spec.containers.flatMap((container) => container.items.map((item) => item.id)));
const reportsSuccess = (completion: CallEvent) => isHResult(completion.args[0]) && succeeded(completion.args[0]);

/** Purchases BY-05 judges: those the store was asked about, and those reported bought. */
function judgedPurchases(analysis: DownloadAnalysis) {
  const requests = purchaseRequests(analysis);
  return purchases(analysis).flatMap((request) => {
    const asked = requests.filter((each) => lenientDword(each.cookie) === request.spec.cookie);
    return asked.length > 0 || request.completions.some(reportsSuccess) ? [{ request, asked }] : [];
  });
}

const BY_05: Check = {
  id: 'BY-05',
  applies: (analysis) => judgedPurchases(analysis).length > 0,
  check: (analysis) => asViolations('BY-05', judgedPurchases(analysis).flatMap(({ request, asked }): Finding[] => {
    const cookie = request.spec.cookie;
    const events = [request.call.seq, ...request.completions.map((completion) => completion.seq)];
    if (asked.length === 0) {
      return [{ message: `buyComplete reports the purchase with cookie ${cookie} a success, but the store was never asked to sell it`, events, cookie }];
    }
    // A store API of its own that does not name the tracks leaves them to its own tests.
    if (asked.some((each) => each.tracks === null)) return [];
    const wanted = listTracks(request.spec);
    const sold = new Set(asked.flatMap((each) => each.tracks!.map((track) => lenientDword(track) ?? quote(track))));
    const missing = [...wanted].filter((track) => !sold.has(track));
    const extra = [...sold].filter((track) => typeof track !== 'number' || !wanted.has(track));
    if (missing.length === 0 && extra.length === 0) return [];
    const parts = [
      ...(missing.length ? [`left out ${missing.slice(0, 10).join(', ')}`] : []),
      ...(extra.length ? [`added ${extra.slice(0, 10).join(', ')}, not in the list`] : []),
    ];
    return [{
      message: `the purchase with cookie ${cookie} asked the store for tracks [${[...sold].slice(0, 10).join(', ')}] but the Buy's list has [${[...wanted].slice(0, 10).join(', ')}]: it ${parts.join(' and ')}`,
      events, cookie,
    }];
  })),
};

// ---- licence refreshes ---------------------------------------------------------------------------

function refreshes(analysis: DownloadAnalysis): Request<LicenceSpec>[] {
  const returns = analysis.returns;
  const completions = callsTo(analysis.events, 'refreshLicenseComplete', 'plugin');
  return callsTo(analysis.events, 'refreshLicense', 'player').flatMap((call) => {
    const spec = flowsOf(analysis).licences.find((licence) => licence.cookie === call.args[0])!;
    const ret = returns.get(call.callId);
    return notImplemented(ret) ? [] : [{ spec, call, ret, completions: completions.filter((completion) => completion.args[0] === spec.cookie) }];
  });
}

const describeLicence = (spec: LicenceSpec) =>
  `refreshLicense(cookie ${spec.cookie}, fLocal ${spec.fLocal}, url ${quote(spec.url)}, content ${spec.contentId}, ${spec.reason})`;

const RL_01: Check = {
  id: 'RL-01',
  applies: (analysis) => refreshes(analysis).length > 0,
  check: (analysis) => asViolations('RL-01', refreshes(analysis).filter((request) => !returnedSuccess(request.ret)).map((request) => ({
    message: `${describeLicence(request.spec)} ${describeReturn(request.ret)}; every request must be accepted at once${request.spec.url === null ? ' (a NULL URL with fLocal = false is a valid request: the file is only on the store\'s servers)' : ''}`,
    events: [request.call.seq, ...(request.ret ? [request.ret.seq] : [])], cookie: request.spec.cookie,
  }))),
};

const RL_02: Check = {
  id: 'RL-02',
  applies: (analysis) => refreshes(analysis).some((request) => owesCompletion(request, analysis)),
  check: (analysis) => asViolations('RL-02', refreshes(analysis).flatMap((request): Finding[] => {
    if (!owesCompletion(request, analysis)) return [];
    const exact = request.completions.filter((completion) => completion.args[1] === request.spec.contentId);
    if (exact.length === 1 && request.completions.length === 1) return [];
    const wrongIds = request.completions.filter((completion) => completion.args[1] !== request.spec.contentId).map((completion) => quote(completion.args[1]));
    return [{
      message: `${describeLicence(request.spec)} got ${exact.length} refreshLicenseComplete with its cookie and content ID${wrongIds.length ? ` and ${wrongIds.length} with content ID ${wrongIds.join(', ')}` : ''}; exactly one is due`,
      events: [request.call.seq, ...request.completions.map((completion) => completion.seq)], cookie: request.spec.cookie,
    }];
  })),
};

const RL_03: Check = {
  id: 'RL-03',
  applies: (analysis) => refreshes(analysis).some((request) => request.completions.length > 0),
  check: (analysis) => asViolations('RL-03', refreshes(analysis).flatMap((request) => request.completions.flatMap((completion): Finding[] => {
    const hr = completion.args[2];
    const call = `refreshLicenseComplete(${request.spec.cookie}, ${request.spec.contentId}, ${isHResult(hr) ? hresultName(hr) : quote(hr)})`;
    if (!isHResult(hr)) return [{ message: `${call}: ${quote(hr)} ${NOT_AN_HRESULT}`, events: [completion.seq], cookie: request.spec.cookie }];
    if (succeeded(hr) === (request.spec.answer === 'accepted')) return [];
    return [{
      message: `${call} but the store ${request.spec.answer === 'accepted' ? 'renewed' : request.spec.answer === 'declined' ? 'refused (403)' : 'failed (500)'} the licence`,
      events: [completion.seq], cookie: request.spec.cookie,
    }];
  }))),
};

// ---- page messages -------------------------------------------------------------------------------

/** Completions carry no correlator but the echoed strings: the exact echo first, else the oldest message not yet answered. */
function messages(analysis: DownloadAnalysis): Request<MessageSpec>[] {
  const returns = analysis.returns;
  const requests: Request<MessageSpec>[] = callsTo(analysis.events, 'sendMessage', 'player')
    .filter((call) => !notImplemented(returns.get(call.callId)))
    .map((call) => ({
      spec: flowsOf(analysis).messages.find((message) => message.msg === call.args[0] && message.param === call.args[1])!,
      call, ret: returns.get(call.callId), completions: [],
    }));
  for (const completion of callsTo(analysis.events, 'sendMessageComplete', 'plugin')) {
    const open = requests.filter((request) => request.call.seq < completion.seq && request.completions.length === 0);
    const target = open.find((request) => request.spec.msg === completion.args[0] && request.spec.param === completion.args[1])
      ?? open[0] ?? requests.find((request) => request.spec.msg === completion.args[0] && request.spec.param === completion.args[1]);
    target?.completions.push(completion);
  }
  return requests;
}

const SM_01: Check = {
  id: 'SM-01',
  applies: (analysis) => messages(analysis).length > 0,
  check: (analysis) => asViolations('SM-01', messages(analysis).flatMap((request): Finding[] => {
    if (!returnedSuccess(request.ret)) {
      return [{ message: `sendMessage(${quote(request.spec.msg)}, ${quote(request.spec.param)}) ${describeReturn(request.ret)}`, events: [request.call.seq] }];
    }
    if (!owesCompletion(request, analysis) || request.completions.length === 1) return [];
    return [{
      message: `sendMessage(${quote(request.spec.msg)}, ${quote(request.spec.param)}) got ${request.completions.length} sendMessageComplete calls (store answer: ${request.spec.answer}); exactly one is due`,
      events: [request.call.seq, ...request.completions.map((completion) => completion.seq)],
    }];
  })),
};

const SM_02: Check = {
  id: 'SM-02',
  applies: (analysis) => messages(analysis).some((request) => request.completions.length > 0),
  check: (analysis) => asViolations('SM-02', messages(analysis).flatMap((request) => request.completions.flatMap((completion): Finding[] => {
    const [msg, param] = completion.args;
    if (msg === request.spec.msg && param === request.spec.param) return [];
    return [{
      message: `sendMessageComplete echoed (${quote(msg)}, ${quote(param)}) for the message (${quote(request.spec.msg)}, ${quote(request.spec.param)}): both strings must come back exactly, code unit for code unit`,
      events: [request.call.seq, completion.seq],
    }];
  }))),
};

/** What a page may rely on in the result: a BSTR (a string, or NULL). Its content is between the store's page and its plug-in. */
const SM_03: Check = {
  id: 'SM-03',
  applies: (analysis) => messages(analysis).some((request) => request.completions.length > 0),
  check: (analysis) => asViolations('SM-03', messages(analysis).flatMap((request) => request.completions.flatMap((completion): Finding[] => {
    const result = completion.args[2];
    if (typeof result === 'string' || result === null) return [];
    return [{
      message: `sendMessageComplete(${quote(request.spec.msg)}, ${quote(request.spec.param)}, ${quote(result)}): the result must be a BSTR (a string, or NULL); ${describeType(result)} is not one`,
      events: [request.call.seq, completion.seq],
    }];
  }))),
};

const describeType = (value: unknown) => (value === undefined ? 'undefined' : Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`);

export const FLOW_CHECKS: readonly Check[] = [BY_01, BY_02, BY_03, BY_04, BY_05, RL_01, RL_02, RL_03, SM_01, SM_02, SM_03];

/** The optional plug-in method each family needs: without it, the family is skipped. */
export const FLOW_METHOD_OF_FAMILY: Record<string, string> = { BY: 'buy', RL: 'refreshLicense', SM: 'sendMessage' };
