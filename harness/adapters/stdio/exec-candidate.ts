/**
 * A plug-in candidate that is a command (contract §4, `wmpcert certify --exec "<command>"`), projected
 * onto the ContentPartner interface so the Player simulation drives it exactly like an in-process
 * plug-in. Every `create` gives a fresh plug-in instance: a fresh child, or, when the child said
 * `"instances": "many"` (docs/wire-protocol.md), a fresh instance in the same long-lived child.
 */
import { E_UNEXPECTED, HResultError, failed, isHResultError } from '../../protocol/hresult.ts';
import type {
  BSTR, CanBuySilentResult, ContentContainerList, ContentPartner, ContentPartnerCallback, DWORD, HRESULT, PluginEnv, StreamingType,
} from '../../protocol/types.ts';
import { PeerClosedError, RequestTimeoutError, type PeerExit, type Problem } from './ndjson-peer.ts';
import { WireChild } from './wire-child.ts';
import { toWireContainerList } from './wire-container-list.ts';
import {
  normalizeHResult,
  type HarnessMethod, type HarnessToPluginParams, type InitializeResult, type OptionalWireMethod, type PluginMethod,
  type PluginToHarnessParams, type WireResult,
} from './wire-schema.ts';

export type { Problem, ProblemKind } from './ndjson-peer.ts';

export interface ExecCandidateOptions {
  /** The loopback store server the child talks to; passed as WMPCERT_STORE_URL. */
  storeUrl: string;
  cwd?: string;
  /** More environment for the child (a Wine prefix, say). */
  env?: Readonly<Record<string, string>>;
  /** How long the plug-in may take to answer any one request. */
  requestTimeoutMs: number;
  /** How long it may take to start and answer `initialize` (interpreters boot slowly). Default: requestTimeoutMs. */
  startTimeoutMs?: number;
  /** How long `dispose` waits for the answer to `shutdown` or `release` before killing. Default: min(requestTimeoutMs, 500). */
  shutdownTimeoutMs?: number;
  /** Reported as they happen, by every plug-in of this candidate; `problems()` tells them apart. */
  onProblem?: (problem: Problem) => void;
  /** A call from an instance already released, quoted: it reaches no scenario. */
  onLateCall?: (quote: string) => void;
  /**
   * Children started ahead of time for a candidate that serves one instance per child, so a
   * scenario does not wait for an interpreter to boot. Default 0. A child serving many needs none.
   */
  warmSpares?: number;
}

/** One plug-in instance of the candidate, seen as a ContentPartner. */
export interface ExecPlugin extends Required<ContentPartner> {
  /** The child's answer to `initialize`, once this instance exists; every other request waits for it. */
  readonly initialized: Promise<InitializeResult>;
  /** The pid of the shell that runs the command; also the id of the process group. */
  readonly pid: number | undefined;
  /** Whether the child implements an optional method (its `initialize` answer lists it). */
  implements(method: OptionalWireMethod): boolean;
  /** Releases the instance; a child of its own (or one that stopped answering) is shut down and killed. Idempotent. */
  dispose(): Promise<void>;
  /** What the child wrote to stderr while this instance lived (the last 64 KiB). */
  stderr(): string;
  /** Everything the child wrote that broke the wire protocol while this instance lived (the first 1000). */
  problems(): Problem[];
  /** Resolves when the child's process has ended (for whatever reason), with its exit status. */
  closed(): Promise<PeerExit | undefined>;
  /** Whether a request to the child is still unanswered (and not timed out). */
  readonly waiting: boolean;
}

export interface ExecCandidate {
  command: string;
  /**
   * A fresh plug-in instance, never used before. `env` is accepted so the engine can treat every
   * candidate alike, but only the loopback `options.storeUrl` is reachable from another process.
   */
  create(env?: Partial<PluginEnv>): ExecPlugin;
  /** Shuts down the shared child and the warm spares; later `create` calls start children again. */
  close(): Promise<void>;
}

export function createExecCandidate(command: string, options: ExecCandidateOptions): ExecCandidate {
  const spares: WireChild[] = [];
  let wanted = options.warmSpares ?? 0;
  /** The child that serves many instances, while it is usable. */
  let shared: WireChild | undefined;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? Math.min(options.requestTimeoutMs, 500);
  const start = (): WireChild => {
    const child = new WireChild(command, {
      storeUrl: options.storeUrl,
      cwd: options.cwd,
      env: options.env,
      startTimeoutMs: options.startTimeoutMs ?? options.requestTimeoutMs,
      onProblem: (problem) => options.onProblem?.(problem),
      onLateCall: (quote) => options.onLateCall?.(quote),
    });
    child.initialized.then(() => {
      if (child.servesMany) shared ??= child;
      else refill();
    }, () => {});
    return child;
  };
  const refill = (): void => {
    while (spares.length < wanted) spares.push(start());
  };
  return {
    command,
    create() {
      if (shared && (shared.peer.isClosed || shared.condemned)) shared = undefined;
      const child = shared ?? spares.shift() ?? start();
      return new WirePlugin(child, options.requestTimeoutMs, shutdownTimeoutMs);
    },
    async close() {
      wanted = 0;
      const children = [...spares.splice(0), ...(shared ? [shared] : [])];
      shared = undefined;
      await Promise.all(children.map((child) => child.dispose(shutdownTimeoutMs)));
    },
  };
}

const hrOf = (result: unknown): HRESULT => normalizeHResult((result as { hr: number }).hr);

class WirePlugin implements ExecPlugin {
  readonly initialized: Promise<InitializeResult>;
  private callback: ContentPartnerCallback | null = null;
  /** This instance's number in a child that serves many. */
  private instance: number | undefined;
  /** The child stopped answering or went away while this instance used it: it is not reused. */
  private lost = false;
  private readonly stderrMark: number;
  private readonly problemMark: number;
  private disposal: Promise<void> | undefined;
  /** `initialized` has resolved: requests go out without waiting on it. */
  private ready = false;

  constructor(private readonly child: WireChild, private readonly requestTimeoutMs: number, private readonly shutdownTimeoutMs: number) {
    this.stderrMark = child.peer.stderrBytes;
    this.problemMark = child.problemCount;
    const route = <M extends PluginMethod>(method: M, params: PluginToHarnessParams[M]) => this.onCall(method, params);
    this.initialized = child.initialized.then(async (identity) => {
      if (!child.servesMany) {
        if (!child.claimSole(route)) throw new Error('internal: a child that serves one plug-in was handed out twice');
        return identity;
      }
      this.instance = child.openInstance(route);
      const { hr } = await this.request('create', { instance: this.instance }) as { hr: HRESULT };
      if (failed(normalizeHResult(hr))) throw new HResultError(normalizeHResult(hr), `the child refused to create plug-in instance ${this.instance}`);
      return identity;
    });
    // Callers see a failure through the methods; this reaction also keeps it from being "unhandled".
    this.initialized.then(() => { this.ready = true; }, () => {});
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get waiting(): boolean {
    return this.child.peer.pendingRequests > 0;
  }

  implements(method: OptionalWireMethod): boolean {
    return this.child.identity?.methods?.includes(method) ?? false;
  }

  setCallback(callback: ContentPartnerCallback | null): Promise<HRESULT> {
    // Held on the plug-in's behalf. After setCallback(null) a call still goes to the last callback
    // given, which refuses it: the harness must see calls made after detach (LC-01).
    this.callback = callback ?? this.callback;
    return this.call('setCallback', { enabled: callback !== null });
  }

  download(list: ContentContainerList, cookie: DWORD): Promise<HRESULT> {
    // Copied now, as COM marshals the list when Download is called.
    return this.withList(list, (wire) => this.call('download', { cookie, list: wire }));
  }

  downloadTrackComplete(hrResult: HRESULT, contentID: DWORD, downloadTrackParam: BSTR): Promise<HRESULT> {
    return this.call('downloadTrackComplete', { hr: normalizeHResult(hrResult), contentId: contentID, param: downloadTrackParam });
  }

  async canBuySilent(list: ContentContainerList): Promise<CanBuySilentResult> {
    const result = await this.withList(list, (wire) => this.ask('canBuySilent', { list: wire }));
    const hr = normalizeHResult(result.hr);
    // A failing COM method has no out-parameters: its HRESULT is what the caller gets.
    if (failed(hr)) throw new HResultError(hr);
    return { totalPrice: result.totalPrice ?? null, silentOK: result.silentOK ?? false };
  }

  buy(list: ContentContainerList, cookie: DWORD): Promise<HRESULT> {
    return this.withList(list, (wire) => this.call('buy', { cookie, list: wire }));
  }

  refreshLicense(cookie: DWORD, fLocal: boolean, url: BSTR, type: StreamingType, contentID: DWORD, reason: BSTR, reasonContext: string | null): Promise<HRESULT> {
    return this.call('refreshLicense', { cookie, local: fLocal, url, type, contentId: contentID, reason, reasonContext });
  }

  sendMessage(msg: BSTR, param: BSTR): Promise<HRESULT> {
    return this.call('sendMessage', { msg, param });
  }

  dispose(): Promise<void> {
    this.disposal ??= this.release();
    return this.disposal;
  }

  stderr(): string {
    return this.child.peer.stderr(this.stderrMark);
  }

  problems(): Problem[] {
    return this.child.problems(this.problemMark);
  }

  closed(): Promise<PeerExit | undefined> {
    return this.child.closed();
  }

  private withList<T>(list: ContentContainerList, send: (wire: ReturnType<typeof toWireContainerList>) => Promise<T>): Promise<T> {
    try {
      return send(toWireContainerList(list));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  // call and ask are the path of every round trip: one promise reaction each, with handlers made
  // once, where async functions would add a few microtasks and closures to every call.
  private call<M extends Exclude<HarnessMethod, 'initialize' | 'create' | 'release' | 'shutdown' | 'canBuySilent'>>(
    method: M, params: HarnessToPluginParams[M],
  ): Promise<HRESULT> {
    if (!this.ready) return this.initialized.then(() => this.call(method, params));
    return this.child.peer.request(method, this.addressed(params), this.requestTimeoutMs).then(hrOf, this.failed);
  }

  private ask<M extends Exclude<HarnessMethod, 'initialize' | 'create' | 'release' | 'shutdown'>>(
    method: M, params: HarnessToPluginParams[M],
  ): Promise<WireResult<M>> {
    if (!this.ready) return this.initialized.then(() => this.ask(method, params));
    return this.request(method, this.addressed(params)) as Promise<WireResult<M>>;
  }

  /** The params of a request to this instance: a child serving many is told which. */
  private addressed(params: object): object {
    return this.instance === undefined ? params : { instance: this.instance, ...params };
  }

  private request(method: HarnessMethod, params: unknown): Promise<unknown> {
    return this.child.peer.request(method, params, this.requestTimeoutMs).then(undefined, this.failed);
  }

  /** A request that timed out or found the child gone: that child is not given another instance. */
  private readonly failed = (error: unknown): never => {
    if (error instanceof RequestTimeoutError || error instanceof PeerClosedError) this.lost = true;
    throw error;
  };

  /** A call the child made for this instance: the Player's callback answers it. */
  private async onCall<M extends PluginMethod>(method: M, params: PluginToHarnessParams[M]): Promise<{ hr: HRESULT }> {
    const callback = this.callback;
    // No callback was ever given: the plug-in holds no pointer to call through.
    if (!callback) return { hr: E_UNEXPECTED };
    try {
      return { hr: normalizeHResult(await this.forward(callback, method, params)) };
    } catch (error) {
      // A callback that throws HResultError returned that HRESULT, as across COM.
      if (isHResultError(error)) return { hr: error.hr | 0 };
      throw error;
    }
  }

  private forward<M extends PluginMethod>(callback: ContentPartnerCallback, method: M, params: PluginToHarnessParams[M]): HRESULT | Promise<HRESULT> {
    switch (method) {
      case 'downloadTrack': {
        const call = params as PluginToHarnessParams['downloadTrack'];
        return callback.downloadTrack(call.cookie, call.url, call.trackId, call.params, normalizeHResult(call.hr));
      }
      case 'buyComplete': {
        const call = params as PluginToHarnessParams['buyComplete'];
        return callback.buyComplete?.(normalizeHResult(call.hr), call.cookie) ?? E_UNEXPECTED;
      }
      case 'refreshLicenseComplete': {
        const call = params as PluginToHarnessParams['refreshLicenseComplete'];
        return callback.refreshLicenseComplete?.(call.cookie, call.contentId, normalizeHResult(call.hr)) ?? E_UNEXPECTED;
      }
      default: {
        const call = params as PluginToHarnessParams['sendMessageComplete'];
        return callback.sendMessageComplete?.(call.msg, call.param, call.result) ?? E_UNEXPECTED;
      }
    }
  }

  private async release(): Promise<void> {
    if (this.instance === undefined || this.lost) {
      // A child of its own, one that never started, or one that stopped answering: it goes.
      if (this.instance !== undefined) this.child.condemned = true;
      await this.child.dispose(this.shutdownTimeoutMs);
      return;
    }
    const instance = this.instance;
    // From now on its calls are late: they reach no scenario's trace.
    this.child.closeInstance(instance);
    try {
      await this.child.peer.request('release', { instance }, this.shutdownTimeoutMs);
    } catch {
      // A child that cannot release an instance is not trusted with the next one.
      this.child.condemned = true;
      await this.child.dispose(this.shutdownTimeoutMs);
    }
  }
}
