/** Re-runs one failing rule's shrunk counterexample from its seed and path. */
import type { LoadedCandidate } from './certify.ts';
import type { TwinSpec } from '../rules/twins.ts';
import { ScenarioExecutor } from './scenario-executor.ts';
import { openPlayerSandbox, openSandbox } from '../sandbox/open-sandbox.ts';
import { isPageRule, replayPage } from '../discovery/certify-page.ts';
import { playerExecutor } from '../player/player-executor.ts';

export interface ReplayOptions {
  seed: number; path: string; ruleId: string; timeoutMs: number;
  /** The failure was found on a twin of the generated scenario (harness/rules/twins.ts). */
  twin?: TwinSpec;
  /** The rule whose check shows the failure there, when not `ruleId`'s own (counterexample.judgedAs). */
  judgedAs?: string;
  /** Transactions the deletion pass took out of the scenario at `path` (counterexample.droppedTransactions). */
  droppedTransactions?: number[];
}
export interface ReplayResult { reproduced: boolean; message: string; trace: unknown[] }

export async function replay(loaded: LoadedCandidate, options: ReplayOptions): Promise<ReplayResult> {
  // EX rules replay the discovery page's call, not a generated scenario.
  if (isPageRule(options.ruleId)) return replayPage(loaded, options);
  const failure = loaded.candidate.kind === 'player' ? await replayPlayer(loaded, options) : await replayPlugin(loaded, options);
  if (!failure) return { reproduced: false, message: `${options.ruleId} held on the replayed scenario (seed ${options.seed}, path ${options.path})`, trace: [] };
  const lines = failure.violations.slice(0, 5).map((violation) => `  - ${violation.message}`);
  return {
    reproduced: true,
    message: [`${options.ruleId} fails again on the replayed scenario (seed ${options.seed}, path ${options.path}):`, ...lines].join('\n'),
    trace: failure.trace.events,
  };
}

async function replayPlayer(loaded: LoadedCandidate, options: ReplayOptions) {
  const sandbox = await openPlayerSandbox(loaded);
  return playerExecutor(sandbox, options.timeoutMs).replay(options.seed, options.ruleId, options.path).finally(() => sandbox.close());
}

async function replayPlugin(loaded: LoadedCandidate, options: ReplayOptions) {
  const sandbox = await openSandbox(loaded);
  const executor = new ScenarioExecutor(sandbox, options.timeoutMs);
  return executor.replay(options.seed, options.judgedAs ?? options.ruleId, options.path, options.twin, options.droppedTransactions).finally(() => sandbox.close());
}
