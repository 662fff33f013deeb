/** Short, exact descriptions of values for violation messages: long strings are cut, code units named. */
import { hresultName, isHResult } from '../protocol/hresult.ts';
import { isTaggedValue } from '../trace/trace-value.ts';

const MAX_SHOWN = 32;

/** A value as JSON (lone surrogates and U+0000 escaped), long strings cut with their length. */
export function show(value: unknown): string {
  if (typeof value === 'string' && value.length > MAX_SHOWN) return `${JSON.stringify(value.slice(0, MAX_SHOWN))}… (${value.length} code units)`;
  if (value === undefined) return 'undefined';
  // What JSON cannot carry was recorded as a tagged description: show the description.
  if (isTaggedValue(value)) return value.text;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}

export function showHr(value: unknown): string {
  return isHResult(value) ? hresultName(value) : `${show(value)} (not an HRESULT)`;
}

const unit = (text: string, index: number) => index < text.length ? `U+${text.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')}` : 'the end';

/** Where two strings first differ, in UTF-16 code units. */
export function codeUnitDifference(expected: string, actual: string): string {
  let index = 0;
  while (index < expected.length && index < actual.length && expected.charCodeAt(index) === actual.charCodeAt(index)) index++;
  return `${expected.length} code units sent, ${actual.length} echoed; first difference at code unit ${index}: sent ${unit(expected, index)}, echoed ${unit(actual, index)}`;
}
