/**
 * The simulated Player: plays one generated scenario against a fresh plug-in instance. It builds the
 * container lists, calls `download`, answers `downloadTrack`, downloads the media, sends
 * `downloadTrackComplete` echoing the params untouched, and records everything. It never judges.
 */
import type { RequestHandler } from 'msw';
import { E_FAIL, E_UNEXPECTED, NS_E_WMP_DOWNLOAD_FAILED, S_OK, failed, isHResult } from '../protocol/hresult.ts';
import type { ContentPartner, ContentPartnerCallback, PluginCandidate } from '../protocol/types.ts';
import type { Scenario, TransactionSpec } from '../scenario/model.ts';
import type { Trace, TraceEvent } from '../trace/events.ts';
import { TraceRecorder } from '../trace/recorder.ts';
import { describeThrown } from '../trace/thrown-value.ts';
import { PURCHASE_REQUEST_NOTE, StoreWorld, type PurchaseRequest } from '../world/store-world.ts';
import { mediaOutcome, mediaRoute, storeApiHandlers } from '../world/reference-handlers.ts';
import { readMediaResponse, type MediaOutcome } from '../world/media-outcome.ts';
import { createScenarioFetch } from '../world/scenario-fetch.ts';
import { requestUrlOf, respond as serveRequest, servingRoute } from '../world/dispatch.ts';
import { AnswerScheduler } from './answer-scheduler.ts';
import { PlayerCore, type MediaResult } from './player-core.ts';
import { FlowDriver } from './flow-driver.ts';
import { MID_WORK_DETACH_SUFFIX } from '../rules/download-analysis.ts';
import { recordingContainerList } from './container-list.ts';
import { activeResources, activeTimerCount, anythingTimedBeyond, timerCount, type ResourceCounts } from './event-loop.ts';
import { NOTHING_WATCHED, type CandidateWatch } from './candidate-look.ts';
import { otherThreads } from './thread-state.ts';
import type { ScenarioTiming } from './timing.ts';
import { uncaughtRouter } from './uncaught-router.ts';

export const STORE_URL = 'http://store.wmpcert.test';
export const MEDIA_URL = 'http://media.wmpcert.test';

export interface RunOptions {
  /** Called before each call into the candidate and on every settle tick: a sandbox ships the trace so far from there. */
  checkpoint?: (events: readonly TraceEvent[]) => void;
  /** Where the store and media server live (a loopback server for out-of-process plug-ins). */
  urls?: { storeUrl: string; mediaUrl: string };
  /** The candidate's timers are invisible (it runs in another process): quiet windows must do. */
  opaque?: boolean;
  /** Whether the sandbox still waits on the candidate (a request to a child not yet answered, even past the call timeout). */
  sandboxBusy?: () => boolean;
  /**
   * The candidate's work where the event loop cannot see it: calls it owes are not judged missing
   * while it is at work, nor on the turn after it worked. Out of process, its process group; in this
   * process (the default), the process's other threads (the thread pool's jobs: host/thread-state.ts).
   */
  watchCandidate?: CandidateWatch;
}

type CallOutcome = { value: unknown } | { threw: unknown } | { timedOut: true };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ScenarioRun {
  readonly recorder = new TraceRecorder();
  private readonly scheduler: AnswerScheduler;
  private readonly world: StoreWorld;
  private readonly handlers: RequestHandler[];
  /** The harness's media server, last of the handlers. */
  private readonly mediaRoute: RequestHandler;
  private readonly inFlight = { count: 0 };
  private partner: ContentPartner | null = null;
  private readonly player: PlayerCore;
  private readonly flows: FlowDriver;
  private detached = false;
  private closed = false;
  private callsInProgress = 0;
  private nextTransaction = 0;
  private starting = false;
  private readonly deadline: number;
  private readonly checkpoint: (events: readonly TraceEvent[]) => void;
  private readonly urls: { storeUrl: string; mediaUrl: string };
  private stopped = false;
  private readonly opaque: boolean;
  private readonly sandboxBusy: () => boolean;
  private readonly watchCandidate: CandidateWatch;
  /** The recording fetch the plug-in gets; a loopback server answers through it too. */
  readonly pluginFetch: typeof fetch;
  /** Everything alive in the event loop when the scenario began (the harness's own handles and timers). */
  private resourceBaseline: ResourceCounts = new Map();
  private completionCount = 0;
  /** While settle waits for the scenario to stop being busy: ends that wait early. */
  private settleWaiter: (() => void) | null = null;
  private idleCheckQueued = false;
  /** While settle sleeps through an owed window: ends that sleep at the next event. */
  private eventWaiter: (() => void) | null = null;

  constructor(
    private readonly candidate: PluginCandidate,
    private readonly scenario: Scenario,
    private readonly timing: ScenarioTiming,
    options: RunOptions = {},
  ) {
    this.checkpoint = options.checkpoint ?? (() => {});
    this.opaque = options.opaque ?? false;
    this.sandboxBusy = options.sandboxBusy ?? (() => false);
    // A shrinking search looks at nothing but its window (its counterexample is confirmed with this).
    this.watchCandidate = options.watchCandidate ?? (timing.search ? NOTHING_WATCHED : otherThreads);
    this.urls = options.urls ?? { storeUrl: STORE_URL, mediaUrl: MEDIA_URL };
    this.scheduler = new AnswerScheduler(scenario.orderSalt);
    this.world = new StoreWorld(scenario.tracks, this.urls, {
      hold: (label) => this.scheduler.hold(label),
      sleep,
      recordPurchaseRequest: (request) => this.recorder.note(`${PURCHASE_REQUEST_NOTE}${purchaseRequestText(request)}`),
    }, scenario.flows);
    this.flows = new FlowDriver(scenario.flows ?? { purchases: [], licences: [], messages: [] }, {
      recorder: this.recorder,
      implements: (method) => typeof (this.partner as unknown as Record<string, unknown> | null)?.[method] === 'function',
      callHeld: (method, args, recordedArgs) => this.callHeld(method, args, recordedArgs),
      purchaseList: (index) => recordingContainerList(scenario.flows!.purchases[index]!.containers, -1 - index, null, this.recorder, () => {}),
      attached: () => !this.detached && !this.closed,
    }, () => void this.startDue(false));
    this.mediaRoute = mediaRoute(this.world);
    this.handlers = [...this.storeHandlers(), this.mediaRoute];
    this.player = new PlayerCore({
      fetchMedia: (trackId, url) => this.fetchMedia(trackId, url),
      ownReturn: (trackId) => this.world.track(trackId)!.playerReturn,
      beforeCompletion: (cookie, trackId) => this.scheduler.hold(`complete:${cookie}:${trackId}:${this.completionCount++}`),
      sendCompletion: (hrResult, trackId, params) => this.callPartner('downloadTrackComplete', [hrResult, trackId, params]),
      canComplete: () => !this.detached && !this.closed,
    });
    this.scheduler.onRelease = () => void this.startDue(false);
    this.recorder.onEvent = () => {
      this.eventWaiter?.();
      this.checkIdleSoon();
    };
    this.deadline = performance.now() + timing.hardCapMs;
    this.pluginFetch = createScenarioFetch({ handlers: () => this.handlers, recorder: this.recorder, by: 'plugin', classify: this.classify, inFlight: this.inFlight });
  }

  private storeHandlers(): RequestHandler[] {
    if (!this.candidate.storeHandlers) return storeApiHandlers(this.world);
    try {
      return this.candidate.storeHandlers(this.world);
    } catch (error) {
      const { callId } = this.recorder.call('harness', 'plugin', 'storeHandlers', []);
      this.recorder.returned(callId, 'harness', 'plugin', 'storeHandlers', { threw: describeThrown(error) });
      return storeApiHandlers(this.world);
    }
  }

  private readonly classify = (url: string): 'store' | 'media' | 'unknown' =>
    url.startsWith(this.urls.storeUrl) ? 'store' : url.startsWith(this.urls.mediaUrl) ? 'media' : 'unknown';

  /** Stops the scenario now (the sandbox lost the candidate): what happened is recorded, the rest is not awaited. */
  stop(reason: 'blocked' | 'out-of-memory' | 'exited' | 'crashed', message: string): void {
    if (this.stopped || this.closed) return;
    this.stopped = true;
    this.recorder.sandbox(reason, message);
  }

  async run(): Promise<Trace> {
    const started = performance.now();
    this.resourceBaseline = activeResources();
    const release = uncaughtRouter.route((source, error) => {
      if (!this.closed) this.recorder.uncaught(source, describeThrown(error));
    });
    let ended: Trace['ended'] = 'settled';
    try {
      if (await this.createPartner()) {
        await this.attach();
        await this.startDue(false);
        await this.flows.start();
        ended = await this.settle();
        if (!this.detached && !this.stopped) await this.detach('end of scenario');
      }
    } finally {
      this.closed = true;
      // Keep routing this scenario's late errors to it for one more turn, then let go.
      await nextMacrotask();
      release();
    }
    return { events: this.recorder.events, ended, durationMs: Math.round(performance.now() - started) };
  }

  private async createPartner(): Promise<boolean> {
    const env = { storeUrl: this.urls.storeUrl, fetch: this.pluginFetch };
    const { callId } = this.recorder.call('harness', 'plugin', 'create', [{ storeUrl: this.urls.storeUrl }]);
    this.checkpoint(this.recorder.events);
    try {
      const partner = this.candidate.create(env);
      if (typeof partner !== 'object' || partner === null) throw new TypeError('create() did not return a plug-in object');
      this.partner = partner;
      this.recorder.returned(callId, 'harness', 'plugin', 'create', { value: null });
      return true;
    } catch (error) {
      this.recorder.returned(callId, 'harness', 'plugin', 'create', { threw: describeThrown(error) });
      return false;
    }
  }

  /** Calls a plug-in method, recording call and return; a call that outlives callTimeoutMs is recorded as timed out. */
  private async callPartner(method: string, args: unknown[], recordedArgs: unknown[] = args): Promise<CallOutcome> {
    const { callId } = this.recorder.call('player', 'plugin', method, recordedArgs);
    this.checkpoint(this.recorder.events);
    this.callsInProgress++;
    let outcome: CallOutcome;
    try {
      const fn = (this.partner as unknown as Record<string, unknown>)[method];
      if (typeof fn !== 'function') throw new TypeError(`the plug-in has no ${method}() method`);
      const result: unknown = fn.apply(this.partner, args);
      outcome = isThenable(result) ? await this.withinCallTimeout(result) : { value: result };
    } catch (error) {
      outcome = { threw: error };
    } finally {
      this.callsInProgress--;
    }
    if ('timedOut' in outcome) this.recorder.returned(callId, 'player', 'plugin', method, { timedOut: true });
    else if ('threw' in outcome) this.recorder.returned(callId, 'player', 'plugin', method, { threw: describeThrown(outcome.threw) });
    else this.recorder.returned(callId, 'player', 'plugin', method, { value: outcome.value });
    return outcome;
  }

  private withinCallTimeout(promise: PromiseLike<unknown>): Promise<CallOutcome> {
    return new Promise<CallOutcome>((resolve) => {
      const timer = setTimeout(() => resolve({ timedOut: true }), this.timing.callTimeoutMs);
      promise.then(
        (value) => { clearTimeout(timer); resolve({ value }); },
        (error: unknown) => { clearTimeout(timer); resolve({ threw: error }); },
      );
    });
  }

  private async attach(): Promise<void> {
    const callback: ContentPartnerCallback = {
      downloadTrack: (cookie, url, trackId, params, hr) => this.onDownloadTrack(callback, [cookie, url, trackId, params, hr]),
      buyComplete: (...args) => this.onFlowCompletion(callback, 'buyComplete', args, (all) => this.flows.buyComplete(all)),
      refreshLicenseComplete: (...args) => this.onFlowCompletion(callback, 'refreshLicenseComplete', args, (all) => this.flows.refreshLicenseComplete(all)),
      sendMessageComplete: (...args) => this.onFlowCompletion(callback, 'sendMessageComplete', args, (all) => this.flows.sendMessageComplete(all)),
    };
    this.player.activeCallback = callback;
    await this.callPartner('setCallback', [callback], [{ callback: 1 }]);
  }

  private async detach(reason: string): Promise<void> {
    this.detached = true;
    this.recorder.note(`detach: ${reason}`);
    this.player.forgetOwed();
    this.flows.forget();
    await this.callPartner('setCallback', [null]);
    this.player.activeCallback = null;
  }

  /** Starts every transaction that is due, in order; `idle` makes the next waiting one due. */
  private async startDue(idle: boolean): Promise<void> {
    if (this.starting || this.closed) return;
    this.starting = true;
    try {
      const detachAt = this.scenario.detachAfterAnswers;
      while (!this.detached) {
        if (detachAt !== null && this.scheduler.released >= detachAt && this.nextTransaction > 0) {
          await this.detach(`after ${this.scheduler.released} answers, ${MID_WORK_DETACH_SUFFIX}`);
          break;
        }
        if (this.nextTransaction >= this.scenario.transactions.length) break;
        const spec = this.scenario.transactions[this.nextTransaction]!;
        if (spec.start.kind === 'after-purchase') {
          const bought = this.flows.purchaseResults.get(spec.start.purchase);
          if (bought === undefined && !idle) break;
          if (bought !== true) {
            // Nothing was bought (declined, failed, never completed): nothing to download.
            this.recorder.note(`transaction ${this.nextTransaction} not started: purchase ${spec.start.purchase} did not succeed`);
            this.nextTransaction++;
            continue;
          }
        }
        const due = spec.start.kind === 'at-once' || spec.start.kind === 'after-purchase'
          || (spec.start.kind === 'after-answers' && this.scheduler.released >= spec.start.count)
          || idle;
        if (!due) break;
        idle = false;
        await this.startTransaction(this.nextTransaction++, spec);
      }
    } finally {
      this.starting = false;
    }
  }

  private async startTransaction(index: number, spec: TransactionSpec): Promise<void> {
    const trackIds = spec.containers.flatMap((container) => container.items.map((item) => item.id));
    // Calls made from inside download are legitimate (decision 4): the transaction accepts them from now on.
    const transaction = this.player.open(spec.cookie, trackIds);
    this.recorder.note(`transaction ${index} starts: cookie ${spec.cookie}, ${transaction.trackIds.size} distinct tracks`);
    // A list fault exempts the transaction from being served in full.
    const list = recordingContainerList(spec.containers, index, spec.listFault, this.recorder, () => transaction.owed.clear());
    this.scheduler.closeGate();
    const outcome = await this.callPartner('download', [list, spec.cookie], [{ list: index }, spec.cookie]);
    this.scheduler.openGate();
    const returnedSuccess = 'value' in outcome && isHResult(outcome.value) && !failed(outcome.value);
    // A failed download makes no calls (decision 9); a timed-out one is still served.
    if (!returnedSuccess && !('timedOut' in outcome)) this.player.close(transaction);
  }

  /** buyComplete, refreshLicenseComplete, sendMessageComplete: recorded, then answered by the flow driver. */
  private onFlowCompletion(callback: ContentPartnerCallback, method: string, args: unknown[], answer: (args: unknown[]) => number): number {
    if (this.closed) return E_UNEXPECTED;
    const { callId } = this.recorder.call('plugin', 'player', method, args);
    const result = callback === this.player.activeCallback ? answer(args) : E_UNEXPECTED;
    this.recorder.returned(callId, 'plugin', 'player', method, { value: result });
    return result;
  }

  /** A plug-in call that must return at once: the store's answers are held until it has returned. */
  private async callHeld(method: string, args: unknown[], recordedArgs: unknown[]): Promise<CallOutcome> {
    this.scheduler.closeGate();
    try {
      return await this.callPartner(method, args, recordedArgs);
    } finally {
      this.scheduler.openGate();
    }
  }

  private onDownloadTrack(callback: ContentPartnerCallback, args: unknown[]): number {
    if (this.closed) return E_UNEXPECTED;
    const { callId } = this.recorder.call('plugin', 'player', 'downloadTrack', args);
    const result = this.detached ? E_UNEXPECTED : this.player.answer(callback, args);
    this.recorder.returned(callId, 'plugin', 'player', 'downloadTrack', { value: result });
    return result;
  }

  private async fetchMedia(trackId: number, url: string | null): Promise<MediaResult> {
    const hr = await this.fetchMediaResult(trackId, url);
    return { hr, bytes: this.world.track(trackId)?.size ?? 0 };
  }

  private async fetchMediaResult(trackId: number, url: string | null): Promise<number> {
    const requestId = this.recorder.request({ actor: this.classify(url ?? ''), by: 'player', method: 'GET', url: url ?? '' });
    const record = (outcome: MediaOutcome, servedTrack = trackId) =>
      this.recorder.response({ requestId, actor: this.classify(url ?? ''), trackId: servedTrack, ...outcome });
    const href = url === null ? null : requestUrlOf(url);
    if (href === null) {
      record({ status: 0, error: 'not an absolute URL' });
      return E_FAIL;
    }
    this.inFlight.count++;
    try {
      const outcome = await this.download(href);
      if (outcome.status === 0) {
        record(outcome);
        return E_FAIL;
      }
      if (outcome.error !== undefined) {
        record(outcome);
        return NS_E_WMP_DOWNLOAD_FAILED;
      }
      record(outcome, this.world.trackOfMediaUrl(href) ?? trackId);
      if (outcome.status !== 200) return NS_E_WMP_DOWNLOAD_FAILED;
      return outcome.contentLength !== undefined && outcome.bytes !== outcome.contentLength ? NS_E_WMP_DOWNLOAD_FAILED : S_OK;
    } finally {
      this.inFlight.count--;
    }
  }

  /**
   * One GET of the media. When the harness's own media server answers it (only the harness's routes
   * before it), its answer is taken from the world directly: a Request, a Response and a body stream
   * per track were most of a big transaction's garbage, for the same outcome (media-outcome.test.ts).
   */
  private async download(href: string): Promise<MediaOutcome> {
    let serving: RequestHandler | null | undefined;
    try {
      serving = servingRoute(this.handlers, 'GET', href);
    } catch {
      serving = undefined; // a URL msw fails to match: its own path gives the same failure
    }
    if (serving === this.mediaRoute) return mediaOutcome(await this.world.decideMedia(href));
    return readMediaResponse(await serveRequest(this.handlers, new Request(href)));
  }


  private busy(): boolean {
    return this.starting || this.scheduler.pending > 0 || this.inFlight.count > 0 || this.player.pending > 0 || this.callsInProgress > 0 || this.sandboxBusy();
  }

  private owesCalls(): boolean {
    return this.player.owesCalls() || this.flows.owes();
  }

  private nothingTimedAlive(): boolean {
    return !this.opaque && !anythingTimedBeyond(this.resourceBaseline);
  }

  private candidateHasTimers(): boolean {
    return this.opaque || activeTimerCount() > timerCount(this.resourceBaseline);
  }

  /**
   * Waits until the scenario is over: nothing pending, and a quiet window with no new event. While
   * the plug-in still has timers alive (a retry backoff, a late duplicate) the window stretches, up
   * to lateWindowMs when nothing is owed, up to expectCallMs when calls are still owed (never past the hard cap).
   */
  private async settle(): Promise<Trace['ended']> {
    let quietSince = -1;
    let eventsAtQuiet = -1;
    while (performance.now() < this.deadline) {
      this.checkpoint(this.recorder.events);
      if (this.stopped) return 'hard-cap';
      if (this.busy()) {
        quietSince = -1;
        await this.idleOrTick();
        continue;
      }
      const events = this.recorder.events.length;
      const quietBegins = quietSince < 0 || events !== eventsAtQuiet;
      if (quietBegins) {
        quietSince = performance.now();
        eventsAtQuiet = events;
      }
      // With nothing alive beyond what the scenario began with but immediates (no timer, no file,
      // crypto or other request of the candidate's), no candidate code can run but on the next turn of
      // the event loop: one turn is the quiet window. Anything else alive gets the timed window (and
      // the stretches below, when it is a candidate's timer). Past that first turn, calls still owed
      // wait out their window asleep, woken by the next event: turning the event loop until then
      // burned a core per scenario that owes calls (most of shrinking a mutant's failure).
      const nothingAlive = this.nothingTimedAlive();
      if (nothingAlive && !quietBegins && this.owesCalls()) await this.pauseUntilEvent(quietSince + this.timing.owedQuietMs - performance.now());
      else await (nothingAlive ? nextMacrotask() : sleep(this.timing.quietMs));
      if (this.busy() || this.recorder.events.length !== eventsAtQuiet) continue;
      const quietFor = performance.now() - quietSince;
      const timersAlive = this.candidateHasTimers();
      // With calls still owed, even a plug-in with no timer left gets a longer quiet window before
      // they are judged missing: on a loaded machine its next step may simply not have run yet.
      const owes = this.owesCalls();
      const phasesLeft = !this.detached && (this.nextTransaction < this.scenario.transactions.length || this.scenario.detachAfterAnswers !== null);
      // Before a next phase, a late call still lands in this trace: the shorter window will do.
      const lateWindowMs = phasesLeft ? this.timing.phaseWindowMs ?? this.timing.lateWindowMs : this.timing.lateWindowMs;
      // Owed calls are missing once the window has passed with the candidate asleep: a process still
      // runnable (starved on a loaded machine, or computing) may yet make them.
      const over = owes
        ? quietFor >= (timersAlive ? this.timing.expectCallMs : this.timing.owedQuietMs) && !this.watchCandidate.atWork()
        : !timersAlive || quietFor >= lateWindowMs;
      if (!over) continue;
      // Timers run before the event loop polls for I/O: after this thread was itself held up (a
      // loaded machine), the window can pass with the child's next line already in the pipe, or a
      // job of the thread pool just done, unread. One more turn reads it first; a candidate that
      // worked meanwhile (a job that began and ended within the turn) gets another.
      const before = owes ? this.watchCandidate.look().ranNs : 0;
      await nextMacrotask();
      if (this.busy() || this.recorder.events.length !== eventsAtQuiet) continue;
      if (owes) {
        const after = this.watchCandidate.look();
        if (after.atWork || after.ranNs !== before || (!timersAlive && this.candidateHasTimers())) continue;
      }
      if (phasesLeft) {
        if (this.nextTransaction < this.scenario.transactions.length) await this.startDue(true);
        else await this.detachAtIdle();
        quietSince = -1;
        continue;
      }
      return 'settled';
    }
    this.recorder.note(`hard cap: the scenario did not settle within ${this.timing.hardCapMs} ms`);
    return 'hard-cap';
  }

  /**
   * While busy, settle looks again every millisecond, or as soon as the work it waited for is done:
   * after each event, one macrotask later (once the continuations of that event have run), it
   * checks whether the scenario is still busy. The quiet window that follows is unchanged.
   */
  private idleOrTick(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(tick);
        this.settleWaiter = null;
        resolve();
      };
      const tick = setTimeout(done, 1);
      this.settleWaiter = done;
    });
  }

  /** Sleeps `ms`, or less when an event is recorded first. */
  private pauseUntilEvent(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.eventWaiter = null;
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, ms));
      this.eventWaiter = done;
    });
  }

  private checkIdleSoon(): void {
    if (this.settleWaiter === null || this.idleCheckQueued) return;
    this.idleCheckQueued = true;
    setImmediate(() => {
      this.idleCheckQueued = false;
      if (this.settleWaiter !== null && !this.busy()) this.settleWaiter();
    });
  }

  private async detachAtIdle(): Promise<void> {
    await this.detach('scheduled detach (work already done)');
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

export function runScenario(candidate: PluginCandidate, scenario: Scenario, timing: ScenarioTiming, options?: RunOptions): Promise<Trace> {
  return new ScenarioRun(candidate, scenario, timing, options).run();
}

/** The request as JSON: values JSON cannot hold (a bigint from a store API of its own) become their text. */
function purchaseRequestText(request: PurchaseRequest): string {
  return JSON.stringify(request, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value));
}
