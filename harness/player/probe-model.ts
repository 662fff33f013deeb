/**
 * A generated probe scenario: everything the probe plug-in does to a Player under test, as plain
 * data (printable, stored in reports, shrinkable). The Player's answers are not in it: they are what
 * is being certified, and land in the trace.
 */
import type { BSTR, DWORD, HRESULT } from '../protocol/types.ts';
import type { ContainerSpec, MediaFate, TransactionStart } from '../scenario/model.ts';

export type { ContainerSpec, MediaFate, TransactionStart } from '../scenario/model.ts';

/** One track of the scenario's catalog: how the probe treats it wherever it recurs. */
export interface ProbeTrack {
  id: DWORD;
  /** The `hrDownload` the probe sends: a success (S_OK, S_FALSE, 0x000D0BC4) or a failure. */
  hrDownload: HRESULT;
  /** What the media server does with the URL the probe hands out for this track. */
  media: MediaFate;
  /** Size of the media body in bytes (0 is a valid, whole download). */
  size: number;
  /** The `downloadParams` the probe sends: the Player must echo them exactly (PL-02, PL-11). */
  params: BSTR;
}

/**
 * When the probe makes a transaction's `downloadTrack` calls: synchronously inside `download`, or
 * later, each call held and released in the scenario's order among the media answers.
 */
export type CallTiming = 'inside-download' | 'scheduled';

/** A call the Player must refuse (PL-07). */
export type RefusalProbe =
  /** A cookie the Player never handed out; resolved at run time from the hint (the Player picks cookies). */
  | { kind: 'unknown-cookie'; cookieHint: DWORD }
  /** The transaction's own cookie with a track ID from another transaction of the catalog. */
  | { kind: 'foreign-track'; trackId: DWORD };

export interface ProbeTransaction {
  /** What the harness asks the Player to download (`startDownload`). */
  containers: ContainerSpec[];
  start: TransactionStart;
  calls: CallTiming;
  refusals: RefusalProbe[];
}

/** The out-of-range index the probe tries on every list getter that takes one (PL-09). */
export type OutOfRangeIndex = 'one-past-end' | 'max-dword';

export interface ProbeScenario {
  tracks: ProbeTrack[];
  transactions: ProbeTransaction[];
  outOfRange: OutOfRangeIndex;
  /** Permutes the order in which media answers and scheduled calls are released (0: arrival order). */
  orderSalt: number;
}
