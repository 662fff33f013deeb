/** Describes anything a candidate threw or rejected with, without keeping the object. */
import { isHResultError } from '../protocol/hresult.ts';
import type { ThrownValue } from './events.ts';

export function describeThrown(value: unknown): ThrownValue {
  if (isHResultError(value)) return { kind: 'hresult-error', name: value.name, message: value.message, hr: value.hr };
  if (value instanceof Error) return { kind: 'error', name: value.name, message: value.message };
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return { kind: 'non-error', name: typeof value, message: text.slice(0, 500) };
}
