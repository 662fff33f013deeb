/** Picks where a loaded candidate runs: a child process (--exec), a worker thread (a module file), or this thread (an object). */
import type { PluginCandidate } from '../protocol/types.ts';
import type { LoadedCandidate } from '../runner/certify.ts';
import { ExecSandbox } from './exec-sandbox.ts';
import { InProcessSandbox } from './in-process-sandbox.ts';
import type { Sandbox } from './sandbox.ts';
import { takeWarmed } from './warm-sandbox.ts';
import { DEFAULT_WORKER_LIMITS, WorkerSandbox, type WorkerLimits } from './worker-sandbox.ts';

export async function openSandbox(loaded: LoadedCandidate, workerLimits?: Partial<WorkerLimits>): Promise<Sandbox> {
  if (loaded.command !== undefined) return ExecSandbox.start(loaded.command);
  if (loaded.modulePath !== undefined) {
    const limits = { ...DEFAULT_WORKER_LIMITS, ...workerLimits };
    return takeWarmed(loaded.modulePath, limits) ?? new WorkerSandbox(loaded.modulePath, limits);
  }
  return new InProcessSandbox(loaded.candidate as PluginCandidate);
}
