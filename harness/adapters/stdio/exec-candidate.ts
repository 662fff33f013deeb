/**
 * A plug-in candidate that is a command (contract §4, `wmpcert certify --exec "<command>"`): every
 * `create` starts a fresh child and projects the stdio JSON-RPC wire onto the ContentPartner
 * interface, so the Player simulation drives it exactly like an in-process plug-in.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { E_UNEXPECTED, isHResultError } from '../../protocol/hresult.ts';
import type {
  BSTR, ContentContainerList, ContentPartner, ContentPartnerCallback, DWORD, HRESULT, PluginEnv,
} from '../../protocol/types.ts';
import { NdjsonPeer, type PeerExit, type Problem } from './ndjson-peer.ts';
import { toWireContainerList } from './wire-container-list.ts';
import {
  normalizeHResult, WIRE_PROTOCOL_VERSION,
  type HarnessMethod, type HarnessToPluginParams, type InitializeResult, type PluginToHarnessParams, type WireResult,
} from './wire-schema.ts';

export type { Problem, ProblemKind } from './ndjson-peer.ts';

export interface ExecCandidateOptions {
  /** The loopback store server the child talks to; passed as WMPCERT_STORE_URL. */
  storeUrl: string;
  cwd?: string;
  /** How long the plug-in may take to answer any one request. */
  requestTimeoutMs: number;
  /** How long it may take to start and answer `initialize` (interpreters boot slowly). Default: requestTimeoutMs. */
  startTimeoutMs?: number;
  /** How long `dispose` waits for the answer to `shutdown` before killing. Default: min(requestTimeoutMs, 500). */
  shutdownTimeoutMs?: number;
  /** Reported as they happen, by every plug-in of this candidate; `problems()` tells them apart. */
  onProblem?: (problem: Problem) => void;
  /**
   * Plug-ins started ahead of time, so a scenario does not wait for an interpreter to boot
   * (spawn + initialize costs 120–550 ms against 15–110 ms for a small scenario). Each is still
   * used for one scenario only. Default 0: a child is started when `create` is called.
   */
  warmSpares?: number;
}

/** A running plug-in process seen as a ContentPartner. */
export interface ExecPlugin extends ContentPartner {
  /** The plug-in's answer to `initialize`; every other request waits for it. */
  readonly initialized: Promise<InitializeResult>;
  /** The pid of the shell that runs the command; also the id of the process group. */
  readonly pid: number | undefined;
  /** Asks the plug-in to shut down, then kills its whole process group. Idempotent. */
  dispose(): Promise<void>;
  /** The last 64 KiB the plug-in wrote to stderr. */
  stderr(): string;
  /** Everything it wrote that broke the wire protocol, in order (the first 1000). */
  problems(): Problem[];
  /** Resolves when the process has ended (for whatever reason), with its exit status. */
  closed(): Promise<PeerExit | undefined>;
}

export interface ExecCandidate {
  command: string;
  /**
   * A fresh plug-in process, never used before. `env` is accepted so the engine can treat every
   * candidate alike, but only the loopback `options.storeUrl` is reachable from another process,
   * so the child gets that.
   */
  create(env?: Partial<PluginEnv>): ExecPlugin;
  /** Disposes the warm spares not handed out; later `create` calls start children on demand. */
  close(): Promise<void>;
}

const MAX_KEPT_PROBLEMS = 1000;
/** After SIGKILL the streams close at once, unless something outside the group holds our pipes. */
const CLOSE_AFTER_KILL_MS = 2000;

export function createExecCandidate(command: string, options: ExecCandidateOptions): ExecCandidate {
  const spares: ExecPlugin[] = [];
  let wanted = options.warmSpares ?? 0;
  const start = (): ExecPlugin => new ExecPluginProcess(command, options);
  return {
    command,
    create() {
      const plugin = spares.shift() ?? start();
      while (spares.length < wanted) spares.push(start());
      return plugin;
    },
    async close() {
      wanted = 0;
      await Promise.all(spares.splice(0).map(spare => spare.dispose()));
    },
  };
}

class ExecPluginProcess implements ExecPlugin {
  readonly initialized: Promise<InitializeResult>;
  readonly pid: number | undefined;
  private readonly peer: NdjsonPeer;
  private readonly seenProblems: Problem[] = [];
  private callback: ContentPartnerCallback | null = null;
  private initializeSucceeded = false;
  private disposal: Promise<void> | undefined;

  constructor(command: string, private readonly options: ExecCandidateOptions) {
    const child = spawn(command, {
      shell: true,
      // Its own process group, so dispose can kill the shell and everything the plug-in started.
      detached: true,
      cwd: options.cwd,
      env: { ...process.env, WMPCERT_STORE_URL: options.storeUrl },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.pid = child.pid;
    if (child.pid !== undefined) trackProcessGroup(child.pid);
    // Once the plug-in has exited, whatever it left in its group (a grandchild holding its stdout)
    // is killed too: otherwise the pipes never close and its death would pass for silence.
    child.once('exit', () => { if (process.platform !== 'win32' && child.pid !== undefined) killProcessGroup(child.pid); });
    this.peer = new NdjsonPeer(child, {
      handlers: { downloadTrack: params => this.onDownloadTrack(params as PluginToHarnessParams['downloadTrack']) },
      onProblem: problem => this.onProblem(problem),
      kill: () => killPlugin(child),
    });
    this.initialized = this.peer.request('initialize', { protocol: WIRE_PROTOCOL_VERSION }, options.startTimeoutMs ?? options.requestTimeoutMs)
      .then(result => {
        this.initializeSucceeded = true;
        return result as InitializeResult;
      });
    // Callers see the failure through the methods; this copy only keeps it from being "unhandled".
    this.initialized.catch(() => {});
  }

  setCallback(callback: ContentPartnerCallback | null): Promise<HRESULT> {
    // Held on the plug-in's behalf. After setCallback(null) a call still goes to the last callback
    // given, which refuses it: the harness must see calls made after detach (LC-01).
    this.callback = callback ?? this.callback;
    return this.call('setCallback', { enabled: callback !== null });
  }

  download(list: ContentContainerList, cookie: DWORD): Promise<HRESULT> {
    try {
      // Copied now, as COM marshals the list when Download is called.
      return this.call('download', { cookie, list: toWireContainerList(list) });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  downloadTrackComplete(hrResult: HRESULT, contentID: DWORD, downloadTrackParam: BSTR): Promise<HRESULT> {
    return this.call('downloadTrackComplete', { hr: normalizeHResult(hrResult), contentId: contentID, param: downloadTrackParam });
  }

  dispose(): Promise<void> {
    this.disposal ??= this.shutDown();
    return this.disposal;
  }

  stderr(): string {
    return this.peer.stderr();
  }

  problems(): Problem[] {
    return [...this.seenProblems];
  }

  closed(): Promise<PeerExit | undefined> {
    return this.peer.closed();
  }

  private async call<M extends Exclude<HarnessMethod, 'initialize'>>(method: M, params: HarnessToPluginParams[M]): Promise<HRESULT> {
    await this.initialized;
    const result = await this.peer.request(method, params, this.options.requestTimeoutMs) as WireResult<M>;
    return normalizeHResult(result.hr);
  }

  private async onDownloadTrack(call: PluginToHarnessParams['downloadTrack']): Promise<{ hr: HRESULT }> {
    const callback = this.callback;
    // No callback was ever given: the plug-in holds no pointer to call through.
    if (!callback) return { hr: E_UNEXPECTED };
    try {
      const hr = await callback.downloadTrack(call.cookie, call.url, call.trackId, call.params, normalizeHResult(call.hr));
      return { hr: normalizeHResult(hr) };
    } catch (error) {
      // A callback that throws HResultError returned that HRESULT, as across COM.
      if (isHResultError(error)) return { hr: error.hr | 0 };
      throw error;
    }
  }

  private onProblem(problem: Problem): void {
    if (this.seenProblems.length < MAX_KEPT_PROBLEMS) this.seenProblems.push(problem);
    this.options.onProblem?.(problem);
  }

  private async shutDown(): Promise<void> {
    if (this.initializeSucceeded && !this.peer.isClosed) {
      const timeoutMs = this.options.shutdownTimeoutMs ?? Math.min(this.options.requestTimeoutMs, 500);
      // A polite request first; whatever the answer, the group is killed next.
      await this.peer.request('shutdown', {}, timeoutMs).catch(() => {});
    }
    if (!this.peer.isClosed) this.peer.kill('disposed by the harness');
    await Promise.race([this.peer.closed(), delay(CLOSE_AFTER_KILL_MS)]);
    if (this.pid === undefined) return;
    // Also whatever the plug-in left running in its group after its shell exited.
    if (process.platform !== 'win32') killProcessGroup(this.pid);
    liveProcessGroups.delete(this.pid);
  }
}

function killPlugin(child: ChildProcess): void {
  // Windows has no process groups to signal; there only the shell itself can be killed.
  if (process.platform === 'win32' || child.pid === undefined) child.kill('SIGKILL');
  else killProcessGroup(child.pid);
}

function killProcessGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

function delay(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms).unref());
}

/**
 * Detached children outlive the harness unless killed: if the harness exits without disposing
 * (a crash, process.exit), the groups still alive are killed on the way out.
 */
const liveProcessGroups = new Set<number>();
let killOnExitHooked = false;

function trackProcessGroup(pgid: number): void {
  if (!killOnExitHooked) {
    killOnExitHooked = true;
    process.once('exit', () => { for (const group of liveProcessGroups) killProcessGroup(group); });
  }
  liveProcessGroups.add(pgid);
}
