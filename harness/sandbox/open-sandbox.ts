/** Picks where a loaded candidate runs: a child process (--exec), a worker thread (a module file), or this thread (an object). */
import type { ProbeScenario } from '../player/probe-model.ts';
import type { PlayerCandidate, PluginCandidate } from '../protocol/types.ts';
import type { LoadedCandidate } from '../runner/certify.ts';
import { ExecSandbox } from './exec-sandbox.ts';
import { InProcessPlayerSandbox } from './in-process-player-sandbox.ts';
import { InProcessSandbox } from './in-process-sandbox.ts';
import { takeParkedExecSandbox } from './parked-exec-sandbox.ts';
import type { Sandbox } from './sandbox.ts';
import { EXPLORATION_LANES, SandboxPool } from './sandbox-pool.ts';
import type { Scenario } from '../scenario/model.ts';
import { takeWarmed } from './warm-sandbox.ts';
import { DEFAULT_WORKER_LIMITS, WorkerSandbox, type WorkerLimits } from './worker-sandbox.ts';

/**
 * A child process or a worker thread per lane (EXPLORATION_LANES of them, the later ones opened at
 * their first scenario); an object candidate plays in this thread, on one lane.
 */
export async function openSandbox(loaded: LoadedCandidate, workerLimits?: Partial<WorkerLimits>): Promise<Sandbox> {
  const { command, modulePath } = loaded;
  if (command !== undefined) {
    const start = () => ExecSandbox.start(command, undefined, loaded.cwd, loaded.commandEnv);
    return new SandboxPool(takeParkedExecSandbox(command, loaded.cwd) ?? await start(), EXPLORATION_LANES, start);
  }
  if (modulePath !== undefined) {
    const workers = workerSandboxes(modulePath, workerLimits);
    return new SandboxPool<Scenario>(workers[0]!, EXPLORATION_LANES, (lane) => workers[lane]!);
  }
  return new InProcessSandbox(loaded.candidate as PluginCandidate);
}

/** A player's probe scenarios: module files in worker threads (a player that blocks its thread is stopped), an object in this thread. */
export function openPlayerSandbox(loaded: LoadedCandidate, workerLimits?: Partial<WorkerLimits>): Sandbox<ProbeScenario> {
  if (loaded.modulePath === undefined) return new InProcessPlayerSandbox(loaded.candidate as PlayerCandidate);
  const probing = (worker: WorkerSandbox): Sandbox<ProbeScenario> =>
    ({ run: (scenario, timing) => worker.runProbe(scenario, timing), output: () => worker.output(), close: () => worker.close() });
  const workers = workerSandboxes(loaded.modulePath, workerLimits);
  return new SandboxPool(probing(workers[0]!), EXPLORATION_LANES, (lane) => probing(workers[lane]!));
}

/** One worker sandbox per lane: those the CLI warmed, else new ones (a worker starts at its first scenario). */
function workerSandboxes(modulePath: string, workerLimits?: Partial<WorkerLimits>): WorkerSandbox[] {
  const limits = { ...DEFAULT_WORKER_LIMITS, ...workerLimits };
  return takeWarmed(modulePath, limits) ?? Array.from({ length: EXPLORATION_LANES }, () => new WorkerSandbox(modulePath, limits));
}
