import reference from '../../fixtures/plugins/reference.ts';
import { ScenarioExecutor } from '../../harness/runner/scenario-executor.ts';
import { InProcessSandbox } from '../../harness/sandbox/in-process-sandbox.ts';
import { driveDirect } from '../direct-driver.ts';
import { comparableScenarios } from '../scenarios.ts';
const scenarios = comparableScenarios(7, Number(process.argv[2] ?? 100));
const executor = new ScenarioExecutor(new InProcessSandbox(reference as any), 5000);
let violations = 0;
for (let round = 0; round < 3; round++) {
  let t = performance.now();
  for (const s of scenarios) await driveDirect(reference as any, s);
  const direct = performance.now() - t;
  t = performance.now();
  let slow: [number, number][] = [];
  for (const [i, s] of scenarios.entries()) { const t1 = performance.now(); const e = await executor.execute(s); slow.push([performance.now() - t1, i]); violations += e.judgement.violations.size; }
  const harness = performance.now() - t;
  slow.sort((a, b) => b[0] - a[0]);
  console.log('direct', Math.round(direct), 'harness', Math.round(harness), 'ratio', (harness / direct).toFixed(2), 'violations', violations, 'slowest', slow.slice(0, 5).map(([ms, i]) => `${i}:${Math.round(ms)}`).join(' '));
}
process.exit(0);
