/**
 * The executor for Player candidates: probe scenarios, played by the probe host in the player's
 * sandbox (a worker thread for a module file), judged by the PL rules in this thread.
 */
import { scenarioTiming, searchTiming } from '../host/timing.ts';
import type { Sandbox } from '../sandbox/sandbox.ts';
import type { ProbeScenario } from './probe-model.ts';
import { PropertyExecutor } from './property-executor.ts';
import { judgePlayerScenario } from './player-judge.ts';
import { probeScenarioArbitrary } from './probe-scenario-arbitrary.ts';

export function playerExecutor(sandbox: Sandbox<ProbeScenario>, timeoutMs: number): PropertyExecutor<ProbeScenario> {
  const timing = scenarioTiming(timeoutMs);
  const searching = searchTiming(timing);
  return new PropertyExecutor(probeScenarioArbitrary(), async (scenario, onlyRule, lane, search) => {
    const trace = await sandbox.run(scenario, search ? searching : timing, lane);
    return { scenario, trace, judgement: judgePlayerScenario(scenario, trace, onlyRule) };
  }, undefined, sandbox.lanes ?? 1);
}
