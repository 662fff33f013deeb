/**
 * Facts derived once from a scenario and its trace, shared by every download-flow rule: which
 * transactions started and how `download` returned, which `downloadTrack` call belongs to which
 * transaction and track, and in what context each transaction ran (empty, list fault, detached,
 * after a fault, with edge values). The rules are then short predicates over these facts.
 */
import { E_INVALIDARG, isHResult, failed } from '../protocol/hresult.ts';
import { CONTAINER_TYPES } from '../protocol/constants.ts';
import type { Scenario, TrackSpec, TransactionSpec } from '../scenario/model.ts';
import type { CallEvent, HttpRequestEvent, HttpResponseEvent, ReturnEvent, TraceEvent } from '../trace/events.ts';
import { isTaggedValue } from '../trace/trace-value.ts';
import { ById } from './by-id.ts';

export const END_OF_SCENARIO_DETACH = 'detach: end of scenario';

/** Only a setCallback(null) that came while work was in flight excuses calls left unmade. */
export function isMidWorkDetach(event: TraceEvent): boolean {
  return event.type === 'note' && event.text.startsWith('detach:') && event.text.endsWith(MID_WORK_DETACH_SUFFIX);
}
export const MID_WORK_DETACH_SUFFIX = 'while work is in flight';

export interface TransactionFacts {
  index: number;
  spec: TransactionSpec;
  started: boolean;
  downloadCall?: CallEvent;
  downloadReturn?: ReturnEvent;
  /** download returned a success HRESULT (a timeout is not a return). */
  returnedSuccess: boolean;
  timedOut: boolean;
  /** Occurrences of each track ID in the list. */
  occurrences: Map<number, number>;
  empty: boolean;
  listFault: boolean;
  /** Started before a setCallback(null) that came while work was in flight. */
  detachedInFlight: boolean;
  /** Started after the plug-in had seen a fault (DL-10 judges it). */
  postFault: boolean;
  /** Carries edge values or hostile strings (DL-12 judges it). */
  edgeValues: boolean;
  calls: TrackCall[];
}

export interface TrackCall {
  call: CallEvent;
  ret?: ReturnEvent;
  cookie: unknown;
  url: unknown;
  trackId: unknown;
  params: unknown;
  hr: unknown;
  /** The cookie and track read as DWORDs, leniently (a signed or stringified form counts). */
  cookieValue?: number;
  trackValue?: number;
  transaction?: TransactionFacts;
  exactCookie: boolean;
  exactTrack: boolean;
  /** The media download the Player made for this call, if any. */
  media?: HttpResponseEvent;
}

export interface DownloadAnalysis {
  scenario: Scenario;
  events: TraceEvent[];
  transactions: TransactionFacts[];
  byCookie: Map<number, TransactionFacts>;
  calls: TrackCall[];
  tracks: Map<number, TrackSpec>;
  returns: ById<ReturnEvent>;
  /** seq of the first setCallback(null) return, if any. */
  detachReturnSeq: number | undefined;
  firstFaultSeq: number;
  /** The injected faults the plug-in met, in trace order. */
  faults: InjectedFault[];
}

/** A value read as a DWORD the way a lenient peer might: signed forms, decimal strings, bigints. */
export function lenientDword(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value) && value >= -0x80000000 && value <= 0xffffffff) return value >>> 0;
  if (typeof value === 'string' && /^-?\d{1,10}$/.test(value)) return lenientDword(Number(value));
  if (isTaggedValue(value) && value.$type === 'bigint') return lenientDword(Number(value.text.slice(0, -1)));
  return undefined;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isHostileString(value: string | null): boolean {
  return value !== null && (value.includes('\u0000') || LONE_SURROGATE.test(value) || value.length > 256);
}

/** Edge values in a list and its cookie: a download transaction's, or a purchase's. */
export function hasEdgeValues(spec: Pick<TransactionSpec, 'cookie' | 'containers'>): boolean {
  if (spec.cookie >= 0x80000000) return true;
  return spec.containers.some((container) =>
    !(CONTAINER_TYPES as readonly string[]).includes(container.type)
    || isHostileString(container.type) || isHostileString(container.price)
    || container.items.some((item) => item.id >= 0x80000000 || isHostileString(item.price)));
}

/**
 * A fault the scenario injected, where the trace shows it, the track it struck (when it struck one)
 * and, for a failure the Player returned from downloadTrack, the cookie of the call it answered.
 */
export interface InjectedFault { seq: number; trackId?: number; cookie?: number }

/**
 * A fault the scenario injected, as the plug-in met it: a back-end fault (5xx or a network error) on
 * a track whose back end the scenario made fail, a failure the Player returned from downloadTrack as
 * the scenario told it to, a failed completion for media the scenario broke, a list getter failing.
 * A fault the plug-in caused itself (a request no handler serves, media fetched from a URL the store
 * never gave it) is not one: DL-10 judges liveness after the world's faults, not after its own bugs.
 */
function injectedFault(event: TraceEvent, calls: ById<CallEvent>, requests: ById<HttpRequestEvent>, tracks: ReadonlyMap<number, TrackSpec>): InjectedFault | undefined {
  const backendFails = (track: TrackSpec | undefined) => track?.backend.kind === 'transient' || track?.backend.kind === 'permanent';
  switch (event.type) {
    case 'http-response': {
      if (event.actor !== 'store' || !(event.status === 0 || event.status >= 500)) return undefined;
      if (event.error?.startsWith('no handler')) return undefined;
      // A track's download request fails only when the scenario made its back end fail; any other
      // store request (a purchase, a store of the candidate's own) fails only by the scenario's doing.
      const trackId = storeTrackId(requests.get(event.requestId)?.url);
      if (trackId === undefined) return { seq: event.seq };
      return backendFails(tracks.get(trackId)) ? { seq: event.seq, trackId } : undefined;
    }
    case 'return': {
      const call = calls.get(event.callId);
      if (!call) return undefined;
      if (call.method === 'downloadTrack') {
        const track = tracks.get(lenientDword(call.args[2]) ?? -1);
        const injected = track !== undefined && failed(track.playerReturn) && isHResult(event.value) && (event.value | 0) === (track.playerReturn | 0);
        const cookie = lenientDword(call.args[0]);
        return injected ? { seq: event.seq, trackId: track.id, ...(cookie === undefined ? {} : { cookie }) } : undefined;
      }
      if (call.to === 'player' && call.from === 'plugin' && event.threw && event.threw.hr !== E_INVALIDARG) return { seq: event.seq };
      return undefined;
    }
    case 'call': {
      if (event.method !== 'downloadTrackComplete' || !isHResult(event.args[0]) || !failed(event.args[0])) return undefined;
      const track = tracks.get(lenientDword(event.args[1]) ?? -1);
      return track !== undefined && track.media !== 'healthy' ? { seq: event.seq, trackId: track.id } : undefined;
    }
    default:
      return undefined;
  }
}

/** The track a reference-store request is about (`/v1/tracks/{id}/download`), if it is one. */
function storeTrackId(url: string | undefined): number | undefined {
  const match = url === undefined ? null : /\/v1\/tracks\/([0-9]+)\//.exec(url);
  return match ? Number(match[1]) : undefined;
}

export function analyseDownloads(scenario: Scenario, events: TraceEvent[]): DownloadAnalysis {
  const calls = new ById<CallEvent>(events);
  const returns = new ById<ReturnEvent>(events);
  /** The Player's media request made while a downloadTrack call was being answered belongs to that call. */
  const mediaRequestOfCall = new ById<HttpRequestEvent>(events);
  let openDownloadTrack: number | undefined;
  const responses = new ById<HttpResponseEvent>(events);
  const requests = new ById<HttpRequestEvent>(events);
  const tracks = new Map<number, TrackSpec>();
  for (const track of scenario.tracks) tracks.set(track.id, track);
  let firstFaultSeq = Infinity;
  const faults: InjectedFault[] = [];
  let midWorkDetachSeq = Infinity;
  let detachReturnSeq: number | undefined;
  for (let position = 0; position < events.length; position++) {
    const event = events[position]!;
    if (event.type === 'call') {
      calls.set(event.callId, position);
      if (event.method === 'downloadTrack') openDownloadTrack = event.callId;
    } else if (event.type === 'return') {
      returns.set(event.callId, position);
      if (event.callId === openDownloadTrack) openDownloadTrack = undefined;
    } else if (event.type === 'http-request') {
      requests.set(event.requestId, position);
      if (event.by === 'player' && openDownloadTrack !== undefined) mediaRequestOfCall.set(openDownloadTrack, position);
    }
    else if (event.type === 'http-response') responses.set(event.requestId, position);
    else if (isMidWorkDetach(event)) {
      midWorkDetachSeq = Math.min(midWorkDetachSeq, event.seq);
    }
    const fault = injectedFault(event, calls, requests, tracks);
    if (fault) {
      faults.push(fault);
      if (firstFaultSeq === Infinity) firstFaultSeq = event.seq;
    }
    if (detachReturnSeq === undefined && event.type === 'return' && event.method === 'setCallback') {
      const call = calls.get(event.callId);
      if (call && call.args[0] === null) detachReturnSeq = event.seq;
    }
  }

  const transactions: TransactionFacts[] = scenario.transactions.map((spec, index) => {
    const occurrences = new Map<number, number>();
    for (const container of spec.containers) for (const item of container.items) occurrences.set(item.id, (occurrences.get(item.id) ?? 0) + 1);
    return {
      index, spec, started: false, returnedSuccess: false, timedOut: false, occurrences,
      empty: occurrences.size === 0, listFault: false, detachedInFlight: false, postFault: false,
      edgeValues: hasEdgeValues(spec), calls: [],
    };
  });

  const callsInOrder = calls.values();
  for (const call of callsInOrder) {
    if (call.method === 'download' && call.to === 'plugin') {
      const facts = transactions[(call.args[0] as { list: number }).list]!;
      const ret = returns.get(call.callId);
      facts.started = true;
      facts.downloadCall = call;
      facts.downloadReturn = ret;
      facts.timedOut = ret?.timedOut === true;
      facts.returnedSuccess = ret !== undefined && isHResult(ret.value) && !failed(ret.value);
      facts.postFault = call.seq > firstFaultSeq;
      facts.detachedInFlight = call.seq < midWorkDetachSeq && midWorkDetachSeq !== Infinity;
    }
    const listRef = listOf(call);
    if (listRef !== undefined) {
      const ret = returns.get(call.callId);
      // Purchase lists have negative indices: they belong to no download transaction.
      const owner = transactions[listRef];
      if (owner && ret?.threw && ret.threw.hr !== E_INVALIDARG) owner.listFault = true;
    }
  }

  const byCookie = new Map<number, TransactionFacts>();
  for (const facts of transactions) if (facts.started) byCookie.set(facts.spec.cookie, facts);

  const trackCalls: TrackCall[] = [];
  for (const call of callsInOrder) {
    if (call.method !== 'downloadTrack') continue;
    const [cookie, url, trackId, params, hr] = call.args;
    const cookieValue = lenientDword(cookie);
    const trackValue = lenientDword(trackId);
    const transaction = cookieValue === undefined ? undefined : byCookie.get(cookieValue);
    const ret = returns.get(call.callId);
    const mediaRequest = mediaRequestOfCall.get(call.callId);
    const trackCall: TrackCall = {
      call, ret, cookie, url, trackId, params, hr, cookieValue, trackValue, transaction,
      exactCookie: typeof cookie === 'number' && cookie === cookieValue,
      exactTrack: typeof trackId === 'number' && trackId === trackValue,
      media: mediaRequest === undefined ? undefined : responses.get(mediaRequest.requestId),
    };
    trackCalls.push(trackCall);
    if (transaction && trackValue !== undefined && transaction.occurrences.has(trackValue)) transaction.calls.push(trackCall);
  }

  return {
    scenario, events, transactions, byCookie, calls: trackCalls, returns, detachReturnSeq, firstFaultSeq, faults, tracks,
  };
}

/** The call a return answers: a search, for the rare returns a rule reports. */
export function callOf(events: readonly TraceEvent[], callId: number): CallEvent | undefined {
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    if (event.type === 'call' && event.callId === callId) return event;
  }
  return undefined;
}

/** The list a getter call read (the recorder puts `{ list: n }` first), or undefined for any other call. */
function listOf(call: CallEvent): number | undefined {
  if (call.from !== 'plugin' || call.to !== 'player') return undefined;
  const first = call.args[0];
  return typeof first === 'object' && first !== null && 'list' in first ? (first as { list: number }).list : undefined;
}

/** callsPerTrack's answer, once per transaction: several rules read it, and on a big trace it is a big map. */
const callsPerTrackOf = new WeakMap<TransactionFacts, { count: number; byTrack: ReadonlyMap<number, readonly TrackCall[]> }>();

/** Calls per track ID within one transaction (callers only read it). */
export function callsPerTrack(facts: TransactionFacts): ReadonlyMap<number, readonly TrackCall[]> {
  const cached = callsPerTrackOf.get(facts);
  if (cached && cached.count === facts.calls.length) return cached.byTrack;
  const byTrack = new Map<number, TrackCall[]>();
  for (const call of facts.calls) {
    const list = byTrack.get(call.trackValue!);
    if (list) list.push(call);
    else byTrack.set(call.trackValue!, [call]);
  }
  callsPerTrackOf.set(facts, { count: facts.calls.length, byTrack });
  return byTrack;
}

/** Transactions whose tracks must all be served: started, accepted, not exempted by a fault or a detach. */
export function servedInFull(facts: TransactionFacts): boolean {
  return facts.started && !facts.empty && !facts.listFault && !facts.detachedInFlight && (facts.returnedSuccess || facts.timedOut);
}
