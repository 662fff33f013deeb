/**
 * One big transaction through the engine: the reference plug-in driven by the harness (in this
 * thread, as the InProcessSandbox runs it), then judged by every rule — ScenarioExecutor.execute.
 * Run as a child of bench/run.ts so that its peak memory is its own:
 *
 *   node --import tsx bench/big-transaction.ts 1000 10000   → one JSON line per size
 */
import reference from '../fixtures/plugins/reference.ts';
import type { PluginCandidate } from '../harness/protocol/types.ts';
import { ScenarioExecutor } from '../harness/runner/scenario-executor.ts';
import { InProcessSandbox } from '../harness/sandbox/in-process-sandbox.ts';
import { bigTransaction } from './scenarios.ts';

/** The hard cap of these runs: far above what they take, so it never cuts one short. */
const HARD_CAP_MS = 900_000;

export interface BigRun { tracks: number; seconds: number; cpuSeconds: number; runSeconds: number; judgeSeconds: number; events: number; ended: string; violations: string[]; maxRssMB: number }

export async function runBig(tracks: number): Promise<BigRun> {
  const scenario = bigTransaction(tracks);
  const sandbox = new InProcessSandbox(reference as PluginCandidate);
  const executor = new ScenarioExecutor(sandbox, HARD_CAP_MS);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const executed = await executor.execute(scenario);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    tracks,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    runSeconds: executed.trace.durationMs / 1000,
    judgeSeconds: seconds - executed.trace.durationMs / 1000,
    events: executed.trace.events.length,
    ended: executed.trace.ended,
    violations: [...executed.judgement.violations.keys()],
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const size of process.argv.slice(2).map(Number)) console.log(JSON.stringify(await runBig(size)));
  process.exit(0);
}
