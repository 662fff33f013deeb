/**
 * What makes a module's default export a candidate (contract §2), checked wherever the module is
 * imported: in the CLI's thread, or in the worker sandbox that then describes it to the CLI.
 */

/** What the CLI's thread needs of a candidate that runs in its worker: the export's plain fields. */
export interface CandidateDescription {
  kind: 'plugin' | 'player';
  name: string;
  version?: string;
  /** The plug-in's `discoveryPage` when it is a string; null when it is something else (resolvePage says why that is wrong). */
  discoveryPage?: string | null;
}

/** Every structural problem at once, so the user fixes them in one go. A getter on the export may throw. */
export function problemsWithCandidate(value: unknown): string[] {
  if (value === undefined) return ['the module has no default export'];
  if (!isObject(value)) return [`the default export is ${describeValue(value)}, not an object`];
  const problems: string[] = [];
  const { kind, name, version, create, storeHandlers } = value;
  if (kind !== 'plugin' && kind !== 'player') problems.push(`kind must be "plugin" or "player" (got ${describeValue(kind)})`);
  if (typeof name !== 'string' || name.trim() === '') problems.push('name must be a non-empty string');
  if (typeof create !== 'function') problems.push('default export has no create() function');
  if (version !== undefined && typeof version !== 'string') problems.push(`version must be a string when given (got ${describeValue(version)})`);
  if (storeHandlers !== undefined && typeof storeHandlers !== 'function') {
    problems.push(`storeHandlers must be a function when given (got ${describeValue(storeHandlers)})`);
  }
  return problems;
}

/** The description of an export problemsWithCandidate found nothing wrong with. */
export function describeCandidate(candidate: { kind: 'plugin' | 'player'; name: string; version?: string }): CandidateDescription {
  const page: unknown = (candidate as { discoveryPage?: unknown }).discoveryPage;
  return {
    kind: candidate.kind,
    name: candidate.name,
    ...(candidate.version === undefined ? {} : { version: candidate.version }),
    ...(page === undefined ? {} : { discoveryPage: typeof page === 'string' ? page : null }),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'undefined') return 'nothing';
  return `${typeof value} ${String(value)}`;
}
