/** Messages between the harness and a candidate's worker thread. */
import type { ScenarioTiming } from '../host/timing.ts';
import type { ProbeScenario } from '../player/probe-model.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Trace, TraceEvent } from '../trace/events.ts';
import type { CandidateDescription } from '../adapters/candidate-shape.ts';

/**
 * What a worker plays, by the side of its candidate: a plug-in plays a Scenario against the
 * simulated Player; a player hosts the probe plug-in in a ProbeScenario.
 */
export type WorkerScenario =
  | { side: 'plugin'; scenario: Scenario }
  | { side: 'player'; scenario: ProbeScenario };

export type ToWorker =
  | ({ type: 'run'; id: number; timing: ScenarioTiming } & WorkerScenario);

export type FromWorker =
  /**
   * The candidate loaded: what the CLI's thread needs of it, so that it never imports the module
   * itself, and the worker thread's /proc task folder (its run time tells a spinning thread from a
   * starved one), where /proc can be read.
   */
  | { type: 'ready'; description: CandidateDescription; task?: string }
  /** Importing the module threw (or a getter of its export did): the message, and the error in one line (messages.oneLineError). */
  | { type: 'load-failed'; message: string; errorLine: string; stack?: string }
  /** The module's default export is not a candidate (candidate-shape.ts). */
  | { type: 'not-a-candidate'; problems: string[] }
  /** Also sent with no events as a heartbeat; heapUsedMb is the worker's heap when it was sent. */
  | { type: 'events'; id: number; events: TraceEvent[]; heapUsedMb?: number }
  | { type: 'done'; id: number; ended: Trace['ended']; durationMs: number };

export interface WorkerData {
  modulePath: string;
  /** The process's registry of harness threads (host/thread-state.ts), which the worker signs into. */
  threads: SharedArrayBuffer;
}

/** How loading the candidate in a worker ended, for the CLI's thread (harness/adapters/load-candidate.ts). */
export type WorkerLoading = Extract<FromWorker, { type: 'ready' | 'load-failed' | 'not-a-candidate' }>;
