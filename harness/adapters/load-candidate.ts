/**
 * Loads an in-process candidate (contract §2, §5): a .ts or .js module whose default export is a
 * plug-in or player candidate. Everything that can go wrong here is the user's set-up, so every
 * failure is a UsageError (exit 2) with one line from harness/messages.ts.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { Candidate } from '../protocol/types.ts';
import type { LoadedCandidate } from '../runner/certify.ts';
import { UsageError } from '../errors.ts';
import * as messages from '../messages.ts';
import { importCandidateModule } from './candidate-module.ts';

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

/** `path` is kept as given in the report (`source`), so that replay resolves it the same way. */
export async function loadCandidate(path: string, cwd: string = process.cwd()): Promise<LoadedCandidate> {
  const absolute = resolve(cwd, path);
  const bytes = await readCandidateFile(path, absolute);
  const defaultExport = await importDefaultExport(path, absolute);
  const candidate = asCandidate(path, defaultExport);
  return {
    candidate,
    modulePath: absolute,
    info: {
      kind: candidate.kind,
      name: candidate.name,
      version: candidate.version ?? null,
      source: path,
      sourceType: 'module',
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
  };
}

/** The bytes are read before the import, so the hash names the file that was certified. */
async function readCandidateFile(given: string, absolute: string): Promise<Buffer> {
  const stats = await stat(absolute).catch((error: unknown) => {
    if (isMissingFileError(error)) throw new UsageError(messages.candidateNotFound(given, absolute));
    throw new UsageError(messages.moduleFailedToLoad(given, error), { cause: error });
  });
  if (stats.isDirectory()) throw new UsageError(messages.candidateIsADirectory(given, absolute));
  const extension = extname(absolute);
  if (!MODULE_EXTENSIONS.has(extension)) throw new UsageError(messages.unsupportedCandidateFile(given, extension));
  try {
    return await readFile(absolute);
  } catch (error) {
    throw new UsageError(messages.moduleFailedToLoad(given, error), { cause: error });
  }
}

function isMissingFileError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function importDefaultExport(given: string, absolute: string): Promise<unknown> {
  try {
    return await importCandidateModule(absolute);
  } catch (error) {
    throw new UsageError(messages.moduleFailedToLoad(given, error), { cause: error });
  }
}

function asCandidate(given: string, value: unknown): Candidate {
  let problems: string[];
  try {
    problems = problemsWithCandidate(value);
  } catch (error) {
    // A getter on the export threw while we looked at it.
    throw new UsageError(messages.moduleFailedToLoad(given, error), { cause: error });
  }
  if (problems.length > 0) throw new UsageError(messages.notACandidate(given, problems));
  return value as Candidate;
}

/** Every structural problem at once, so the user fixes them in one go. */
function problemsWithCandidate(value: unknown): string[] {
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
