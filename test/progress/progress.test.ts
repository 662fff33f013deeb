/** The progress reporter's output, to the character: a fake stream (terminal or not) and a fake clock. */
import { describe, expect, it } from 'vitest';
import { ProgressReporter, duration } from '../../harness/runner/progress.ts';
import type { CertifyProgressEvent } from '../../harness/runner/certify.ts';

class FakeStream {
  readonly chunks: string[] = [];
  constructor(readonly isTTY: boolean, readonly columns?: number) {}
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
  /** What a terminal shows: "\r" goes back to the line's start, ESC[2K clears it, "\n" starts a new one. */
  screen(): string[] {
    const lines: string[] = [''];
    for (const token of this.text.split(/(\r|\x1b\[2K|\n)/)) {
      if (token === '\n') lines.push('');
      else if (token === '\x1b[2K') lines[lines.length - 1] = '';
      else if (token !== '\r') lines[lines.length - 1] += token;
    }
    return lines;
  }
}

function fakeClock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

function fakeTicker() {
  const ticks: (() => void)[] = [];
  let stopped = 0;
  return {
    ticker: (tick: () => void) => { ticks.push(tick); return { stop: () => { stopped++; } }; },
    tick: () => ticks.forEach((tick) => tick()),
    get started() { return ticks.length; },
    get stopped() { return stopped; },
  };
}

const explore = (done: number, total: number): CertifyProgressEvent => ({ type: 'explore-progress', done, total });

/** A run of 8 scenarios, one second each, then one rule shrunk in 3 s. */
function playRun(reporter: ProgressReporter, clock: ReturnType<typeof fakeClock>): void {
  reporter.log('exploring 8 scenarios, judging 19 rules on each');
  reporter.onProgress(explore(0, 8));
  for (let done = 1; done <= 8; done++) {
    clock.advance(1000);
    reporter.onProgress(explore(done, 8));
    if (done === 3) reporter.log('DL-02 failed on scenario 2; it will be shrunk');
  }
  reporter.log('shrinking the counterexample of DL-02');
  reporter.onProgress({ type: 'shrink-start', rule: 'DL-02' });
  clock.advance(3000);
  reporter.onProgress({ type: 'shrink-end', rule: 'DL-02', shrinks: 12 });
  reporter.end();
}

describe('without a terminal (CI logs)', () => {
  it('prints plain lines: the engine lines, the 25/50/75/100 % marks, each shrink, the end', () => {
    const stream = new FakeStream(false);
    const clock = fakeClock();
    playRun(new ProgressReporter({ stream, rules: 19, now: clock.now }), clock);
    expect(stream.text).toBe([
      'exploring 8 scenarios, judging 19 rules on each',
      'progress: 2/8 scenarios (25%) × 19 rules, 2.0s elapsed, ~6.0s left',
      'DL-02 failed on scenario 2; it will be shrunk',
      'progress: 4/8 scenarios (50%) × 19 rules, 4.0s elapsed, ~4.0s left',
      'progress: 6/8 scenarios (75%) × 19 rules, 6.0s elapsed, ~2.0s left',
      'progress: 8/8 scenarios (100%) × 19 rules, 8.0s elapsed',
      'shrinking the counterexample of DL-02',
      'shrunk the counterexample of DL-02 (12 steps), 11.0s elapsed',
      'explored 8/8 scenarios × 19 rules, shrank 1 counterexample in 11.0s',
      '',
    ].join('\n'));
    expect(stream.text).not.toMatch(/[\r\x1b]/);
  });

  it('a mark passed with others at once is one line; an empty shard prints no marks', () => {
    const stream = new FakeStream(false);
    const clock = fakeClock();
    const reporter = new ProgressReporter({ stream, rules: 1, now: clock.now });
    reporter.onProgress(explore(0, 3));
    clock.advance(500);
    reporter.onProgress(explore(2, 3));
    reporter.onProgress(explore(3, 3));
    reporter.end();
    expect(stream.text).toBe([
      'progress: 2/3 scenarios (66%) × 1 rule, 0.5s elapsed, ~0.3s left',
      'progress: 3/3 scenarios (100%) × 1 rule, 0.5s elapsed',
      'explored 3/3 scenarios × 1 rule in 0.5s',
      '',
    ].join('\n'));

    const empty = new FakeStream(false);
    const idle = new ProgressReporter({ stream: empty, rules: 19, now: fakeClock().now });
    idle.onProgress(explore(0, 0));
    idle.end();
    expect(empty.text).toBe('explored 0/0 scenarios × 19 rules in 0.0s\n');
  });
});

describe('on a terminal', () => {
  it('keeps one live line, rewritten in place, with the engine lines above it; the end line replaces it', () => {
    const stream = new FakeStream(true);
    const clock = fakeClock();
    const ticker = fakeTicker();
    const reporter = new ProgressReporter({ stream, rules: 19, now: clock.now, ticker: ticker.ticker });
    reporter.log('exploring 8 scenarios, judging 19 rules on each');
    reporter.onProgress(explore(0, 8));
    expect(stream.screen()).toEqual(['exploring 8 scenarios, judging 19 rules on each', '0/8 scenarios × 19 rules · 0.0s elapsed · estimating time left…']);
    clock.advance(2000);
    reporter.onProgress(explore(2, 8));
    expect(stream.chunks.at(-1)).toBe('\r\x1b[2K2/8 scenarios × 19 rules · 2.0s elapsed · ~6.0s left');
    reporter.log('DL-02 failed on scenario 1; it will be shrunk');
    expect(stream.screen()).toEqual([
      'exploring 8 scenarios, judging 19 rules on each',
      'DL-02 failed on scenario 1; it will be shrunk',
      '2/8 scenarios × 19 rules · 2.0s elapsed · ~6.0s left',
    ]);
    clock.advance(6000);
    reporter.onProgress(explore(8, 8));
    reporter.onProgress({ type: 'shrink-start', rule: 'DL-02' });
    expect(stream.screen().at(-1)).toBe('8/8 scenarios × 19 rules · 8.0s elapsed · shrinking DL-02…');
    // A long shrink sends no events: the ticker keeps the elapsed time moving.
    clock.advance(5000);
    ticker.tick();
    expect(stream.screen().at(-1)).toBe('8/8 scenarios × 19 rules · 13.0s elapsed · shrinking DL-02…');
    reporter.onProgress({ type: 'shrink-end', rule: 'DL-02', shrinks: 4 });
    expect(stream.screen().at(-1)).toBe('8/8 scenarios × 19 rules · 13.0s elapsed · shrank 1 counterexample');
    reporter.end();
    expect(stream.screen()).toEqual([
      'exploring 8 scenarios, judging 19 rules on each',
      'DL-02 failed on scenario 1; it will be shrunk',
      'explored 8/8 scenarios × 19 rules, shrank 1 counterexample in 13.0s',
      '',
    ]);
    expect(ticker.started).toBe(1);
    expect(ticker.stopped).toBe(1);
    // After the end, lines print plainly and events draw nothing.
    reporter.onProgress(explore(8, 8));
    ticker.tick();
    reporter.log('rule suites (vitest): 18 passed, 0 failed, 1 skipped');
    expect(stream.screen().slice(-2)).toEqual(['rule suites (vitest): 18 passed, 0 failed, 1 skipped', '']);
  });

  it('redraws at most every redrawMs while exploring, but always shows the first and the last scenario', () => {
    const stream = new FakeStream(true);
    const clock = fakeClock();
    const reporter = new ProgressReporter({ stream, rules: 19, now: clock.now, redrawMs: 100, ticker: fakeTicker().ticker });
    reporter.onProgress(explore(0, 100));
    for (let done = 1; done <= 100; done++) {
      clock.advance(10);
      reporter.onProgress(explore(done, 100));
    }
    const draws = stream.chunks.filter((chunk) => chunk.startsWith('\r\x1b[2K'));
    // 0, then every 10th scenario (100 ms apart), the last one among them.
    expect(draws).toHaveLength(11);
    expect(draws.at(-1)).toBe('\r\x1b[2K100/100 scenarios × 19 rules · 1.0s elapsed');
  });

  it('cuts the live line to the terminal width, so that it never wraps', () => {
    const stream = new FakeStream(true, 30);
    const reporter = new ProgressReporter({ stream, rules: 19, now: fakeClock().now, ticker: fakeTicker().ticker });
    reporter.onProgress(explore(0, 100));
    expect(stream.screen().at(-1)).toBe('0/100 scenarios × 19 rules ·…');
    expect(stream.screen().at(-1)).toHaveLength(29);
  });
});

it('formats durations', () => {
  expect([0, 420, 12_340, 59_949, 125_000, 3_720_000].map(duration)).toEqual(['0.0s', '0.4s', '12.3s', '59.9s', '2m05s', '1h02m']);
});
