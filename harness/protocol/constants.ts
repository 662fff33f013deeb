/** String constants and reserved values from contentpartner.h (protocol.md §4). */
export const CP_ALBUM_ID = 'CPAlbumID';
export const CP_LIST_ID = 'CPListID';
export const UNKNOWN_LOCATION = 'UnknownLocation';
export const CONTAINER_TYPES = [CP_ALBUM_ID, CP_LIST_ID, UNKNOWN_LOCATION] as const;

export const PRICE_UNKNOWN = 'PriceUnknown';
export const PRICE_CANNOT_BUY = 'PriceCannotBuy';
export const PRICE_FREE = 'PriceFree';

/** g_knReservedCPTrackID_NotFound, and GetID's "neither album nor list". */
export const RESERVED_ID = 0xffffffff;
export const MAX_DWORD = 0xffffffff;

export function isDword(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_DWORD;
}
