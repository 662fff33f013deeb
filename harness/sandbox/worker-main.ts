/**
 * Inside a candidate's worker thread: loads the candidate once, runs the scenarios it is sent (a
 * plug-in's against the simulated Player, a player's with the probe host) and ships the trace back
 * in batches (before each call into the candidate, and on every settle tick), so that if the
 * candidate blocks the thread for good, the harness still has the trace up to it.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { ScenarioRun } from '../host/simulated-player.ts';
import { joinHarnessThreads, ownTaskFolder } from '../host/thread-state.ts';
import { ProbeRun } from '../player/probe-run.ts';
import type { Candidate, PlayerCandidate, PluginCandidate } from '../protocol/types.ts';
import type { Trace, TraceEvent } from '../trace/events.ts';
import type { FromWorker, ToWorker, WorkerData } from './worker-protocol.ts';
// Imported before any candidate loads: from here on this thread reaches nothing beyond loopback.
import { useScenarioFetch } from './offline-network.ts';
import { importCandidateModule } from '../adapters/candidate-module.ts';
import { warmUp } from './warm-up.ts';
import { describeCandidate, problemsWithCandidate, type CandidateDescription } from '../adapters/candidate-shape.ts';
import { oneLineError } from '../messages.ts';

const port = parentPort!;
const HEARTBEAT_MS = 100;
const send = (message: FromWorker) => port.postMessage(message);

type RunMessage = Extract<ToWorker, { type: 'run' }>;
type Checkpoint = (events: readonly TraceEvent[]) => void;

/** The host of the message's side, with the fetch the candidate gets: the simulated Player for a plug-in, the probe host for a player. */
function hostFor(candidate: Candidate, message: RunMessage, checkpoint: Checkpoint): { events: readonly TraceEvent[]; fetch: typeof fetch; run(): Promise<Trace> } {
  if (message.side === 'player') {
    const host = new ProbeRun(candidate as PlayerCandidate, message.scenario, message.timing, { checkpoint });
    return { events: host.recorder.events, fetch: host.playerFetch, run: () => host.run() };
  }
  const host = new ScenarioRun(candidate as PluginCandidate, message.scenario, message.timing, { checkpoint });
  return { events: host.recorder.events, fetch: host.pluginFetch, run: () => host.run() };
}

async function runOne(candidate: Candidate, message: RunMessage): Promise<void> {
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
  const host = hostFor(candidate, message, ship);
  // Heartbeats from a timer too: while the host awaits the candidate (a player's call may take a
  // quarter of the cap) the thread is alive; only a blocked thread falls silent. Unref'd, so the
  // host's count of the candidate's timers does not see it.
  const heartbeat = setInterval(() => ship(host.events), HEARTBEAT_MS).unref();
  useScenarioFetch(host.fetch);
  const trace = await host.run().finally(() => {
    clearInterval(heartbeat);
    useScenarioFetch(undefined);
  });
  ship(trace.events);
  send({ type: 'done', id: message.id, ended: trace.ended, durationMs: trace.durationMs });
}

async function main(): Promise<void> {
  const { modulePath, threads } = workerData as WorkerData;
  joinHarnessThreads(threads);
  let candidate: Candidate;
  let description: CandidateDescription;
  try {
    await warmUp();
  } catch {
    // Only a head start: the first scenario meets anything wrong here again, and reports it.
  }
  try {
    candidate = await importCandidateModule(modulePath) as Candidate;
    const problems = problemsWithCandidate(candidate);
    if (problems.length > 0) {
      send({ type: 'not-a-candidate', problems });
      return;
    }
    description = describeCandidate(candidate);
  } catch (error) {
    // The import threw, or a getter of the export did while it was checked.
    send({ type: 'load-failed', message: error instanceof Error ? error.message : String(error), errorLine: oneLineError(error), ...(error instanceof Error && error.stack ? { stack: error.stack } : {}) });
    return;
  }
  port.on('message', (message: ToWorker) => {
    if (message.type === 'run') void runOne(candidate, message);
  });
  const task = ownTaskFolder();
  send({ type: 'ready', description, ...(task === undefined ? {} : { task }) });
}

void main();
