/**
 * Twins of a counterexample: the same scenario with one context taken away. A context rule (DL-10,
 * after faults; DL-12, edge values) claims a failure only when its twin passes: the context is then
 * what the failure needs. When the twin still fails, the failure belongs to the rule that names what
 * went wrong in the twin (decision 10 of the rule catalog: one bug, one rule).
 *
 * A twin is a pure function of the scenario (and, for faults, of the transactions that failed), so
 * replay rebuilds it from the seed, the path and this record.
 */
import { CONTAINER_TYPES, CP_ALBUM_ID } from '../protocol/constants.ts';
import { S_OK, failed } from '../protocol/hresult.ts';
import type { FlowsSpec, Scenario, TrackSpec, TransactionSpec } from '../scenario/model.ts';
import { isHostileString, type DownloadAnalysis } from './download-analysis.ts';

/**
 * `without-earlier-faults`: the faults met before the failing transactions are taken away (their
 * tracks healed, other transactions' list getters sound, the store's failures of purchases,
 * licences and messages answered); the faults the failing transactions met themselves stay.
 * `ordinary-values`: cookies and IDs below 2^31, known container types, and plain prices and params.
 * `one-at-a-time`: every transaction starts once everything before it has settled, so no two are
 * in flight together.
 */
export type TwinKind = 'without-earlier-faults' | 'ordinary-values' | 'one-at-a-time';

export interface TwinSpec {
  kind: TwinKind;
  /** Cookies of the transactions whose failure is judged (they keep their own faults). */
  cookies: number[];
  /** For `without-earlier-faults`: the tracks whose faults are taken away (see tracksToHeal). */
  healed?: number[];
}

export function twinScenario(scenario: Scenario, twin: TwinSpec): Scenario {
  switch (twin.kind) {
    case 'without-earlier-faults': return withoutEarlierFaults(scenario, new Set(twin.cookies), new Set(twin.healed ?? []));
    case 'ordinary-values': return withOrdinaryValues(scenario);
    case 'one-at-a-time': return oneAtATime(scenario);
  }
}

export const TWIN_DESCRIPTIONS: Record<TwinKind, string> = {
  'without-earlier-faults': 'the same transactions served without the earlier faults',
  'ordinary-values': 'the same scenario with ordinary values in place of the edge values',
  'one-at-a-time': 'the same transactions, one at a time',
};

function oneAtATime(scenario: Scenario): Scenario {
  return {
    ...scenario,
    // A download of what was bought waits for everything before it too (it starts even if the purchase failed).
    transactions: scenario.transactions.map((tx, index) => (index === 0 ? tx : { ...tx, start: { kind: 'after-settled' } })),
  };
}

function withoutEarlierFaults(scenario: Scenario, failingCookies: ReadonlySet<number>, healed: ReadonlySet<number>): Scenario {
  const heal = (track: TrackSpec): TrackSpec => !healed.has(track.id) ? track : {
    ...track,
    backend: track.backend.kind === 'transient' || track.backend.kind === 'permanent' ? { kind: 'healthy' } : track.backend,
    media: 'healthy',
    playerReturn: failed(track.playerReturn) ? S_OK : track.playerReturn,
  };
  return {
    ...scenario,
    tracks: scenario.tracks.map(heal),
    transactions: scenario.transactions.map((tx) => (failingCookies.has(tx.cookie) ? tx : { ...tx, listFault: null })),
    // The store's failures of purchases, licences and messages are back-end faults too: no transaction's own.
    ...(scenario.flows ? { flows: withoutFlowFaults(scenario.flows) } : {}),
  };
}

function withoutFlowFaults(flows: FlowsSpec): FlowsSpec {
  const healed = <T extends { answer: string }>(flow: T): T => (flow.answer === 'fault' ? { ...flow, answer: 'accepted' } : flow);
  return { purchases: flows.purchases.map(healed), licences: flows.licences.map(healed), messages: flows.messages.map(healed) };
}

/**
 * The tracks whose faults came before the failing transactions: every track with an injected fault,
 * except those the failing transactions met a fault of after they started (their own faults).
 */
export function tracksToHeal(analysis: DownloadAnalysis, failingCookies: ReadonlySet<number>): number[] {
  const failing = analysis.transactions.filter((facts) => facts.started && failingCookies.has(facts.spec.cookie));
  const start = Math.min(...failing.map((facts) => facts.downloadCall!.seq));
  const own = new Set(failing.flatMap((facts) => [...facts.occurrences.keys()]));
  // A failure the Player returned to another transaction's call is not met by these, even on a shared track.
  const metByFailing = new Set(analysis.faults.flatMap((fault) => (
    fault.seq > start && fault.trackId !== undefined && own.has(fault.trackId) && (fault.cookie === undefined || failingCookies.has(fault.cookie)) ? [fault.trackId] : [])));
  return analysis.scenario.tracks
    .filter((track) => track.backend.kind === 'transient' || track.backend.kind === 'permanent' || track.media !== 'healthy' || failed(track.playerReturn))
    .map((track) => track.id)
    .filter((id) => !metByFailing.has(id));
}

const SIGN_BIT = 0x80000000;
const ORDINARY_TEXT = 'ordinary';

function withOrdinaryValues(scenario: Scenario): Scenario {
  const ids = lowered(scenario.tracks.map((track) => track.id));
  const cookies = lowered(scenario.transactions.map((tx) => tx.cookie));
  const buyCookies = lowered((scenario.flows?.purchases ?? []).map((purchase) => purchase.cookie));
  const text = (value: string | null) => (isHostileString(value) ? ORDINARY_TEXT : value);
  const list = <T extends Pick<TransactionSpec, 'cookie' | 'containers'>>(tx: T, cookieMap: Map<number, number>): T => ({
    ...tx,
    cookie: cookieMap.get(tx.cookie) ?? tx.cookie,
    containers: tx.containers.map((container) => ({
      ...container,
      type: (CONTAINER_TYPES as readonly string[]).includes(container.type) ? container.type : CP_ALBUM_ID,
      price: text(container.price),
      items: container.items.map((item) => ({ id: ids.get(item.id) ?? item.id, price: text(item.price) })),
    })),
  });
  return {
    ...scenario,
    tracks: scenario.tracks.map((track) => ({ ...track, id: ids.get(track.id) ?? track.id, params: text(track.params) })),
    transactions: scenario.transactions.map((tx) => list(tx, cookies)),
    // A Buy's list carries the same values as a download's (BY-05 judges what is bought).
    ...(scenario.flows ? { flows: { ...scenario.flows, purchases: scenario.flows.purchases.map((purchase) => list(purchase, buyCookies)) } } : {}),
  };
}

/** Each value ≥ 2^31 mapped to a value below it that is not otherwise in use (so values stay distinct). */
function lowered(values: readonly number[]): Map<number, number> {
  const used = new Set(values);
  const mapping = new Map<number, number>();
  for (const value of values) {
    if (value < SIGN_BIT || mapping.has(value)) continue;
    let low = value - SIGN_BIT;
    while (used.has(low)) low = (low + 1) % SIGN_BIT;
    used.add(low);
    mapping.set(value, low);
  }
  return mapping;
}
