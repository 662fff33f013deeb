/** `wmpcert report merge` as users run it (`node bin/wmpcert.js`): what it writes, and what it refuses. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificationReport } from '../../harness/report/model.ts';
import { threeShards } from './shard-reports.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'wmpcert.js');

interface Outcome { code: number; stdout: string; stderr: string }

let dir: string;

function wmpcert(...args: string[]): Promise<Outcome> {
  const env = { ...process.env };
  delete env['WMPCERT_DEBUG'];
  delete env['GITHUB_STEP_SUMMARY'];
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: dir, env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

function expectUsageError(outcome: Outcome): string {
  expect(outcome.code, outcome.stderr).toBe(2);
  expect(outcome.stderr).toMatch(/^wmpcert: [^\n]+\n$/);
  expect(outcome.stdout).toBe('');
  return outcome.stderr;
}

async function write(name: string, report: CertificationReport): Promise<string> {
  await writeFile(join(dir, name), JSON.stringify(report, null, 2));
  return name;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmpcert-merge-'));
  const [one, two, three] = threeShards();
  await write('shard-1.json', one!);
  await write('shard-2.json', two!);
  await write('shard-3.json', three!);
  await write('shard-3-seed-43.json', { ...three!, seed: 43 });
  await write('unsharded.json', { ...three!, shard: null });
  await writeFile(join(dir, 'invalid.json'), JSON.stringify({ ...one!, verdict: 'maybe' }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('wmpcert report merge', () => {
  it('merges the shards: writes the four reports, prints the verdict, exits 1 when not certified', async () => {
    const outcome = await wmpcert('report', 'merge', 'shard-3.json', 'shard-1.json', 'shard-2.json', '--out', 'merged');
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe([
      'wmpcert: merged 3 shards of seed 42, 30 runs',
      // The failure, then the rule no shard judged (fail closed), each on its own lines.
      'wmpcert: NOT certified: DL-02; not judged: DL-11',
      '  DL-02  failed at 5',
      `         replay: npx wmpcert replay ${join('merged', 'report.json')} --rule DL-02`,
      '  DL-11  not judged: no generated scenario exercised this rule; raise --runs',
      `wmpcert: report ${join('merged', 'report.json')}`,
      '',
    ].join('\n'));
    expect((await readdir(join(dir, 'merged'))).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md']);
    const report = JSON.parse(await readFile(join(dir, 'merged', 'report.json'), 'utf8')) as CertificationReport;
    expect(report.shard).toBeNull();
    expect(report.mergedFrom?.map((each) => each.shard.index)).toEqual([1, 2, 3]);
    const failed = report.rules.find((rule) => rule.id === 'DL-02')!;
    expect(failed.failure!.counterexample.foundAtRun).toBe(5);
    expect(failed.failure!.replay).toBe('npx wmpcert replay merged/report.json --rule DL-02');
  });

  it('a missing shard: exit 2, one line naming it, nothing written', async () => {
    const stderr = expectUsageError(await wmpcert('report', 'merge', 'shard-1.json', 'shard-3.json', '--out', 'missing'));
    expect(stderr).toContain('shard 2/3 is missing');
    await expect(readdir(join(dir, 'missing'))).rejects.toThrow();
  });

  it('shards of different seeds: exit 2, one line naming both reports and the seeds', async () => {
    const stderr = expectUsageError(await wmpcert('report', 'merge', 'shard-1.json', 'shard-2.json', 'shard-3-seed-43.json', '--out', 'seeds'));
    expect(stderr).toContain('"shard-1.json" and "shard-3-seed-43.json" are not shards of one run: their seed differs ("42" vs "43")');
  });

  it('a shard given twice, a report that is not a shard, an invalid report: exit 2', async () => {
    expect(expectUsageError(await wmpcert('report', 'merge', 'shard-1.json', 'shard-2.json', 'shard-2.json', 'shard-3.json', '--out', 'twice')))
      .toContain('"shard-2.json" (shard 2/3) is given twice');
    expect(expectUsageError(await wmpcert('report', 'merge', 'shard-1.json', 'unsharded.json', '--out', 'whole')))
      .toContain('"unsharded.json" is not the report of a shard');
    expect(expectUsageError(await wmpcert('report', 'merge', 'shard-1.json', 'invalid.json', '--out', 'invalid')))
      .toContain('"invalid.json" does not match the report schema');
  });
});
