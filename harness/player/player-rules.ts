/** The Player side: PL-01…PL-12 as predicates over the analysed trace of one probe scenario. */
import { E_INVALIDARG, failed, isHResult, succeeded } from '../protocol/hresult.ts';
import { TransactionType } from '../protocol/types.ts';
import { asViolations, type Finding, type RuleCheck } from '../rules/rule-check.ts';
import type { ReturnEvent } from '../trace/events.ts';
import { codeUnitDifference, show, showHr } from './describe-value.ts';
import { cookieSharedWhileInFlight, sharesCookieInFlight, type CompletionFacts, type ListRead, type PlayerAnalysis, type ProbeCallFacts, type TransactionFacts } from './player-analysis.ts';

type Check = RuleCheck<PlayerAnalysis>;

function describeCall(call: ProbeCallFacts): string {
  const { planned } = call;
  return `downloadTrack(${show(call.cookie)}, …/t${planned.transaction}/c${planned.ordinal}.wma, ${planned.trackId}, ${show(planned.params)}, ${showHr(planned.hrDownload)})`;
}

function describeCompletion(completion: CompletionFacts): string {
  return `downloadTrackComplete(${showHr(completion.hr)}, ${show(completion.contentId)}, ${show(completion.params)})`;
}

function describeReturn(ret: ReturnEvent | undefined): string {
  if (!ret) return 'never returned';
  if (ret.timedOut) return 'did not return within the per-call timeout';
  if (ret.threw) return `threw ${ret.threw.name}: ${ret.threw.message}`;
  return `returned ${showHr(ret.value)}`;
}

const callEvidence = (call: ProbeCallFacts) => ({
  events: [call.call.seq, ...(call.ret ? [call.ret.seq] : [])],
  ...(typeof call.cookie === 'number' ? { cookie: call.cookie >>> 0 } : {}),
  trackId: call.planned.trackId,
});

/** Completions answering owed calls: the pairs PL-02, PL-03, PL-05 and PL-11 judge. */
function answeredPairs(analysis: PlayerAnalysis): { call: ProbeCallFacts; completion: CompletionFacts }[] {
  return analysis.calls.filter((call) => call.owed).flatMap((call) => call.completions.map((completion) => ({ call, completion })));
}

const owedCalls = (analysis: PlayerAnalysis) => analysis.calls.filter((call) => call.owed);

const PL_01: Check = {
  id: 'PL-01',
  applies: (analysis) => owedCalls(analysis).length > 0,
  check: (analysis) => {
    const findings: Finding[] = [];
    for (const call of owedCalls(analysis)) {
      if (call.completions.length === 0) {
        findings.push({ ...callEvidence(call), message: `${describeCall(call)} was accepted (${describeReturn(call.ret)}) but no downloadTrackComplete answered it` });
      } else if (call.completions.length > 1) {
        // A Player that retried the media and completed each attempt: exactly one completion is owed.
        findings.push({ ...callEvidence(call), events: [call.call.seq, ...call.completions.map((completion) => completion.call.seq)], message: `${describeCall(call)} was answered by ${call.completions.length} downloadTrackComplete calls; exactly one is owed` });
      }
    }
    for (const completion of analysis.completions) {
      const answers = completion.answers;
      if (!answers) {
        findings.push({ message: `${describeCompletion(completion)} answers no downloadTrack call the player accepted (an extra completion)`, events: [completion.call.seq] });
      } else if (!answers.owed && answers.planned.kind === 'track' && succeeded(answers.planned.hrDownload)) {
        findings.push({ ...callEvidence(answers), events: [answers.call.seq, completion.call.seq], message: `${describeCompletion(completion)} answers ${describeCall(answers)}, which the player refused (${describeReturn(answers.ret)}): a refused call gets no completion` });
      }
    }
    return asViolations('PL-01', findings);
  },
};

const PL_02: Check = {
  id: 'PL-02',
  applies: (analysis) => owedCalls(analysis).some((call) => typeof call.planned.params === 'string'),
  check: (analysis) => asViolations('PL-02', answeredPairs(analysis).flatMap(({ call, completion }): Finding[] => {
    const sent = call.planned.params;
    const echoed = completion.params;
    // NULL versus empty, either way, is PL-11's to judge.
    if (typeof sent !== 'string' || echoed === sent || (sent === '' && echoed === null)) return [];
    const difference = typeof echoed === 'string' ? codeUnitDifference(sent, echoed) : `params ${show(sent)} came back as ${show(echoed)}`;
    return [{ ...callEvidence(call), events: [call.call.seq, completion.call.seq], message: `the completion of ${describeCall(call)} does not echo downloadParams exactly: ${difference}` }];
  })),
};

const PL_03: Check = {
  id: 'PL-03',
  applies: (analysis) => owedCalls(analysis).length > 0,
  check: (analysis) => asViolations('PL-03', answeredPairs(analysis).flatMap(({ call, completion }): Finding[] => {
    if (completion.contentId === call.planned.trackId) return [];
    return [{ ...callEvidence(call), events: [call.call.seq, completion.call.seq], message: `the completion of ${describeCall(call)} reports contentID ${show(completion.contentId)}, not serviceTrackID ${call.planned.trackId}` }];
  })),
};

const PL_04: Check = {
  id: 'PL-04',
  applies: (analysis) => analysis.calls.some((call) => call.planned.kind === 'track' && failed(call.planned.hrDownload)),
  check: (analysis) => asViolations('PL-04', analysis.calls.filter((call) => call.planned.kind === 'track' && failed(call.planned.hrDownload)).flatMap((call): Finding[] => {
    const findings: Finding[] = [];
    if (call.media.length > 0) {
      findings.push({ ...callEvidence(call), events: [call.call.seq, ...call.media.map((exchange) => exchange.request.seq)], message: `${describeCall(call)} carries a failure hrDownload, yet the player downloaded ${call.planned.url} (${call.media.length} request(s))` });
    }
    for (const completion of call.completions) {
      findings.push({ ...callEvidence(call), events: [call.call.seq, completion.call.seq], message: `${describeCall(call)} carries a failure hrDownload, yet the player sent ${describeCompletion(completion)}` });
    }
    return findings;
  })),
};

function describeMedia(call: ProbeCallFacts): string {
  if (call.media.length === 0) return 'the player never requested its media';
  const statuses = call.media.map((exchange) => exchange.response ? (exchange.response.status === 0 ? 'a network error' : `HTTP ${exchange.response.status}`) : 'no answer');
  const fate = call.planned.media === 'truncated' ? `, and the body was cut short of its Content-Length (${call.planned.size} bytes)` : '';
  return `the media answered ${statuses.join(', ')}${fate}`;
}

const PL_05: Check = {
  id: 'PL-05',
  applies: (analysis) => answeredPairs(analysis).length > 0,
  check: (analysis) => asViolations('PL-05', answeredPairs(analysis).flatMap(({ call, completion }): Finding[] => {
    const events = [call.call.seq, ...call.media.flatMap((exchange) => [exchange.request.seq, ...(exchange.response ? [exchange.response.seq] : [])]), completion.call.seq];
    if (!isHResult(completion.hr)) return [{ ...callEvidence(call), events, message: `the completion of ${describeCall(call)} carries hrResult ${show(completion.hr)}, not an HRESULT` }];
    if (succeeded(completion.hr) === call.whole) return [];
    const verdict = call.whole ? 'the media arrived whole, yet hrResult is a failure' : 'the media did not arrive whole, yet hrResult is a success';
    return [{ ...callEvidence(call), events, message: `the completion of ${describeCall(call)} reports ${showHr(completion.hr)}: ${verdict} (${describeMedia(call)})` }];
  })),
};

/** Tracks the library must hold: every track with a success completion; bytes known where the media arrived whole. */
/**
 * What the library must hold, from the success completions. A success on a broken download is
 * PL-05's finding, not PL-06's: such a track may be listed or left out, and its byte count is not
 * judged (`optional` while no success answered a download that arrived whole).
 */
function expectedLibrary(analysis: PlayerAnalysis): Map<number, { bytes: number | undefined; optional: boolean; evidence: number[] }> {
  const expected = new Map<number, { bytes: number | undefined; optional: boolean; evidence: number[] }>();
  for (const completion of analysis.completions) {
    if (!isHResult(completion.hr) || !succeeded(completion.hr)) continue;
    const trackId = completion.answers?.planned.trackId ?? completion.contentId;
    if (typeof trackId !== 'number') continue;
    const entry = expected.get(trackId) ?? { bytes: undefined, optional: true, evidence: [] };
    entry.evidence.push(completion.call.seq);
    const broken = completion.answers !== undefined && !completion.answers.whole;
    if (!broken) entry.optional = false;
    if (completion.answers?.whole) entry.bytes = completion.answers.planned.size;
    expected.set(trackId, entry);
  }
  return expected;
}

const PL_06: Check = {
  id: 'PL-06',
  applies: (analysis) => analysis.library !== undefined,
  check: (analysis) => {
    const { call, ret } = analysis.library!;
    const evidence = [call.seq, ...(ret ? [ret.seq] : [])];
    if (!ret || ret.threw || ret.timedOut || !Array.isArray(ret.value)) {
      return asViolations('PL-06', [{ message: `library() ${ret && !ret.threw && !ret.timedOut ? `returned ${show(ret.value)}, not an array of entries` : describeReturn(ret)}`, events: evidence }]);
    }
    const expected = expectedLibrary(analysis);
    const findings: Finding[] = [];
    const seen = new Set<unknown>();
    for (const entry of ret.value as { trackId?: unknown; bytes?: unknown }[]) {
      const trackId = entry?.trackId;
      if (seen.has(trackId)) {
        findings.push({ message: `the library lists track ${show(trackId)} more than once`, events: evidence });
        continue;
      }
      seen.add(trackId);
      const wanted = typeof trackId === 'number' ? expected.get(trackId) : undefined;
      if (!wanted) {
        findings.push({ message: `the library lists track ${show(trackId)}, which no success completion reported`, events: evidence, ...(typeof trackId === 'number' ? { trackId: trackId >>> 0 } : {}) });
      } else if (wanted.bytes !== undefined && entry.bytes !== wanted.bytes) {
        findings.push({ message: `the library gives track ${trackId} ${show(entry.bytes)} bytes; its media is ${wanted.bytes} bytes`, events: [...wanted.evidence, ...evidence], trackId: trackId as number });
      }
    }
    for (const [trackId, wanted] of expected) {
      if (!seen.has(trackId) && !wanted.optional) findings.push({ message: `track ${trackId} had a success completion but the library does not list it`, events: [...wanted.evidence, ...evidence], trackId: trackId >>> 0 });
    }
    return asViolations('PL-06', findings);
  },
};

/**
 * A foreign-track probe is not judged when its transaction's cookie was also given to a transaction
 * in flight at the same time: the Player cannot tell which one the call means, and PL-08 reports it.
 */
function judgedRefusals(analysis: PlayerAnalysis): ProbeCallFacts[] {
  return analysis.calls.filter((call) => {
    if (call.planned.kind === 'track') return false;
    if (call.planned.kind === 'unknown-cookie') return true;
    return cookieSharedWhileInFlight(analysis, analysis.transactions[call.planned.transaction]!) === undefined;
  });
}

function refusedWithFailure(ret: ReturnEvent | undefined): boolean {
  if (!ret || ret.timedOut) return false;
  if (ret.threw) return ret.threw.kind === 'hresult-error' && ret.threw.hr !== undefined && failed(ret.threw.hr);
  return isHResult(ret.value) && failed(ret.value);
}

const PL_07: Check = {
  id: 'PL-07',
  applies: (analysis) => judgedRefusals(analysis).length > 0,
  check: (analysis) => asViolations('PL-07', judgedRefusals(analysis).flatMap((call): Finding[] => {
    const what = call.planned.kind === 'unknown-cookie'
      ? `a cookie the player never handed out (${show(call.cookie)})`
      : `track ${call.planned.trackId}, which transaction ${call.planned.transaction} does not list`;
    const findings: Finding[] = [];
    if (!refusedWithFailure(call.ret)) findings.push({ ...callEvidence(call), message: `${describeCall(call)} names ${what}, yet the player ${describeReturn(call.ret)} instead of a failure` });
    if (call.media.length > 0) findings.push({ ...callEvidence(call), events: [call.call.seq, ...call.media.map((exchange) => exchange.request.seq)], message: `${describeCall(call)} names ${what}, yet the player downloaded its URL` });
    for (const completion of call.completions) findings.push({ ...callEvidence(call), events: [call.call.seq, completion.call.seq], message: `${describeCall(call)} names ${what}, yet the player sent ${describeCompletion(completion)}` });
    return findings;
  })),
};

/** What each in-range getter should have returned, from what was asked for. */
function expectedRead(facts: TransactionFacts, read: ListRead): { value: unknown } | undefined {
  const [container, item] = read.indices;
  const spec = container === undefined ? undefined : facts.spec.containers[container];
  const itemSpec = item === undefined ? undefined : spec?.items[item];
  switch (read.method) {
    case 'getTransactionType': return { value: TransactionType.Download };
    case 'getContainerCount': return { value: facts.spec.containers.length };
    case 'getContainer': return { value: { container } };
    case 'getID': return { value: spec!.id };
    case 'getPrice': return { value: spec!.price };
    case 'getType': return { value: spec!.type };
    case 'getContentCount': return { value: spec!.items.length };
    case 'getContentPrice': return { value: itemSpec!.price };
    case 'getContentID': return { value: itemSpec!.id };
    default: return undefined;
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

function transactionFindings(analysis: PlayerAnalysis, facts: TransactionFacts): Finding[] {
  const startEvidence = [facts.startCall!.seq, ...(facts.startReturn ? [facts.startReturn.seq] : [])];
  if (!facts.download) return [{ message: `startDownload for transaction ${facts.index} ${describeReturn(facts.startReturn).replace(/^returned .*/, 'returned')} without calling download`, events: startEvidence }];
  const findings: Finding[] = [];
  const evidence = [facts.download.seq];
  const cookie = facts.cookie;
  if (typeof cookie !== 'number' || !Number.isInteger(cookie) || cookie < 0 || cookie > 0xffffffff) {
    findings.push({ message: `download for transaction ${facts.index} was given cookie ${show(cookie)}, not a DWORD`, events: evidence });
  } else {
    const returned = facts.startReturn;
    if (returned && !returned.threw && !returned.timedOut && returned.value !== cookie) {
      findings.push({ message: `startDownload for transaction ${facts.index} returned cookie ${show(returned.value)}, but download was given ${cookie}`, events: [...evidence, returned.seq], cookie });
    }
    const clash = sharesCookieInFlight(analysis, facts, facts.download.seq);
    if (clash) {
      findings.push({ message: `download for transaction ${facts.index} was given cookie ${cookie}, which transaction ${clash.index} still in flight already has`, events: [clash.download!.seq, ...evidence], cookie });
    }
  }
  for (const read of facts.reads) {
    if (read.outOfRange) continue;
    const expected = expectedRead(facts, read);
    if (!expected) continue;
    const at = read.indices.length > 0 ? `(${read.indices.join(', ')})` : '()';
    const readEvidence = [read.call.seq, ...(read.ret ? [read.ret.seq] : [])];
    if (!read.ret || read.ret.threw || read.ret.timedOut) {
      findings.push({ message: `transaction ${facts.index}: ${read.method}${at} ${describeReturn(read.ret)}; it should return ${show(expected.value)}`, events: readEvidence });
    } else if (!sameValue(read.ret.value, expected.value)) {
      findings.push({ message: `transaction ${facts.index}: ${read.method}${at} returned ${show(read.ret.value)}; asked for ${show(expected.value)}`, events: readEvidence });
    }
  }
  return findings;
}

const PL_08: Check = {
  id: 'PL-08',
  applies: (analysis) => analysis.transactions.some((facts) => facts.startCall !== undefined),
  check: (analysis) => asViolations('PL-08', [
    ...analysis.transactions.filter((facts) => facts.startCall !== undefined).flatMap((facts) => transactionFindings(analysis, facts)),
    ...analysis.strayDownloads.map((call) => ({ message: `download(…, ${show(call.args[1])}) was called, but no startDownload asked for it`, events: [call.seq] })),
  ]),
};

const outOfRangeReads = (analysis: PlayerAnalysis) => analysis.transactions.flatMap((facts) => facts.reads.filter((read) => read.outOfRange));

const PL_09: Check = {
  id: 'PL-09',
  applies: (analysis) => outOfRangeReads(analysis).length > 0,
  check: (analysis) => asViolations('PL-09', outOfRangeReads(analysis).flatMap((read): Finding[] => {
    const threw = read.ret?.threw;
    if (threw?.kind === 'hresult-error' && threw.hr === E_INVALIDARG) return [];
    const outcome = read.ret && !read.ret.threw && !read.ret.timedOut ? `returned ${show(read.ret.value)}` : describeReturn(read.ret);
    return [{ message: `${read.method}(${read.indices.join(', ')}) is out of range, yet it ${outcome} instead of throwing HResultError(E_INVALIDARG)`, events: [read.call.seq, ...(read.ret ? [read.ret.seq] : [])] }];
  })),
};

const isCallbackArgument = (value: unknown) => typeof value === 'object' && value !== null && 'callback' in value;

const PL_10: Check = {
  id: 'PL-10',
  applies: (analysis) => analysis.created,
  check: (analysis) => {
    const findings: Finding[] = [];
    const firstDownload = analysis.events.find((event) => event.type === 'call' && event.method === 'download' && event.from === 'player');
    if (firstDownload) {
      const before = analysis.setCallbacks.filter((call) => call.seq < firstDownload.seq).at(-1);
      if (!before) findings.push({ message: 'the player called download before any setCallback', events: [firstDownload.seq] });
      else if (!isCallbackArgument(before.args[0])) findings.push({ message: `the player called download while its last setCallback gave ${show(before.args[0])}, not a callback`, events: [before.seq, firstDownload.seq] });
    }
    const detach = analysis.detach;
    if (detach) {
      const end = detach.ret && !detach.ret.timedOut ? detach.ret.seq : Infinity;
      const cleared = analysis.setCallbacks.some((call) => call.seq > detach.call.seq && call.seq < end && call.args[0] === null);
      if (!cleared) findings.push({ message: `detach() ${describeReturn(detach.ret).replace(/^returned .*/, 'returned')} without calling setCallback(null)`, events: [detach.call.seq, ...(detach.ret ? [detach.ret.seq] : [])] });
    }
    return asViolations('PL-10', findings);
  },
};

const PL_11: Check = {
  id: 'PL-11',
  applies: (analysis) => owedCalls(analysis).some((call) => call.planned.params === null || call.planned.params === ''),
  check: (analysis) => asViolations('PL-11', answeredPairs(analysis).flatMap(({ call, completion }): Finding[] => {
    const sent = call.planned.params;
    const confused = (sent === null && completion.params !== null) || (sent === '' && completion.params === null);
    if (!confused) return [];
    return [{ ...callEvidence(call), events: [call.call.seq, completion.call.seq], message: `the completion of ${describeCall(call)} echoes ${show(sent)} params as ${show(completion.params)}: NULL and empty are kept apart` }];
  })),
};

/** The sandbox had to stop the player: the `sandbox` event says why (blocked, out of memory, exited). */
const PL_12: Check = {
  id: 'PL-12',
  applies: () => true,
  check: (analysis) => asViolations('PL-12', analysis.events.flatMap((event): Finding[] =>
    event.type === 'sandbox' ? [{ message: event.message, events: [event.seq] }] : [])),
};

export const PLAYER_CHECKS: readonly Check[] = [PL_01, PL_02, PL_03, PL_04, PL_05, PL_06, PL_07, PL_08, PL_09, PL_10, PL_11, PL_12];

/** The rule that judges a scenario the sandbox had to stop: the rest of its trace is cut short. */
export const STOPPED_PLAYER_RULE = 'PL-12';
