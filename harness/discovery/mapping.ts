/**
 * From a well-formed External.download call to the container list the Player builds (protocol.md
 * §6 leaves the mapping open; ./README.md states the decisions):
 *
 * - `CPTrackID` + "12;15" → one `UnknownLocation` container (GetID 0xFFFFFFFF, price PriceUnknown)
 *   holding tracks 12 and 15, in the page's order;
 * - `CPAlbumID` + "7;9" → one `CPAlbumID` container per ID, in the page's order (GetID = the album
 *   ID, its price), each holding that album's tracks in catalog order; `CPListID` likewise;
 * - duplicates are kept (a track or album named twice is listed twice);
 * - IDs the catalog does not hold are left out of the list (the harness notes them); a call that
 *   names nothing in the catalog starts no download at all.
 */
import { CP_ALBUM_ID, CP_LIST_ID, PRICE_UNKNOWN, RESERVED_ID, UNKNOWN_LOCATION } from '../protocol/constants.ts';
import { S_OK } from '../protocol/hresult.ts';
import type { ContainerSpec, Scenario, TrackSpec } from '../scenario/model.ts';
import { CP_TRACK_ID, type WellFormedCall } from './page-call.ts';

export interface CatalogTrack { id: number; price: string }
export interface CatalogCollection { id: number; price: string; tracks: number[] }

/** The Player's downloaded catalog, as far as the discovery page needs it (plain data: it goes into reports). */
export interface PageCatalog { tracks: CatalogTrack[]; albums: CatalogCollection[]; lists: CatalogCollection[] }

export interface MappedCall { containers: ContainerSpec[]; absent: number[] }

export function containersFor(wellFormed: WellFormedCall, catalog: PageCatalog): MappedCall {
  const trackPrice = new Map(catalog.tracks.map((track) => [track.id, track.price]));
  const absent: number[] = [];
  if (wellFormed.type === CP_TRACK_ID) {
    const items = wellFormed.ids.flatMap((id) => {
      const price = trackPrice.get(id);
      if (price === undefined) { absent.push(id); return []; }
      return [{ id, price }];
    });
    return { containers: items.length > 0 ? [{ id: RESERVED_ID, type: UNKNOWN_LOCATION, price: PRICE_UNKNOWN, items }] : [], absent };
  }
  const collections = new Map((wellFormed.type === CP_ALBUM_ID ? catalog.albums : catalog.lists).map((c) => [c.id, c]));
  const containers: ContainerSpec[] = [];
  for (const id of wellFormed.ids) {
    const collection = collections.get(id);
    if (!collection) { absent.push(id); continue; }
    containers.push({
      id, type: wellFormed.type, price: collection.price,
      items: collection.tracks.map((track) => ({ id: track, price: trackPrice.get(track) ?? PRICE_UNKNOWN })),
    });
  }
  return { containers, absent };
}

/** murmur3's finaliser over a few 32-bit words: a deterministic mix of the seed and what is derived. */
export function mix32(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const word of words) {
    h = Math.imul(h ^ (word >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

const trackPriceOf = (id: number) => `$0.${String(90 + (id % 10))}`;

/** An album's or list's tracks, derived from the seed: one to three tracks with IDs below one million. */
function derivedTracks(seed: number, salt: number, id: number): number[] {
  const count = 1 + (mix32(seed, salt, id) % 3);
  const tracks = Array.from({ length: count }, (_, k) => 100_000 + (mix32(seed, salt, id, k + 1) % 900_000));
  return [...new Set(tracks)];
}

/**
 * The catalog behind a candidate's own page: the harness cannot know the store's real catalog, so it
 * holds everything the page names — each CPTrackID is a track, each CPAlbumID / CPListID an album or
 * list of one to three tracks derived from the seed — except the reserved ID 0xFFFFFFFF, which is no
 * track, album or list (protocol.md §4: "not found", and GetID's "neither album nor list").
 */
export function derivedCatalog(calls: readonly WellFormedCall[], seed: number): PageCatalog {
  const tracks = new Map<number, CatalogTrack>();
  const albums = new Map<number, CatalogCollection>();
  const lists = new Map<number, CatalogCollection>();
  const addTrack = (id: number) => { if (!tracks.has(id)) tracks.set(id, { id, price: trackPriceOf(id) }); };
  for (const call of calls) {
    for (const id of call.ids) {
      if (id === RESERVED_ID) continue;
      if (call.type === CP_TRACK_ID) { addTrack(id); continue; }
      const [into, salt] = call.type === CP_ALBUM_ID ? [albums, 1] : [lists, 2];
      if (into.has(id)) continue;
      const members = derivedTracks(seed, salt, id);
      members.forEach(addTrack);
      into.set(id, { id, price: `$${members.length}.99`, tracks: members });
    }
  }
  const byId = (a: { id: number }, b: { id: number }) => a.id - b.id;
  return { tracks: [...tracks.values()].sort(byId), albums: [...albums.values()].sort(byId), lists: [...lists.values()].sort(byId) };
}

/**
 * The scenario that plays one page call's download: one transaction of the mapped containers, every
 * track entitled with a healthy back end and healthy media, the Player accepting every track — so
 * that what the DL rules find is the plug-in's serving, nothing else. Cookies stay below 2^31.
 */
export function scenarioForCall(containers: ContainerSpec[], seed: number, callIndex: number): Scenario {
  const ids = [...new Set(containers.flatMap((container) => container.items.map((item) => item.id)))];
  const tracks: TrackSpec[] = ids.map((id) => ({
    id, entitled: true, backend: { kind: 'healthy' }, media: 'healthy',
    params: `page-call ${callIndex}, track ${id}`, size: 64 + (id % 193), playerReturn: S_OK,
  }));
  return {
    tracks,
    transactions: [{ cookie: mix32(seed, 0xc00c1e, callIndex) & 0x7fffffff, containers, start: { kind: 'at-once' }, listFault: null }],
    detachAfterAnswers: null,
    orderSalt: mix32(seed, 0x5a17, callIndex),
  };
}
