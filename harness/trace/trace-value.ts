/**
 * Values a candidate hands the harness are recorded as JSON-safe data: ordinary values as they are,
 * anything JSON cannot carry (undefined, NaN, bigint, objects, functions) as a tagged description.
 * Strings are kept exactly, U+0000 and unpaired surrogates included.
 */
export interface TaggedValue { $type: 'undefined' | 'number' | 'bigint' | 'object' | 'function' | 'symbol'; text: string }

export function isTaggedValue(value: unknown): value is TaggedValue {
  return typeof value === 'object' && value !== null && '$type' in value;
}

/** Whether toTraceValue keeps this value as it is (a string, a boolean, a finite number or null). */
export function isTraceSafe(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

export function toTraceValue(value: unknown): unknown {
  if (isTraceSafe(value)) return value;
  switch (typeof value) {
    case 'number':
      return { $type: 'number', text: String(value) }; // NaN or ±Infinity
    case 'undefined':
      return { $type: 'undefined', text: 'undefined' };
    case 'bigint':
      return { $type: 'bigint', text: `${value}n` };
    case 'function':
      return { $type: 'function', text: 'function' };
    case 'symbol':
      return { $type: 'symbol', text: String(value) };
    default:
      if (isFlatRecord(value as object)) return { ...(value as object) };
      return { $type: 'object', text: describeObject(value as object) };
  }
}

/**
 * A plain object of plain values (CanBuySilent's `{ totalPrice, silentOK }`) is kept as it is, so
 * rules can read it; anything deeper or stranger is described.
 */
function isFlatRecord(value: object): boolean {
  try {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return false;
    return Object.values(value).every((field) => field === null || typeof field === 'string' || typeof field === 'boolean'
      || (typeof field === 'number' && Number.isFinite(field)));
  } catch {
    return false; // a Proxy that throws when looked at
  }
}

function describeObject(value: object): string {
  try {
    const text = JSON.stringify(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return '(an object that throws when inspected)'; // a revoked Proxy
    }
  }
}
