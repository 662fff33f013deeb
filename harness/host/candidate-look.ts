/**
 * What the event loop cannot see of a candidate's work: a thread-pool job in this process, or a
 * plug-in process running beside the harness. Calls a candidate owes are not judged missing while
 * it is at work, nor right after it worked: a job that ended between two looks leaves its completion
 * waiting for the next turn of the event loop, and its thread asleep again.
 */
export interface CandidateLook {
  /** Running or waiting for a CPU (or in a disk wait) right now. */
  atWork: boolean;
  /** How many times its threads have been given a CPU so far: grows whenever it worked, however briefly. */
  timeSlices: number;
}

/** `fresh` asks for a new look rather than one a few milliseconds old. */
export type LookAtCandidate = (fresh?: boolean) => CandidateLook;

/** Nothing seen: where nothing can be looked at (no /proc), or a search that looks at nothing but its window. */
export const NOTHING_SEEN: CandidateLook = Object.freeze({ atWork: false, timeSlices: 0 });
