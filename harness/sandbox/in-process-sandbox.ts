/** Runs scenarios in this thread: for candidate objects handed over directly (wmpcert/vitest). */
import { runScenario } from '../host/simulated-player.ts';
import type { ScenarioTiming } from '../host/timing.ts';
import type { PluginCandidate } from '../protocol/types.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Trace } from '../trace/events.ts';
import type { Sandbox } from './sandbox.ts';

export class InProcessSandbox implements Sandbox {
  constructor(private readonly candidate: PluginCandidate) {}

  run(scenario: Scenario, timing: ScenarioTiming): Promise<Trace> {
    return runScenario(this.candidate, scenario, timing);
  }

  output(): string {
    return '';
  }

  async close(): Promise<void> {}
}
