/**
 * Where reports go, and how they get there. A candidate's name is chosen by its author, so it is
 * never trusted as a path: it is mapped to a safe folder name, and files are written only inside
 * the chosen folder, atomically (a reader never sees half a report.json).
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

const MAX_NAME_LENGTH = 64;
const HASH_LENGTH = 8;
const FALLBACK_NAME = 'candidate';
/** Device names Windows refuses as file names, whatever the extension. */
const WINDOWS_DEVICE_NAMES = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A folder name made of [A-Za-z0-9._-] only: other characters become "-", runs of "-" collapse,
 * leading and trailing dots and dashes go (no hidden folders, no "." or "..", nothing that reads as
 * an option), at most 64 characters, never empty. When the mapping changed anything, a short hash
 * of the original name is appended, so two different names never share a folder.
 */
export function safeName(candidateName: string): string {
  const mapped = candidateName
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '');
  const needsHash = mapped === ''
    || mapped !== candidateName
    || mapped.length > MAX_NAME_LENGTH
    || WINDOWS_DEVICE_NAMES.test(mapped);
  if (!needsHash) return mapped;
  const hash = createHash('sha256').update(candidateName).digest('hex').slice(0, HASH_LENGTH);
  const stem = mapped.slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1).replace(/[.-]+$/, '') || FALLBACK_NAME;
  return `${stem}-${hash}`;
}

/** `reports/<safe candidate name>` under the working directory (contract §6). */
export function defaultOutDir(candidateName: string, cwd: string = process.cwd()): string {
  return join(resolve(cwd), 'reports', safeName(candidateName));
}

/**
 * Writes `dir/fileName` through a temporary file in the same folder and a rename, which replaces
 * the target in one step. `fileName` must be a plain name: no separators, no "..". Returns the
 * absolute path written.
 */
export async function writeFileAtomic(dir: string, fileName: string, contents: string | Uint8Array): Promise<string> {
  assertPlainFileName(fileName);
  const folder = resolve(dir);
  const target = resolve(folder, fileName);
  // Belt and braces: whatever the name check missed, the file must land directly in `dir`.
  if (dirname(target) !== folder) throw new Error(`refusing to write ${JSON.stringify(fileName)} outside ${folder}`);
  const temporary = join(folder, `.${fileName}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(contents);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  return target;
}

function assertPlainFileName(fileName: string): void {
  const plain = fileName !== ''
    && fileName !== '.'
    && !fileName.includes('..')
    && !/[/\\\0]/.test(fileName);
  if (!plain) throw new Error(`not a plain file name: ${JSON.stringify(fileName)} (no path separators, no "..")`);
}
