/**
 * The trace is the single source of truth of a scenario: one ordered history of every call and
 * return in both directions and every HTTP exchange. Rules, reports, the timeline and replay read it.
 * Every value in it is JSON-serialisable.
 */
export type Actor = 'player' | 'plugin' | 'store' | 'media' | 'harness';

/** A value a candidate threw, described without keeping the object. */
export interface ThrownValue { kind: 'hresult-error' | 'error' | 'non-error'; name: string; message: string; hr?: number }

interface EventBase { seq: number; /** whole ms since the scenario started (seq gives the order) */ at: number }

export interface CallEvent extends EventBase {
  type: 'call';
  callId: number;
  from: Actor;
  to: Actor;
  method: string;
  args: unknown[];
}

export interface ReturnEvent extends EventBase {
  type: 'return';
  callId: number;
  from: Actor;
  to: Actor;
  method: string;
  /** Present when the call returned (a resolved Promise counts as returning). */
  value?: unknown;
  threw?: ThrownValue;
  /** The call did not return within the per-call timeout (DL-01). */
  timedOut?: boolean;
}

export interface HttpRequestEvent extends EventBase {
  type: 'http-request';
  requestId: number;
  actor: 'store' | 'media' | 'unknown';
  /** Who asked: the plug-in (store API) or the Player (media downloads). */
  by: 'plugin' | 'player';
  method: string;
  url: string;
}

export interface HttpResponseEvent extends EventBase {
  type: 'http-response';
  requestId: number;
  actor: 'store' | 'media' | 'unknown';
  /** HTTP status, or 0 for a network error. */
  status: number;
  /** For media: bytes the client really read; for truncated bodies less than contentLength. */
  bytes?: number;
  contentLength?: number;
  /** For media: the track whose media the URL serves. */
  trackId?: number;
  error?: string;
}

export interface UncaughtEvent extends EventBase {
  type: 'uncaught';
  source: 'exception' | 'rejection';
  error: ThrownValue;
}

/** Something the harness did or decided: a transaction started, the callback was detached, a cap hit. */
export interface NoteEvent extends EventBase {
  type: 'note';
  text: string;
}

/** The sandbox had to stop the candidate: it blocked its thread, ran out of memory, or its process died. */
export interface SandboxEvent extends EventBase {
  type: 'sandbox';
  reason: 'blocked' | 'out-of-memory' | 'exited' | 'crashed';
  message: string;
}

/** An out-of-process plug-in wrote something that breaks the wire protocol (WR-01). */
export interface ProtocolEvent extends EventBase {
  type: 'protocol';
  kind: string;
  /** The offending line, cut to 500 characters. */
  line: string;
  message: string;
}

export type TraceEvent = CallEvent | ReturnEvent | HttpRequestEvent | HttpResponseEvent | UncaughtEvent | NoteEvent | SandboxEvent | ProtocolEvent;

export interface Trace {
  events: TraceEvent[];
  /** Why execution ended: everything settled, or the hard cap per scenario was hit. */
  ended: 'settled' | 'hard-cap';
  durationMs: number;
}
