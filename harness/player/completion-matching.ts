/**
 * Pairs each `downloadTrackComplete` with the `downloadTrack` it answers. A completion carries no
 * cookie and may misreport its track or params (which is what PL-02/PL-03 look for), so the pairing
 * is by best fit, cheapest first: a call the Player owes a completion before any other, then the
 * echoed params, a result consistent with the media that call's URL served (the one clue a wrong
 * track ID cannot fake), the track ID, and a listed track before a refusal probe. Calls that are owed nothing (failure hrDownload, refused) only take a completion naming
 * their track exactly, so a completion for them is attributed to PL-04 or PL-07 rather than
 * disguising a missing one.
 */
import { isHResult, succeeded } from '../protocol/hresult.ts';
import type { CallEvent } from '../trace/events.ts';
import type { PlannedCall } from './probe-plan.ts';

export interface MatchableCall {
  planned: PlannedCall;
  call: CallEvent;
  /** The Player accepted a success hrDownload for a listed track: it owes exactly one completion. */
  owed: boolean;
  /** The media behind the call's URL arrived whole. */
  whole: boolean;
}

export interface MatchableCompletion {
  call: CallEvent;
  hr: unknown;
  contentId: unknown;
  params: unknown;
}

// Weights in order of importance: each outweighs all the ones below it together.
const NOT_OWED = 16;
const PARAMS_DIFFER = 8;
const RESULT_INCONSISTENT = 4;
const TRACK_DIFFERS = 2;
const REFUSAL_PROBE = 1;

/** The cost of reading `completion` as the answer to `call`, or undefined when it cannot be. */
function cost(call: MatchableCall, completion: MatchableCompletion): number | undefined {
  if (completion.call.seq < call.call.seq) return undefined;
  const trackDiffers = completion.contentId !== call.planned.trackId;
  const paramsDiffer = completion.params !== call.planned.params;
  if (!call.owed && trackDiffers) return undefined;
  // Nothing in common: not an answer to this call, however badly formed.
  if (trackDiffers && paramsDiffer) return undefined;
  const inconsistent = isHResult(completion.hr) && succeeded(completion.hr) !== call.whole;
  return (call.owed ? 0 : NOT_OWED) + (paramsDiffer ? PARAMS_DIFFER : 0) + (trackDiffers ? TRACK_DIFFERS : 0)
    + (call.planned.kind === 'track' ? 0 : REFUSAL_PROBE) + (inconsistent ? RESULT_INCONSISTENT : 0);
}

/** The call each completion answers (by index into `calls`), or undefined when it answers none. */
export function matchCompletions(calls: readonly MatchableCall[], completions: readonly MatchableCompletion[]): (number | undefined)[] {
  const pairs: { cost: number; call: number; completion: number }[] = [];
  completions.forEach((completion, completionIndex) => {
    calls.forEach((call, callIndex) => {
      const value = cost(call, completion);
      if (value !== undefined) pairs.push({ cost: value, call: callIndex, completion: completionIndex });
    });
  });
  // Cheapest first; among equals the earlier completion and the earlier call, so the result is stable.
  pairs.sort((a, b) => a.cost - b.cost || a.completion - b.completion || a.call - b.call);
  const answered: (number | undefined)[] = completions.map(() => undefined);
  const taken = new Set<number>();
  const assign = (pair: { call: number; completion: number }) => {
    answered[pair.completion] = pair.call;
    taken.add(pair.call);
  };
  // First the calls owed a completion, one completion each.
  for (const pair of pairs) {
    if (pair.cost < NOT_OWED && answered[pair.completion] === undefined && !taken.has(pair.call)) assign(pair);
  }
  // A second completion echoing an owed call's track and params exactly is that call's again (a
  // Player that retried the media): PL-01's to judge, not a completion for a call owed nothing.
  for (const pair of pairs) {
    const call = calls[pair.call]!;
    const completion = completions[pair.completion]!;
    const echoes = call.owed && completion.contentId === call.planned.trackId && completion.params === call.planned.params;
    if (answered[pair.completion] === undefined && echoes && taken.has(pair.call)) answered[pair.completion] = pair.call;
  }
  for (const pair of pairs) {
    if (answered[pair.completion] === undefined && !taken.has(pair.call)) assign(pair);
  }
  return answered;
}
