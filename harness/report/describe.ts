/**
 * Plain-text descriptions of report parts (trace events, violations, counts, durations) shared by
 * the JUnit, HTML and Markdown writers, so all three say the same thing the same way.
 *
 * Everything returned here is raw text that may hold candidate-controlled characters: each writer
 * escapes it for its own format (escape.ts) at output time.
 */
import type { CertificationReport, RuleFailure, Violation } from './model.ts';
import type { TraceEvent } from '../trace/events.ts';
import { hresultHex, hresultName, isHResult } from '../protocol/hresult.ts';

/** Methods named `get…` are the list getters: they return a value, every other method an HRESULT. */
export function returnsHResult(method: string): boolean {
  return !/^get[A-Z]/.test(method);
}

/** `S_OK (0x00000000)` for known codes, the hex form alone otherwise. */
export function formatHResult(hr: number): string {
  const name = hresultName(hr);
  const hex = hresultHex(hr);
  return name === hex ? hex : `${name} (${hex})`;
}

/** One value as a single line of JSON-like text (`undefined` spelled out, never throws). */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The scenario of a counterexample, as pretty JSON. */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? 'undefined';
  } catch {
    return String(value);
  }
}

/** `12 ms`, `3.4 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

export interface RuleCounts { total: number; passed: number; failed: number; skipped: number }

export function ruleCounts(report: CertificationReport): RuleCounts {
  const count = (status: string) => report.rules.filter((rule) => rule.status === status).length;
  return { total: report.rules.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped') };
}

/** `17 rules: 16 passed, 1 failed, 0 skipped`. */
export function summaryLine(report: CertificationReport): string {
  const c = ruleCounts(report);
  return `${c.total} ${c.total === 1 ? 'rule' : 'rules'}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;
}

/** `name 1.2.3` (or `name (no version)`). */
export function describeCandidate(report: CertificationReport): string {
  const { name, version } = report.candidate;
  return version === null ? `${name} (no version)` : `${name} ${version}`;
}

/** `message [cookie 0x0000002A, track 7] (events #3, #9)`. */
export function describeViolation(violation: Violation): string {
  const where: string[] = [];
  if (violation.cookie !== undefined) where.push(`cookie ${hresultHex(violation.cookie)}`);
  if (violation.trackId !== undefined) where.push(`track ${violation.trackId}`);
  const located = where.length > 0 ? ` [${where.join(', ')}]` : '';
  const evidence = violation.events.length > 0 ? ` (events ${violation.events.map((seq) => `#${seq}`).join(', ')})` : '';
  return violation.message + located + evidence;
}

/** `seed 42, path "3:1", 5 shrinks, found at run 3, 2 tracks, 1 transaction`. */
export function describeCounterexample(failure: RuleFailure): string {
  const c = failure.counterexample;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `seed ${c.seed}, path ${JSON.stringify(c.path)}, ${plural(c.shrinks, 'shrink')}, found at run ${c.foundAtRun}, `
    + `${plural(c.tracks, 'track')}, ${plural(c.transactions, 'transaction')}`;
}

/** Who sent each HTTP request, so a response can be drawn back to its requester. */
export function requestersOf(trace: readonly TraceEvent[]): Map<number, 'plugin' | 'player'> {
  const requesters = new Map<number, 'plugin' | 'player'>();
  for (const event of trace) if (event.type === 'http-request') requesters.set(event.requestId, event.by);
  return requesters;
}

/** What a return carried: `= S_OK (0x00000000)`, `= 3`, `threw HResultError: …`, `timed out`. */
function describeOutcome(event: Extract<TraceEvent, { type: 'return' }>): string {
  if (event.timedOut) return 'timed out';
  if (event.threw) {
    const hr = event.threw.hr === undefined ? '' : ` ${formatHResult(event.threw.hr)}`;
    return `threw ${event.threw.name}${hr}: ${event.threw.message}`;
  }
  if (returnsHResult(event.method) && isHResult(event.value)) return `= ${formatHResult(event.value)}`;
  return `= ${formatValue(event.value)}`;
}

/**
 * One event as one line without its seq/time prefix, e.g.
 * `player → plugin download({"containers":2}, 42)` or `store → plugin HTTP 503 (request 4)`.
 */
export function describeEvent(event: TraceEvent, requesters: ReadonlyMap<number, 'plugin' | 'player'>): string {
  switch (event.type) {
    case 'call':
      return `${event.from} → ${event.to} ${event.method}(${event.args.map(formatValue).join(', ')})`;
    case 'return':
      return `${event.from} → ${event.to} ${event.method} ${describeOutcome(event)}`;
    case 'http-request':
      return `${event.by} → ${event.actor} HTTP ${event.method} ${event.url} (request ${event.requestId})`;
    case 'http-response': {
      const to = requesters.get(event.requestId) ?? 'requester';
      const status = event.status === 0 ? 'network error' : `HTTP ${event.status}`;
      const bytes = event.bytes === undefined ? ''
        : ` ${event.bytes}${event.contentLength === undefined ? '' : `/${event.contentLength}`} bytes`;
      const error = event.error === undefined ? '' : ` error: ${event.error}`;
      return `${event.actor} → ${to} ${status}${bytes}${error} (request ${event.requestId})`;
    }
    case 'uncaught':
      return `uncaught ${event.source}: ${event.error.name}: ${event.error.message}`;
    case 'note':
      return `note: ${event.text}`;
    case 'sandbox':
      return `harness stopped the candidate (${event.reason}): ${event.message}`;
    case 'protocol':
      return `wire protocol broken (${event.kind}): ${event.message}; line: ${event.line}`;
  }
}

/** `#12 +35 ms player → plugin download(…)`: one line of a trace listing. */
export function traceLine(event: TraceEvent, requesters: ReadonlyMap<number, 'plugin' | 'player'>): string {
  return `#${event.seq} +${Math.round(event.at)} ms ${describeEvent(event, requesters)}`;
}
