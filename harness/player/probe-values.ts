/** Arbitraries for what the probe plug-in varies per track: hrDownload, media fate, size, params. */
import fc from 'fast-check';
import { E_ACCESSDENIED, E_FAIL, NS_E_WMP_DOWNLOAD_FAILED, NS_S_WMP_DOWNLOAD_OK, S_FALSE, S_OK } from '../protocol/hresult.ts';
import type { MediaFate } from '../scenario/model.ts';
import { hostileString } from '../scenario/values.ts';

/** A success hrDownload (most of them, so downloads happen) or a failure (PL-04). */
export const hrDownload: fc.Arbitrary<number> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant(S_OK), weight: 10 },
  { arbitrary: fc.constantFrom(S_FALSE, NS_S_WMP_DOWNLOAD_OK), weight: 3 },
  { arbitrary: fc.constantFrom(E_FAIL, E_ACCESSDENIED, NS_E_WMP_DOWNLOAD_FAILED), weight: 4 },
);

export const mediaFate: fc.Arbitrary<MediaFate> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant('healthy' as const), weight: 8 },
  { arbitrary: fc.constantFrom('http-404', 'http-500', 'network', 'truncated') as fc.Arbitrary<MediaFate>, weight: 5 },
);

/** Media sizes from 0 bytes up. */
export const mediaSize: fc.Arbitrary<number> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.integer({ min: 0, max: 64 }), weight: 4 },
  { arbitrary: fc.constant(0), weight: 1 },
  { arbitrary: fc.integer({ min: 65, max: 8192 }), weight: 1 },
);

/** One UTF-16 code unit of a surrogate, alone: no fast-check string unit yields these. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** Sequences that NFC or NFD would change: a Player that normalises params gives itself away. */
export const NORMALISABLE = ['e\u0301', '\u00e9', '\u212b', 'A\u030a', '\u1100\u1161', '\u0344', 'o\u0308\u0304'] as const;

const around = (inner: fc.Arbitrary<string>) =>
  fc.tuple(fc.string({ maxLength: 3 }), inner, fc.string({ maxLength: 3 })).map(([before, middle, after]) => before + middle + after);

/** 64 KiB of params (65 536 code units), ending in a unit that a sloppy copy would lose. */
const params64k: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('x', '\u00e9', '\ud83c\udfb5', 'ab\u0000'), fc.constantFrom('', '\u0000', '\ud800', 'e\u0301'))
  .map(([unit, tail]) => {
    const body = unit.repeat(Math.ceil(65_536 / unit.length)).slice(0, 65_536 - tail.length);
    return body + tail;
  });

/** downloadParams: null, empty, U+0000 inside, lone surrogates, normalisable sequences, 64 KiB. */
export const probeParams: fc.Arbitrary<string | null> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant(null), weight: 3 },
  { arbitrary: fc.constant(''), weight: 1 },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 2 },
  { arbitrary: around(fc.constant('\u0000')), weight: 2 },
  { arbitrary: around(loneSurrogate), weight: 2 },
  { arbitrary: around(fc.constantFrom(...NORMALISABLE)), weight: 2 },
  { arbitrary: hostileString, weight: 1 },
  { arbitrary: params64k, weight: 1 },
);
