/**
 * Worker sandboxes started ahead of their certification. Loading a module candidate's worker (tsx,
 * msw and the candidate, through tsx's hooks) takes a second or two; the CLI starts it right after
 * parsing its arguments, so that it loads while the CLI's own thread loads the candidate and the
 * engine, and openSandbox then hands that sandbox out instead of a new one. This module stays light
 * (worker-sandbox.ts only) so that starting one costs the CLI nothing.
 */
import { DEFAULT_WORKER_LIMITS, WorkerSandbox, type WorkerLimits } from './worker-sandbox.ts';

const warmed = new Map<string, { limits: WorkerLimits; sandbox: WorkerSandbox }>();

/** Starts the worker sandbox of a module candidate now. The returned function closes it if no openSandbox took it. */
export function warmWorkerSandbox(modulePath: string, workerLimits?: Partial<WorkerLimits>): () => Promise<void> {
  const limits = { ...DEFAULT_WORKER_LIMITS, ...workerLimits };
  const sandbox = new WorkerSandbox(modulePath, limits);
  sandbox.warm();
  warmed.set(modulePath, { limits, sandbox });
  return async () => {
    if (warmed.get(modulePath)?.sandbox !== sandbox) return;
    warmed.delete(modulePath);
    await sandbox.close();
  };
}

/** The warmed sandbox of this module, if it was started with these very limits (else it is closed). */
export function takeWarmed(modulePath: string, limits: WorkerLimits): WorkerSandbox | undefined {
  const early = warmed.get(modulePath);
  if (!early) return undefined;
  warmed.delete(modulePath);
  const keys = new Set([...Object.keys(early.limits), ...Object.keys(limits)]) as Set<keyof WorkerLimits>;
  if ([...keys].every((key) => early.limits[key] === limits[key])) return early.sandbox;
  void early.sandbox.close();
  return undefined;
}
