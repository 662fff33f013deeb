/** Runs scenarios in this thread: for candidate objects handed over directly (wmpcert/vitest). */
import { ScenarioRun } from '../host/simulated-player.ts';
import type { ScenarioTiming } from '../host/timing.ts';
import type { PluginCandidate } from '../protocol/types.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Trace } from '../trace/events.ts';
import type { Sandbox } from './sandbox.ts';

export class InProcessSandbox implements Sandbox {
  constructor(private readonly candidate: PluginCandidate) {}

  async run(scenario: Scenario, timing: ScenarioTiming): Promise<Trace> {
    const run = new ScenarioRun(this.candidate, scenario, timing);
    // During the scenario the global fetch is the scenario's recording fetch, as env.fetch is: a
    // plug-in that uses it still never reaches a real network. (Sockets are not policed here: this
    // is the caller's own thread; module candidates run in a worker that refuses them.)
    const globalFetch = globalThis.fetch;
    globalThis.fetch = run.pluginFetch;
    try {
      return await run.run();
    } finally {
      if (globalThis.fetch === run.pluginFetch) globalThis.fetch = globalFetch;
    }
  }

  output(): string {
    return '';
  }

  async close(): Promise<void> {}
}
