/**
 * The deadlines of a peer's pending requests, kept under one timer. A timer per request is set and
 * cleared on every round trip (about a microsecond each, a tenth of the harness's whole share of
 * one); here a request only records its deadline, and the one timer wakes at the earliest deadline
 * it knows of, expires what is due and sleeps until the next. An answered request is just forgotten.
 */
export class RequestDeadlines {
  /** Pending request id → when it expires (performance.now() milliseconds). */
  private readonly due = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  /** When the timer fires; Infinity when none is set. */
  private timerAt = Infinity;

  /** `expire` is called once for each request whose deadline passed while it was still recorded. */
  constructor(private readonly expire: (id: number) => void) {}

  add(id: number, timeoutMs: number): void {
    const at = performance.now() + timeoutMs;
    this.due.set(id, at);
    if (at < this.timerAt) this.arm(at);
    // A pending request keeps the process alive, as its own timer would have.
    else if (this.due.size === 1) this.timer?.ref();
  }

  /** The request was answered or failed: its deadline no longer matters. */
  delete(id: number): void {
    if (this.due.delete(id) && this.due.size === 0) this.timer?.unref();
  }

  /** No more deadlines: the peer is closed. */
  clear(): void {
    this.due.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private arm(at: number): void {
    clearTimeout(this.timer);
    this.timerAt = at;
    // Node may fire a timer a little early by the clock we compare with: onTimer rechecks.
    this.timer = setTimeout(() => this.onTimer(), Math.max(1, Math.ceil(at - performance.now())));
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const [id, at] of this.due) {
      if (at <= now) {
        this.due.delete(id);
        this.expire(id);
      } else if (at < next) {
        next = at;
      }
    }
    if (next < Infinity) this.arm(next);
  }
}
