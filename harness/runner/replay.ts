/** Re-runs one failing rule's shrunk counterexample from its seed and path. */
import type { PluginCandidate } from '../protocol/types.ts';
import type { LoadedCandidate } from './certify.ts';
import { ScenarioExecutor } from './scenario-executor.ts';
import { InProcessSandbox } from '../sandbox/in-process-sandbox.ts';
import { WorkerSandbox } from '../sandbox/worker-sandbox.ts';

export interface ReplayOptions { seed: number; path: string; ruleId: string; timeoutMs: number }
export interface ReplayResult { reproduced: boolean; message: string; trace: unknown[] }

export async function replay(loaded: LoadedCandidate, options: ReplayOptions): Promise<ReplayResult> {
  const sandbox = loaded.modulePath ? new WorkerSandbox(loaded.modulePath) : new InProcessSandbox(loaded.candidate as PluginCandidate);
  const executor = new ScenarioExecutor(sandbox, options.timeoutMs);
  const failure = await executor.replay(options.seed, options.ruleId, options.path).finally(() => sandbox.close());
  if (!failure) return { reproduced: false, message: `${options.ruleId} held on the replayed scenario (seed ${options.seed}, path ${options.path})`, trace: [] };
  const lines = failure.violations.slice(0, 5).map((violation) => `  - ${violation.message}`);
  return {
    reproduced: true,
    message: [`${options.ruleId} fails again on the replayed scenario (seed ${options.seed}, path ${options.path}):`, ...lines].join('\n'),
    trace: failure.trace.events,
  };
}
