/**
 * What can go wrong in serving one transaction. DL-02, DL-03, DL-06, DL-07 and DL-08 judge these in
 * plain transactions; DL-10 judges the same things in transactions that started after a fault, and
 * DL-12 in transactions carrying edge values — so each mutant is reported under exactly one rule.
 */
import { failed, hresultName, isHResult, succeeded } from '../protocol/hresult.ts';
import { callsPerTrack, servedInFull, type DownloadAnalysis, type TransactionFacts, type TrackCall } from './download-analysis.ts';
import type { Finding } from './rule-check.ts';

export type TransactionContext = 'plain' | 'post-fault' | 'edge-values';

export function contextOf(facts: TransactionFacts): TransactionContext {
  if (facts.postFault) return 'post-fault';
  if (facts.edgeValues) return 'edge-values';
  return 'plain';
}

export function transactionsIn(analysis: DownloadAnalysis, context: TransactionContext): TransactionFacts[] {
  return analysis.transactions.filter((facts) => facts.started && !facts.empty && contextOf(facts) === context);
}

const show = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value));
const hrText = (hr: unknown) => (isHResult(hr) ? hresultName(hr) : `non-HRESULT ${show(hr)}`);
const callEvidence = (calls: readonly TrackCall[]) => calls.map((call) => call.call.seq);

/** Tracks left without any downloadTrack call (DL-02's subject). */
export function missingTracks(facts: TransactionFacts): Finding[] {
  if (!servedInFull(facts)) return [];
  const called = callsPerTrack(facts);
  const findings: Finding[] = [];
  for (const trackId of facts.occurrences.keys()) {
    if (!called.has(trackId)) {
      findings.push({
        message: `track ${trackId} of transaction ${facts.index} (cookie ${facts.spec.cookie}) never got a downloadTrack call`,
        events: facts.downloadCall ? [facts.downloadCall.seq] : [], cookie: facts.spec.cookie, trackId,
      });
    }
  }
  return findings;
}

/** Tracks called more often than they are listed (DL-03's subject). */
export function extraCalls(facts: TransactionFacts): Finding[] {
  const findings: Finding[] = [];
  for (const [trackId, calls] of callsPerTrack(facts)) {
    const listed = facts.occurrences.get(trackId)!;
    if (calls.length > listed) {
      findings.push({
        message: `track ${trackId} is listed ${listed} time(s) in transaction ${facts.index} but got ${calls.length} downloadTrack calls`,
        events: callEvidence(calls), cookie: facts.spec.cookie, trackId,
      });
    }
  }
  return findings;
}

const HTTP_PREFIX = /^https?:\/\//i;

function isDownloadUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  // The usual case without a URL object per track: a URL written with an http(s) scheme has that protocol whenever it parses.
  if (HTTP_PREFIX.test(url)) return URL.canParse(url) && url.trim() === url;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && url.trim() === url;
  } catch {
    return false;
  }
}

/** Success calls without a usable URL, or whose URL does not deliver the track's healthy media (DL-06's subject). */
export function urlProblems(facts: TransactionFacts, analysis: DownloadAnalysis): Finding[] {
  const findings: Finding[] = [];
  for (const call of facts.calls) {
    if (!isHResult(call.hr) || !succeeded(call.hr)) continue;
    if (!isDownloadUrl(call.url)) {
      findings.push({ cookie: facts.spec.cookie, trackId: call.trackValue, message: `downloadTrack for track ${call.trackValue} says ${hrText(call.hr)} but its URL ${show(call.url)} is not an absolute http(s) URL`, events: [call.call.seq] });
      continue;
    }
    const track = analysis.tracks.get(call.trackValue!);
    const playerDownloaded = call.ret !== undefined && isHResult(call.ret.value) && succeeded(call.ret.value);
    if (!track || !track.entitled || track.media !== 'healthy' || !playerDownloaded || !call.media) continue;
    const media = call.media;
    const whole = media.status === 200 && media.bytes === media.contentLength && media.error === undefined;
    if (!whole || media.trackId !== call.trackValue) {
      const what = media.trackId !== undefined && media.trackId !== call.trackValue
        ? `serves the media of track ${media.trackId}`
        : `did not download completely (status ${media.status}${media.error ? `, ${media.error}` : ''})`;
      findings.push({ cookie: facts.spec.cookie, trackId: call.trackValue, message: `the URL ${show(call.url)} given for track ${call.trackValue} ${what}`, events: [call.call.seq, media.seq] });
    }
  }
  return findings;
}

/** The store refused, or was healthy: the hrDownload must say so (DL-07's subject). */
export function decisionProblems(facts: TransactionFacts, analysis: DownloadAnalysis): Finding[] {
  const findings: Finding[] = [];
  for (const call of facts.calls) {
    const track = analysis.tracks.get(call.trackValue!);
    if (!track) continue;
    const healthy = track.backend.kind === 'healthy' || track.backend.kind === 'slow';
    const base = { cookie: facts.spec.cookie, trackId: track.id, events: [call.call.seq] };
    if (!track.entitled && track.backend.kind !== 'permanent' && !(isHResult(call.hr) && failed(call.hr))) {
      findings.push({ ...base, message: `the store refused track ${track.id} (403) but downloadTrack says ${hrText(call.hr)}: a refused track needs a failure hrDownload` });
    } else if (track.entitled && healthy && !(isHResult(call.hr) && succeeded(call.hr))) {
      findings.push({ ...base, message: `track ${track.id} is entitled and its back end is ${track.backend.kind}, but downloadTrack says ${hrText(call.hr)}: it needs a success hrDownload` });
    }
  }
  return findings;
}

/** A back end that fails permanently must end in a failure hrDownload (DL-08's subject). */
export function backendFaultProblems(facts: TransactionFacts, analysis: DownloadAnalysis): Finding[] {
  const findings: Finding[] = [];
  for (const call of facts.calls) {
    const track = analysis.tracks.get(call.trackValue!);
    if (!track || track.backend.kind !== 'permanent') continue;
    if (!(isHResult(call.hr) && failed(call.hr))) {
      findings.push({
        message: `track ${track.id}'s back end fails permanently (${track.backend.fault}) but downloadTrack says ${hrText(call.hr)}`,
        events: [call.call.seq], cookie: facts.spec.cookie, trackId: track.id,
      });
    }
  }
  return findings;
}

/** Everything "served in full" means (DL-02…DL-08), for DL-10 and DL-12 which judge it in their contexts. */
export function servingProblems(facts: TransactionFacts, analysis: DownloadAnalysis): Finding[] {
  return [
    ...missingTracks(facts), ...extraCalls(facts), ...urlProblems(facts, analysis),
    ...decisionProblems(facts, analysis), ...backendFaultProblems(facts, analysis),
  ];
}
