/**
 * The three timeouts of a scenario, each with one job (the Reactive Streams TCK's lesson), all
 * scaled by one multiplier for slow machines.
 */
export interface ScenarioTiming {
  /** Hard cap per scenario: whatever is still owed then is judged as missing. */
  hardCapMs: number;
  /** How long one call into the candidate may take to return (DL-01: `download` must return at once). */
  callTimeoutMs: number;
  /** A quiet window with nothing pending and no candidate timers: the scenario is over. */
  quietMs: number;
  /** With candidate timers still alive but nothing owed, how long a quiet stretch ends the scenario anyway. */
  lateWindowMs: number;
  /** The same before the scenario's next phase (a transaction started at idle, a detach); default lateWindowMs. */
  phaseWindowMs?: number;
  /** With calls still owed and candidate timers alive, how long a quiet stretch means they will never come. */
  expectCallMs: number;
  /** With calls still owed and no candidate timer, how long a quiet stretch means they will never come. */
  owedQuietMs: number;
  /**
   * A shrinking search's run (searchTiming): it only ranks candidates, and looks at nothing but the
   * window; a worker thread silent for SEARCH_BLOCKED_AFTER_MS is blocked.
   */
  search?: true;
}

export function scenarioTiming(hardCapMs: number, scale = 1): ScenarioTiming {
  return {
    hardCapMs,
    callTimeoutMs: Math.min(Math.round(250 * scale), Math.floor(hardCapMs / 4)),
    quietMs: Math.max(1, Math.round(1 * scale)),
    lateWindowMs: Math.round(150 * scale),
    expectCallMs: Math.min(Math.round(1500 * scale), hardCapMs),
    owedQuietMs: Math.min(Math.round(50 * scale), hardCapMs),
  };
}

/**
 * The owed window of a shrinking search. A search only chooses which smaller scenario to try next;
 * the counterexample it ends with is run again with the full window before it is reported
 * (runner/scenario-executor.ts), and a search that does not hold then is made again with the full
 * window. A plug-in that makes its calls at once is judged alike by both windows, and so shrinks
 * the same way, at a tenth of the wait per step. A search does not keep the window open for other
 * threads at work either (host/thread-state.ts): beside a second lane they often are.
 */
export const SEARCH_OWED_QUIET_MS = 5;
/** The same for a worker thread's silence: a search takes a thread silent this long for blocked (worker-sandbox.ts). */
export const SEARCH_BLOCKED_AFTER_MS = 400;
/**
 * ...or silent while it ran this long itself (its run time in /proc, which a thread starved by a
 * busy machine does not gain): a synchronous loop is stopped sooner, and burns less of the machine.
 */
export const SEARCH_BLOCKED_RUNNING_MS = 150;

export function searchTiming(timing: ScenarioTiming): ScenarioTiming {
  return { ...timing, owedQuietMs: Math.min(timing.owedQuietMs, SEARCH_OWED_QUIET_MS), search: true };
}
