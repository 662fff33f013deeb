/**
 * Picks where a loaded candidate runs: a child process (--exec), a worker thread (a module file), or
 * this thread (an object). Each kind of sandbox is imported when it is chosen: the in-process ones
 * and a command's (which plays the simulated Player here) bring the Player and msw into this
 * thread, which a module's certification never needs there (this thread only judges it).
 */
import type { ProbeScenario } from '../player/probe-model.ts';
import type { PlayerCandidate, PluginCandidate } from '../protocol/types.ts';
import type { LoadedCandidate } from '../runner/certify.ts';
import { takeParkedExecSandbox } from './parked-exec-sandbox.ts';
import type { Sandbox } from './sandbox.ts';
import { COMMAND_LANES, EXPLORATION_LANES, SandboxPool } from './sandbox-pool.ts';
import type { Scenario } from '../scenario/model.ts';
import { takeWarmed } from './warm-sandbox.ts';
import { DEFAULT_WORKER_LIMITS, WorkerSandbox, type WorkerLimits } from './worker-sandbox.ts';

/**
 * A child process or a worker thread per lane (EXPLORATION_LANES of them, COMMAND_LANES for an
 * --exec command; the later ones opened at their first scenario); an object candidate plays in this
 * thread, on one lane.
 */
export async function openSandbox(loaded: LoadedCandidate, workerLimits?: Partial<WorkerLimits>): Promise<Sandbox> {
  const { command, modulePath } = loaded;
  if (command !== undefined) {
    const { ExecSandbox } = await import('./exec-sandbox.ts');
    const start = () => ExecSandbox.start(command, undefined, loaded.cwd, loaded.commandEnv);
    const lanes = loaded.info.sourceType === 'exec' ? COMMAND_LANES : EXPLORATION_LANES;
    return new SandboxPool(takeParkedExecSandbox(command, loaded.cwd) ?? await start(), lanes, start);
  }
  if (modulePath !== undefined) {
    const workers = workerSandboxes(modulePath, workerLimits);
    return new SandboxPool<Scenario>(workers[0]!, EXPLORATION_LANES, (lane) => workers[lane]!);
  }
  const { InProcessSandbox } = await import('./in-process-sandbox.ts');
  return new InProcessSandbox(loaded.candidate as PluginCandidate);
}

/** A player's probe scenarios: module files in worker threads (a player that blocks its thread is stopped), an object in this thread. */
export async function openPlayerSandbox(loaded: LoadedCandidate, workerLimits?: Partial<WorkerLimits>): Promise<Sandbox<ProbeScenario>> {
  if (loaded.modulePath === undefined) {
    const { InProcessPlayerSandbox } = await import('./in-process-player-sandbox.ts');
    return new InProcessPlayerSandbox(loaded.candidate as PlayerCandidate);
  }
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
