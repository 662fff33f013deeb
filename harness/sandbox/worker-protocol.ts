/** Messages between the harness and a candidate's worker thread. */
import type { ScenarioTiming } from '../host/timing.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Trace, TraceEvent } from '../trace/events.ts';

export type ToWorker =
  | { type: 'run'; id: number; scenario: Scenario; timing: ScenarioTiming };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'load-failed'; message: string }
  /** Also sent with no events as a heartbeat; heapUsedMb is the worker's heap when it was sent. */
  | { type: 'events'; id: number; events: TraceEvent[]; heapUsedMb?: number }
  | { type: 'done'; id: number; ended: Trace['ended']; durationMs: number };

export interface WorkerData { modulePath: string }
