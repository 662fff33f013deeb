/**
 * Loads a COM plug-in DLL (`wmpcert certify store-plugin.dll [--clsid {…}]`): the bridge
 * wmpcert-com-host.exe of the DLL's width hosts it, natively on Windows and under Wine elsewhere,
 * and speaks the wire protocol (docs/wire-protocol.md) in the many-instances mode — one process, a
 * fresh COM object per scenario. Anything missing (the DLL, the bridge, Wine) is a set-up error with
 * one line saying what to install, never a verdict.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.ts';
import * as messages from '../messages.ts';
import type { LoadedCandidate } from '../runner/certify.ts';
import { readPeInfo, type PeArch } from './com/pe-file.ts';
import { findWine, WineSession } from './com/wine.ts';
import { probeExecCandidate } from './load-exec-candidate.ts';

export interface DllOptions {
  /** The class to certify, when the DLL holds several (or no type library names it). */
  clsid?: string;
}

const CLSID = /^\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}$/;

export async function loadDllCandidate(given: string, options: DllOptions = {}): Promise<LoadedCandidate> {
  const path = resolve(given);
  const bytes = await readFile(path).catch(async (error: NodeJS.ErrnoException) => {
    const isDirectory = await stat(path).then((found) => found.isDirectory(), () => false);
    throw new UsageError(isDirectory ? messages.candidateIsADirectory(given, path) : messages.dllNotFound(given, path), { cause: error });
  });
  const pe = await readPeInfo(path);
  if (!pe?.isDll) throw new UsageError(messages.notAWindowsDll(given));
  if (pe.arch === undefined) throw new UsageError(messages.dllMachineUnsupported(given, pe.machine));
  if (options.clsid !== undefined && !CLSID.test(options.clsid)) throw new UsageError(messages.badClsid(options.clsid));
  const bridge = bridgeExecutable(pe.arch);
  if (!existsSync(bridge)) throw new UsageError(messages.bridgeMissing(bridge, pe.arch));

  const clsidArgument = options.clsid === undefined ? '' : ` --clsid ${options.clsid}`;
  let command: string;
  let wine: WineSession | undefined;
  if (process.platform === 'win32') {
    command = `"${bridge}" "${path}"${clsidArgument}`;
  } else {
    const tools = findWine(pe.arch);
    if (!tools) throw new UsageError(messages.wineMissing(pe.arch));
    try {
      wine = await WineSession.open(tools);
    } catch (error) {
      throw new UsageError(messages.wineFailed(error), { cause: error });
    }
    command = `"${tools.loader}" "${bridge}" "${windowsPath(path)}"${clsidArgument}`;
  }
  const cwd = dirname(path);
  let identity;
  try {
    identity = await probeExecCandidate(command, cwd, wine?.env, (error, stderr) => messages.bridgeDidNotStart(given, error, stderr));
  } catch (error) {
    await wine?.close();
    throw error;
  }
  return {
    command,
    cwd,
    ...(wine ? { commandEnv: wine.env, dispose: () => wine.close() } : {}),
    sourcePath: path,
    candidate: {
      kind: 'plugin', name: identity.name, version: identity.version,
      create: () => { throw new Error('a COM DLL runs in its bridge, out of process'); },
    },
    info: {
      kind: 'plugin', name: identity.name, version: identity.version, source: given, sourceType: 'dll',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      dll: { clsid: identity.clsid ?? options.clsid ?? '{00000000-0000-0000-0000-000000000000}', arch: pe.arch, runner: wine ? 'wine' : 'native' },
    },
  };
}

/** The bridge of this width: bridge/bin/<arch>/ in the package (WMPCERT_COM_HOST overrides it). */
export function bridgeExecutable(arch: PeArch): string {
  const override = process.env[arch === 'x64' ? 'WMPCERT_COM_HOST' : 'WMPCERT_COM_HOST_X86'];
  return override ? resolve(override) : join(packageRoot(), 'bridge', 'bin', arch, 'wmpcert-com-host.exe');
}

/** The folder of wmpcert's package.json, from the sources (harness/adapters) or from dist/harness/adapters. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++, dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'wmpcert') return dir;
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** Under Wine, drive Z: is the Unix root: the bridge is given the DLL's Windows path. */
function windowsPath(unixPath: string): string {
  return `Z:${unixPath.split(sep).join('\\')}`;
}
