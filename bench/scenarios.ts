/** Scenarios for the benchmarks: generated ones both drivers can play, and one big transaction. */
import fc from 'fast-check';
import { scenarioArbitrary } from '../harness/scenario/scenario-arbitrary.ts';
import type { Scenario, TrackSpec } from '../harness/scenario/model.ts';

/**
 * Generated scenarios with what only the harness plays removed: no detach, no list faults, no flows
 * (purchases, licences, messages) and no transaction that waits for a purchase. Slow back ends
 * (10–120 ms real sleeps, the same in both drivers) become healthy, so the ratio measures work, not
 * sleeping. Refusals, back-end faults (transient and permanent), media faults and the Player's own
 * failures are kept, as are the start times and the answer order.
 */
export function comparableScenarios(seed: number, count: number): Scenario[] {
  return fc.sample(scenarioArbitrary(), { seed, numRuns: count }).map((scenario): Scenario => ({
    tracks: scenario.tracks.map((track) => (track.backend.kind === 'slow' ? { ...track, backend: { kind: 'healthy' } } : track)),
    transactions: scenario.transactions
      .filter((transaction) => transaction.start.kind !== 'after-purchase')
      .map((transaction) => ({ ...transaction, listFault: null })),
    detachAfterAnswers: null,
    orderSalt: scenario.orderSalt,
  }));
}

/** One transaction of `tracks` distinct, healthy, entitled tracks in one album (as .scratch/scale.ts). */
export function bigTransaction(tracks: number): Scenario {
  const catalog: TrackSpec[] = Array.from({ length: tracks }, (_, index) => ({
    id: index + 1, entitled: true, backend: { kind: 'healthy' }, media: 'healthy', params: `p${index}`, size: 64, playerReturn: 0,
  }));
  return {
    tracks: catalog,
    transactions: [{
      cookie: 7, start: { kind: 'at-once' }, listFault: null,
      containers: [{ id: 1, type: 'CPAlbumID', price: null, items: catalog.map((track) => ({ id: track.id, price: null })) }],
    }],
    detachAfterAnswers: null,
    orderSalt: 0,
  };
}
