/**
 * One child process of an --exec candidate: its process group, its JSON-RPC peer, its answer to
 * `initialize`, and the routing of the calls it makes (the Player's callback) to the plug-in
 * instance they name. A child serves one instance (contract §4) or, when it says
 * `"instances": "many"` (docs/wire-protocol.md), many, created and released by message.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { E_UNEXPECTED } from '../../protocol/hresult.ts';
import type { HRESULT } from '../../protocol/types.ts';
import { NdjsonPeer, type PeerExit, type Problem } from './ndjson-peer.ts';
import {
  WIRE_PROTOCOL_VERSION,
  type InitializeResult, type PluginMethod, type PluginToHarnessParams,
} from './wire-schema.ts';

/** Where the calls of one plug-in instance go: the Player's side of that instance. */
export type InstanceCallHandler = <M extends PluginMethod>(method: M, params: PluginToHarnessParams[M]) => Promise<{ hr: HRESULT }>;

export interface WireChildOptions {
  storeUrl: string;
  cwd?: string;
  /** More environment for the child (a Wine prefix, say). */
  env?: Readonly<Record<string, string>>;
  startTimeoutMs: number;
  onProblem(problem: Problem): void;
  /** A call for an instance already released: answered E_UNEXPECTED, never routed, quoted here. */
  onLateCall(quote: string): void;
}

const PLUGIN_METHODS: readonly PluginMethod[] = ['downloadTrack', 'buyComplete', 'refreshLicenseComplete', 'sendMessageComplete'];
const MAX_KEPT_PROBLEMS = 1000;
/** After SIGKILL the streams close at once, unless something outside the group holds our pipes. */
const CLOSE_AFTER_KILL_MS = 2000;

export class WireChild {
  readonly initialized: Promise<InitializeResult>;
  readonly pid: number | undefined;
  readonly peer: NdjsonPeer;
  /** The answer to `initialize`, once it came. */
  identity: InitializeResult | undefined;
  /** Set when an instance lost it (a request unanswered, a release refused): no new instance goes to it. */
  condemned = false;
  private readonly problemLog: Problem[] = [];
  private readonly routes = new Map<number, InstanceCallHandler>();
  private readonly released = new Set<number>();
  private soleRoute: InstanceCallHandler | undefined;
  private soleClaimed = false;
  private lastInstance = 0;
  private shutdown: Promise<void> | undefined;

  constructor(command: string, private readonly options: WireChildOptions) {
    const child = spawn(command, {
      shell: true,
      // Its own process group, so the harness can kill the shell and everything the plug-in started.
      detached: true,
      cwd: options.cwd,
      env: { ...process.env, ...options.env, WMPCERT_STORE_URL: options.storeUrl },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.pid = child.pid;
    if (child.pid !== undefined) trackProcessGroup(child.pid);
    // Once the plug-in has exited, whatever it left in its group (a grandchild holding its stdout)
    // is killed too: otherwise the pipes never close and its death would pass for silence.
    child.once('exit', () => { if (process.platform !== 'win32' && child.pid !== undefined) killProcessGroup(child.pid); });
    const handlers = Object.fromEntries(PLUGIN_METHODS.map((method) => [method, (params: unknown) => this.route(method, params as PluginToHarnessParams[typeof method])]));
    this.peer = new NdjsonPeer(child, {
      handlers,
      onProblem: (problem) => {
        if (this.problemLog.length < MAX_KEPT_PROBLEMS) this.problemLog.push(problem);
        options.onProblem(problem);
      },
      kill: () => killChild(child),
    });
    this.initialized = this.peer.request('initialize', { protocol: WIRE_PROTOCOL_VERSION }, options.startTimeoutMs)
      .then((result) => (this.identity = result as InitializeResult));
    // Callers see the failure through the requests; this copy only keeps it from being "unhandled".
    this.initialized.catch(() => {});
  }

  get servesMany(): boolean {
    return this.identity?.instances === 'many';
  }

  /** Everything the child wrote that broke the wire protocol, from index `since` on. */
  problems(since = 0): Problem[] {
    return this.problemLog.slice(since);
  }

  get problemCount(): number {
    return this.problemLog.length;
  }

  /** A new instance number whose calls go to `handler` (many instances). */
  openInstance(handler: InstanceCallHandler): number {
    const instance = ++this.lastInstance;
    this.routes.set(instance, handler);
    return instance;
  }

  /** The instance is gone: its later calls are late calls. */
  closeInstance(instance: number): void {
    this.routes.delete(instance);
    this.released.add(instance);
  }

  /** The one instance a child serving one gets; false when it is taken already. */
  claimSole(handler: InstanceCallHandler): boolean {
    if (this.soleClaimed) return false;
    this.soleClaimed = true;
    this.soleRoute = handler;
    return true;
  }

  /** Asks the child to shut down, then kills its whole process group. Idempotent. */
  dispose(shutdownTimeoutMs: number): Promise<void> {
    this.shutdown ??= this.shutDown(shutdownTimeoutMs);
    return this.shutdown;
  }

  private route<M extends PluginMethod>(method: M, params: PluginToHarnessParams[M]): Promise<{ hr: HRESULT }> | { hr: HRESULT } {
    if (!this.servesMany) return this.soleRoute ? this.soleRoute(method, params) : { hr: E_UNEXPECTED };
    const instance = params.instance;
    const handler = instance === undefined ? undefined : this.routes.get(instance);
    if (handler) return handler(method, params);
    const quote = JSON.stringify({ method, params });
    if (instance !== undefined && this.released.has(instance)) {
      this.options.onLateCall(`a ${method} call for plug-in instance ${instance}, after the harness released it, was answered E_UNEXPECTED and dropped: ${quote.slice(0, 500)}`);
    } else {
      const problem: Problem = {
        kind: 'unknown-instance',
        line: quote.slice(0, 500),
        message: instance === undefined
          ? `a child that serves many instances must name the instance in every call (params.instance)`
          : `no plug-in instance ${instance} was ever created`,
      };
      if (this.problemLog.length < MAX_KEPT_PROBLEMS) this.problemLog.push(problem);
      this.options.onProblem(problem);
    }
    return { hr: E_UNEXPECTED };
  }

  private async shutDown(timeoutMs: number): Promise<void> {
    if (this.identity !== undefined && !this.peer.isClosed) {
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

  closed(): Promise<PeerExit | undefined> {
    return this.peer.closed();
  }
}

function killChild(child: ChildProcess): void {
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
