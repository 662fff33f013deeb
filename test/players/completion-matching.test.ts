/** Completions are paired with the calls they answer by best fit, so one broken field is blamed on its own rule. */
import { expect, test } from 'vitest';
import { matchCompletions, type MatchableCall, type MatchableCompletion } from '../../harness/player/completion-matching.ts';
import { mediaUrlOf, type PlannedCall } from '../../harness/player/probe-plan.ts';
import { E_FAIL, NS_E_WMP_DOWNLOAD_FAILED, S_OK } from '../../harness/protocol/hresult.ts';
import type { CallEvent } from '../../harness/trace/events.ts';

let seq = 0;
const event = (method: string): CallEvent => ({ type: 'call', seq: seq++, at: 0, callId: seq, from: 'plugin', to: 'player', method, args: [] });

function call(trackId: number, params: string | null, options: { owed?: boolean; whole?: boolean; kind?: PlannedCall['kind']; hr?: number } = {}): MatchableCall {
  const planned: PlannedCall = {
    kind: options.kind ?? 'track', transaction: 0, ordinal: trackId, trackId, url: mediaUrlOf(0, trackId), params,
    hrDownload: options.hr ?? S_OK, media: options.whole === false ? 'http-404' : 'healthy', size: 3,
  };
  return { planned, call: event('downloadTrack'), owed: options.owed ?? true, whole: options.whole ?? true };
}

const completion = (hr: number, contentId: number, params: string | null): MatchableCompletion => ({ call: event('downloadTrackComplete'), hr, contentId, params });

test('exact echoes pair with their own calls, whatever the order of completions', () => {
  const calls = [call(1, 'a'), call(2, 'b')];
  expect(matchCompletions(calls, [completion(S_OK, 2, 'b'), completion(S_OK, 1, 'a')])).toEqual([1, 0]);
});

test('an off-by-one contentID is blamed on the ID, not on the neighbour track whose media failed', () => {
  // Tracks 17 (healthy) and 18 (404), both with null params; the player reports id + 1.
  const calls = [call(17, null, { whole: true }), call(18, null, { whole: false })];
  expect(matchCompletions(calls, [completion(S_OK, 18, null), completion(NS_E_WMP_DOWNLOAD_FAILED, 19, null)])).toEqual([0, 1]);
});

test('normalised params still pair by track ID', () => {
  const calls = [call(5, 'e\u0301'), call(6, '\u00e9')];
  expect(matchCompletions(calls, [completion(S_OK, 5, '\u00e9'), completion(S_OK, 6, '\u00e9')])).toEqual([0, 1]);
});

test('a completion for a call owed nothing pairs only with an exact track ID, a refusal probe by its params', () => {
  const calls = [call(3, null, { owed: false, hr: E_FAIL }), call(3, 'wmpcert refusal probe 0.1', { owed: false, kind: 'unknown-cookie' })];
  expect(matchCompletions(calls, [completion(S_OK, 3, 'wmpcert refusal probe 0.1'), completion(S_OK, 3, null), completion(S_OK, 4, null)])).toEqual([1, 0, undefined]);
});

test('a completion with neither the track nor the params of a call answers none', () => {
  expect(matchCompletions([call(1, 'a')], [completion(S_OK, 2, 'b')])).toEqual([undefined]);
});

test('a retried completion (same track, same params) answers the owed call again, not a refusal probe of that track', () => {
  // The player retried a failed media download: two completions for one call (PL-01), none for the probe.
  const calls = [call(7, 'p'), call(7, 'wmpcert refusal probe 0.2', { owed: false, kind: 'foreign-track' })];
  expect(matchCompletions(calls, [completion(NS_E_WMP_DOWNLOAD_FAILED, 7, 'p'), completion(S_OK, 7, 'p')])).toEqual([0, 0]);
});
