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
import { problemsWithCandidate } from './candidate-shape.ts';
import type { WorkerLoading } from '../sandbox/worker-protocol.ts';

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

/** `path` is kept as given in the report (`source`), so that replay resolves it the same way. */
export async function loadCandidate(path: string, cwd: string = process.cwd()): Promise<LoadedCandidate> {
  const absolute = resolve(cwd, path);
  const bytes = await readCandidateFile(path, absolute);
  const candidate = asCandidate(path, await importDefaultExport(path, absolute));
  return loadedModule(candidate, path, absolute, bytes);
}

/**
 * loadCandidate for a module its worker sandbox imports (the CLI's certifications): this thread
 * checks the file and takes the worker's word for what its default export is, with the same
 * errors as loadCandidate. It never imports the module, and so needs no TypeScript loader of its
 * own. `candidate` is then the export's description: its fields, with a create() that says the
 * candidate runs in its worker.
 */
export async function loadCandidateInWorker(path: string, loading: () => Promise<WorkerLoading>, cwd: string = process.cwd()): Promise<LoadedCandidate> {
  const absolute = resolve(cwd, path);
  const bytes = await readCandidateFile(path, absolute);
  const loaded = await loading();
  if (loaded.type === 'load-failed') throw new UsageError(messages.moduleFailedToLoadWith(path, loaded.errorLine), { cause: workerError(loaded) });
  if (loaded.type === 'not-a-candidate') throw new UsageError(messages.notACandidate(path, loaded.problems));
  const candidate = {
    ...loaded.description,
    create() {
      throw new Error(`${path} runs in its worker sandbox: this thread holds only its description`);
    },
  } as Candidate;
  return loadedModule(candidate, path, absolute, bytes);
}

function loadedModule(candidate: Candidate, path: string, absolute: string, bytes: Buffer): LoadedCandidate {
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

/** The worker's error as this thread can show it (WMPCERT_DEBUG=1 prints its stack). */
function workerError(loaded: Extract<WorkerLoading, { type: 'load-failed' }>): Error {
  const error = new Error(loaded.message);
  if (loaded.stack) error.stack = loaded.stack;
  return error;
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
