import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCandidate } from '../../harness/adapters/load-candidate.ts';
import { UsageError } from '../../harness/errors.ts';

const GOOD_CANDIDATE = `
export default {
  kind: 'plugin' as const,
  name: 'tiny',
  version: '1.2.3',
  create() {
    return { setCallback: () => 0, download: () => 0, downloadTrackComplete: () => 0 };
  },
};
`;

async function usageErrorOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(() => undefined, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(UsageError);
  const message = (error as UsageError).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('loadCandidate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmpcert-load-'));
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
    await writeFile(join(dir, 'good.ts'), GOOD_CANDIDATE);
    await writeFile(join(dir, 'no-version.ts'), "export default { kind: 'player', name: 'host', create: () => ({}) };\n");
    await writeFile(join(dir, 'no-default.ts'), 'export const candidate = 1;\n');
    await writeFile(join(dir, 'notes.txt'), 'not a module\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns the candidate with its info: source as given, the sha256 of its bytes', async () => {
    const loaded = await loadCandidate('good.ts', dir);
    expect(loaded.info).toEqual({
      kind: 'plugin',
      name: 'tiny',
      version: '1.2.3',
      source: 'good.ts',
      sourceType: 'module',
      sha256: createHash('sha256').update(await readFile(join(dir, 'good.ts'))).digest('hex'),
    });
    expect(typeof loaded.candidate.create).toBe('function');
  });

  it('gives a null version when the candidate has none', async () => {
    const loaded = await loadCandidate(join(dir, 'no-version.ts'));
    expect(loaded.info).toMatchObject({ kind: 'player', name: 'host', version: null });
  });

  it('names the missing file as given and as resolved', async () => {
    const message = await usageErrorOf(loadCandidate('nope.ts', dir));
    expect(message).toBe(`wmpcert: cannot find candidate "nope.ts" (resolved to ${join(dir, 'nope.ts')}). `
      + 'Give the path of a .ts or .js module whose default export is a plug-in or player candidate.');
  });

  it('refuses a folder and a file that is not a module', async () => {
    expect(await usageErrorOf(loadCandidate('.', dir))).toContain('is a directory');
    expect(await usageErrorOf(loadCandidate('notes.txt', dir))).toContain('extension ".txt"');
  });

  it('says what is missing from a default export', async () => {
    expect(await usageErrorOf(loadCandidate('fixtures/bad/no-create.ts'))).toContain('default export has no create() function');
    expect(await usageErrorOf(loadCandidate('no-default.ts', dir))).toContain('the module has no default export');
    expect(await usageErrorOf(loadCandidate('fixtures/bad/not-an-object.ts'))).toContain('the default export is number 42, not an object');
  });

  it('lists every problem at once', async () => {
    const message = await usageErrorOf(loadCandidate('fixtures/bad/wrong-members.ts'));
    for (const problem of [
      'kind must be "plugin" or "player" (got "widget")',
      'name must be a non-empty string',
      'default export has no create() function',
      'version must be a string when given',
      'storeHandlers must be a function when given',
    ]) expect(message).toContain(problem);
  });

  it('turns a module that throws on import into one line with the first line of the error', async () => {
    const message = await usageErrorOf(loadCandidate('fixtures/bad/throws-on-import.ts'));
    expect(message).toContain('candidate "fixtures/bad/throws-on-import.ts" failed to load: Error: STORE_CONFIG is not set.');
    expect(message).not.toContain('second line');
  });
});
