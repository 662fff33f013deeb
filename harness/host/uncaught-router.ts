/**
 * Uncaught exceptions and unhandled rejections raised while a scenario runs belong to that scenario
 * (DL-15): one pair of process listeners routes them to the scenario in progress, so the candidate's
 * errors never crash the harness.
 */
type Sink = (source: 'exception' | 'rejection', error: unknown) => void;

class UncaughtRouter {
  private sinks: Sink[] = [];
  private installed = false;
  private readonly onException = (error: unknown) => this.deliver('exception', error);
  private readonly onRejection = (reason: unknown) => this.deliver('rejection', reason);

  /** Routes to `sink` until the returned function is called. */
  route(sink: Sink): () => void {
    this.install();
    this.sinks.push(sink);
    return () => {
      this.sinks = this.sinks.filter((other) => other !== sink);
    };
  }

  private install(): void {
    if (this.installed) return;
    this.installed = true;
    process.on('uncaughtException', this.onException);
    process.on('unhandledRejection', this.onRejection);
  }

  private deliver(source: 'exception' | 'rejection', error: unknown): void {
    const sink = this.sinks.at(-1);
    if (sink) sink(source, error);
    else this.orphans.push({ source, error });
  }

  /** Errors that arrived when no scenario was running (a candidate's timer firing late). */
  readonly orphans: { source: 'exception' | 'rejection'; error: unknown }[] = [];
}

export const uncaughtRouter = new UncaughtRouter();
