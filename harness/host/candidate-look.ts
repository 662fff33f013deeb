/**
 * What the event loop cannot see of a candidate's work: a thread-pool job in this process, or a
 * plug-in process running beside the harness. Calls a candidate owes are not judged missing while
 * it is at work, nor right after it worked: a job that ended between two looks leaves its completion
 * waiting for the next turn of the event loop, and its thread asleep again.
 */
export interface CandidateLook {
  /** Running or waiting for a CPU (or in a disk wait) right now. */
  atWork: boolean;
  /** How long its threads have run so far, in nanoseconds: grows whenever it worked, however briefly. */
  ranNs: number;
}

/** How a sandbox looks at its candidate's work. */
export interface CandidateWatch {
  /** Whether it is at work now; a look a few milliseconds old will do (the frequent look, so the cheaper one). */
  atWork(): boolean;
  /** A fresh look, with how long it has run so far. */
  look(): CandidateLook;
}

/** Nothing seen: where nothing can be looked at (no /proc), or a search that looks at nothing but its window. */
export const NOTHING_SEEN: CandidateLook = Object.freeze({ atWork: false, ranNs: 0 });

export const NOTHING_WATCHED: CandidateWatch = Object.freeze({ atWork: () => false, look: () => NOTHING_SEEN });
