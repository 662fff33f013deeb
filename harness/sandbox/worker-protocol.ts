/** Messages between the harness and a candidate's worker thread. */
import type { ScenarioTiming } from '../host/timing.ts';
import type { ProbeScenario } from '../player/probe-model.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Trace, TraceEvent } from '../trace/events.ts';

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
  | { type: 'ready' }
  | { type: 'load-failed'; message: string }
  /** Also sent with no events as a heartbeat; heapUsedMb is the worker's heap when it was sent. */
  | { type: 'events'; id: number; events: TraceEvent[]; heapUsedMb?: number }
  | { type: 'done'; id: number; ended: Trace['ended']; durationMs: number };

export interface WorkerData { modulePath: string }
