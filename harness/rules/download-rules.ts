/** The plug-in side of the download flow: DL-01…DL-15 as predicates over the analysed trace. */
import { E_INVALIDARG, hresultName, isHResult, succeeded } from '../protocol/hresult.ts';
import type { ReturnEvent } from '../trace/events.ts';
import { callOf, callsPerTrack, type DownloadAnalysis, type TransactionFacts } from './download-analysis.ts';
import { asViolations, flatMapAll, NONE, type Finding, type RuleCheck } from './rule-check.ts';
import {
  backendFaultProblems, decisionProblems, extraCalls, missingTracks, servingProblems, transactionsIn, urlProblems,
  type TransactionContext,
} from './transaction-findings.ts';

type Check = RuleCheck<DownloadAnalysis>;

function describeReturn(ret: ReturnEvent | undefined): string {
  if (!ret) return 'never returned';
  if (ret.timedOut) return 'did not return within the per-call timeout (it waits on something: the store answers are held until it returns)';
  if (ret.threw) return `threw ${ret.threw.name}: ${ret.threw.message}`;
  return isHResult(ret.value) ? `returned ${hresultName(ret.value)}` : `returned ${JSON.stringify(ret.value)}, not an HRESULT`;
}

function returnedSuccess(ret: ReturnEvent | undefined): boolean {
  return ret !== undefined && !ret.timedOut && !ret.threw && isHResult(ret.value) && succeeded(ret.value);
}

/** A check over the plain transactions, excluding those a list fault exempts. */
function plainCheck(id: string, findings: (facts: TransactionFacts, analysis: DownloadAnalysis) => Finding[], extraApplies: (facts: TransactionFacts, a: DownloadAnalysis) => boolean = () => true): Check {
  const scope = (analysis: DownloadAnalysis) => transactionsIn(analysis, 'plain').filter((facts) => !facts.listFault);
  return {
    id,
    applies: (analysis) => scope(analysis).some((facts) => extraApplies(facts, analysis)),
    check: (analysis) => asViolations(id, scope(analysis).flatMap((facts) => findings(facts, analysis))),
  };
}

/** DL-10 and DL-12 judge "served in full" in their own context. */
function contextCheck(id: string, context: TransactionContext, extra: (analysis: DownloadAnalysis) => Finding[] = () => []): Check {
  const scope = (analysis: DownloadAnalysis) => transactionsIn(analysis, context).filter((facts) => !facts.listFault);
  return {
    id,
    applies: (analysis) => scope(analysis).length > 0 || extra(analysis).length > 0,
    check: (analysis) => asViolations(id, [...scope(analysis).flatMap((facts) => servingProblems(facts, analysis)), ...extra(analysis)]),
  };
}

const trackHas = (predicate: (kind: string, entitled: boolean) => boolean) => (facts: TransactionFacts, analysis: DownloadAnalysis) =>
  [...facts.occurrences.keys()].some((id) => { const track = analysis.tracks.get(id)!; return predicate(track.backend.kind, track.entitled); });

/** What DL-12 says of a value not carried bit-exactly: its own finding, whatever the context (harness/runner/attribution.ts). */
export const NOT_CARRIED_EXACTLY = 'the 32-bit value was not carried exactly';

/** Calls whose cookie or track ID is right only once read leniently: the value range was not carried exactly. */
function valueRangeFindings(analysis: DownloadAnalysis): Finding[] {
  const findings: Finding[] = [];
  for (const call of analysis.calls) {
    if (!call.transaction) continue;
    if (!call.exactCookie) {
      findings.push({ message: `downloadTrack carries cookie ${JSON.stringify(call.cookie)} for transaction cookie ${call.cookieValue}: ${NOT_CARRIED_EXACTLY}`, events: [call.call.seq], cookie: call.cookieValue });
    } else if (call.trackValue !== undefined && !call.exactTrack && call.transaction.occurrences.has(call.trackValue)) {
      findings.push({ message: `downloadTrack carries track ID ${JSON.stringify(call.trackId)} for track ${call.trackValue}: ${NOT_CARRIED_EXACTLY}`, events: [call.call.seq], trackId: call.trackValue });
    }
  }
  return findings;
}

const DL_01: Check = {
  id: 'DL-01',
  applies: (analysis) => analysis.transactions.some((facts) => facts.started && !facts.empty && !facts.listFault),
  check: (analysis) => asViolations('DL-01', analysis.transactions
    .filter((facts) => facts.started && !facts.empty && !facts.listFault && !returnedSuccess(facts.downloadReturn))
    .map((facts) => ({
      message: `download for transaction ${facts.index} (cookie ${facts.spec.cookie}, ${facts.occurrences.size} tracks) ${describeReturn(facts.downloadReturn)}`,
      events: [facts.downloadCall!.seq, ...(facts.downloadReturn ? [facts.downloadReturn.seq] : [])], cookie: facts.spec.cookie,
    }))),
};

const DL_04: Check = {
  id: 'DL-04',
  // Two transactions, one of them empty, can be mixed up too (an empty list's cookie on another's track).
  applies: (analysis) => analysis.transactions.filter((facts) => facts.started).length > 1,
  check: (analysis) => asViolations('DL-04', flatMapAll(analysis.calls, (call): readonly Finding[] => {
    if (!call.exactCookie || !call.transaction || call.trackValue === undefined || call.transaction.occurrences.has(call.trackValue)) return NONE;
    const owner = analysis.transactions.find((facts) => facts.started && facts !== call.transaction && facts.occurrences.has(call.trackValue!));
    if (!owner) return NONE;
    return [{
      message: `downloadTrack for track ${call.trackValue} carries cookie ${call.cookieValue} (transaction ${call.transaction.index}), but the track belongs to transaction ${owner.index} (cookie ${owner.spec.cookie})`,
      events: [call.call.seq], cookie: call.cookieValue, trackId: call.trackValue,
    }];
  })),
};

const DL_05: Check = {
  id: 'DL-05',
  applies: (analysis) => analysis.calls.length > 0,
  check: (analysis) => asViolations('DL-05', flatMapAll(analysis.calls, (call): readonly Finding[] => {
    const evidence = { events: [call.call.seq], cookie: call.cookieValue, trackId: call.trackValue };
    if (!call.transaction) {
      return [{ ...evidence, message: `downloadTrack names cookie ${JSON.stringify(call.cookie)}, which the plug-in was never given` }];
    }
    if (!call.transaction.returnedSuccess && !call.transaction.timedOut) {
      return [{ ...evidence, message: `downloadTrack names cookie ${call.cookieValue}, whose download returned a failure: no call may follow it` }];
    }
    if (call.trackValue === undefined) {
      return [{ ...evidence, message: `downloadTrack names track ID ${JSON.stringify(call.trackId)}, which is not a DWORD` }];
    }
    const elsewhere = analysis.transactions.some((facts) => facts.started && facts.occurrences.has(call.trackValue!));
    if (!call.transaction.occurrences.has(call.trackValue) && !elsewhere) {
      return [{ ...evidence, message: `downloadTrack names track ${call.trackValue}, which is in no list the plug-in was given` }];
    }
    return NONE;
  })),
};

const DL_09: Check = {
  id: 'DL-09',
  applies: (analysis) => analysis.events.some((event) => event.type === 'call' && event.method === 'downloadTrackComplete'),
  check: (analysis) => asViolations('DL-09', flatMapAll(analysis.events, (event): readonly Finding[] => {
    if (event.type !== 'call' || event.method !== 'downloadTrackComplete') return NONE;
    const ret = analysis.returns.get(event.callId);
    if (returnedSuccess(ret)) return NONE;
    const [hr, trackId, params] = event.args;
    return [{
      message: `downloadTrackComplete(${hresultName(hr as number)}, ${String(trackId)}, ${JSON.stringify(params)?.slice(0, 80)}) ${describeReturn(ret)}`,
      events: [event.seq, ...(ret ? [ret.seq] : [])], trackId: trackId as number,
    }];
  })),
};

const DL_11: Check = {
  id: 'DL-11',
  applies: (analysis) => analysis.transactions.some((facts) => facts.started && facts.empty && !facts.listFault),
  check: (analysis) => asViolations('DL-11', analysis.transactions.filter((facts) => facts.started && facts.empty && !facts.listFault).flatMap((facts): Finding[] => {
    const findings: Finding[] = [];
    if (!returnedSuccess(facts.downloadReturn)) {
      findings.push({ message: `download of an empty list (transaction ${facts.index}, ${facts.spec.containers.length} empty containers) ${describeReturn(facts.downloadReturn)}`, events: [facts.downloadCall!.seq], cookie: facts.spec.cookie });
    }
    // A downloadTrack under an empty list's cookie names a track of another transaction (a cookie
    // mix-up, DL-04) or a track in no list (DL-05): those rules name its cause (decision 10).
    return findings;
  })),
};

const DL_13: Check = {
  id: 'DL-13',
  applies: (analysis) => analysis.transactions.some((facts) => facts.started),
  check: (analysis) => asViolations('DL-13', flatMapAll(analysis.events, (event): readonly Finding[] => {
    if (event.type !== 'return' || event.from !== 'plugin' || event.to !== 'player' || event.threw?.hr !== E_INVALIDARG) return NONE;
    // Not a closure over `event` here: that would allocate a context at every one of a million events.
    const call = callOf(analysis.events, event.callId);
    const args = call ? JSON.stringify(call.args.slice(1)) : '';
    return [{ message: `${event.method}(${args.slice(1, -1)}) was called with an index out of range`, events: [call?.seq ?? event.seq, event.seq] }];
  })),
};

const DL_14: Check = {
  id: 'DL-14',
  applies: (analysis) => analysis.transactions.some((facts) => facts.started && [...facts.occurrences.values()].some((count) => count > 1)),
  check: (analysis) => asViolations('DL-14', analysis.transactions.filter((facts) => facts.started).flatMap((facts) => {
    const findings: Finding[] = [];
    for (const [trackId, calls] of callsPerTrack(facts)) {
      const listed = facts.occurrences.get(trackId)!;
      if (listed > 1 && calls.length > 1) {
        findings.push({ message: `track ${trackId} is listed ${listed} times in transaction ${facts.index} and got ${calls.length} calls; one call is recommended`, events: calls.map((call) => call.call.seq), cookie: facts.spec.cookie, trackId });
      }
    }
    return findings;
  })),
};

const DL_15: Check = {
  id: 'DL-15',
  applies: () => true,
  check: (analysis) => asViolations('DL-15', flatMapAll(analysis.events, (event): readonly Finding[] => {
    if (event.type === 'uncaught') {
      return [{ message: `the plug-in raised an ${event.source === 'exception' ? 'uncaught exception' : 'unhandled rejection'}: ${event.error.name}: ${event.error.message}`, events: [event.seq] }];
    }
    if (event.type === 'return' && event.to === 'plugin' && event.threw && event.threw.kind !== 'hresult-error') {
      return [{ message: `${event.method} threw ${event.threw.kind === 'error' ? event.threw.name : 'a non-Error value'}: ${event.threw.message} (only a failure HRESULT may escape: throw something with a numeric hr, e.g. HResultError)`, events: [event.seq] }];
    }
    return NONE;
  })),
};

const DL_16: Check = {
  id: 'DL-16',
  applies: () => true,
  check: (analysis) => asViolations('DL-16', flatMapAll(analysis.events, (event): readonly Finding[] =>
    event.type === 'sandbox' ? [{ message: event.message, events: [event.seq] }] : NONE)),
};

export const DOWNLOAD_CHECKS: readonly Check[] = [
  DL_01,
  plainCheck('DL-02', missingTracks),
  plainCheck('DL-03', extraCalls),
  DL_04,
  DL_05,
  plainCheck('DL-06', urlProblems, trackHas((_kind, entitled) => entitled)),
  plainCheck('DL-07', decisionProblems),
  plainCheck('DL-08', backendFaultProblems, trackHas((kind) => kind === 'permanent')),
  DL_09,
  contextCheck('DL-10', 'post-fault'),
  DL_11,
  contextCheck('DL-12', 'edge-values', valueRangeFindings),
  DL_13,
  DL_14,
  DL_15,
  DL_16,
];
