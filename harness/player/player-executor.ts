/** The executor for Player candidates: probe scenarios, played by the probe host, judged by the PL rules. */
import { scenarioTiming } from '../host/timing.ts';
import type { PlayerCandidate } from '../protocol/types.ts';
import type { ProbeScenario } from './probe-model.ts';
import { PropertyExecutor } from './property-executor.ts';
import { judgePlayerScenario } from './player-judge.ts';
import { runProbeScenario } from './probe-run.ts';
import { probeScenarioArbitrary } from './probe-scenario-arbitrary.ts';

export function playerExecutor(candidate: PlayerCandidate, timeoutMs: number): PropertyExecutor<ProbeScenario> {
  const timing = scenarioTiming(timeoutMs);
  return new PropertyExecutor(probeScenarioArbitrary(), async (scenario, onlyRule) => {
    const trace = await runProbeScenario(candidate, scenario, timing);
    return { scenario, trace, judgement: judgePlayerScenario(scenario, trace, onlyRule) };
  });
}
