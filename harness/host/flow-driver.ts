/**
 * The Player's side of the flows around downloads (protocol §5): purchases (canBuySilent, then Buy,
 * answered by buyComplete), licence refreshes (answered by refreshLicenseComplete) and page messages
 * (answered by sendMessageComplete). It starts them, answers their completions and keeps count of
 * what is still owed, so the scenario knows when it is over. A plug-in that does not implement an
 * optional flow gets a note, and that flow's rules are reported as skipped.
 */
import { E_NOTIMPL, E_UNEXPECTED, S_OK, failed, isHResult, isHResultError } from '../protocol/hresult.ts';
import type { ContentContainerList } from '../protocol/types.ts';
import type { FlowsSpec } from '../scenario/model.ts';
import type { TraceRecorder } from '../trace/recorder.ts';

export type CallOutcome = { value: unknown } | { threw: unknown } | { timedOut: true };

export interface FlowHost {
  recorder: TraceRecorder;
  /** Whether the plug-in has this optional method. */
  implements(method: string): boolean;
  /** Calls a plug-in method with the store's answers held until it returns (it must return at once). */
  callHeld(method: string, args: unknown[], recordedArgs: unknown[]): Promise<CallOutcome>;
  purchaseList(index: number): ContentContainerList;
  /** Whether the callback a completion came through is still the attached one. */
  attached(): boolean;
}

/** The note that says an optional flow is not implemented; rules read it to report "skipped". */
export function notImplementedNote(method: string): string {
  return `flow not implemented: the plug-in has no ${method}()`;
}

const succeededValue = (outcome: CallOutcome) => 'value' in outcome && isHResult(outcome.value) && !failed(outcome.value);

/**
 * E_NOTIMPL is how a COM object says it does not implement a method (every vtable slot exists): an
 * optional flow answered so is not implemented, exactly like a method the plug-in does not have.
 */
export const answeredNotImplemented = (outcome: CallOutcome) =>
  ('value' in outcome && outcome.value === E_NOTIMPL) || ('threw' in outcome && isHResultError(outcome.threw) && (outcome.threw.hr | 0) === E_NOTIMPL);

export class FlowDriver {
  /** Purchases whose buy returned success and whose buyComplete has not come yet, by cookie. */
  private readonly owedPurchases = new Set<number>();
  private readonly owedLicences = new Set<number>();
  private readonly owedMessages = new Set<number>();
  /** buyComplete results by purchase index (true: success). */
  readonly purchaseResults = new Map<number, boolean>();

  constructor(private readonly flows: FlowsSpec, private readonly host: FlowHost, private readonly onPurchaseSettled: () => void) {}

  owes(): boolean {
    return this.owedPurchases.size + this.owedLicences.size + this.owedMessages.size > 0;
  }

  /** setCallback(null): nothing more is owed. */
  forget(): void {
    this.owedPurchases.clear();
    this.owedLicences.clear();
    this.owedMessages.clear();
  }

  async start(): Promise<void> {
    // A Player that has detached starts nothing more.
    let buyImplemented = this.host.implements('buy');
    for (const [index, purchase] of this.flows.purchases.entries()) {
      if (!this.host.attached()) return;
      if (this.host.implements('canBuySilent') && buyImplemented) {
        await this.host.callHeld('canBuySilent', [this.host.purchaseList(index)], [{ purchase: index }]);
      }
      if (!buyImplemented) {
        this.host.recorder.note(notImplementedNote('buy'));
        this.settlePurchase(index, false);
        continue;
      }
      this.owedPurchases.add(purchase.cookie);
      const outcome = await this.host.callHeld('buy', [this.host.purchaseList(index), purchase.cookie], [{ purchase: index }, purchase.cookie]);
      if (answeredNotImplemented(outcome)) {
        buyImplemented = false;
        this.owedPurchases.delete(purchase.cookie);
        this.host.recorder.note(notImplementedNote('buy'));
        this.settlePurchase(index, false);
        continue;
      }
      // A Buy that failed gets no buyComplete (as a failed Download gets no calls); a timed-out one is still owed.
      if (!succeededValue(outcome) && !('timedOut' in outcome)) {
        this.owedPurchases.delete(purchase.cookie);
        this.settlePurchase(index, false);
      }
    }
    for (const [index, licence] of this.flows.licences.entries()) {
      if (!this.host.attached()) return;
      if (!this.host.implements('refreshLicense')) {
        this.host.recorder.note(notImplementedNote('refreshLicense'));
        break;
      }
      this.owedLicences.add(index);
      const args = [licence.cookie, licence.fLocal, licence.url, licence.type, licence.contentId, licence.reason, licence.context];
      const outcome = await this.host.callHeld('refreshLicense', args, args);
      if (!succeededValue(outcome) && !('timedOut' in outcome)) this.owedLicences.delete(index);
      if (answeredNotImplemented(outcome)) {
        this.host.recorder.note(notImplementedNote('refreshLicense'));
        break;
      }
    }
    for (const [index, message] of this.flows.messages.entries()) {
      if (!this.host.attached()) return;
      if (!this.host.implements('sendMessage')) {
        this.host.recorder.note(notImplementedNote('sendMessage'));
        break;
      }
      this.owedMessages.add(index);
      const outcome = await this.host.callHeld('sendMessage', [message.msg, message.param], [message.msg, message.param]);
      if (!succeededValue(outcome) && !('timedOut' in outcome)) this.owedMessages.delete(index);
      if (answeredNotImplemented(outcome)) {
        this.host.recorder.note(notImplementedNote('sendMessage'));
        break;
      }
    }
  }

  private settlePurchase(index: number, success: boolean): void {
    if (this.purchaseResults.has(index)) return;
    this.purchaseResults.set(index, success);
    this.onPurchaseSettled();
  }

  /** The Player's answer to a buyComplete call. */
  buyComplete(args: unknown[]): number {
    if (!this.host.attached()) return E_UNEXPECTED;
    const [hr, cookie] = args;
    const index = this.flows.purchases.findIndex((purchase) => purchase.cookie === cookie);
    if (index < 0 || !this.owedPurchases.has(cookie as number)) return E_UNEXPECTED;
    this.owedPurchases.delete(cookie as number);
    this.settlePurchase(index, isHResult(hr) && !failed(hr));
    return S_OK;
  }

  refreshLicenseComplete(args: unknown[]): number {
    if (!this.host.attached()) return E_UNEXPECTED;
    const [cookie, contentId] = args;
    // The exact request first; else the oldest one with that cookie (a wrong content ID is RL-02's to judge).
    let index = this.flows.licences.findIndex((licence, i) => this.owedLicences.has(i) && licence.cookie === cookie && licence.contentId === contentId);
    if (index < 0) index = this.flows.licences.findIndex((licence, i) => this.owedLicences.has(i) && licence.cookie === cookie);
    if (index < 0) return E_UNEXPECTED;
    this.owedLicences.delete(index);
    return S_OK;
  }

  sendMessageComplete(args: unknown[]): number {
    if (!this.host.attached()) return E_UNEXPECTED;
    const [msg, param] = args;
    // The exact echo first; else the oldest message still owed (a wrong echo is SM-02's to judge).
    let index = this.flows.messages.findIndex((message, i) => this.owedMessages.has(i) && message.msg === msg && message.param === param);
    if (index < 0) index = this.flows.messages.findIndex((_message, i) => this.owedMessages.has(i));
    if (index < 0) return E_UNEXPECTED;
    this.owedMessages.delete(index);
    return S_OK;
  }
}
