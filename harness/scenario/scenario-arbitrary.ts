/**
 * The whole-scenario arbitrary. Transactions draw their items from one small catalog (by index), so
 * tracks recur within and across transactions; every part shrinks towards a plain, small scenario.
 */
import fc from 'fast-check';
import { E_FAIL, RPC_E_DISCONNECTED } from '../protocol/hresult.ts';
import { RESERVED_ID, UNKNOWN_LOCATION } from '../protocol/constants.ts';
import type { BackendFate, ContainerSpec, ListFault, MediaFate, Scenario, TrackSpec, TransactionSpec, TransactionStart } from './model.ts';
import { bstr, containerType, dword, playerReturn, price } from './values.ts';

export interface ScenarioShape {
  maxTracks: number;
  maxTransactions: number;
  maxContainers: number;
  maxItems: number;
}

export const DEFAULT_SHAPE: ScenarioShape = { maxTracks: 6, maxTransactions: 3, maxContainers: 3, maxItems: 4 };

const backendFault = fc.constantFrom('http-500', 'http-503', 'network') as fc.Arbitrary<'http-500' | 'http-503' | 'network'>;

const backendFate: fc.Arbitrary<BackendFate> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant({ kind: 'healthy' as const }), weight: 12 },
  { arbitrary: fc.record({ kind: fc.constant('transient' as const), failures: fc.integer({ min: 1, max: 2 }), fault: backendFault }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('permanent' as const), fault: backendFault }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('slow' as const), delayMs: fc.integer({ min: 10, max: 120 }) }), weight: 1 },
);

const mediaFate: fc.Arbitrary<MediaFate> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant('healthy' as const), weight: 12 },
  { arbitrary: fc.constantFrom('http-404', 'http-500', 'network', 'truncated') as fc.Arbitrary<MediaFate>, weight: 4 },
);

const trackFate = fc.record({
  entitled: fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(true), weight: 5 }, { arbitrary: fc.constant(false), weight: 1 }),
  backend: backendFate,
  media: mediaFate,
  params: bstr,
  size: fc.oneof({ withCrossShrink: true }, fc.integer({ min: 0, max: 64 }), fc.integer({ min: 65, max: 4096 })),
  playerReturn,
});

/** Present in about one value of `oneIn` (fc.option's `freq` counts the other way: 1 in freq is null). */
function rarely<T>(arbitrary: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> {
  return fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(null), weight: oneIn - 1 }, { arbitrary, weight: 1 });
}

const listFault: fc.Arbitrary<ListFault | null> = rarely(
  fc.record({
    getter: fc.constantFrom('getContainerCount', 'getContainer', 'getContentCount', 'getContentID'),
    afterCalls: fc.integer({ min: 0, max: 4 }),
    hr: fc.constantFrom(RPC_E_DISCONNECTED, E_FAIL),
  }) as fc.Arbitrary<ListFault>,
  12,
);

const transactionStart: fc.Arbitrary<TransactionStart> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant({ kind: 'at-once' as const }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('after-answers' as const), count: fc.integer({ min: 1, max: 8 }) }), weight: 3 },
  { arbitrary: fc.constant({ kind: 'after-settled' as const }), weight: 2 },
);

/** A container as drawn: items are catalog indices, resolved once the catalog is known. */
function rawContainer(shape: ScenarioShape) {
  return fc.record({
    loose: fc.boolean(),
    id: dword({ allowReserved: false }),
    type: containerType,
    price,
    items: fc.array(fc.record({ catalogIndex: fc.nat(), price }), { maxLength: shape.maxItems }),
  });
}

function rawTransaction(shape: ScenarioShape) {
  return fc.record({
    containers: fc.array(rawContainer(shape), { maxLength: shape.maxContainers }),
    start: transactionStart,
    listFault,
  });
}

const flowAnswer = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant('accepted' as const), weight: 3 },
  { arbitrary: fc.constantFrom('declined', 'fault') as fc.Arbitrary<'declined' | 'fault'>, weight: 2 },
);

const LICENCE_REASONS = ['RefreshForPlay', 'RefreshForBurn', 'RefreshForSync'] as const;

function rawFlows(shape: ScenarioShape) {
  return fc.record({
    purchases: fc.array(fc.record({ containers: fc.array(rawContainer(shape), { minLength: 1, maxLength: 2 }), answer: flowAnswer, thenDownload: fc.boolean() }), { minLength: 1, maxLength: 2 }),
    licenceCookies: fc.uniqueArray(dword({ allowReserved: true }), { minLength: 2, maxLength: 2 }),
    licences: fc.array(fc.record({
      catalogIndex: fc.nat(),
      fLocal: fc.boolean(),
      // Remote files come with a NULL URL half the time: a valid request the SDK sample wrongly rejects.
      urlWhenRemote: fc.option(fc.constant('https://store.example/licence'), { freq: 2 }),
      type: fc.integer({ min: 0, max: 3 }),
      reason: fc.constantFrom(...LICENCE_REASONS),
      device: bstr,
      answer: flowAnswer,
    }), { minLength: 1, maxLength: 2 }),
    messages: fc.array(fc.record({ msg: bstr, param: bstr, answer: fc.oneof({ withCrossShrink: true }, fc.constant('accepted' as const), fc.constant('fault' as const)) }), { minLength: 1, maxLength: 2 }),
  });
}

type RawContainer = { loose: boolean; id: number; type: string; price: string | null; items: { catalogIndex: number; price: string | null }[] };

function resolveContainer(container: RawContainer, catalog: TrackSpec[]): ContainerSpec {
  return {
    id: container.loose ? RESERVED_ID : container.id,
    type: container.loose ? UNKNOWN_LOCATION : container.type,
    price: container.price,
    items: container.items.map((item) => ({ id: catalog[item.catalogIndex % catalog.length]!.id, price: item.price })),
  };
}

export function scenarioArbitrary(shape: ScenarioShape = DEFAULT_SHAPE): fc.Arbitrary<Scenario> {
  return fc
    .record({
      tracks: fc.uniqueArray(fc.tuple(dword({ allowReserved: false }), trackFate), {
        minLength: 1, maxLength: shape.maxTracks, selector: ([id]) => id,
      }),
      transactions: fc.array(rawTransaction(shape), { minLength: 1, maxLength: shape.maxTransactions }),
      // Download and buy cookies: each kind unique among its own; the kinds may share values (protocol §7).
      cookies: fc.uniqueArray(dword({ allowReserved: true }), { minLength: shape.maxTransactions + 2, maxLength: shape.maxTransactions + 2 }),
      buyCookies: fc.uniqueArray(dword({ allowReserved: true }), { minLength: 2, maxLength: 2 }),
      flows: fc.option(rawFlows(shape), { freq: 3 }),
      detachAfterAnswers: rarely(fc.integer({ min: 0, max: 8 }), 8),
      orderSalt: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 0x7fffffff })),
    })
    .map(({ tracks, transactions, cookies, buyCookies, flows, detachAfterAnswers, orderSalt }): Scenario => {
      const catalog: TrackSpec[] = tracks.map(([id, fate]) => ({ id, ...fate }));
      const resolved: TransactionSpec[] = transactions.map((raw, index) => ({
        cookie: cookies[index]!,
        // The first transaction always starts at once: there is nothing before it to wait for.
        start: index === 0 ? { kind: 'at-once' } : raw.start,
        listFault: raw.listFault,
        containers: raw.containers.map((container) => resolveContainer(container, catalog)),
      }));
      if (!flows) return { tracks: catalog, transactions: resolved, detachAfterAnswers, orderSalt };
      const purchases = flows.purchases.map((purchase, index) => ({
        cookie: buyCookies[index]!, answer: purchase.answer, containers: purchase.containers.map((container) => resolveContainer(container, catalog)),
      }));
      // A purchase may be followed by the download of what was bought: a transaction like any other.
      flows.purchases.forEach((purchase, index) => {
        if (!purchase.thenDownload) return;
        resolved.push({ cookie: cookies[resolved.length]!, start: { kind: 'after-purchase', purchase: index }, listFault: null, containers: purchases[index]!.containers });
      });
      const licences = flows.licences.map((licence, index) => ({
        cookie: flows.licenceCookies[index]!,
        contentId: catalog[licence.catalogIndex % catalog.length]!.id,
        fLocal: licence.fLocal,
        url: licence.fLocal ? `file:///C:/Users/Public/Music/${catalog[licence.catalogIndex % catalog.length]!.id}.wma` : licence.urlWhenRemote,
        type: licence.type,
        reason: licence.reason,
        context: licence.reason === 'RefreshForSync' ? licence.device ?? '' : null,
        answer: licence.answer,
      }));
      return { tracks: catalog, transactions: resolved, detachAfterAnswers, orderSalt, flows: { purchases, licences, messages: flows.messages } };
    });
}
