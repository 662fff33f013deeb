/**
 * Worker sandboxes started ahead of their certification. Loading a module candidate's worker (tsx,
 * msw and the candidate, through tsx's hooks) takes a second or two; the CLI starts it right after
 * parsing its arguments, so that it loads while the CLI's own thread loads the candidate and the
 * engine, and openSandbox then hands that sandbox out instead of a new one. This module stays light
 * (worker-sandbox.ts and the lane count only) so that starting one costs the CLI nothing.
 */
import { EXPLORATION_LANES } from './sandbox-pool.ts';
import { DEFAULT_WORKER_LIMITS, WorkerSandbox, type WorkerLimits } from './worker-sandbox.ts';
import type { WorkerLoading } from './worker-protocol.ts';

const warmed = new Map<string, { limits: WorkerLimits; sandboxes: WorkerSandbox[] }>();

/** Starts the worker sandboxes of a module candidate now, one per lane. The returned function closes them if no openSandbox took them. */
export function warmWorkerSandbox(modulePath: string, workerLimits?: Partial<WorkerLimits>): () => Promise<void> {
  const limits = { ...DEFAULT_WORKER_LIMITS, ...workerLimits };
  const sandboxes = Array.from({ length: EXPLORATION_LANES }, () => new WorkerSandbox(modulePath, limits));
  for (const sandbox of sandboxes) sandbox.warm();
  warmed.set(modulePath, { limits, sandboxes });
  return async () => {
    if (warmed.get(modulePath)?.sandboxes !== sandboxes) return;
    warmed.delete(modulePath);
    await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  };
}

/** How the candidate loaded in the first warmed sandbox of this module (undefined when none was warmed). */
export function warmedLoading(modulePath: string): Promise<WorkerLoading> | undefined {
  return warmed.get(modulePath)?.sandboxes[0]?.loading();
}

/** The warmed sandboxes of this module, if they were started with these very limits (else they are closed). */
export function takeWarmed(modulePath: string, limits: WorkerLimits): WorkerSandbox[] | undefined {
  const early = warmed.get(modulePath);
  if (!early) return undefined;
  warmed.delete(modulePath);
  const keys = new Set([...Object.keys(early.limits), ...Object.keys(limits)]) as Set<keyof WorkerLimits>;
  if ([...keys].every((key) => early.limits[key] === limits[key])) return early.sandboxes;
  for (const sandbox of early.sandboxes) void sandbox.close();
  return undefined;
}
