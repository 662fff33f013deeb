/**
 * One `window.external.download(Type, IDs)` call as the discovery page made it, and the two pure
 * judgements of it: EX-01 (Type names a location type wmpcert can download) and EX-02 (IDs is a
 * well-formed list). The decisions are in ./README.md.
 */
import { CP_ALBUM_ID, CP_LIST_ID, MAX_DWORD } from '../protocol/constants.ts';

/** `CPTrackID`: not a container type, but the location constant a page uses for loose tracks (protocol.md §4). */
export const CP_TRACK_ID = 'CPTrackID';
/** The location types External.download accepts (the three External.buy's documentation names). */
export const DOWNLOAD_TYPES = [CP_TRACK_ID, CP_ALBUM_ID, CP_LIST_ID] as const;
export type DownloadType = (typeof DOWNLOAD_TYPES)[number];

/** An argument exactly as the page passed it: strings keep every UTF-16 code unit; anything else is its JS type and a description. */
export type PageValue =
  | { type: 'string'; value: string }
  | { type: 'number' | 'bigint' | 'boolean' | 'undefined' | 'null' | 'symbol' | 'function' | 'object'; text: string };

export interface PageCall {
  /** 1-based, in the order the page made its calls. */
  index: number;
  /** ms since the page started loading. */
  at: number;
  /** How many arguments the page passed (`arguments.length`). */
  argc: number;
  args: PageValue[];
  /** What the harness had done just before: `load`, or `click 3: <button text>`. */
  after: string;
}

const MAX_QUOTED = 200;

/** A string quoted as JSON (U+0000, control characters and unpaired surrogates escaped), cut when long. */
function quoteString(value: string): string {
  if (value.length <= MAX_QUOTED) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, MAX_QUOTED))}… (${value.length} code units)`;
}

/** One argument as script source would show it: strings quoted, anything else by its description. */
export function showPageValue(value: PageValue | undefined): string {
  if (value === undefined) return '(missing)';
  return value.type === 'string' ? quoteString(value.value) : value.text;
}

/** `External.download("CPTrackID", "12;15")`: the page's own call, every argument it passed. */
export function quoteCall(call: PageCall): string {
  return `External.download(${call.args.map(showPageValue).join(', ')})`;
}

/** `a number (12)`, `undefined`, `an object ({"a":1})`. */
function describeNonString(value: Exclude<PageValue, { type: 'string' }>): string {
  switch (value.type) {
    case 'undefined': return 'undefined';
    case 'null': return 'null';
    case 'object': return `an object (${value.text})`;
    case 'function': return 'a function';
    default: return `a ${value.type} (${value.text})`;
  }
}

/** EX-01: what is wrong with the call's Type, or undefined when it names a known location type. */
export function typeProblem(call: PageCall): string | undefined {
  const type = call.args[0];
  if (call.argc === 0 || type === undefined) return 'Type is missing';
  if (type.type !== 'string') return `Type is ${describeNonString(type)}, not a string`;
  if ((DOWNLOAD_TYPES as readonly string[]).includes(type.value)) return undefined;
  const near = DOWNLOAD_TYPES.find((known) => known.toLowerCase() === type.value.trim().toLowerCase());
  const hint = near ? ` (did you mean "${near}"? case and spelling must match exactly)` : '';
  return `Type ${quoteString(type.value)} is not a location type External.download takes: use "CPTrackID", "CPAlbumID" or "CPListID"${hint}`;
}

export type IdsParse = { ok: true; ids: number[] } | { ok: false; problems: string[] };

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Why one item is not a decimal number: the most likely mistake named. */
function itemProblem(item: string, position: number): string | undefined {
  const label = `item ${position} ${quoteString(item)}`;
  if (item === '') return `item ${position} is empty`;
  if (!DECIMAL.test(item)) {
    if (item.includes(',')) return `${label} uses "," (items are separated by ";")`;
    if (/\s/.test(item)) return `${label} holds white space (nothing is trimmed)`;
    if (/^[+-]/.test(item)) return `${label} has a sign (IDs are unsigned)`;
    if (/^0[0-9]+$/.test(item)) return `${label} has a leading zero`;
    return `${label} is not a decimal number`;
  }
  // Compared as digits, so 20-digit items are judged exactly.
  if (item.length > 10 || (item.length === 10 && item > String(MAX_DWORD))) return `${label} is larger than 4294967295 (0xFFFFFFFF)`;
  return undefined;
}

/** EX-02: IDs split on ";" — no item may be empty, each is /^(0|[1-9][0-9]*)$/ and at most 4294967295. */
export function parseIds(value: PageValue | undefined): IdsParse {
  if (value === undefined) return { ok: false, problems: ['IDs is missing'] };
  if (value.type !== 'string') return { ok: false, problems: [`IDs is ${describeNonString(value)}, not a string`] };
  const items = value.value.split(';');
  const problems: string[] = [];
  const ids: number[] = [];
  items.forEach((item, i) => {
    const problem = itemProblem(item, i + 1);
    if (problem) problems.push(problem);
    else ids.push(Number(item));
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, ids };
}

/** A call both rules accept: a known type and its IDs, ready to become a download. */
export interface WellFormedCall { call: PageCall; type: DownloadType; ids: number[] }

export function wellFormed(call: PageCall): WellFormedCall | undefined {
  if (typeProblem(call) !== undefined) return undefined;
  const parsed = parseIds(call.args[1]);
  if (!parsed.ok) return undefined;
  return { call, type: (call.args[0] as { value: DownloadType }).value, ids: parsed.ids };
}
