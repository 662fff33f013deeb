/** Runs a player's probe scenarios in this thread: for player objects handed over directly (wmpcert/vitest). */
import type { ScenarioTiming } from '../host/timing.ts';
import type { ProbeScenario } from '../player/probe-model.ts';
import { runProbeScenario } from '../player/probe-run.ts';
import type { PlayerCandidate } from '../protocol/types.ts';
import type { Trace } from '../trace/events.ts';
import type { Sandbox } from './sandbox.ts';

export class InProcessPlayerSandbox implements Sandbox<ProbeScenario> {
  constructor(private readonly candidate: PlayerCandidate) {}

  run(scenario: ProbeScenario, timing: ScenarioTiming): Promise<Trace> {
    return runProbeScenario(this.candidate, scenario, timing);
  }

  output(): string {
    return '';
  }

  async close(): Promise<void> {}
}
