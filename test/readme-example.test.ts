/**
 * The README's candidate example is real: extracted from README.md and certified, so the first
 * plug-in a newcomer copies is known to pass.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { certify } from '../harness/runner/certify.ts';
import type { PluginCandidate } from '../harness/protocol/types.ts';

const ROOT = join(import.meta.dirname, '..');

async function readmeExample(): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Writing a candidate'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error('README.md has no ```ts example under "Writing a candidate"');
  return match[1]!.replace("from 'wmpcert'", "from '../../harness/index.ts'");
}

test('the README example plug-in is certified', async () => {
  const dir = join(ROOT, 'test', '.generated');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'readme-plugin.ts');
  await writeFile(file, await readmeExample());
  const candidate = (await import(file)).default as PluginCandidate;
  const report = await certify(
    { candidate, info: { kind: 'plugin', name: candidate.name, version: null, source: file, sourceType: 'module', sha256: '0'.repeat(64) } },
    { runs: 60, seed: 11, timeoutMs: 5000, level: 'required', shard: null, replayCommand: () => '', log: () => {} },
  );
  expect(report.rules.filter((rule) => rule.status === 'failed').map((rule) => rule.id)).toEqual([]);
  expect(report.verdict).toBe('certified');
});
