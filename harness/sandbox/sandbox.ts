/**
 * Where a candidate's scenarios run. In process is fastest but cannot stop a candidate that never
 * yields; a worker thread can be terminated and memory-capped, so module candidates run there.
 * `S` is the scenario of the candidate's side: a Scenario for a plug-in, a ProbeScenario for a player.
 */
import type { ScenarioTiming } from '../host/timing.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Trace } from '../trace/events.ts';

export interface Sandbox<S = Scenario> {
  run(scenario: S, timing: ScenarioTiming): Promise<Trace>;
  /** Output the candidate printed (bounded), for the report. */
  output(): string;
  close(): Promise<void>;
}
