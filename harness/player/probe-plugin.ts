/**
 * The probe plug-in: the ContentPartner handed to a Player under test. It records every call the
 * Player makes to it, reads the whole container list in `download` (every getter in range and one
 * out of range), and makes the scenario's `downloadTrack` calls, refusal probes included, recording
 * the Player's answers. It never judges: the PL rules read the trace.
 */
import { S_OK, isHResult, succeeded } from '../protocol/hresult.ts';
import type { ContentContainer, ContentContainerList, ContentPartner, ContentPartnerCallback, HRESULT } from '../protocol/types.ts';
import type { TraceRecorder } from '../trace/recorder.ts';
import { describeThrown } from '../trace/thrown-value.ts';
import { toTraceValue } from '../trace/trace-value.ts';
import type { ContainerSpec, ProbeScenario } from './probe-model.ts';
import type { PlannedCall, ProbePlan } from './probe-plan.ts';

/** The other out-of-range index the probe tries: the largest DWORD (-1 to a signed reader). */
const MAX_DWORD_INDEX = 0xffffffff;

export interface ProbeHost {
  recorder: TraceRecorder;
  scenario: ProbeScenario;
  plan: ProbePlan;
  /** The transaction a `download` call serves, or -1 when no startDownload asked for it. */
  transactionOf(cookie: unknown): number;
  /** Resolves when the scenario's order releases this scheduled call. */
  hold(label: string): Promise<void>;
}

/** How a value the Player passes as setCallback's argument is recorded. */
function describeCallbackArgument(value: unknown, ids: CallbackIds): unknown {
  if (value === null) return null;
  if (typeof value === 'object' && typeof (value as { downloadTrack?: unknown }).downloadTrack === 'function') return { callback: ids.of(value) };
  return toTraceValue(value);
}

/** Numbers callback objects 1, 2, … so the trace shows whether the Player passed the same one again. */
class CallbackIds {
  private readonly ids = new WeakMap<object, number>();
  private count = 0;
  of(value: object): number {
    if (!this.ids.has(value)) this.ids.set(value, ++this.count);
    return this.ids.get(value)!;
  }
}

export class ProbePlugin implements ContentPartner {
  private callback: ContentPartnerCallback | null = null;
  private readonly callbackIds = new CallbackIds();
  /** Every cookie the Player has named: an unknown-cookie probe avoids them all. */
  private readonly cookiesSeen = new Set<number>();
  /** Scheduled calls not yet made. */
  pending = 0;
  /** Accepted success calls not yet answered by a completion (the host waits for them while the Player has timers). */
  owedCompletions = 0;
  /** After the scenario: nothing more is made or recorded. */
  closed = false;

  constructor(private readonly host: ProbeHost) {}

  noteCookie(cookie: unknown): void {
    if (isHResult(cookie)) this.cookiesSeen.add(cookie >>> 0);
  }

  setCallback(callback: ContentPartnerCallback | null): HRESULT {
    if (this.closed) return S_OK;
    const recorded = describeCallbackArgument(callback, this.callbackIds);
    const { callId } = this.host.recorder.call('player', 'plugin', 'setCallback', [recorded], true);
    this.callback = typeof callback === 'object' && callback !== null && typeof callback.downloadTrack === 'function' ? callback : null;
    this.host.recorder.returned(callId, 'player', 'plugin', 'setCallback', { value: S_OK });
    return S_OK;
  }

  download(list: ContentContainerList, cookie: number): HRESULT {
    if (this.closed) return S_OK;
    const transaction = this.host.transactionOf(cookie);
    const { callId } = this.host.recorder.call('player', 'plugin', 'download', [{ transaction }, toTraceValue(cookie)], true);
    this.noteCookie(cookie);
    if (transaction >= 0) {
      this.readList(list, transaction, this.host.scenario.transactions[transaction]!.containers);
      this.makeCalls(transaction, cookie);
    }
    this.host.recorder.returned(callId, 'player', 'plugin', 'download', { value: S_OK });
    return S_OK;
  }

  downloadTrackComplete(hrResult: HRESULT, contentID: number, downloadTrackParam: string | null): HRESULT {
    if (this.closed) return S_OK;
    const { callId } = this.host.recorder.call('player', 'plugin', 'downloadTrackComplete', [hrResult, contentID, downloadTrackParam], false);
    this.owedCompletions = Math.max(0, this.owedCompletions - 1);
    this.host.recorder.returned(callId, 'player', 'plugin', 'downloadTrackComplete', { value: S_OK });
    return S_OK;
  }

  // ---- the list: every getter, in range and one past the end (PL-08, PL-09) ----

  private outOfRange(count: number): number {
    return this.host.scenario.outOfRange === 'one-past-end' ? count : MAX_DWORD_INDEX;
  }

  /** Calls one getter of the Player's list, recording the call and what came back. */
  private read(transaction: number, method: string, indices: number[], body: () => unknown): unknown {
    const recorder = this.host.recorder;
    const { callId } = recorder.call('plugin', 'player', method, [{ transaction }, ...indices], true);
    try {
      const value = body();
      const recorded = method === 'getContainer' && typeof value === 'object' && value !== null ? { container: indices[0] } : toTraceValue(value);
      recorder.returned(callId, 'plugin', 'player', method, { value: recorded }, true);
      return value;
    } catch (error) {
      recorder.returned(callId, 'plugin', 'player', method, { threw: describeThrown(error) });
      return undefined;
    }
  }

  private readList(list: ContentContainerList, transaction: number, asked: ContainerSpec[]): void {
    this.read(transaction, 'getTransactionType', [], () => list.getTransactionType());
    this.read(transaction, 'getContainerCount', [], () => list.getContainerCount());
    asked.forEach((spec, index) => {
      const container = this.read(transaction, 'getContainer', [index], () => list.getContainer(index));
      if (typeof container === 'object' && container !== null) this.readContainer(container as ContentContainer, transaction, index, spec);
    });
    const past = this.outOfRange(asked.length);
    this.read(transaction, 'getContainer', [past], () => list.getContainer(past));
  }

  private readContainer(container: ContentContainer, transaction: number, index: number, spec: ContainerSpec): void {
    this.read(transaction, 'getID', [index], () => container.getID());
    this.read(transaction, 'getPrice', [index], () => container.getPrice());
    this.read(transaction, 'getType', [index], () => container.getType());
    this.read(transaction, 'getContentCount', [index], () => container.getContentCount());
    spec.items.forEach((_item, item) => {
      this.read(transaction, 'getContentPrice', [index, item], () => container.getContentPrice(item));
      this.read(transaction, 'getContentID', [index, item], () => container.getContentID(item));
    });
    const past = this.outOfRange(spec.items.length);
    this.read(transaction, 'getContentPrice', [index, past], () => container.getContentPrice(past));
    this.read(transaction, 'getContentID', [index, past], () => container.getContentID(past));
  }

  // ---- the calls: inside download, or each released later in the scenario's order ----

  private makeCalls(transaction: number, cookie: unknown): void {
    const planned = this.host.plan.calls[transaction]!;
    if (this.host.scenario.transactions[transaction]!.calls === 'inside-download') {
      for (const call of planned) this.call(call, cookie);
      return;
    }
    for (const call of planned) {
      this.pending++;
      void this.host.hold(`call:${transaction}:${call.ordinal}`).then(() => {
        this.pending--;
        this.call(call, cookie);
      });
    }
  }

  /** The smallest cookie from the hint on that the Player has never named. */
  private unusedCookie(hint: number): number {
    let cookie = hint >>> 0;
    while (this.cookiesSeen.has(cookie)) cookie = (cookie + 1) >>> 0;
    return cookie;
  }

  private call(planned: PlannedCall, cookie: unknown): void {
    if (this.closed) return;
    const recorder = this.host.recorder;
    const callback = this.callback;
    if (!callback) {
      recorder.note(`probe: no callback is set, so call ${planned.transaction}.${planned.ordinal} (track ${planned.trackId}) is not made`);
      return;
    }
    const callCookie = planned.kind === 'unknown-cookie' ? this.unusedCookie(planned.cookieHint ?? 0) : cookie;
    const args = [callCookie, planned.url, planned.trackId, planned.params, planned.hrDownload] as const;
    const { callId } = recorder.call('plugin', 'player', 'downloadTrack', [...args], true);
    let value: unknown;
    try {
      value = callback.downloadTrack(args[0] as number, args[1], args[2], args[3], args[4]);
      recorder.returned(callId, 'plugin', 'player', 'downloadTrack', { value: toTraceValue(value) }, true);
    } catch (error) {
      recorder.returned(callId, 'plugin', 'player', 'downloadTrack', { threw: describeThrown(error) });
      return;
    }
    if (planned.kind === 'track' && succeeded(planned.hrDownload) && isHResult(value) && succeeded(value)) this.owedCompletions++;
  }
}
