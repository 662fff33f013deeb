/**
 * The packed package, installed once where a user's project would find it: `npm pack` of this
 * checkout, installed (from the npm cache, no network) into a folder outside the repository. Test
 * projects link that folder's node_modules, so each is certified from the tarball exactly as a
 * user's project is, without an install of its own.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface Outcome { code: number; stdout: string; stderr: string }

/** The environment of a user's shell: none of the variables npm or vitest set for this test. */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    const fromNpmScript = /^npm_(package_|lifecycle_|config_local_prefix$|command$|execpath$|node_execpath$)/i.test(name);
    if (!fromNpmScript && name !== 'WMPCERT_DEBUG' && name !== 'GITHUB_STEP_SUMMARY' && name !== 'VITEST' && name !== 'NODE_OPTIONS' && !name.startsWith('VITEST_') && !name.startsWith('TSX_')) env[name] = value;
  }
  return env;
}

export function run(file: string, args: string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: userEnv(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

export function describeOutcome(outcome: Outcome): string {
  return `exit ${outcome.code}\n--- stdout\n${outcome.stdout.slice(-4000)}\n--- stderr\n${outcome.stderr.slice(-4000)}`;
}

export interface Installed {
  /** Scratch folder outside the repository. */
  dir: string;
  tarball: string;
  /** node_modules holding wmpcert (from the tarball) and its dependencies. */
  nodeModules: string;
}

/** Packs this checkout and installs the tarball into `<dir>/deps`. */
export async function packAndInstall(): Promise<Installed> {
  const dir = await mkdtemp(join(tmpdir(), 'wmpcert-user-'));
  const packed = await run(NPM, ['pack', '--pack-destination', dir, '--json', '--no-audit', '--no-fund'], ROOT);
  if (packed.code !== 0) throw new Error(`npm pack failed: ${describeOutcome(packed)}`);
  const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [{ filename: string }];
  const tarball = join(dir, filename);
  const deps = join(dir, 'deps');
  await mkdir(deps);
  await writeFile(join(deps, 'package.json'), '{ "name": "deps", "private": true }\n');
  // Everything wmpcert needs is in the npm cache already (npm ci ran); no network.
  let installed = await run(NPM, ['install', tarball, '--offline', '--no-audit', '--no-fund'], deps);
  if (installed.code !== 0) installed = await run(NPM, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], deps);
  if (installed.code !== 0) throw new Error(`npm install of the tarball failed: ${describeOutcome(installed)}`);
  return { dir, tarball, nodeModules: join(deps, 'node_modules') };
}

/** Copies a project of fixtures/projects/ to `<dir>/<name>` and links the installed node_modules into it. */
export async function userProject(installed: Installed, fixture: string, name: string = fixture): Promise<string> {
  const project = join(installed.dir, name);
  await cp(join(ROOT, 'fixtures', 'projects', fixture), project, { recursive: true });
  await symlink(installed.nodeModules, join(project, 'node_modules'), 'dir');
  return project;
}

/** The same source with one edit (a user's bug): fails loudly if the text to replace is not there. */
export async function editFile(path: string, from: string, to: string): Promise<void> {
  const text = await readFile(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${path} does not contain ${JSON.stringify(from)}`);
  await writeFile(path, text.replace(from, to));
}

/** `wmpcert` as the user runs it: the installed package's bin, in the project's folder. */
export function wmpcert(installed: Installed, cwd: string, ...args: string[]): Promise<Outcome> {
  return run(process.execPath, [join(installed.nodeModules, 'wmpcert', 'bin', 'wmpcert.js'), ...args], cwd);
}
