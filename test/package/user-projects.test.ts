/**
 * wmpcert as its users get it: `npm pack` of this checkout, installed outside the repository, and
 * projects laid out the way plug-in authors lay them out (fixtures/projects/: CommonJS and ESM
 * packages, every module extension, the three spellings of a relative import, a plug-in with its
 * own tsconfig.json and node_modules). Each project's plug-in imports only the public 'wmpcert'
 * API. Each is certified as it is (certified, with its scenarios really run), then with one natural
 * bug, an off-by-one that leaves out the last track of every container (not certified, under DL-02,
 * named on the console with its replay command). Slow: it packs and installs the package.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificationReport } from '../../harness/report/model.ts';
import { ROOT, describeOutcome, editFile, packAndInstall, run, userProject, wmpcert, type Installed } from './packed-wmpcert.ts';

const SLOW = 900_000;
/** Enough scenarios that every required rule is judged (a rule left unjudged is never certified). */
const RUNS = '40';
const SEED = '7';

/** Project folder, candidate file: one per layout of fixtures/projects. */
const LAYOUTS: readonly (readonly [string, string])[] = [
  ['commonjs-ts', 'src/plugin.ts'], // `npm init -y`: "type": "commonjs"; imports './store-client.js'
  ['untyped-ts-extensionless', 'src/plugin.ts'], // no "type"; imports './store-client'
  ['module-ts-ts-specifier', 'src/plugin.ts'], // "type": "module"; imports './store-client.ts'
  ['untyped-mts', 'src/plugin.mts'],
  ['module-cts', 'src/plugin.cts'], // CommonJS by extension inside an ESM package: require('wmpcert')
  ['commonjs-js', 'src/plugin.js'], // require('wmpcert'), module.exports
  ['module-cjs', 'src/plugin.cjs'],
  ['module-js', 'src/plugin.js'],
  ['untyped-mjs', 'src/plugin.mjs'],
  ['nested-own-tsconfig', 'plugins/acme/src/plugin.ts'], // own tsconfig.json (paths), own node_modules
];

/** The bug: the loop over a container's tracks stops one short. */
const CORRECT_LOOP = 'for (let i = 0; i < count; i++)';
const BUGGY_LOOP = 'for (let i = 0; i < count - 1; i++)';

let installed: Installed;

beforeAll(async () => {
  installed = await packAndInstall();
}, SLOW);

afterAll(async () => {
  if (installed) await rm(installed.dir, { recursive: true, force: true });
});

async function project(layout: string, name: string): Promise<string> {
  const dir = await userProject(installed, layout, name);
  if (layout === 'nested-own-tsconfig') {
    // Its own node_modules, with a package only it depends on.
    await mkdir(join(dir, 'plugins/acme/node_modules'), { recursive: true });
    await cp(join(dir, 'plugins/acme/vendor/acme-retry'), join(dir, 'plugins/acme/node_modules/acme-retry'), { recursive: true });
  }
  return dir;
}

const readReport = async (dir: string) => JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as CertificationReport;

/** Runs `work` on every item, two at a time (two cores). */
async function inPairs<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all([0, 1].map(async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

describe('the packed package', () => {
  it('ships compiled JavaScript with declarations, the bin and the docs, and none of the sources or tests', async () => {
    const listed = await run('tar', ['tzf', installed.tarball], installed.dir);
    const files = listed.stdout.split('\n').filter(Boolean).map((file) => file.replace(/^package\//, ''));
    for (const file of ['bin/wmpcert.js', 'dist/harness/index.js', 'dist/harness/index.d.ts', 'dist/cjs/index.cjs', 'dist/harness/vitest/index.js',
      'dist/harness/report/report.schema.json', 'dist/harness/adapters/stdio/wire.schema.json', 'dist/harness/sandbox/worker-entry.js',
      'dist/suites/download.suite.js', 'fixtures/wire/reference_plugin.py', 'fixtures/wire/reference-plugin.mjs', 'docs/wire-protocol.md', 'docs/com-plugins.md',
      'bridge/bin/x64/wmpcert-com-host.exe', 'bridge/bin/x86/wmpcert-com-host.exe', 'README.md', 'package.json']) {
      expect(files).toContain(file);
    }
    // Of the fixtures, only the wire examples the README points to.
    const examples = new Set(['fixtures/wire/reference_plugin.py', 'fixtures/wire/reference-plugin.mjs']);
    expect(files.filter((file) => !examples.has(file) && (/^(test|bench|fixtures|harness|\.ci|\.scratch|reports|node_modules)\//.test(file) || (file.endsWith('.ts') && !file.endsWith('.d.ts'))))).toEqual([]);
  });

  it('is requirable and importable from plain Node, and answers --version', { timeout: SLOW }, async () => {
    const dir = await project('commonjs-js', 'plain-node');
    const required = await run(process.execPath, ['-e', "const w = require('wmpcert'); console.log(typeof w.HResultError, w.hresultName(w.E_FAIL))"], dir);
    expect(required.code, describeOutcome(required)).toBe(0);
    expect(required.stdout.trim()).toBe('function E_FAIL');
    const imported = await run(process.execPath, ['--input-type=module', '-e', "import { E_ACCESSDENIED, hresultName } from 'wmpcert'; console.log(hresultName(E_ACCESSDENIED))"], dir);
    expect(imported.code, describeOutcome(imported)).toBe(0);
    expect(imported.stdout.trim()).toBe('E_ACCESSDENIED');
    const version = await wmpcert(installed, dir, '--version');
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('certifies a conforming plug-in in every layout, with its scenarios run', { timeout: SLOW }, async () => {
    const problems: string[] = [];
    // One at a time: a conforming plug-in must be certified without the machine's help.
    for (const [layout, file] of LAYOUTS) {
      const dir = await project(layout, `${layout}-conforming`);
      const outcome = await wmpcert(installed, dir, 'certify', file, '--runs', RUNS, '--seed', SEED, '--out', 'reports/run');
      if (outcome.code !== 0) {
        problems.push(`${layout}: ${describeOutcome(outcome)}`);
        continue;
      }
      const report = await readReport(join(dir, 'reports/run'));
      if (report.verdict !== 'certified' || report.stats.scenarios !== Number(RUNS)) problems.push(`${layout}: verdict ${report.verdict} after ${report.stats.scenarios} scenarios`);
      if (!outcome.stdout.split('\n').includes('wmpcert: certified')) problems.push(`${layout}: no "certified" line`);
    }
    expect(problems).toEqual([]);
  });

  it('does not certify the same plug-in with an off-by-one, and names DL-02 with its replay command', { timeout: SLOW }, async () => {
    const problems: string[] = [];
    await inPairs(LAYOUTS, async ([layout, file]) => {
      const dir = await project(layout, `${layout}-buggy`);
      await editFile(join(dir, file), CORRECT_LOOP, BUGGY_LOOP);
      const outcome = await wmpcert(installed, dir, 'certify', file, '--runs', RUNS, '--seed', SEED, '--out', 'reports/run');
      if (outcome.code !== 1) return void problems.push(`${layout}: ${describeOutcome(outcome)}`);
      const report = await readReport(join(dir, 'reports/run'));
      if (!report.blockingFailures.includes('DL-02')) problems.push(`${layout}: failed ${report.blockingFailures.join(', ')}, not DL-02`);
      if (report.stats.scenarios !== Number(RUNS)) problems.push(`${layout}: ${report.stats.scenarios} scenarios ran`);
      const lines = outcome.stdout.split('\n');
      const at = lines.findIndex((line) => line.startsWith('  DL-02  '));
      if (at < 0 || !lines[at + 1]?.includes('replay: npx wmpcert replay reports/run/report.json --rule DL-02')) problems.push(`${layout}: DL-02 and its replay command are not on the console:\n${outcome.stdout}`);
    });
    expect(problems).toEqual([]);
  });

  it('replays a failure from another folder, resolving the candidate against the report', { timeout: SLOW }, async () => {
    const dir = await project('commonjs-ts', 'replay-anywhere');
    await editFile(join(dir, 'src/plugin.ts'), CORRECT_LOOP, BUGGY_LOOP);
    const certified = await wmpcert(installed, dir, 'certify', 'src/plugin.ts', '--runs', RUNS, '--seed', SEED, '--out', 'reports/run');
    expect(certified.code, describeOutcome(certified)).toBe(1);
    await mkdir(join(dir, 'deep/er'), { recursive: true });
    const replayed = await wmpcert(installed, join(dir, 'deep/er'), 'replay', '../../reports/run/report.json', '--rule', 'DL-02');
    expect(replayed.code, describeOutcome(replayed)).toBe(1);
    expect(replayed.stdout).toContain('DL-02 fails again');
  });

  it('the README example type-checks against the shipped declarations with a plain tsconfig, and wrong code does not', { timeout: SLOW }, async () => {
    const dir = await project('module-ts-ts-specifier', 'typecheck');
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Writing a candidate')))![1]!;
    await writeFile(join(dir, 'my-plugin.ts'), example);
    await writeFile(join(dir, 'wrong.ts'), "import { S_OK, type PluginCandidate } from 'wmpcert';\nexport const wrong: PluginCandidate = { kind: 'plugin', name: 42, create: () => S_OK };\n");
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const options = { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['my-plugin.ts'] }));
    const clean = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir);
    expect(clean.code, describeOutcome(clean)).toBe(0);
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['wrong.ts'] }));
    const wrong = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toContain("wrong.ts(2,57): error TS2322: Type 'number' is not assignable to type 'string'.");
    // And the CommonJS declarations, for a project that requires wmpcert.
    await writeFile(join(dir, 'wrong.cts'), "import { type PluginCandidate } from 'wmpcert';\nexport const wrong: PluginCandidate = { kind: 'plugin', name: 42, create: () => { throw new Error(); } };\n");
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: options, files: ['wrong.cts'] }));
    const wrongCjs = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir);
    expect(wrongCjs.stdout).toContain("error TS2322: Type 'number' is not assignable to type 'string'.");
  });

  it('certifies the README example inside the project\'s own vitest run through "wmpcert/vitest"', { timeout: SLOW }, async () => {
    const dir = await project('module-ts-ts-specifier', 'own-vitest');
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Writing a candidate')))![1]!;
    const snippet = /```ts\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('### Inside your own vitest run')))![1]!;
    await writeFile(join(dir, 'my-plugin.ts'), example);
    await writeFile(join(dir, 'my-plugin.test.ts'), snippet.replace('{ runs: 100 }', `{ runs: ${RUNS} }`));
    const outcome = await run(process.execPath, [join(installed.nodeModules, 'vitest', 'vitest.mjs'), 'run', '--reporter=json', '--outputFile=vitest.json'], dir);
    expect(outcome.code, describeOutcome(outcome)).toBe(0);
    const results = JSON.parse(await readFile(join(dir, 'vitest.json'), 'utf8')) as { numPassedTests: number; numFailedTests: number };
    expect(results.numFailedTests).toBe(0);
    expect(results.numPassedTests).toBeGreaterThanOrEqual(15);
  });
});

