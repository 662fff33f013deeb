/** HRESULTs as the contract projects them: a JS number holding a signed 32-bit integer. */
export type HRESULT = number;

export const S_OK: HRESULT = 0;
export const S_FALSE: HRESULT = 1;
export const E_NOTIMPL: HRESULT = 0x80004001 | 0;
export const E_NOINTERFACE: HRESULT = 0x80004002 | 0;
export const E_POINTER: HRESULT = 0x80004003 | 0;
export const E_ABORT: HRESULT = 0x80004004 | 0;
export const E_FAIL: HRESULT = 0x80004005 | 0;
export const E_UNEXPECTED: HRESULT = 0x8000ffff | 0;
export const E_ACCESSDENIED: HRESULT = 0x80070005 | 0;
export const E_OUTOFMEMORY: HRESULT = 0x8007000e | 0;
export const E_INVALIDARG: HRESULT = 0x80070057 | 0;
/** The object's server disconnected: what a marshaled list getter fails with when the Player goes away. */
export const RPC_E_DISCONNECTED: HRESULT = 0x80010108 | 0;
/** A Windows Media failure code (facility 0x00D), as a Player may report for a media fault. */
export const NS_E_WMP_DOWNLOAD_FAILED: HRESULT = 0xc00d1105 | 0;
/** A Windows Media success code (facility 0x00D): still a success. */
export const NS_S_WMP_DOWNLOAD_OK: HRESULT = 0x000d0bc4;

const NAMES = new Map<HRESULT, string>([
  [S_OK, 'S_OK'], [S_FALSE, 'S_FALSE'], [E_NOTIMPL, 'E_NOTIMPL'], [E_NOINTERFACE, 'E_NOINTERFACE'],
  [E_POINTER, 'E_POINTER'], [E_ABORT, 'E_ABORT'], [E_FAIL, 'E_FAIL'], [E_UNEXPECTED, 'E_UNEXPECTED'],
  [E_ACCESSDENIED, 'E_ACCESSDENIED'], [E_OUTOFMEMORY, 'E_OUTOFMEMORY'], [E_INVALIDARG, 'E_INVALIDARG'],
  [RPC_E_DISCONNECTED, 'RPC_E_DISCONNECTED'],
]);

/** True for a well-formed HRESULT value: an integer in the signed or unsigned 32-bit range. */
export function isHResult(value: unknown): value is HRESULT {
  return typeof value === 'number' && Number.isInteger(value) && value >= -0x80000000 && value <= 0xffffffff;
}

/** SUCCEEDED(): only the severity (top) bit counts, so S_FALSE and 0x000Dxxxx are successes. */
export function succeeded(hr: HRESULT): boolean {
  return (hr | 0) >= 0;
}

export function failed(hr: HRESULT): boolean {
  return (hr | 0) < 0;
}

/** Hex form as HRESULTs are usually written: 0x80004005. */
export function hresultHex(hr: HRESULT): string {
  return '0x' + (hr >>> 0).toString(16).toUpperCase().padStart(8, '0');
}

/** The constant's name when known, the hex form otherwise. */
export function hresultName(hr: HRESULT): string {
  return NAMES.get(hr | 0) ?? hresultHex(hr);
}

/** A failed COM call: thrown by the Player's list getters, and by plug-ins that prefer throwing to returning. */
export class HResultError extends Error {
  readonly hr: HRESULT;
  constructor(hr: HRESULT, message?: string) {
    super(message ?? `${hresultName(hr)} (${hresultHex(hr)})`);
    this.name = 'HResultError';
    this.hr = hr | 0;
  }
}

/**
 * A failed COM call, judged by value: anything thrown that carries a numeric HRESULT in `hr` (our
 * HResultError, one from another copy of this package, or an author's own error class). COM has no
 * exception classes; only the HRESULT crosses the boundary.
 */
export function isHResultError(value: unknown): value is { hr: HRESULT; name?: unknown; message?: unknown } {
  if (value instanceof HResultError) return true;
  if (typeof value !== 'object' || value === null) return false;
  try {
    return isHResult((value as { hr?: unknown }).hr);
  } catch {
    return false; // a getter that throws carries no HRESULT
  }
}
