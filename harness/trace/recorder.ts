/** Appends events to one scenario's trace, numbering calls and requests. */
import type { Actor, HttpRequestEvent, HttpResponseEvent, ThrownValue, TraceEvent } from './events.ts';
import { toTraceValue } from './trace-value.ts';

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

  private stamp(): { seq: number; at: number } {
    return { seq: this.events.length, at: Math.round((performance.now() - this.startedAt) * 1000) / 1000 };
  }

  /** Records a call. Arguments from the candidate are made JSON-safe; the harness's own (`trusted`) are kept as they are. */
  call(from: Actor, to: Actor, method: string, args: unknown[], trusted = from !== 'plugin'): { callId: number; seq: number } {
    const callId = this.nextCallId++;
    const stamp = this.stamp();
    this.push({ type: 'call', ...stamp, callId, from, to, method, args: trusted ? args : args.map(toTraceValue) });
    return { callId, seq: stamp.seq };
  }

  /** Records a return. A value the candidate returned is made JSON-safe; the harness's own (`trusted`) is kept. */
  returned(callId: number, from: Actor, to: Actor, method: string, outcome: { value: unknown } | { threw: ThrownValue } | { timedOut: true }, trusted = to !== 'plugin'): number {
    const stamp = this.stamp();
    const base = { type: 'return' as const, ...stamp, callId, from, to, method };
    if ('value' in outcome) this.push({ ...base, value: trusted ? outcome.value : toTraceValue(outcome.value) });
    else if ('threw' in outcome) this.push({ ...base, threw: outcome.threw });
    else this.push({ ...base, timedOut: true });
    return stamp.seq;
  }

  request(details: Without<HttpRequestEvent, 'type' | 'seq' | 'at' | 'requestId'>): number {
    const requestId = this.nextRequestId++;
    this.push({ type: 'http-request', ...this.stamp(), requestId, ...details });
    return requestId;
  }

  response(details: Without<HttpResponseEvent, 'type' | 'seq' | 'at'>): void {
    this.push({ type: 'http-response', ...this.stamp(), ...details });
  }

  uncaught(source: 'exception' | 'rejection', error: ThrownValue): void {
    this.push({ type: 'uncaught', ...this.stamp(), source, error });
  }

  sandbox(reason: 'blocked' | 'out-of-memory' | 'exited' | 'crashed', message: string): void {
    this.push({ type: 'sandbox', ...this.stamp(), reason, message });
  }

  protocol(kind: string, line: string, message: string): void {
    this.push({ type: 'protocol', ...this.stamp(), kind, line, message });
  }

  note(text: string): number {
    const stamp = this.stamp();
    this.push({ type: 'note', ...stamp, text });
    return stamp.seq;
  }
}
