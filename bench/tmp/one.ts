import reference from '../../fixtures/plugins/reference.ts';
import { runScenario } from '../../harness/host/simulated-player.ts';
import { scenarioTiming } from '../../harness/host/timing.ts';
import { driveDirect } from '../direct-driver.ts';
import { comparableScenarios } from '../scenarios.ts';
const scenarios = comparableScenarios(7, 100);
for (const s of scenarios) await runScenario(reference as any, s, scenarioTiming(5000));
const rows: string[] = [];
for (const [i, s] of scenarios.entries()) {
  let t = performance.now();
  const trace = await runScenario(reference as any, s, scenarioTiming(5000));
  const h = performance.now() - t;
  t = performance.now();
  await driveDirect(reference as any, s);
  const d = performance.now() - t;
  const last = trace.events.at(-1)!.at;
  const lastWork = [...trace.events].reverse().find((e) => e.type !== 'note' && !(e.type === 'call' && e.method === 'setCallback') && !(e.type === 'return' && e.method === 'setCallback'))?.at ?? 0;
  rows.push(`${i} harness ${h.toFixed(1)} direct ${d.toFixed(1)} events ${trace.events.length} lastWork@${lastWork.toFixed(1)} last@${last.toFixed(1)} starts ${s.transactions.map((t) => t.start.kind).join(',')} salt ${s.orderSalt ? 1 : 0} backends ${s.tracks.map((t) => t.backend.kind[0]).join('')}`);
}
console.log(rows.join('\n'));
process.exit(0);
