/**
 * Where a candidate's scenarios run. In process is fastest but cannot stop a candidate that never
 * yields; a worker thread can be terminated and memory-capped, so module candidates run there.
 */
import type { ScenarioTiming } from '../host/timing.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Trace } from '../trace/events.ts';

export interface Sandbox {
  run(scenario: Scenario, timing: ScenarioTiming): Promise<Trace>;
  /** Output the candidate printed (bounded), for the report. */
  output(): string;
  close(): Promise<void>;
}
