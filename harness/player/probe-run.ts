/**
 * The probe host: plays one probe scenario against a fresh Player. It creates the Player with a fetch
 * that serves the probe's media URLs, attaches the probe plug-in, asks for each transaction
 * (`startDownload`) when it is due, waits until everything has settled, then reads the library and
 * detaches. Everything lands in one trace; the host never judges.
 */
import type { RequestHandler } from 'msw';
import { AnswerScheduler } from '../host/answer-scheduler.ts';
import { activeTimerCount } from '../host/event-loop.ts';
import type { ScenarioTiming } from '../host/timing.ts';
import { uncaughtRouter } from '../host/uncaught-router.ts';
import { isDword } from '../protocol/constants.ts';
import type { PlayerCandidate, PlayerUnderTest } from '../protocol/types.ts';
import type { Trace, TraceEvent } from '../trace/events.ts';
import { TraceRecorder } from '../trace/recorder.ts';
import { describeThrown } from '../trace/thrown-value.ts';
import { toTraceValue } from '../trace/trace-value.ts';
import { createScenarioFetch } from '../world/scenario-fetch.ts';
import type { ProbeScenario } from './probe-model.ts';
import { probeMediaHandlers } from './probe-media-handlers.ts';
import { PROBE_MEDIA_URL, distinctTracks, probePlan, type ProbePlan } from './probe-plan.ts';
import { ProbePlugin } from './probe-plugin.ts';

export interface ProbeRunOptions {
  /** Called whenever the Player's code runs next and on every settle tick: a sandbox ships the trace so far from there. */
  checkpoint?: (events: readonly TraceEvent[]) => void;
}

type CallOutcome = { value: unknown } | { threw: unknown } | { timedOut: true };
type PlayerMethod = 'attach' | 'startDownload' | 'library' | 'detach';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The library as data: entries kept field by field (toTraceValue would flatten them to text). */
function describeLibrary(value: unknown): unknown {
  if (!Array.isArray(value)) return toTraceValue(value);
  return value.map((entry: unknown) => {
    if (typeof entry !== 'object' || entry === null) return toTraceValue(entry);
    const { trackId, bytes } = entry as { trackId?: unknown; bytes?: unknown };
    return { trackId: toTraceValue(trackId), bytes: toTraceValue(bytes) };
  });
}

export class ProbeRun {
  readonly recorder = new TraceRecorder();
  private readonly plan: ProbePlan;
  private readonly scheduler: AnswerScheduler;
  private readonly handlers: RequestHandler[];
  private readonly inFlight = { count: 0 };
  private readonly probe: ProbePlugin;
  private player: PlayerUnderTest | null = null;
  private nextTransaction = 0;
  private starting = false;
  /** The transaction whose startDownload is running: a download arriving now serves it. */
  private asking = -1;
  /** Transactions whose download has arrived (each is served once). */
  private readonly served = new Set<number>();
  /** Cookies startDownload returned, by transaction: a download arriving later is matched by cookie. */
  private readonly returnedCookies = new Map<number, number>();
  private callsInProgress = 0;
  private closed = false;
  private readonly deadline: number;
  private readonly playerCallTimeoutMs: number;
  private timerBaseline = 0;
  private readonly checkpoint: (events: readonly TraceEvent[]) => void;
  /** The recording fetch the Player gets: it serves the probe's media URLs. */
  readonly playerFetch: typeof fetch;

  constructor(private readonly candidate: PlayerCandidate, private readonly scenario: ProbeScenario, private readonly timing: ScenarioTiming, options: ProbeRunOptions = {}) {
    this.checkpoint = options.checkpoint ?? (() => {});
    // Whenever the Player's code runs next (a call into it, the return of its own call, an answer to
    // its request), the trace so far is shipped: if the Player then blocks its thread, it is kept.
    this.recorder.onEvent = () => {
      const last = this.recorder.events[this.recorder.events.length - 1]!;
      const toPlayer = (last.type === 'call' && last.to === 'player') || (last.type === 'return' && last.from === 'player') || last.type === 'http-response';
      if (toPlayer) this.checkpoint(this.recorder.events);
    };
    this.plan = probePlan(scenario);
    this.scheduler = new AnswerScheduler(scenario.orderSalt);
    this.handlers = probeMediaHandlers(this.plan, (label) => this.scheduler.hold(label));
    this.probe = new ProbePlugin({
      recorder: this.recorder,
      scenario,
      plan: this.plan,
      transactionOf: (cookie) => this.transactionOf(cookie),
      hold: (label) => this.scheduler.hold(label),
    });
    this.scheduler.onRelease = () => void this.startDue(false);
    this.deadline = performance.now() + timing.hardCapMs;
    // A Player's own calls may await its bookkeeping; a quarter of the cap is generous, yet leaves time to judge.
    this.playerCallTimeoutMs = Math.max(timing.callTimeoutMs, Math.floor(timing.hardCapMs / 4));
    this.playerFetch = createScenarioFetch({
      handlers: () => this.handlers,
      recorder: this.recorder,
      by: 'player',
      classify: (url) => (url.startsWith(PROBE_MEDIA_URL) ? 'media' : 'unknown'),
      inFlight: this.inFlight,
    });
  }

  async run(): Promise<Trace> {
    const started = performance.now();
    this.timerBaseline = activeTimerCount();
    const release = uncaughtRouter.route((source, error) => {
      if (!this.closed) this.recorder.uncaught(source, describeThrown(error));
    });
    let ended: Trace['ended'] = 'settled';
    try {
      if (this.createPlayer()) {
        await this.callPlayer('attach', [{ partner: 'probe' }], (player) => player.attach(this.probe));
        await this.startDue(false);
        ended = await this.settle();
        await this.callPlayer('library', [], (player) => player.library(), describeLibrary);
        await this.callPlayer('detach', [], (player) => player.detach());
      }
    } finally {
      this.closed = true;
      this.probe.closed = true;
      // Nothing may hang on a held answer once the scenario is over.
      this.scheduler.drain();
      // Keep routing this scenario's late errors to it for one more turn, then let go.
      await nextMacrotask();
      release();
    }
    // A copy: whatever the Player does after the end must not change a trace being judged.
    return { events: [...this.recorder.events], ended, durationMs: Math.round(performance.now() - started) };
  }

  private createPlayer(): boolean {
    const { callId } = this.recorder.call('harness', 'player', 'create', [{ fetch: 'scenario fetch' }]);
    try {
      const player = this.candidate.create({ fetch: this.playerFetch });
      if (typeof player !== 'object' || player === null) throw new TypeError('create() did not return a player object');
      this.player = player;
      this.recorder.returned(callId, 'harness', 'player', 'create', { value: null });
      return true;
    } catch (error) {
      this.recorder.returned(callId, 'harness', 'player', 'create', { threw: describeThrown(error) });
      return false;
    }
  }

  /** Calls a Player method, recording call and return; one that outlives the per-call timeout is recorded as timed out. */
  private async callPlayer(method: PlayerMethod, recordedArgs: unknown[], invoke: (player: PlayerUnderTest) => unknown, describe: (value: unknown) => unknown = toTraceValue): Promise<CallOutcome> {
    const { callId } = this.recorder.call('harness', 'player', method, recordedArgs);
    this.callsInProgress++;
    let outcome: CallOutcome;
    try {
      if (typeof (this.player as unknown as Record<string, unknown>)[method] !== 'function') throw new TypeError(`the player has no ${method}() method`);
      const result = invoke(this.player!);
      outcome = isThenable(result) ? await this.withinCallTimeout(result) : { value: result };
    } catch (error) {
      outcome = { threw: error };
    } finally {
      this.callsInProgress--;
    }
    if ('timedOut' in outcome) this.recorder.returned(callId, 'harness', 'player', method, { timedOut: true });
    else if ('threw' in outcome) this.recorder.returned(callId, 'harness', 'player', method, { threw: describeThrown(outcome.threw) });
    else this.recorder.returned(callId, 'harness', 'player', method, { value: describe(outcome.value) }, true);
    return outcome;
  }

  private withinCallTimeout(promise: PromiseLike<unknown>): Promise<CallOutcome> {
    return new Promise<CallOutcome>((resolve) => {
      const timer = setTimeout(() => resolve({ timedOut: true }), this.playerCallTimeoutMs);
      promise.then(
        (value) => { clearTimeout(timer); resolve({ value }); },
        (error: unknown) => { clearTimeout(timer); resolve({ threw: error }); },
      );
    });
  }

  /** The transaction a download serves: the one being asked for, else the one whose cookie it names; each once. */
  private transactionOf(cookie: unknown): number {
    let transaction = this.asking;
    if (transaction < 0 || this.served.has(transaction)) {
      transaction = -1;
      for (const [index, returned] of this.returnedCookies) {
        if (returned === cookie && !this.served.has(index)) { transaction = index; break; }
      }
    }
    if (transaction >= 0) this.served.add(transaction);
    return transaction;
  }

  /** Starts every transaction that is due, in order; `idle` makes the next waiting one due. */
  private async startDue(idle: boolean): Promise<void> {
    if (this.starting || this.closed) return;
    this.starting = true;
    try {
      while (this.nextTransaction < this.scenario.transactions.length) {
        const start = this.scenario.transactions[this.nextTransaction]!.start;
        const due = start.kind === 'at-once' || (start.kind === 'after-answers' && this.scheduler.released >= start.count) || idle;
        if (!due) break;
        idle = false;
        await this.startTransaction(this.nextTransaction++);
      }
    } finally {
      this.starting = false;
    }
  }

  private async startTransaction(index: number): Promise<void> {
    const containers = this.scenario.transactions[index]!.containers;
    this.recorder.note(`transaction ${index} starts: ${containers.length} containers, ${distinctTracks(containers).length} distinct tracks`);
    this.asking = index;
    // A copy: a Player that edits what it was given must not edit the scenario.
    const outcome = await this.callPlayer('startDownload', [{ transaction: index }], (player) => player.startDownload(structuredClone(containers)));
    this.asking = -1;
    if ('value' in outcome && isDword(outcome.value)) {
      this.returnedCookies.set(index, outcome.value);
      this.probe.noteCookie(outcome.value);
    }
  }

  private busy(): boolean {
    return this.starting || this.scheduler.pending > 0 || this.inFlight.count > 0 || this.probe.pending > 0 || this.callsInProgress > 0;
  }

  /**
   * Waits until the scenario is over: nothing pending and a quiet window with no new event. While the
   * Player has timers alive the window stretches: up to lateWindowMs when no completion is owed, up to
   * the hard cap while one is.
   */
  private async settle(): Promise<Trace['ended']> {
    let quietSince = -1;
    let eventsAtQuiet = -1;
    while (performance.now() < this.deadline) {
      this.checkpoint(this.recorder.events);
      if (this.busy()) {
        quietSince = -1;
        await sleep(1);
        continue;
      }
      const events = this.recorder.events.length;
      if (quietSince < 0 || events !== eventsAtQuiet) {
        quietSince = performance.now();
        eventsAtQuiet = events;
      }
      await sleep(this.timing.quietMs);
      if (this.busy() || this.recorder.events.length !== eventsAtQuiet) continue;
      const timersAlive = activeTimerCount() > this.timerBaseline;
      const over = !timersAlive || (this.probe.owedCompletions === 0 && performance.now() - quietSince >= this.timing.lateWindowMs);
      if (!over) continue;
      if (this.nextTransaction < this.scenario.transactions.length) {
        await this.startDue(true);
        quietSince = -1;
        continue;
      }
      return 'settled';
    }
    this.recorder.note(`hard cap: the scenario did not settle within ${this.timing.hardCapMs} ms`);
    return 'hard-cap';
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export function runProbeScenario(candidate: PlayerCandidate, scenario: ProbeScenario, timing: ScenarioTiming): Promise<Trace> {
  return new ProbeRun(candidate, scenario, timing).run();
}
