/** The probe host records the Player exactly: hostile params survive the trace unchanged, and a broken Player is recorded, not fatal. */
import { expect, test } from 'vitest';
import reference from '../../fixtures/players/reference.ts';
import { scenarioTiming } from '../../harness/host/timing.ts';
import type { ProbeScenario } from '../../harness/player/probe-model.ts';
import { runProbeScenario } from '../../harness/player/probe-run.ts';
import { judgePlayerScenario } from '../../harness/player/player-judge.ts';
import { S_OK } from '../../harness/protocol/hresult.ts';
import type { PlayerCandidate } from '../../harness/protocol/types.ts';
import type { CallEvent } from '../../harness/trace/events.ts';

const HOSTILE = 'a\u0000b\ud800c\udfffe\u0301' + 'x'.repeat(65_536 - 8);

const scenario: ProbeScenario = {
  tracks: [{ id: 0xfffffffe, hrDownload: S_OK, media: 'healthy', size: 0, params: HOSTILE }],
  transactions: [{ containers: [{ id: 7, type: 'CPAlbumID', price: null, items: [{ id: 0xfffffffe, price: '\ud800' }] }], start: { kind: 'at-once' }, calls: 'scheduled', refusals: [] }],
  outOfRange: 'one-past-end',
  orderSalt: 0,
};

test('params of 64 KiB with U+0000 and lone surrogates are recorded, and round-trip through JSON, code unit for code unit', async () => {
  const trace = await runProbeScenario(reference, scenario, scenarioTiming(3000));
  expect(trace.ended).toBe('settled');
  const calls = trace.events.filter((event): event is CallEvent => event.type === 'call');
  const sent = calls.find((event) => event.method === 'downloadTrack')!;
  const echoed = calls.find((event) => event.method === 'downloadTrackComplete')!;
  expect(sent.args[3]).toBe(HOSTILE);
  expect(echoed.args).toEqual([S_OK, 0xfffffffe, HOSTILE]);
  const reparsed = JSON.parse(JSON.stringify(trace.events)) as typeof trace.events;
  expect((reparsed.find((event) => event.type === 'call' && event.method === 'downloadTrackComplete') as CallEvent).args[2]).toBe(HOSTILE);
  // A 0-byte healthy body is a whole download: the library lists it with 0 bytes.
  const library = trace.events.find((event) => event.type === 'return' && event.method === 'library');
  expect(library && 'value' in library ? library.value : undefined).toEqual([{ trackId: 0xfffffffe, bytes: 0 }]);
});

test('a player that throws and leaks a rejection is recorded, never crashes the harness, and is judged on it', async () => {
  const broken: PlayerCandidate = {
    kind: 'player',
    name: 'broken',
    create: () => ({
      attach: (partner) => { void partner.setCallback({ downloadTrack: () => S_OK }); },
      startDownload: () => {
        void Promise.reject(new Error('leaked'));
        throw new Error('no room on disk');
      },
      library: () => [],
      detach: () => {},
    }),
  };
  const trace = await runProbeScenario(broken, scenario, scenarioTiming(3000));
  expect(trace.events.some((event) => event.type === 'uncaught' && event.error.message === 'leaked')).toBe(true);
  expect(trace.events.some((event) => event.type === 'return' && event.method === 'startDownload' && event.threw?.message === 'no room on disk')).toBe(true);
  const judgement = judgePlayerScenario(scenario, trace);
  expect([...judgement.violations.keys()].sort()).toEqual(['PL-08', 'PL-10']);
});
