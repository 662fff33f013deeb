import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultOutDir, safeName, writeFileAtomic } from '../../harness/report/output-dir.ts';

describe('safeName', () => {
  it('keeps a name that is already safe', () => {
    expect(safeName('reference-plugin_1.2.0')).toBe('reference-plugin_1.2.0');
  });

  it('maps other characters to "-", collapses them, and adds a hash of the original', () => {
    expect(safeName('My Store: plug-in')).toMatch(/^My-Store-plug-in-[0-9a-f]{8}$/);
  });

  it('gives two names that map alike different folders', () => {
    expect(safeName('a b')).not.toBe(safeName('a/b'));
    expect(safeName('a b')).not.toBe('a-b');
  });

  it('never yields an empty name, ".", "..", a hidden folder or something that reads as an option', () => {
    for (const name of ['', '.', '..', '...', '.hidden', '-rf', '日本語', '/', '\0']) {
      const safe = safeName(name);
      expect(safe, name).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/);
      expect(safe, name).not.toMatch(/^\.\.?$/);
    }
  });

  it('caps the length at 64 characters', () => {
    expect(safeName('x'.repeat(64))).toBe('x'.repeat(64));
    const long = safeName('x'.repeat(65));
    expect(long).toHaveLength(64);
    expect(long).not.toBe(safeName('x'.repeat(66)));
  });

  it('steers clear of Windows device names', () => {
    expect(safeName('NUL')).toMatch(/^NUL-[0-9a-f]{8}$/);
  });
});

describe('defaultOutDir', () => {
  it('puts a hostile candidate name inside reports/', () => {
    const cwd = resolve('/work/project');
    const dir = defaultOutDir('../../etc/<script>', cwd);
    const fromReports = relative(join(cwd, 'reports'), dir);
    expect(fromReports).not.toMatch(/^\.\./);
    expect(fromReports).not.toContain(sep);
    expect(fromReports).toMatch(/^etc-script-[0-9a-f]{8}$/);
  });
});

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmpcert-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the file, replaces an older one, and leaves no temporary file behind', async () => {
    await writeFile(join(dir, 'report.json'), 'old');
    const written = await writeFileAtomic(dir, 'report.json', '{"new":true}\n');
    expect(written).toBe(join(dir, 'report.json'));
    expect(await readFile(written, 'utf8')).toBe('{"new":true}\n');
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('writes bytes as they are', async () => {
    const bytes = new Uint8Array([0, 0xff, 0x0a]);
    expect(new Uint8Array(await readFile(await writeFileAtomic(dir, 'blob.bin', bytes)))).toEqual(bytes);
  });

  it.each(['../escape.json', 'sub/report.json', 'sub\\report.json', '..', '.', '', 'a..b'])('refuses the file name %j', async (name) => {
    await expect(writeFileAtomic(dir, name, 'x')).rejects.toThrow(/not a plain file name/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('cleans up its temporary file when the rename fails', async () => {
    // A non-empty folder in the way of the target makes the rename fail after the temporary file was written.
    await mkdir(join(dir, 'taken', 'inside'), { recursive: true });
    await expect(writeFileAtomic(dir, 'taken', 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
  });
});
