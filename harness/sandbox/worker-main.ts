/**
 * Inside a candidate's worker thread: loads the candidate once, runs the scenarios it is sent and
 * ships the trace back in batches (before each call into the candidate, and on every settle tick),
 * so that if the candidate blocks the thread for good, the harness still has the trace up to it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { runScenario } from '../host/simulated-player.ts';
import type { PluginCandidate } from '../protocol/types.ts';
import type { TraceEvent } from '../trace/events.ts';
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol.ts';

const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);

async function runOne(candidate: PluginCandidate, message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  let shipped = 0;
  const ship = (events: readonly TraceEvent[]) => {
    if (events.length === shipped) return;
    send({ type: 'events', id: message.id, events: events.slice(shipped) });
    shipped = events.length;
  };
  const trace = await runScenario(candidate, message.scenario, message.timing, { checkpoint: ship });
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
