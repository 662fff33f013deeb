/**
 * Inside a candidate's worker thread: loads the candidate once, runs the scenarios it is sent and
 * ships the trace back in batches (before each call into the candidate, and on every settle tick),
 * so that if the candidate blocks the thread for good, the harness still has the trace up to it.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { ScenarioRun } from '../host/simulated-player.ts';
import type { PluginCandidate } from '../protocol/types.ts';
import type { TraceEvent } from '../trace/events.ts';
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol.ts';
// Imported before any candidate loads: from here on this thread reaches nothing beyond loopback.
import { useScenarioFetch } from './offline-network.ts';

const port = parentPort!;
const HEARTBEAT_MS = 100;
const send = (message: FromWorker) => port.postMessage(message);

async function runOne(candidate: PluginCandidate, message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  let shipped = 0;
  let lastSent = 0;
  const ship = (events: readonly TraceEvent[]) => {
    const now = performance.now();
    // With nothing new, a heartbeat now and then: a quiet wait (calls still owed) is not a blocked thread.
    if (events.length === shipped && now - lastSent < HEARTBEAT_MS) return;
    send({ type: 'events', id: message.id, events: events.slice(shipped), heapUsedMb: Math.round(getHeapStatistics().used_heap_size / 2 ** 20) });
    shipped = events.length;
    lastSent = now;
  };
  const run = new ScenarioRun(candidate, message.scenario, message.timing, { checkpoint: ship });
  useScenarioFetch(run.pluginFetch);
  const trace = await run.run().finally(() => useScenarioFetch(undefined));
  ship(trace.events);
  send({ type: 'done', id: message.id, ended: trace.ended, durationMs: trace.durationMs });
}

async function main(): Promise<void> {
  const { modulePath } = workerData as WorkerData;
  let candidate: PluginCandidate;
  try {
    const exported = ((await import(pathToFileURL(modulePath).href)) as { default: PluginCandidate & { __esModule?: boolean; default?: PluginCandidate } }).default;
    // A .ts file outside a "type": "module" package arrives as CommonJS, its default one level down.
    candidate = exported.__esModule && exported.default ? exported.default : exported;
  } catch (error) {
    send({ type: 'load-failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  port.on('message', (message: ToWorker) => {
    if (message.type === 'run') void runOne(candidate, message);
  });
  send({ type: 'ready' });
}

void main();
