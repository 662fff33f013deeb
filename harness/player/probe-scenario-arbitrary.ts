/**
 * The whole probe scenario. Transactions draw their items from one small catalog (by index), so
 * tracks recur within and across transactions; refusal probes pick their foreign track from the
 * catalog once it is known. Every part shrinks towards one plain transaction of one healthy track.
 */
import fc from 'fast-check';
import { RESERVED_ID, UNKNOWN_LOCATION } from '../protocol/constants.ts';
import type { TransactionStart } from '../scenario/model.ts';
import { containerType, dword, price } from '../scenario/values.ts';
import type { CallTiming, ContainerSpec, ProbeScenario, ProbeTrack, ProbeTransaction, RefusalProbe } from './probe-model.ts';
import { hrDownload, mediaFate, mediaSize, probeParams } from './probe-values.ts';

export interface ProbeShape {
  maxTracks: number;
  maxTransactions: number;
  maxContainers: number;
  maxItems: number;
  maxRefusals: number;
}

export const DEFAULT_PROBE_SHAPE: ProbeShape = { maxTracks: 5, maxTransactions: 3, maxContainers: 2, maxItems: 4, maxRefusals: 2 };

const trackBehaviour = fc.record({ hrDownload, media: mediaFate, size: mediaSize, params: probeParams });

const transactionStart: fc.Arbitrary<TransactionStart> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant({ kind: 'at-once' as const }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('after-answers' as const), count: fc.integer({ min: 1, max: 6 }) }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'after-settled' as const }), weight: 2 },
);

const callTiming: fc.Arbitrary<CallTiming> = fc.constantFrom('inside-download', 'scheduled');

/** A refusal probe as drawn: the foreign track is a catalog index, resolved against the transaction. */
const rawRefusal = fc.oneof(
  fc.record({ kind: fc.constant('unknown-cookie' as const), cookieHint: dword({ allowReserved: true }) }),
  fc.record({ kind: fc.constant('foreign-track' as const), catalogIndex: fc.nat() }),
);

function rawContainer(shape: ProbeShape) {
  return fc.record({
    loose: fc.boolean(),
    id: dword({ allowReserved: false }),
    type: containerType,
    price,
    items: fc.array(fc.record({ catalogIndex: fc.nat(), price }), { maxLength: shape.maxItems }),
  });
}

function rawTransaction(shape: ProbeShape) {
  return fc.record({
    containers: fc.array(rawContainer(shape), { maxLength: shape.maxContainers }),
    start: transactionStart,
    calls: callTiming,
    refusals: fc.array(rawRefusal, { maxLength: shape.maxRefusals }),
  });
}

/** The first catalog track from `index` on (cyclically) that the transaction does not list, if any. */
function foreignTrack(catalog: ProbeTrack[], listed: Set<number>, index: number): number | undefined {
  for (let step = 0; step < catalog.length; step++) {
    const track = catalog[(index + step) % catalog.length]!;
    if (!listed.has(track.id)) return track.id;
  }
  return undefined;
}

export function probeScenarioArbitrary(shape: ProbeShape = DEFAULT_PROBE_SHAPE): fc.Arbitrary<ProbeScenario> {
  return fc
    .record({
      tracks: fc.uniqueArray(fc.tuple(dword({ allowReserved: false }), trackBehaviour), {
        minLength: 1, maxLength: shape.maxTracks, selector: ([id]) => id,
      }),
      transactions: fc.array(rawTransaction(shape), { minLength: 1, maxLength: shape.maxTransactions }),
      outOfRange: fc.constantFrom('one-past-end' as const, 'max-dword' as const),
      // Cross-shrinking lets a salted order shrink to 0, plain arrival order.
      orderSalt: fc.oneof({ withCrossShrink: true }, fc.constant(0), fc.integer({ min: 1, max: 0x7fffffff })),
    })
    .map(({ tracks, transactions, outOfRange, orderSalt }): ProbeScenario => {
      const catalog: ProbeTrack[] = tracks.map(([id, behaviour]) => ({ id, ...behaviour }));
      const resolved = transactions.map((raw, index): ProbeTransaction => {
        const containers = raw.containers.map((container): ContainerSpec => ({
          id: container.loose ? RESERVED_ID : container.id,
          type: container.loose ? UNKNOWN_LOCATION : container.type,
          price: container.price,
          items: container.items.map((item) => ({ id: catalog[item.catalogIndex % catalog.length]!.id, price: item.price })),
        }));
        const listed = new Set(containers.flatMap((container) => container.items.map((item) => item.id)));
        const refusals = raw.refusals.flatMap((refusal): RefusalProbe[] => {
          if (refusal.kind === 'unknown-cookie') return [refusal];
          // A transaction that lists the whole catalog has no foreign track to try.
          const trackId = foreignTrack(catalog, listed, refusal.catalogIndex);
          return trackId === undefined ? [] : [{ kind: 'foreign-track', trackId }];
        });
        // The first transaction starts at once: there is nothing before it to wait for.
        return { containers, start: index === 0 ? { kind: 'at-once' } : raw.start, calls: raw.calls, refusals };
      });
      return { tracks: catalog, transactions: resolved, outOfRange, orderSalt };
    });
}
