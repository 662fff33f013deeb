/**
 * A player module runs in a worker thread, as a plug-in module does: the reference player is
 * certified there, and a player that blocks its thread is stopped with the trace up to the block,
 * the next scenario getting a fresh worker.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test, vi } from 'vitest';
import { naturalPlayerMutantPath } from '../../fixtures/mutants/players/index.ts';
import reference from '../../fixtures/players/reference.ts';
import { loadCandidate } from '../../harness/adapters/load-candidate.ts';
import { scenarioTiming, searchTiming } from '../../harness/host/timing.ts';
import { judgePlayerScenario } from '../../harness/player/player-judge.ts';
import type { ProbeScenario } from '../../harness/player/probe-model.ts';
import { openPlayerSandbox } from '../../harness/sandbox/open-sandbox.ts';
import { WorkerSandbox } from '../../harness/sandbox/worker-sandbox.ts';
import { certifyPlayer, failedRules } from './player-certification.ts';

const modulePath = (relative: string) => fileURLToPath(new URL(`../../fixtures/players/${relative}`, import.meta.url));

/** Healthy tracks in one transaction, the probe calling back inside `download` or later. */
function oneTransaction(trackCount: number, calls: ProbeScenario['transactions'][number]['calls']): ProbeScenario {
  const tracks = Array.from({ length: trackCount }, (_track, index) => ({ id: 7 + index, hrDownload: 0, media: 'healthy' as const, size: 3, params: `p${index}` }));
  return {
    tracks,
    transactions: [{ containers: [{ id: 1, type: 'CPAlbumID', price: '1', items: tracks.map((track) => ({ id: track.id, price: '1' })) }], start: { kind: 'at-once' }, calls, refusals: [] }],
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
  // Its downloadTrack waits, in a synchronous loop, for the download before it: one that needs this very thread.
  const sandbox = await openPlayerSandbox(await loadCandidate(naturalPlayerMutantPath('one-download-at-a-time.ts')));
  const timing = scenarioTiming(3000);
  try {
    const twoTracks = oneTransaction(2, 'scheduled');
    const blocked = await sandbox.run(twoTracks, timing);
    const last = blocked.events.at(-1)!;
    expect(last).toMatchObject({ type: 'sandbox', reason: 'blocked' });
    expect(blocked.events.some((event) => event.type === 'return' && event.method === 'startDownload' && !event.timedOut)).toBe(true);
    // The first track's downloadTrack returned to the plug-in, the second's never did.
    const answers = blocked.events.filter((event) => event.type === 'return' && event.method === 'downloadTrack');
    expect(answers.map((event) => event.type === 'return' && event.timedOut === true)).toEqual([false, true]);
    const judgement = judgePlayerScenario(twoTracks, blocked);
    expect([...judgement.applied]).toEqual(['PL-12']);
    expect(judgement.violations.get('PL-12')?.[0]).toMatchObject({ events: [last.seq] });

    // With one track there is nothing to wait for: a fresh worker, a clean scenario.
    const oneTrack = oneTransaction(1, 'scheduled');
    const served = await sandbox.run(oneTrack, timing);
    expect(served.events.some((event) => event.type === 'sandbox')).toBe(false);
    expect(served.events.some((event) => event.type === 'call' && event.method === 'downloadTrackComplete')).toBe(true);
    expect([...judgePlayerScenario(oneTrack, served).violations.keys()]).toEqual([]);
  } finally {
    await sandbox.close();
  }
});

test("in a shrinking search, a thread seen running all through its silence is stopped for its run time, not the silence limit", { timeout: 120_000 }, async () => {
  // The search's silence limit as far off as the rule's own (1.5 s): the thread's run time stops it first, however busy the machine.
  const sandbox = await openPlayerSandbox(await loadCandidate(naturalPlayerMutantPath('one-download-at-a-time.ts')), { searchBlockedAfterMs: 60_000 });
  const twoTracks = oneTransaction(2, 'scheduled');
  const stopOf = (trace: { events: readonly { type: string }[] }) => trace.events.at(-1) as { type: string; reason?: string; message?: string };
  try {
    const searched = stopOf(await sandbox.run(twoTracks, searchTiming(scenarioTiming(3000))));
    expect(searched).toMatchObject({ type: 'sandbox', reason: 'blocked' });
    expect(searched.message).toMatch(/ran its thread for \d+ ms without returning to its event loop/);
    // Outside a search the rule's own limit decides, as it always did.
    const judged = stopOf(await sandbox.run(twoTracks, scenarioTiming(3000)));
    expect(judged).toMatchObject({ type: 'sandbox', reason: 'blocked' });
    expect(judged.message).toMatch(/blocked its thread for more than \d+ ms/);
  } finally {
    await sandbox.close();
  }
});
