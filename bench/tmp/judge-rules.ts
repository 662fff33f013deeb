const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
import reference from '../../fixtures/plugins/reference.ts';
import { runScenario } from '../../harness/host/simulated-player.ts';
import { scenarioTiming } from '../../harness/host/timing.ts';
import { analyseDownloads } from '../../harness/rules/download-analysis.ts';
import { PLUGIN_CHECKS, judgePluginScenario } from '../../harness/rules/plugin-judge.ts';
import { bigTransaction } from '../scenarios.ts';
const n = Number(process.argv[2] ?? 3000);
const scenario = bigTransaction(n);
const trace = await runScenario(reference as any, scenario, scenarioTiming(600_000));
console.log('events', trace.events.length);
for (let round = 0; round < 3; round++) {
  let t = cpuNow();
  judgePluginScenario(scenario, trace);
  console.log('judge', (cpuNow() - t).toFixed(1));
  t = cpuNow();
  const analysis = analyseDownloads(scenario, trace.events);
  const rows: string[] = [`analyse ${(cpuNow() - t).toFixed(1)}`];
  for (const rule of PLUGIN_CHECKS) {
    t = cpuNow(); const a = rule.applies(analysis); const ta = cpuNow() - t;
    t = cpuNow(); if (a) rule.check(analysis); const tc = cpuNow() - t;
    if (ta + tc > 1) rows.push(`${rule.id} ${ta.toFixed(1)}+${tc.toFixed(1)}`);
  }
  console.log(rows.join(' | '));
}
process.exit(0);
