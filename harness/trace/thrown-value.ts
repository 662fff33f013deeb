/** Describes anything a candidate threw or rejected with, without keeping the object. */
import { isHResultError } from '../protocol/hresult.ts';
import type { ThrownValue } from './events.ts';

export function describeThrown(value: unknown): ThrownValue {
  try {
    return describe(value);
  } catch {
    // A value that throws when looked at (a revoked Proxy, a throwing getter) must not crash the harness.
    return { kind: 'non-error', name: typeof value, message: `(a ${typeof value} that throws when inspected)` };
  }
}

function describe(value: unknown): ThrownValue {
  if (isHResultError(value)) return { kind: 'hresult-error', name: String(value.name ?? 'HResultError'), message: String(value.message ?? ''), hr: value.hr | 0 };
  if (value instanceof Error) return { kind: 'error', name: String(value.name), message: String(value.message) };
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return { kind: 'non-error', name: typeof value, message: text.slice(0, 500) };
}
