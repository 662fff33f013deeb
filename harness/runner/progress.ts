/**
 * Shows a certification's progress while it runs (the CLI's reporter of the engine's `onProgress`
 * events and `log` lines).
 *
 * - On a terminal (`stream.isTTY`): one live line, rewritten in place ("\r" + clear line), with the
 *   scenarios done out of the total × the rules judged on each, the time elapsed, an estimate of the
 *   time left and what is being shrunk. The engine's log lines are printed above it.
 * - Elsewhere (CI logs, a pipe): plain lines only, a few of them: the engine's own lines (its start
 *   line, each first failure, each shrink it starts), the 25/50/75/100 % marks, each shrink's end and
 *   a last line. Never a carriage return or an escape sequence.
 *
 * The clock is injectable, so the output is testable to the character.
 */
import type { CertifyProgressEvent } from './certify.ts';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The terminal's width: the live line is cut to fit, so that it never wraps (a wrapped line cannot be rewritten). */
  columns?: number;
}

export interface ProgressReporterOptions {
  stream: ProgressStream;
  /** How many rules are judged on each scenario. */
  rules: number;
  /** Milliseconds, monotonic. Default performance.now. */
  now?: () => number;
  /** The live line is redrawn at most this often while exploring (default 100 ms). */
  redrawMs?: number;
  /**
   * Calls `tick` every second or so until stopped, so the elapsed time moves while a long shrink
   * sends no events. Default: an unref'd setInterval (it never keeps the process alive).
   */
  ticker?: (tick: () => void) => { stop(): void };
}

function intervalTicker(tick: () => void): { stop(): void } {
  const timer = setInterval(tick, 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Move to the start of the line and clear it. */
const CLEAR_LINE = '\r\x1b[2K';
const MARKS = [25, 50, 75, 100] as const;

export class ProgressReporter {
  private readonly stream: ProgressStream;
  private readonly live: boolean;
  private readonly rules: number;
  private readonly now: () => number;
  private readonly redrawMs: number;
  private readonly started: number;
  private done = 0;
  private total = 0;
  private shrinking: string | null = null;
  private shrunk = 0;
  private marksShown = 0;
  /** The live line on screen, if any. */
  private shown: string | null = null;
  private lastDraw = Number.NEGATIVE_INFINITY;
  private ended = false;
  private readonly ticker: (tick: () => void) => { stop(): void };
  private ticking: { stop(): void } | null = null;

  constructor(options: ProgressReporterOptions) {
    this.stream = options.stream;
    this.live = options.stream.isTTY === true;
    this.rules = options.rules;
    this.now = options.now ?? (() => performance.now());
    this.redrawMs = options.redrawMs ?? 100;
    this.ticker = options.ticker ?? intervalTicker;
    this.started = this.now();
  }

  /** A plain line from the engine: above the live line on a terminal, as it is elsewhere. */
  log(line: string): void {
    if (this.ended) return void this.stream.write(`${line}\n`);
    if (!this.live) return void this.stream.write(`${line}\n`);
    const live = this.shown;
    this.stream.write(`${live === null ? '' : CLEAR_LINE}${line}\n`);
    this.shown = null;
    if (live !== null) this.draw();
  }

  onProgress(event: CertifyProgressEvent): void {
    if (this.ended) return;
    switch (event.type) {
      case 'explore-progress':
        this.done = event.done;
        this.total = event.total;
        if (this.live) {
          if (event.done === 0 || event.done === event.total || this.now() - this.lastDraw >= this.redrawMs) this.draw();
        } else {
          this.printMarks();
        }
        return;
      case 'shrink-start':
        this.shrinking = event.rule;
        if (this.live) this.draw();
        return;
      case 'shrink-end':
        // Rules shrink side by side: the line names the last one started while it is still going.
        if (this.shrinking === event.rule) this.shrinking = null;
        this.shrunk++;
        if (this.live) this.draw();
        else this.stream.write(`shrunk the counterexample of ${event.rule} (${plural(event.shrinks, 'step')}), ${duration(this.elapsed())} elapsed\n`);
        return;
    }
  }

  /** The last line: what was explored and shrunk, in how long. The live line becomes it. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.ticking?.stop();
    this.ticking = null;
    const shrunk = this.shrunk === 0 ? '' : `, shrank ${plural(this.shrunk, 'counterexample')}`;
    const line = `explored ${this.done}/${plural(this.total, 'scenario')} × ${plural(this.rules, 'rule')}${shrunk} in ${duration(this.elapsed())}`;
    this.stream.write(`${this.live && this.shown !== null ? CLEAR_LINE : ''}${line}\n`);
    this.shown = null;
  }

  private elapsed(): number {
    return this.now() - this.started;
  }

  /** The live line: scenarios × rules, elapsed, then the time left or what is being shrunk. */
  private liveLine(): string {
    const elapsed = this.elapsed();
    const parts = [`${this.done}/${plural(this.total, 'scenario')} × ${plural(this.rules, 'rule')}`, `${duration(elapsed)} elapsed`];
    if (this.shrinking !== null) parts.push(`shrinking ${this.shrinking}…`);
    else if (this.done < this.total) parts.push(this.done === 0 ? 'estimating time left…' : `~${duration(elapsed / this.done * (this.total - this.done))} left`);
    else if (this.shrunk > 0) parts.push(`shrank ${plural(this.shrunk, 'counterexample')}`);
    const line = parts.join(' · ');
    const width = this.stream.columns;
    // One column short of the width: a line that fills it exactly wraps on some terminals.
    return width !== undefined && width > 1 && line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line;
  }

  private draw(): void {
    this.ticking ??= this.ticker(() => {
      if (!this.ended) this.draw();
    });
    const line = this.liveLine();
    this.lastDraw = this.now();
    if (line === this.shown) return;
    this.stream.write(`${CLEAR_LINE}${line}`);
    this.shown = line;
  }

  /** Plain output: one line per 25 % mark passed (several marks passed at once give one line). */
  private printMarks(): void {
    if (this.total === 0) return;
    let reached = this.marksShown;
    while (reached < MARKS.length && this.done * 100 >= MARKS[reached]! * this.total) reached++;
    if (reached === this.marksShown) return;
    this.marksShown = reached;
    const elapsed = this.elapsed();
    const left = this.done < this.total ? `, ~${duration(elapsed / this.done * (this.total - this.done))} left` : '';
    const percent = Math.floor(this.done * 100 / this.total);
    this.stream.write(`progress: ${this.done}/${plural(this.total, 'scenario')} (${percent}%) × ${plural(this.rules, 'rule')}, ${duration(elapsed)} elapsed${left}\n`);
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** 0.4s, 12.3s, 2m05s, 1h02m. */
export function duration(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor(whole / 60) % 60).padStart(2, '0')}m`;
}
