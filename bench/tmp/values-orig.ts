/** Arbitraries for protocol values: 32-bit numbers at their edges, HRESULTs, hostile strings. */
import fc from 'fast-check';
import { E_FAIL, E_OUTOFMEMORY, NS_E_WMP_DOWNLOAD_FAILED, S_FALSE, S_OK } from '../../harness/protocol/hresult.ts';
import { CONTAINER_TYPES, PRICE_CANNOT_BUY, PRICE_FREE, PRICE_UNKNOWN } from '../../harness/protocol/constants.ts';

/** The edge values rules.md asks for; the reserved 0xFFFFFFFF is added only where it is valid. */
export const EDGE_U32 = [0, 1, 0x7fffffff, 0x80000000, 0xfffffffe] as const;

/** Any DWORD, biased to the edges of the signed/unsigned boundary. */
export function dword(options: { allowReserved: boolean }): fc.Arbitrary<number> {
  const max = options.allowReserved ? 0xffffffff : 0xfffffffe;
  const edges = options.allowReserved ? [...EDGE_U32, 0xffffffff] : [...EDGE_U32];
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 6 },
    { arbitrary: fc.constantFrom(...edges), weight: 1 },
    { arbitrary: fc.integer({ min: 0, max }), weight: 1 },
  );
}

/**
 * One UTF-16 code unit or code point that a plug-in may find hostile. No built-in fast-check string
 * unit yields unpaired surrogates, so they are made here from raw code units.
 */
const hostileUnit = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 6 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)), weight: 2 },
  { arbitrary: fc.constantFrom('\u0000', '\uFEFF', '\uFFFF', '\r\n', '"', '\\', '<', '&', '\u2028', 'e\u0301'), weight: 2 },
);

/** A string of any Unicode content, U+0000 and unpaired surrogates included. */
export const hostileString: fc.Arbitrary<string> = fc.string({ unit: hostileUnit, maxLength: 12 });

/** A long string (kilobytes), cheap to generate and to shrink. */
export const longString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1_000, max: 70_000 }), fc.constantFrom('x', 'é', '\u0000', '\ud83c\udfb5'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

/** A BSTR: null, empty, ordinary, hostile or long. */
export const bstr: fc.Arbitrary<string | null> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant(null), weight: 2 },
  { arbitrary: fc.constant(''), weight: 1 },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 3 },
  { arbitrary: hostileString, weight: 2 },
  { arbitrary: longString, weight: 1 },
);

export const price: fc.Arbitrary<string | null> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constantFrom(PRICE_UNKNOWN, PRICE_FREE, PRICE_CANNOT_BUY, '$0.99', '1,29 €', null), weight: 24 },
  { arbitrary: bstr, weight: 1 },
);

/** Container types: the three the Player uses, rarely anything at all. */
export const containerType: fc.Arbitrary<string> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constantFrom(...CONTAINER_TYPES), weight: 40 },
  { arbitrary: hostileString, weight: 1 },
);

/** What the Player returns from downloadTrack: usually a success, sometimes its own failure. */
export const playerReturn: fc.Arbitrary<number> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant(S_OK), weight: 14 },
  { arbitrary: fc.constant(S_FALSE), weight: 2 },
  { arbitrary: fc.constantFrom(E_FAIL, E_OUTOFMEMORY, NS_E_WMP_DOWNLOAD_FAILED), weight: 3 },
);
