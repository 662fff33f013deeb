/** Appends events to one scenario's trace, numbering calls and requests. */
import type { Actor, HttpRequestEvent, HttpResponseEvent, ThrownValue, TraceEvent } from './events.ts';
import { isTraceSafe, toTraceValue } from './trace-value.ts';

type Without<T, K extends keyof T> = Omit<T, K>;

export class TraceRecorder {
  readonly events: TraceEvent[] = [];
  private readonly startedAt = performance.now();
  private nextCallId = 1;
  private nextRequestId = 1;
  /** Called after every event: the host uses it to know the scenario is not quiet yet. */
  onEvent: () => void = () => {};

  private push(event: TraceEvent): void {
    this.events.push(event);
    this.onEvent();
  }

  /**
   * Whole ms since the scenario started: a whole number is kept in the event itself, where a
   * fraction boxes a heap number per event (16 MB of a 100,000-track trace); the order of events is
   * their seq. Events are object literals with their keys written out (no spread
   * of a stamp or of a shared base): a trace holds hundreds of thousands of them, and a spread built
   * every return event with a hidden class of its own (a map and a descriptor array each: ~40 % of a
   * big trace's memory, and megamorphic reads in every rule).
   */
  private at(): number {
    return Math.round(performance.now() - this.startedAt);
  }

  /**
   * Records a call, keeping `args`: callers hand over an array of their own that nothing changes
   * after. Arguments from the candidate are made JSON-safe (a copy, when one is not already); the
   * harness's own (`trusted`) are kept as they are.
   */
  call(from: Actor, to: Actor, method: string, args: unknown[], trusted = from !== 'plugin'): { callId: number; seq: number } {
    const callId = this.nextCallId++;
    const seq = this.events.length;
    this.push({ type: 'call', seq, at: this.at(), callId, from, to, method, args: trusted || args.every(isTraceSafe) ? args : args.map(toTraceValue) });
    return { callId, seq };
  }

  /** Records a return. A value the candidate returned is made JSON-safe; the harness's own (`trusted`) is kept. */
  returned(callId: number, from: Actor, to: Actor, method: string, outcome: { value: unknown } | { threw: ThrownValue } | { timedOut: true }, trusted = to !== 'plugin'): number {
    const seq = this.events.length;
    const at = this.at();
    if ('value' in outcome) this.push({ type: 'return', seq, at, callId, from, to, method, value: trusted ? outcome.value : toTraceValue(outcome.value) });
    else if ('threw' in outcome) this.push({ type: 'return', seq, at, callId, from, to, method, threw: outcome.threw });
    else this.push({ type: 'return', seq, at, callId, from, to, method, timedOut: true });
    return seq;
  }

  request(details: Without<HttpRequestEvent, 'type' | 'seq' | 'at' | 'requestId'>): number {
    const requestId = this.nextRequestId++;
    // Its four fields written out (not spread): one of the most numerous events of a trace.
    this.push({ type: 'http-request', seq: this.events.length, at: this.at(), requestId, actor: details.actor, by: details.by, method: details.method, url: details.url });
    return requestId;
  }

  response(details: Without<HttpResponseEvent, 'type' | 'seq' | 'at'>): void {
    this.push(new ResponseRecord(this.events.length, this.at(), details));
  }

  uncaught(source: 'exception' | 'rejection', error: ThrownValue): void {
    this.push({ type: 'uncaught', seq: this.events.length, at: this.at(), source, error });
  }

  sandbox(reason: 'blocked' | 'out-of-memory' | 'exited' | 'crashed', message: string): void {
    this.push({ type: 'sandbox', seq: this.events.length, at: this.at(), reason, message });
  }

  protocol(kind: string, line: string, message: string): void {
    this.push({ type: 'protocol', seq: this.events.length, at: this.at(), kind, line, message });
  }

  note(text: string): number {
    const seq = this.events.length;
    this.push({ type: 'note', seq, at: this.at(), text });
    return seq;
  }
}

/**
 * An http-response event. A class, not a literal spread with the details: its optional fields vary
 * (bytes, contentLength, trackId, error), and a constructor's objects keep them in the object itself,
 * where a spread literal puts them in a separate property array — a trace holds one of these per
 * request, 225,000 in a 100,000-track transaction. It serializes and clones as the plain object.
 */
class ResponseRecord implements HttpResponseEvent {
  // Declared, not initialised: each field exists only once the constructor sets it (a trace has no undefined keys).
  declare type: 'http-response';
  declare seq: number;
  declare at: number;
  declare requestId: number;
  declare actor: HttpResponseEvent['actor'];
  declare status: number;
  declare trackId?: number;
  declare bytes?: number;
  declare contentLength?: number;
  declare error?: string;

  constructor(seq: number, at: number, details: Without<HttpResponseEvent, 'type' | 'seq' | 'at'>) {
    this.type = 'http-response';
    this.seq = seq;
    this.at = at;
    this.requestId = details.requestId;
    this.actor = details.actor;
    this.status = details.status;
    if (details.trackId !== undefined) this.trackId = details.trackId;
    if (details.bytes !== undefined) this.bytes = details.bytes;
    if (details.contentLength !== undefined) this.contentLength = details.contentLength;
    if (details.error !== undefined) this.error = details.error;
  }
}
