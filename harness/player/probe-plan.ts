/**
 * The calls the probe plug-in makes, derived from the scenario alone, so the host that makes them and
 * the rules that judge them agree without the rules reading the host. Every planned call has its own
 * media URL: a media request in the trace then names the call it downloads for.
 */
import { S_OK, type HRESULT } from '../protocol/hresult.ts';
import type { BSTR } from '../protocol/types.ts';
import type { MediaFate, ProbeScenario, ProbeTrack } from './probe-model.ts';

export const PROBE_MEDIA_URL = 'http://media.wmpcert.test';

export type PlannedKind = 'track' | 'unknown-cookie' | 'foreign-track';

export interface PlannedCall {
  kind: PlannedKind;
  transaction: number;
  /** Position among the transaction's calls, in the order the probe makes them. */
  ordinal: number;
  trackId: number;
  url: string;
  params: BSTR;
  hrDownload: HRESULT;
  media: MediaFate;
  size: number;
  /** For unknown-cookie probes: where the run-time search for an unused cookie starts. */
  cookieHint?: number;
}

export interface ProbePlan {
  /** Per transaction, its calls in order: one per distinct track, then the refusal probes. */
  calls: PlannedCall[][];
  byUrl: Map<string, PlannedCall>;
  tracks: Map<number, ProbeTrack>;
}

export function mediaUrlOf(transaction: number, ordinal: number): string {
  return `${PROBE_MEDIA_URL}/t${transaction}/c${ordinal}.wma`;
}

/** Distinct track IDs of a container list, in list order. */
export function distinctTracks(containers: { items: { id: number }[] }[]): number[] {
  return [...new Set(containers.flatMap((container) => container.items.map((item) => item.id)))];
}

export function probePlan(scenario: ProbeScenario): ProbePlan {
  const tracks = new Map(scenario.tracks.map((track) => [track.id, track]));
  const calls = scenario.transactions.map((transaction, index): PlannedCall[] => {
    const planned: PlannedCall[] = distinctTracks(transaction.containers).map((trackId, ordinal) => {
      const track = tracks.get(trackId)!;
      return {
        kind: 'track', transaction: index, ordinal, trackId, url: mediaUrlOf(index, ordinal),
        params: track.params, hrDownload: track.hrDownload, media: track.media, size: track.size,
      };
    });
    for (const refusal of transaction.refusals) {
      const ordinal = planned.length;
      // An unknown cookie is tried with a track the transaction does list, so only the cookie is wrong.
      const trackId = refusal.kind === 'foreign-track' ? refusal.trackId : (planned[0]?.trackId ?? scenario.tracks[0]!.id);
      const track = tracks.get(trackId)!;
      planned.push({
        kind: refusal.kind, transaction: index, ordinal, trackId, url: mediaUrlOf(index, ordinal),
        // Params no other call carries: a completion for this call cannot pass for another's.
        params: `wmpcert refusal probe ${index}.${ordinal}`,
        hrDownload: S_OK, media: track.media, size: track.size,
        ...(refusal.kind === 'unknown-cookie' ? { cookieHint: refusal.cookieHint } : {}),
      });
    }
    return planned;
  });
  return { calls, byUrl: new Map(calls.flat().map((call) => [call.url, call])), tracks };
}
