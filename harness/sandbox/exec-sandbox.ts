/**
 * Runs scenarios against a plug-in that is a command (contract §4, docs/wire-protocol.md): a fresh
 * plug-in instance per scenario (a fresh child, or a fresh instance of a child that serves many),
 * speaking JSON-RPC over stdio, with the store world served on a real loopback HTTP server
 * (WMPCERT_STORE_URL). The child already is isolated; this sandbox turns its failures — a crash,
 * an exit, silence, a broken message — into trace events, and leaves no process behind.
 */
import { watchProcessGroup } from './process-group-state.ts';
import { createExecCandidate, type ExecCandidate, type ExecPlugin } from '../adapters/stdio/exec-candidate.ts';
import type { InitializeResult } from '../adapters/stdio/wire-schema.ts';
import { PeerClosedError, RequestTimeoutError } from '../adapters/stdio/ndjson-peer.ts';
import { ScenarioRun } from '../host/simulated-player.ts';
import type { ScenarioTiming } from '../host/timing.ts';
import type { ContentPartner, PluginCandidate } from '../protocol/types.ts';
import type { Scenario } from '../scenario/model.ts';
import type { Trace } from '../trace/events.ts';
import { startLoopbackServer, type LoopbackServer } from '../world/loopback-server.ts';
import { BoundedText, PRINTED_LIMIT } from './bounded-text.ts';
import { WIRE_NOTE } from '../rules/wire-rules.ts';
import type { Sandbox } from './sandbox.ts';

export interface ExecLimits {
  /** How long the plug-in may take to start and answer `initialize`. */
  startMs: number;
  /** A request unanswered this long means the plug-in stopped answering. */
  requestTimeoutMs: number;
}

const OUT_OF_PROCESS_CALL_TIMEOUT_MS = 1000;
/**
 * With nothing owed, how long a child must be quiet for its scenario to end. Its timers are out of
 * sight, so a quiet window must do; everything it does for the Player (its requests to the store,
 * its calls, its answers) is seen, and is busy time, not quiet. A call later than this comes from a
 * released instance: it is quoted in the report's notes, never put in another scenario's trace.
 */
const WIRE_LATE_WINDOW_MS = 10;
/** The same before a scenario's next phase: a call later than that still lands in this scenario. */
const WIRE_PHASE_WINDOW_MS = 3;
/**
 * With calls still owed, how long a quiet child (no request of ours unanswered, no store request of
 * its own in flight) has to make them before they are judged missing. A slow store answer is in
 * flight, so busy; what is left is a plug-in's own pause (a retry backoff), far shorter than this.
 */
const WIRE_OWED_WINDOW_MS = 300;

export const DEFAULT_EXEC_LIMITS: ExecLimits = { startMs: 10_000, requestTimeoutMs: 1_500 };

export class ExecSandbox implements Sandbox {
  readonly printed = new BoundedText(PRINTED_LIMIT);
  private current: ScenarioRun | undefined;

  private constructor(private readonly server: LoopbackServer, private readonly exec: ExecCandidate, private readonly limits: ExecLimits) {}

  static async start(command: string, limits: ExecLimits = DEFAULT_EXEC_LIMITS, cwd?: string, env?: Readonly<Record<string, string>>): Promise<ExecSandbox> {
    const server = await startLoopbackServer();
    let sandbox: ExecSandbox | undefined;
    const exec = createExecCandidate(command, {
      storeUrl: `${server.url}/store`,
      cwd,
      env,
      requestTimeoutMs: limits.requestTimeoutMs,
      startTimeoutMs: limits.startMs,
      warmSpares: 1,
      onProblem: (problem) => sandbox?.current?.recorder.protocol(problem.kind, problem.line, problem.message),
      onLateCall: (quote) => sandbox?.printed.append(`[wmpcert] ${quote}\n`),
    });
    sandbox = new ExecSandbox(server, exec, limits);
    return sandbox;
  }

  /** The plug-in's name and version, as it answers `initialize`: a child that cannot start is a set-up error. */
  async probe(): Promise<InitializeResult> {
    const plugin = this.exec.create();
    try {
      return await withTimeout(plugin.initialized, this.limits.startMs, 'initialize');
    } finally {
      this.printed.append(plugin.stderr());
      await plugin.dispose();
    }
  }

  output(): string {
    return this.printed.toString();
  }

  async run(scenario: Scenario, timing: ScenarioTiming): Promise<Trace> {
    const plugin = this.exec.create();
    let disposing = false;
    let run: ScenarioRun | undefined;
    const started = await withTimeout(plugin.initialized, this.limits.startMs, 'initialize').then(() => true, () => false);
    const candidate: PluginCandidate = { kind: 'plugin', name: 'exec', create: () => watchful(plugin, (reason, message) => run?.stop(reason, message)) };
    // A call crosses two pipes and another process's scheduler: give it more room than in process.
    const wireTiming = {
      ...timing,
      callTimeoutMs: Math.max(timing.callTimeoutMs, OUT_OF_PROCESS_CALL_TIMEOUT_MS),
      lateWindowMs: Math.min(timing.lateWindowMs, WIRE_LATE_WINDOW_MS),
      phaseWindowMs: Math.min(timing.lateWindowMs, WIRE_PHASE_WINDOW_MS),
      expectCallMs: Math.min(timing.expectCallMs, WIRE_OWED_WINDOW_MS),
    };
    run = new ScenarioRun(candidate, scenario, wireTiming, {
      urls: { storeUrl: `${this.server.url}/store`, mediaUrl: `${this.server.url}/cdn` },
      opaque: true,
      // A call past its timeout is recorded as such, and the scenario still waits for the child's
      // answer or its request timeout: a child that stopped answering is stopped (DL-16), never
      // taken for a plug-in that merely returned late.
      sandboxBusy: () => plugin.waiting || this.server.receiving(),
      // The child runs in its own process group (the shell and what it started).
      watchCandidate: watchProcessGroup(() => plugin.pid),
    });
    this.current = run;
    run.recorder.note(WIRE_NOTE);
    this.server.setResponder(run.pluginFetch);
    void plugin.closed().then((exit) => {
      if (disposing) return;
      const overflow = plugin.problems().find((problem) => problem.kind === 'line-too-long');
      if (overflow) run?.stop('exited', `the harness killed the plug-in process: ${overflow.message}`);
      const how = exit?.signal ? `was killed by ${exit.signal}` : `exited with code ${exit?.code ?? 'unknown'}`;
      run?.stop('exited', `the plug-in process ${how} in the middle of the scenario; its stderr ends: ${lastLine(plugin.stderr())}`);
    });
    if (!started) run.stop('crashed', `the plug-in did not answer initialize within ${this.limits.startMs} ms; its stderr ends: ${lastLine(plugin.stderr())}`);
    const trace = await run.run();
    disposing = true;
    this.server.setResponder(null);
    this.current = undefined;
    this.printed.append(plugin.stderr());
    await plugin.dispose();
    return trace;
  }

  async close(): Promise<void> {
    await this.exec.close();
    await this.server.close();
  }
}

/**
 * The plug-in as a ContentPartner whose requests, when one goes unanswered for good or finds the
 * process gone (its pipes closed, perhaps before its exit is seen), stop the scenario: the harness's
 * own wire errors are never judged as something the plug-in threw.
 */
function watchful(plugin: ExecPlugin, onLost: (reason: 'blocked' | 'exited', message: string) => void): ContentPartner {
  const watch = <T>(result: T | Promise<T>): Promise<T> => Promise.resolve(result).catch((error: unknown) => {
    if (error instanceof RequestTimeoutError) onLost('blocked', `the plug-in stopped answering: ${error.message}`);
    if (error instanceof PeerClosedError) onLost('exited', `the plug-in process is gone: ${error.message}`);
    throw error;
  });
  const partner: ContentPartner = {
    setCallback: (callback) => watch(plugin.setCallback(callback)),
    download: (list, cookie) => watch(plugin.download(list, cookie)),
    downloadTrackComplete: (hr, id, params) => watch(plugin.downloadTrackComplete(hr, id, params)),
  };
  // Only the optional methods the child listed: the others' rules are skipped, as in process.
  if (plugin.implements('canBuySilent')) partner.canBuySilent = (list) => watch(plugin.canBuySilent(list));
  if (plugin.implements('buy')) partner.buy = (list, cookie) => watch(plugin.buy(list, cookie));
  if (plugin.implements('refreshLicense')) {
    partner.refreshLicense = (cookie, local, url, type, id, reason, context) => watch(plugin.refreshLicense(cookie, local, url, type, id, reason, context));
  }
  if (plugin.implements('sendMessage')) partner.sendMessage = (msg, param) => watch(plugin.sendMessage(msg, param));
  return partner;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${ms} ms`)), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); }, (error: unknown) => { clearTimeout(timer); reject(error); });
  });
}

function lastLine(text: string): string {
  const lines = text.trimEnd().split('\n');
  return JSON.stringify(lines.at(-1)?.slice(-300) ?? '');
}
