/**
 * overheadRatio: the engine driving the reference plug-in through N scenarios — execute and judge,
 * ScenarioExecutor.execute in this thread (InProcessSandbox) — against bench/direct-driver.ts
 * driving the same plug-in through the same scenarios on the same store fake, with nothing else.
 * Rounds alternate between the two; the figure is the median round of each.
 *
 * The direct driver asks the msw handlers through msw's getResponse, as a minimal Player would; the
 * harness serves its own routes through harness/world/dispatch.ts. `sameDispatchRatio` is measured
 * against the direct driver on that same dispatch, to show the rest of the harness's overhead alone.
 *
 *   node --import tsx bench/overhead.ts [scenarios=100] [seed=7] → one JSON line
 */
import reference from '../fixtures/plugins/reference.ts';
import type { PluginCandidate } from '../harness/protocol/types.ts';
import { ScenarioExecutor } from '../harness/runner/scenario-executor.ts';
import { InProcessSandbox } from '../harness/sandbox/in-process-sandbox.ts';
import { driveDirect } from './direct-driver.ts';
import { comparableScenarios } from './scenarios.ts';

export interface OverheadFigures {
  scenarios: number;
  tracks: number;
  harnessSeconds: number;
  directSeconds: number;
  directSameDispatchSeconds: number;
  ratio: number;
  sameDispatchRatio: number;
  /** Rules that failed on these scenarios (the reference plug-in must pass them all). */
  violations: string[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function measureOverhead(count = 100, seed = 7, rounds = 5): Promise<OverheadFigures> {
  const candidate = reference as PluginCandidate;
  const scenarios = comparableScenarios(seed, count);
  const executor = new ScenarioExecutor(new InProcessSandbox(candidate), 5_000);
  const violations = new Set<string>();
  const harnessRound = async () => {
    const started = performance.now();
    for (const scenario of scenarios) {
      const executed = await executor.execute(scenario);
      for (const rule of executed.judgement.violations.keys()) violations.add(rule);
    }
    return (performance.now() - started) / 1000;
  };
  const directRound = async (dispatch: 'msw' | 'harness') => {
    const started = performance.now();
    for (const scenario of scenarios) await driveDirect(candidate, scenario, dispatch);
    return (performance.now() - started) / 1000;
  };
  // Warm-up: every code path of both, once.
  const sameDispatch = await directRound('harness').then(() => true, () => false);
  await directRound('msw');
  await harnessRound();
  const harness: number[] = [];
  const direct: number[] = [];
  const directSame: number[] = [];
  for (let round = 0; round < rounds; round++) {
    direct.push(await directRound('msw'));
    harness.push(await harnessRound());
    if (sameDispatch) directSame.push(await directRound('harness'));
  }
  const harnessSeconds = median(harness);
  const directSeconds = median(direct);
  const directSameDispatchSeconds = sameDispatch ? median(directSame) : Number.NaN;
  return {
    scenarios: scenarios.length,
    tracks: scenarios.reduce((sum, scenario) => sum + scenario.transactions.reduce((n, tx) => n + tx.containers.reduce((m, c) => m + c.items.length, 0), 0), 0),
    harnessSeconds, directSeconds, directSameDispatchSeconds,
    ratio: harnessSeconds / directSeconds,
    sameDispatchRatio: harnessSeconds / directSameDispatchSeconds,
    violations: [...violations],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await measureOverhead(Number(process.argv[2] ?? 100), Number(process.argv[3] ?? 7))));
  process.exit(0);
}
