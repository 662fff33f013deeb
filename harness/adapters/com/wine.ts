/**
 * Wine for a COM plug-in DLL's bridge on Linux (and macOS). Each certification gets its own Wine
 * prefix, made from a template made once per machine: creating a prefix costs 7–13 s, and the
 * template's 1.2 GB of Windows DLLs are hard links in the run's prefix (its registry is copied), so
 * making one costs a fraction of a second and no disk. Each prefix has its own wineserver, started
 * once and stopped (`wineserver -k`) at the end: two certifications never share a server, so
 * stopping one never kills the other's processes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { copyFile, link, mkdir, mkdtemp, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import type { PeArch } from './pe-file.ts';

export interface WineTools {
  /** The Wine loader that runs a Windows program of this width. */
  loader: string;
  server: string;
}

/** Bumped when the template prefix must be made again (another Wine, other settings). */
const TEMPLATE_VERSION = 1;
const PREFIX_CREATION_MS = 180_000;
const SERVER_STOP_MS = 15_000;
const SERVICES_START_MS = 60_000;

/** Where Debian's wine64/wine32 packages put them (no `wine` on PATH), then PATH, then the overrides. */
export function findWine(arch: PeArch, env: NodeJS.ProcessEnv = process.env): WineTools | undefined {
  const loaders = env['WMPCERT_WINE'] ? [env['WMPCERT_WINE']] : arch === 'x64'
    ? ['/usr/lib/wine/wine64', onPath('wine64', env), onPath('wine', env)]
    : ['/usr/lib/wine/wine', onPath('wine', env)];
  const servers = env['WMPCERT_WINESERVER'] ? [env['WMPCERT_WINESERVER']] : ['/usr/lib/wine/wineserver', onPath('wineserver', env), '/usr/lib/wine/wineserver64'];
  const loader = loaders.find((path): path is string => path !== undefined && isExecutable(path));
  const server = servers.find((path): path is string => path !== undefined && isExecutable(path));
  return loader && server ? { loader, server } : undefined;
}

export class WineSession {
  private stopped: Promise<void> | undefined;
  private readonly onExit = (): void => { spawnSync(this.tools.server, ['-k'], { env: { ...process.env, ...this.env }, stdio: 'ignore', timeout: 5000 }); };

  private constructor(readonly tools: WineTools, readonly prefix: string, readonly env: Readonly<Record<string, string>>) {
    // A harness that dies without closing still leaves no Wine behind.
    process.once('exit', this.onExit);
  }

  /** A prefix of this run's own, with its wineserver running. */
  static async open(tools: WineTools): Promise<WineSession> {
    const template = await templatePrefix(tools);
    // Beside the template: hard links need the same file system.
    const runs = join(dirname(template), 'wine-runs');
    await mkdir(runs, { recursive: true });
    const prefix = await mkdtemp(join(runs, 'run-'));
    await linkTree(template, prefix);
    const session = new WineSession(tools, prefix, wineEnv(tools, prefix));
    // Persistent (-p): it stays up between bridge processes until `close` stops it. Its stdio is
    // ignored: a detached server that inherits ours would hold our pipes open.
    spawn(tools.server, ['-p'], { env: { ...process.env, ...session.env }, detached: true, stdio: 'ignore' }).unref();
    // The prefix's own services (services.exe, winedevice.exe) start with its first program and
    // inherit that program's stdio: started now, by a program whose stdio is ignored, they never
    // hold the bridge's pipes open after the bridge has exited (its exit is then seen at once).
    await runTool(tools.loader, ['cmd', '/c', 'exit'], session.env, SERVICES_START_MS).catch(async (error: unknown) => {
      await session.close();
      throw error;
    });
    return session;
  }

  /** Stops the server and every Wine process of this prefix, then removes the prefix. Idempotent. */
  close(): Promise<void> {
    this.stopped ??= (async () => {
      process.off('exit', this.onExit);
      await runTool(this.tools.server, ['-k'], this.env, SERVER_STOP_MS).catch(() => {});
      await rm(this.prefix, { recursive: true, force: true });
    })();
    return this.stopped;
  }
}

/**
 * The template's tree in `to`: files hard-linked, the registry (rewritten as Wine runs) copied, and
 * symlinks (dosdevices: z: → /) made again, never followed.
 */
async function linkTree(from: string, to: string): Promise<void> {
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isSymbolicLink()) await symlink(await readlink(source), target);
    else if (entry.isDirectory()) {
      await mkdir(target);
      await linkTree(source, target);
    } else if (entry.name.endsWith('.reg') || entry.name.startsWith('.')) await copyFile(source, target);
    else await link(source, target).catch(() => copyFile(source, target));
  }
}

function wineEnv(tools: WineTools, prefix: string): Record<string, string> {
  return {
    WINEPREFIX: prefix,
    WINESERVER: tools.server,
    // Quiet (no fixme lines in the plug-in's stderr), and no Mono or Gecko installer dialogs.
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
  };
}

/** The machine's template prefix, made once (in a folder of its own, then renamed into place). */
async function templatePrefix(tools: WineTools): Promise<string> {
  const cache = join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'wmpcert');
  const template = join(cache, `wine-prefix-v${TEMPLATE_VERSION}`);
  if (existsSync(join(template, 'system.reg'))) return template;
  await mkdir(cache, { recursive: true });
  const making = await mkdtemp(join(cache, 'wine-prefix-making-'));
  try {
    const env = wineEnv(tools, making);
    await runTool(tools.loader, ['wineboot', '--init'], env, PREFIX_CREATION_MS);
    // wineboot returns before the server has written the registry: wait for the server to end.
    await runTool(tools.server, ['-w'], env, PREFIX_CREATION_MS);
    if (!existsSync(join(making, 'system.reg'))) throw new Error(`wineboot made no prefix in ${making}`);
    await rename(making, template).catch(async (error: NodeJS.ErrnoException) => {
      // Another certification made it first: theirs is as good.
      if (!existsSync(join(template, 'system.reg'))) throw error;
    });
    return template;
  } finally {
    await rm(making, { recursive: true, force: true });
  }
}

function runTool(command: string, args: string[], env: Readonly<Record<string, string>>, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs / 1000} s`)); }, timeoutMs);
    child.once('error', (error) => { clearTimeout(timer); reject(error); });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} ended with ${signal ?? `exit code ${code}`}`));
    });
  });
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
