/**
 * The README's "Sharding in CI" workflow works as written: its `npx wmpcert` commands are run as the
 * matrix would run them (each shard, then the merge over the downloaded reports), on the README's
 * own example plug-in. Only `--runs` is lowered, to keep the test quick.
 */
import { exec } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CertificationReport } from '../../harness/report/model.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'wmpcert.js');

let readme: string;
let dir: string;

function section(title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function fenced(text: string, language: string): string {
  const match = new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(text);
  if (!match) throw new Error(`no \`\`\`${language} block`);
  return match[1]!;
}

interface Outcome { code: number; stdout: string; stderr: string }

function shell(command: string): Promise<Outcome> {
  const env = { ...process.env };
  delete env['WMPCERT_DEBUG'];
  delete env['GITHUB_STEP_SUMMARY'];
  return new Promise((resolve) => {
    exec(command, { cwd: dir, env, shell: '/bin/sh' }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

beforeAll(async () => {
  readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  dir = await mkdtemp(join(tmpdir(), 'wmpcert-workflow-'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'my-plugin', private: true, type: 'module' }));
  const example = fenced(section('Writing a candidate'), 'ts');
  await writeFile(join(dir, 'my-plugin.ts'), example.replace("from 'wmpcert'", `from '${pathToFileURL(join(ROOT, 'harness', 'index.ts')).href}'`));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it('the README workflow: certify each shard of the matrix, then merge the reports', { timeout: 300_000 }, async () => {
  const workflow = fenced(section('Sharding in CI'), 'yaml');
  const shards = /shard: \[([0-9, ]+)\]/.exec(workflow)![1]!.split(',').map((shard) => shard.trim());
  expect(shards).toEqual(['1', '2', '3']);
  const commands = [...workflow.matchAll(/^\s+- run: (npx wmpcert .*)$/gm)].map((match) => match[1]!);
  expect(commands).toHaveLength(2);
  const [certify, merge] = commands as [string, string];
  expect(certify).toMatch(/^npx wmpcert certify my-plugin\.ts --runs [0-9]+ /);
  expect(merge).toMatch(/^npx wmpcert report merge /);

  const asRun = (command: string, shard?: string) => command
    .replace(/^npx wmpcert /, `"${process.execPath}" "${BIN}" `)
    .replace(/--runs [0-9]+/, '--runs 24')
    .replaceAll('${{ github.run_number }}', '7')
    .replaceAll('${{ matrix.shard }}', shard ?? '?');

  for (const shard of shards) {
    const outcome = await shell(asRun(certify, shard));
    expect(outcome.stderr).toBe('');
    expect(outcome.code, outcome.stdout).toBe(0);
    expect(outcome.stdout.split('\n')[0]).toBe('wmpcert: seed 7');
    expect(outcome.stdout).toContain(`(shard ${shard}/3)`);
  }
  // upload-artifact of reports/ and download-artifact with merge-multiple into reports/ give back the same folders.
  const merged = await shell(asRun(merge));
  expect(merged.stderr).toBe('');
  expect(merged.code, merged.stdout).toBe(0);
  expect(merged.stdout).toBe('wmpcert: merged 3 shards of seed 7, 24 runs\nwmpcert: certified\nwmpcert: report reports/merged/report.json\n');
  const report = JSON.parse(await readFile(join(dir, 'reports', 'merged', 'report.json'), 'utf8')) as CertificationReport;
  expect(report.verdict).toBe('certified');
  expect(report.stats.scenarios).toBe(24);
  expect(report.mergedFrom).toHaveLength(3);
});
