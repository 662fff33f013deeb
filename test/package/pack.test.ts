/**
 * What `npm pack` ships works where users install it: the tarball goes into an empty project
 * (from the npm cache, no network), where the README's example plug-in, importing from 'wmpcert',
 * is certified by `wmpcert certify` (the rule suites then run from node_modules/wmpcert/suites),
 * certified again inside the project's own vitest through 'wmpcert/vitest', and type-checks against
 * the shipped declarations. Slow: it installs a whole dependency tree.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertificationReport } from '../../harness/report/model.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const SLOW = 600_000;

interface Outcome { code: number; stdout: string; stderr: string }

/** The environment of a user's shell: none of the variables npm sets for the script that runs this test. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    const fromNpmScript = /^npm_(package_|lifecycle_|config_local_prefix$|command$|execpath$|node_execpath$)/i.test(name);
    if (!fromNpmScript && name !== 'WMPCERT_DEBUG' && name !== 'GITHUB_STEP_SUMMARY' && name !== 'VITEST' && !name.startsWith('VITEST_')) env[name] = value;
  }
  return env;
}

function run(file: string, args: string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: userEnv(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

function describeOutcome(outcome: Outcome): string {
  return `exit ${outcome.code}\n--- stdout\n${outcome.stdout.slice(-4000)}\n--- stderr\n${outcome.stderr.slice(-4000)}`;
}

async function readmeBlock(heading: string): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match) throw new Error(`README.md has no \`\`\`ts block under "${heading}"`);
  return match[1]!;
}

let dir: string;
let project: string;
let tarball: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmpcert-pack-'));
  project = join(dir, 'project');

  const packed = await run(NPM, ['pack', '--pack-destination', dir, '--json', '--no-audit', '--no-fund'], ROOT);
  expect(packed.code, describeOutcome(packed)).toBe(0);
  const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [{ filename: string }];
  tarball = join(dir, filename);

  await mkdir(project);
  await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'my-plugin', private: true, type: 'module' }, null, 2)}\n`);
  // Everything wmpcert needs is in the npm cache already (npm ci ran); no network.
  let installed = await run(NPM, ['install', tarball, '--offline', '--no-audit', '--no-fund'], project);
  if (installed.code !== 0) installed = await run(NPM, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], project);
  expect(installed.code, describeOutcome(installed)).toBe(0);

  await writeFile(join(project, 'my-plugin.ts'), await readmeBlock('## Writing a candidate'));
}, SLOW);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the npm package, installed in an empty project', () => {
  it('ships the harness, the suites, the declarations and the bin, and none of the tests', async () => {
    const listed = await run('tar', ['tzf', tarball], dir);
    const files = listed.stdout.split('\n').filter(Boolean).map((file) => file.replace(/^package\//, ''));
    for (const file of ['bin/wmpcert.js', 'harness/index.ts', 'harness/vitest/index.ts', 'harness/report/report.schema.json', 'suites/download.suite.ts', 'types/index.d.ts', 'types/vitest/index.d.ts', 'README.md', 'package.json']) {
      expect(files).toContain(file);
    }
    expect(files.filter((file) => /^(test|bench|\.ci|\.scratch|reports|node_modules)\//.test(file))).toEqual([]);
    expect(existsSync(join(ROOT, 'types')), 'postpack removes the generated declarations').toBe(false);
  });

  it('`wmpcert certify ./my-plugin.ts` certifies the README example, importing from "wmpcert"', { timeout: SLOW }, async () => {
    const outcome = await run(process.execPath, ['node_modules/.bin/wmpcert', 'certify', './my-plugin.ts', '--runs', '20', '--seed', '1'], project);
    expect(outcome.code, describeOutcome(outcome)).toBe(0);
    expect(outcome.stderr).toBe('');
    const lines = outcome.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('wmpcert: seed 1');
    expect(lines).toContain('wmpcert: certified');
    const [folder] = await readdir(join(project, 'reports'));
    const report = JSON.parse(await readFile(join(project, 'reports', folder!, 'report.json'), 'utf8')) as CertificationReport;
    expect(report.verdict).toBe('certified');
    expect(report.candidate.name).toBe('my store');
    expect(report.runs).toBe(20);
  });

  it('"wmpcert/vitest" certifies it inside the project\'s own vitest run', { timeout: SLOW }, async () => {
    const snippet = (await readmeBlock('### Inside your own vitest run')).replace('{ runs: 100 }', '{ runs: 20 }');
    await writeFile(join(project, 'my-plugin.test.ts'), snippet);
    const outcome = await run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=json', '--outputFile=vitest.json'], project);
    expect(outcome.code, describeOutcome(outcome)).toBe(0);
    const results = JSON.parse(await readFile(join(project, 'vitest.json'), 'utf8')) as { numPassedTests: number; numFailedTests: number };
    // One test per plug-in rule, named by its ID.
    expect(results.numFailedTests).toBe(0);
    expect(results.numPassedTests).toBeGreaterThanOrEqual(15);
  });

  it('type-checks against the shipped declarations with a plain tsconfig', { timeout: SLOW }, async () => {
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true },
      files: ['my-plugin.ts'],
    }));
    await writeFile(join(project, 'wrong.ts'), "import { S_OK, type PluginCandidate } from 'wmpcert';\nexport const wrong: PluginCandidate = { kind: 'plugin', name: 42, create: () => S_OK };\n");
    // TypeScript is wmpcert's devDependency, not the project's: the repository's compiler checks the project.
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const clean = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    expect(clean.code, describeOutcome(clean)).toBe(0);
    // Not vacuous: the declarations carry the real types.
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true },
      files: ['wrong.ts'],
    }));
    const wrong = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], project);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toContain("wrong.ts(2,57): error TS2322: Type 'number' is not assignable to type 'string'.");
  });
});
