/**
 * A player module runs in a worker thread, as a plug-in module does: the reference player is
 * certified there, and a player that blocks its thread is stopped with the trace up to the block,
 * the next scenario getting a fresh worker.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test, vi } from 'vitest';
import reference from '../../fixtures/players/reference.ts';
import spins from '../../fixtures/players/mutants/pl-12-spins-until-called-back.ts';
import { scenarioTiming } from '../../harness/host/timing.ts';
import { judgePlayerScenario } from '../../harness/player/player-judge.ts';
import type { ProbeScenario } from '../../harness/player/probe-model.ts';
import { openPlayerSandbox } from '../../harness/sandbox/open-sandbox.ts';
import { WorkerSandbox } from '../../harness/sandbox/worker-sandbox.ts';
import { certifyPlayer, failedRules, loadedPlayer } from './player-certification.ts';

const modulePath = (relative: string) => fileURLToPath(new URL(`../../fixtures/players/${relative}`, import.meta.url));

/** One healthy track in one transaction, the probe calling back inside `download` or later. */
function oneTrack(calls: ProbeScenario['transactions'][number]['calls']): ProbeScenario {
  return {
    tracks: [{ id: 7, hrDownload: 0, media: 'healthy', size: 3, params: 'p' }],
    transactions: [{ containers: [{ id: 1, type: 'CPAlbumID', price: '1', items: [{ id: 7, price: '1' }] }], start: { kind: 'at-once' }, calls, refusals: [] }],
    outOfRange: 'one-past-end',
    orderSalt: 0,
  };
}

afterEach(() => { vi.restoreAllMocks(); });

test('the reference player is certified from its module file, every scenario played in its worker', { timeout: 120_000 }, async () => {
  const runProbe = vi.spyOn(WorkerSandbox.prototype, 'runProbe');
  const report = await certifyPlayer(reference, { runs: 15, seed: 4242, modulePath: modulePath('reference.ts') });
  expect(failedRules(report)).toEqual([]);
  expect(report.verdict).toBe('certified');
  expect(runProbe.mock.calls.length).toBeGreaterThanOrEqual(report.stats.scenarios);
  expect(report.stats.scenarios).toBeGreaterThan(0);
});

test('a player that blocks its thread is stopped: the trace up to the block, PL-12 alone; the next scenario runs in a fresh worker', { timeout: 120_000 }, async () => {
  const sandbox = openPlayerSandbox(loadedPlayer(spins, spins.name, modulePath('mutants/pl-12-spins-until-called-back.ts')));
  const timing = scenarioTiming(3000);
  try {
    const blocked = await sandbox.run(oneTrack('scheduled'), timing);
    const last = blocked.events.at(-1)!;
    expect(last).toMatchObject({ type: 'sandbox', reason: 'blocked' });
    expect(blocked.events.some((event) => event.type === 'return' && event.method === 'download' && !event.timedOut)).toBe(true);
    expect(blocked.events.some((event) => event.type === 'return' && event.method === 'startDownload' && event.timedOut === true)).toBe(true);
    const judgement = judgePlayerScenario(oneTrack('scheduled'), blocked);
    expect([...judgement.applied]).toEqual(['PL-12']);
    expect(judgement.violations.get('PL-12')?.[0]).toMatchObject({ events: [last.seq] });

    // Called back inside download, the same player never waits: a fresh worker, a clean scenario.
    const served = await sandbox.run(oneTrack('inside-download'), timing);
    expect(served.events.some((event) => event.type === 'sandbox')).toBe(false);
    expect(served.events.some((event) => event.type === 'call' && event.method === 'downloadTrackComplete')).toBe(true);
    expect([...judgePlayerScenario(oneTrack('inside-download'), served).violations.keys()]).toEqual([]);
  } finally {
    await sandbox.close();
  }
});
