/** Picks where a loaded candidate runs: a child process (--exec), a worker thread (a module file), or this thread (an object). */
import type { ProbeScenario } from '../player/probe-model.ts';
import type { PlayerCandidate, PluginCandidate } from '../protocol/types.ts';
import type { LoadedCandidate } from '../runner/certify.ts';
import { ExecSandbox } from './exec-sandbox.ts';
import { InProcessPlayerSandbox } from './in-process-player-sandbox.ts';
import { InProcessSandbox } from './in-process-sandbox.ts';
import { takeParkedExecSandbox } from './parked-exec-sandbox.ts';
import type { Sandbox } from './sandbox.ts';
import { takeWarmed } from './warm-sandbox.ts';
import { DEFAULT_WORKER_LIMITS, WorkerSandbox, type WorkerLimits } from './worker-sandbox.ts';

export async function openSandbox(loaded: LoadedCandidate, workerLimits?: Partial<WorkerLimits>): Promise<Sandbox> {
  if (loaded.command !== undefined) {
    return takeParkedExecSandbox(loaded.command, loaded.cwd) ?? ExecSandbox.start(loaded.command, undefined, loaded.cwd, loaded.commandEnv);
  }
  if (loaded.modulePath !== undefined) return workerSandbox(loaded.modulePath, workerLimits);
  return new InProcessSandbox(loaded.candidate as PluginCandidate);
}

/** A player's probe scenarios: a module file in a worker thread (a player that blocks its thread is stopped), an object in this thread. */
export function openPlayerSandbox(loaded: LoadedCandidate, workerLimits?: Partial<WorkerLimits>): Sandbox<ProbeScenario> {
  if (loaded.modulePath === undefined) return new InProcessPlayerSandbox(loaded.candidate as PlayerCandidate);
  const worker = workerSandbox(loaded.modulePath, workerLimits);
  return { run: (scenario, timing) => worker.runProbe(scenario, timing), output: () => worker.output(), close: () => worker.close() };
}

function workerSandbox(modulePath: string, workerLimits?: Partial<WorkerLimits>): WorkerSandbox {
  const limits = { ...DEFAULT_WORKER_LIMITS, ...workerLimits };
  return takeWarmed(modulePath, limits) ?? new WorkerSandbox(modulePath, limits);
}
