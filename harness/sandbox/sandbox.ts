/**
 * Where a candidate's scenarios run. In process is fastest but cannot stop a candidate that never
 * yields; a worker thread can be terminated and memory-capped, so module candidates run there.
 * `S` is the scenario of the candidate's side: a Scenario for a plug-in, a ProbeScenario for a player.
 */
import type { ScenarioTiming } from '../host/timing.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Trace } from '../trace/events.ts';

export interface Sandbox<S = Scenario> {
  /** How many scenarios it can play at once, each on its own lane (a SandboxPool); one when absent. */
  readonly lanes?: number;
  /** Plays one scenario; `lane` (0 when absent) picks which of a pool's sandboxes plays it. */
  run(scenario: S, timing: ScenarioTiming, lane?: number): Promise<Trace>;
  /** Output the candidate printed (bounded), for the report. */
  output(): string;
  close(): Promise<void>;
}
