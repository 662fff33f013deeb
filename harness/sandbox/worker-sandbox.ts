/**
 * Runs a module candidate's scenarios in a worker thread that the harness can terminate: a candidate
 * that blocks its thread (a synchronous loop) or grows its memory without bound is stopped, the
 * trace up to that point is kept, and the next scenario gets a fresh worker. The worker is reused
 * across scenarios otherwise, so the common case stays fast. A plug-in's scenarios come through
 * `run`, a player's probe scenarios through `runProbe`: the worker loads whichever module it is given.
 */
import { Worker } from 'node:worker_threads';
import { harnessThreadRegistry } from '../host/thread-state.ts';
import { ranNs } from '../host/proc-stat.ts';
import { SEARCH_BLOCKED_AFTER_MS, SEARCH_BLOCKED_RUNNING_MS, type ScenarioTiming } from '../host/timing.ts';
import type { ProbeScenario } from '../player/probe-model.ts';
import type { Scenario } from '../scenario/model.ts';
import type { SandboxEvent, Trace, TraceEvent } from '../trace/events.ts';
import { UsageError } from '../errors.ts';
import * as messages from '../messages.ts';
import { BoundedText, PRINTED_LIMIT } from './bounded-text.ts';
import type { Sandbox } from './sandbox.ts';
import type { FromWorker, ToWorker, WorkerData, WorkerLoading, WorkerScenario } from './worker-protocol.ts';

export interface WorkerLimits {
  /** Heap cap of the candidate's thread. */
  memoryMb: number;
  /** Silence from a running worker this long means the candidate blocked its thread. */
  blockedAfterMs: number;
  /** The same in a shrinking search (SEARCH_BLOCKED_AFTER_MS), where a thread seen running through its silence is stopped sooner still. */
  searchBlockedAfterMs: number;
  /** A worker not ready this long after it started never will be (a module that loops or awaits for ever as it loads). */
  loadTimeoutMs: number;
}

export const DEFAULT_WORKER_LIMITS: WorkerLimits = { memoryMb: 1024, blockedAfterMs: 1500, searchBlockedAfterMs: SEARCH_BLOCKED_AFTER_MS, loadTimeoutMs: 60_000 };

const ENTRY = new URL('./worker-entry.js', import.meta.url);

/** A worker thread the sandbox started, loading or ready, with the last error it raised. */
interface Spawned {
  worker: Worker;
  ready: Promise<Worker>;
  lastError: (Error & { code?: string }) | undefined;
  /** Its /proc task folder, once it is ready (where /proc can be read). */
  task?: string;
}

export class WorkerSandbox implements Sandbox {
  /** The worker scenarios run in; a new one after a forced stop. */
  private current: Spawned | undefined;
  /**
   * Once the candidate has been stopped by force, a spare worker loads in the background while the
   * next scenario runs: a candidate that blocks its thread once (a shrinking search of its failure)
   * will likely be stopped again, and then its replacement is ready rather than loading.
   */
  private spare: Spawned | undefined;
  private readonly printed = new BoundedText(PRINTED_LIMIT);
  private nextId = 1;
  /** Scenarios that ended with the candidate stopped by force. */
  stops = 0;
  /** How loading the candidate ended in this sandbox's first worker (see loading()). */
  private firstLoading: Promise<WorkerLoading> | undefined;

  constructor(private readonly modulePath: string, private readonly limits: WorkerLimits = DEFAULT_WORKER_LIMITS) {}

  output(): string {
    return this.printed.toString();
  }

  /** Starts the worker now rather than at the first scenario (it loads while the caller does other things). */
  warm(): void {
    this.start().catch(() => {}); // a load failure is met again, and reported, by the first run
  }

  /**
   * How the candidate loaded in this sandbox's (first) worker: its description, or why it did not
   * load. Rejects only when the thread itself failed before it could say (a UsageError).
   */
  loading(): Promise<WorkerLoading> {
    this.warm();
    return this.firstLoading!;
  }

  private start(): Promise<Worker> {
    if (!this.current) {
      this.current = this.spare ?? this.spawn();
      this.spare = undefined;
    }
    return this.current.ready;
  }

  /** A new worker, loading the candidate. */
  private spawn(): Spawned {
    const worker = new Worker(ENTRY, {
      workerData: { modulePath: this.modulePath, threads: harnessThreadRegistry() } satisfies WorkerData,
      resourceLimits: { maxOldGenerationSizeMb: this.limits.memoryMb },
      stdout: true,
      stderr: true,
    });
    worker.stdout.setEncoding('utf8').on('data', (text: string) => this.printed.append(text));
    worker.stderr.setEncoding('utf8').on('data', (text: string) => this.printed.append(text));
    const spawned: Spawned = { worker, ready: this.readiness(worker, (task) => { spawned.task = task; }), lastError: undefined };
    spawned.ready.catch(() => {}); // a spare's failure is met when it is taken, by the scenario that takes it
    worker.on('error', (error) => { spawned.lastError = error; });
    return spawned;
  }

  /** Resolves once the worker has loaded the candidate; rejects, with one clear reason, when it does not. */
  private readiness(worker: Worker, onReady: (task: string | undefined) => void): Promise<Worker> {
    let loaded!: (loading: WorkerLoading) => void;
    let failed!: (error: Error) => void;
    const loading = new Promise<WorkerLoading>((resolve, reject) => { loaded = resolve; failed = reject; });
    loading.catch(() => {}); // met by whoever asks for it
    this.firstLoading ??= loading;
    return new Promise<Worker>((resolve, reject) => {
      const fail = (error: Error) => { clearTimeout(deadline); failed(error); reject(error); };
      const deadline = setTimeout(() => {
        fail(new UsageError(messages.candidateFailedInSandbox(this.modulePath, `it did not finish loading within ${this.limits.loadTimeoutMs / 1000} s (a loop or an await at its top level that never ends?)`)));
        void worker.terminate();
      }, this.limits.loadTimeoutMs);
      const onMessage = (message: FromWorker) => {
        if (message.type !== 'ready' && message.type !== 'load-failed' && message.type !== 'not-a-candidate') return;
        clearTimeout(deadline);
        worker.off('message', onMessage);
        loaded(message);
        if (message.type === 'ready') {
          onReady(message.task);
          return resolve(worker);
        }
        void worker.terminate();
        reject(new UsageError(message.type === 'load-failed'
          ? messages.candidateFailedInSandbox(this.modulePath, message.message)
          : messages.notACandidate(this.modulePath, message.problems)));
      };
      worker.on('message', onMessage);
      // A thread that dies before it is ready never ran a scenario: that is a set-up error, not a verdict.
      worker.once('error', (error) => fail(new UsageError(messages.candidateFailedInSandbox(this.modulePath, error.message), { cause: error })));
      worker.once('exit', (code) => fail(new UsageError(messages.candidateFailedInSandbox(this.modulePath, `its thread exited (code ${code}) before it was ready`))));
    });
  }

  /** Ends the current worker; the next scenario gets a new one (the spare, when one is loading). */
  private async stop(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (current) await current.worker.terminate();
  }

  run(scenario: Scenario, timing: ScenarioTiming): Promise<Trace> {
    return this.play({ side: 'plugin', scenario }, timing);
  }

  /** A player's probe scenario, played by the probe host inside the worker. */
  runProbe(scenario: ProbeScenario, timing: ScenarioTiming): Promise<Trace> {
    return this.play({ side: 'player', scenario }, timing);
  }

  private async play(work: WorkerScenario, timing: ScenarioTiming): Promise<Trace> {
    const worker = await this.start();
    const task = this.current?.task;
    // Its thread died between scenarios (work the last one started went on): this scenario says why.
    if (worker.threadId === -1) return this.diedBetweenScenarios(work.side);
    if (this.stops > 0) this.spare ??= this.spawn();
    const id = this.nextId++;
    const events: TraceEvent[] = [];
    const started = performance.now();
    // A shrinking search gives up on a silent thread sooner: its counterexample is confirmed with the full limit.
    const blockedAfterMs = timing.search ? Math.min(this.limits.blockedAfterMs, this.limits.searchBlockedAfterMs) : this.limits.blockedAfterMs;
    // ...and sooner still when the silent thread is seen running all the while (see SEARCH_BLOCKED_RUNNING_MS).
    const spinningAfterNs = timing.search && task !== undefined ? Math.min(blockedAfterMs, SEARCH_BLOCKED_RUNNING_MS) * 1e6 : undefined;
    const trace = await new Promise<{ trace: Trace; recycle: boolean }>((resolve) => {
      let heapUsedMb = 0;
      let finished = false;
      const finish = (result: { trace: Trace; recycle: boolean }) => {
        if (finished) return; // a re-check of the silence may come after the scenario ended
        finished = true;
        clearInterval(watchdog);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(result);
      };
      const stopped = (reason: SandboxEvent['reason'], message: string) => {
        this.stops++;
        finish({ trace: { events: withStop(events, work.side, reason, message, started), ended: 'hard-cap', durationMs: Math.round(performance.now() - started) }, recycle: true });
      };
      const onMessage = (message: FromWorker) => {
        if (!('id' in message) || message.id !== id) return;
        silentMs = 0;
        ranWhenSilent = undefined;
        if (message.type === 'events') {
          for (const event of message.events) events.push(event);
          heapUsedMb = message.heapUsedMb ?? heapUsedMb;
        }
        if (message.type === 'done') finish({ trace: { events, ended: message.ended, durationMs: message.durationMs }, recycle: message.ended === 'hard-cap' });
      };
      const onError = (error: Error & { code?: string }) => {
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') stopped('out-of-memory', `the candidate exhausted its memory limit (${this.limits.memoryMb} MB heap) and was stopped`);
        else stopped('crashed', `the candidate's thread crashed: ${error.message}`);
      };
      const onExit = (code: number) => stopped('exited', `the candidate's thread exited (code ${code}) in the middle of a scenario`);
      // The worker ships events on every settle tick; silence means a synchronous loop holds its thread.
      // Silence is counted on this thread's ticks, each for at most two periods: when this thread
      // itself was held up (a busy machine, a long judgement), the worker's messages wait in the queue,
      // and that wait is not the candidate's. A silence past the limit is checked once more after the
      // queue had its turn.
      const period = Math.min(100, blockedAfterMs / 8);
      let silentMs = 0;
      /** The thread's run time when this silence was first seen. */
      let ranWhenSilent: number | undefined;
      let lastTick = performance.now();
      let rechecking = false;
      // A heap this full is collected over and over (long pauses, the thread running) before V8 gives up: that silence is the memory's.
      const heapNearCap = () => heapUsedMb >= this.limits.memoryMb * 0.5;
      const judgeSilence = () => {
        const silentFor = Math.round(silentMs);
        if (silentMs > blockedAfterMs && heapNearCap()) {
          stopped('out-of-memory', `the candidate's heap reached ${heapUsedMb} MB of its ${this.limits.memoryMb} MB limit and its thread stopped responding (collecting garbage at the limit); it was stopped`);
        } else if (silentMs > blockedAfterMs) {
          stopped('blocked', `the candidate blocked its thread for more than ${silentFor} ms (a synchronous loop?) and was stopped`);
        }
      };
      const watchdog = setInterval(() => {
        const now = performance.now();
        silentMs += Math.min(now - lastTick, 2 * period);
        lastTick = now;
        // A scenario far past its cap, however chatty: the worker's own cap did not end it.
        if (now - started > longestRunMs(work, timing) + blockedAfterMs) {
          stopped('blocked', `the candidate kept its scenario running ${Math.round(now - started)} ms, past the hard cap, and was stopped`);
          return;
        }
        if (spinningAfterNs !== undefined && silentMs > 0 && !heapNearCap()) {
          const ran = ranNs(task!);
          ranWhenSilent ??= ran;
          if (ran > 0 && ran - ranWhenSilent >= spinningAfterNs) {
            stopped('blocked', `the candidate ran its thread for ${Math.round((ran - ranWhenSilent) / 1e6)} ms without returning to its event loop (a synchronous loop?) and was stopped`);
            return;
          }
        }
        if (rechecking || silentMs <= blockedAfterMs) return;
        rechecking = true;
        setImmediate(() => {
          rechecking = false;
          judgeSilence();
        });
      }, period);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({ type: 'run', id, timing, ...work } satisfies ToWorker);
    });
    if (trace.recycle) await this.stop();
    return trace.trace;
  }

  private diedBetweenScenarios(side: WorkerScenario['side']): Trace {
    const error = this.current?.lastError;
    this.current = undefined;
    this.stops++;
    const [reason, message]: [SandboxEvent['reason'], string] = error?.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? ['out-of-memory', `the candidate exhausted its memory limit (${this.limits.memoryMb} MB heap) after a scenario had ended (work it started went on growing) and was stopped`]
      : error ? ['crashed', `the candidate's thread crashed between scenarios: ${error.message}`] : ['exited', "the candidate's thread exited between scenarios"];
    return { events: withStop([], side, reason, message, performance.now()), ended: 'hard-cap', durationMs: 0 };
  }

  async close(): Promise<void> {
    const spare = this.spare;
    this.spare = undefined;
    await Promise.all([this.stop(), spare?.worker.terminate()]);
  }
}

/**
 * The longest a scenario takes with a responsive candidate: its hard cap, and for a probe scenario
 * the Player's own calls after it (library, detach: each may take a quarter of the cap, see ProbeRun).
 */
function longestRunMs(work: WorkerScenario, timing: ScenarioTiming): number {
  return work.side === 'player' ? 2 * timing.hardCapMs : timing.hardCapMs;
}

/** The trace as far as it got, with the hanging call (into the candidate: `side`) marked as never returned and the stop itself. */
function withStop(events: TraceEvent[], side: WorkerScenario['side'], reason: SandboxEvent['reason'], message: string, started: number): TraceEvent[] {
  const result = [...events];
  const returned = new Set(result.flatMap((event) => (event.type === 'return' ? [event.callId] : [])));
  const at = Math.round(performance.now() - started);
  for (const event of events) {
    if (event.type === 'call' && event.to === side && !returned.has(event.callId)) {
      result.push({ type: 'return', seq: result.length, at, callId: event.callId, from: event.from, to: event.to, method: event.method, timedOut: true });
    }
  }
  result.push({ type: 'sandbox', seq: result.length, at, reason, message });
  return result;
}
