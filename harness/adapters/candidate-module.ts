/**
 * Loads a candidate module's default export, in whichever thread asks (the CLI's, or the worker
 * sandbox's), the way Node would run the author's file.
 *
 * A CommonJS file (.cjs, .cts, or .js/.ts in a package whose "type" is not "module") is loaded with
 * require(): importing it would route its own require() calls through the ESM loader's CommonJS
 * translator, which fails on some dependency graphs under loader hooks ("request for … is not in
 * cache"). Everything else is imported.
 *
 * TypeScript candidates load through tsx, registered in the thread that imports them: both of its
 * hooks, since a .ts file in a CommonJS package ("type" absent or "commonjs") is compiled as
 * CommonJS and its own imports then go through require(). The tsconfig.json nearest the candidate
 * is the one that applies (its paths, its JSX settings), as the author's own tools would use it.
 * A JavaScript candidate loads on plain Node: no hook is registered for it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.tsx']);
/** Set by whoever registered tsx in this thread (bin/wmpcert.js in a checkout, the worker entry). */
const REGISTERED = Symbol.for('wmpcert.tsx-registered');

export function isTypeScriptFile(path: string): boolean {
  return TYPESCRIPT_EXTENSIONS.has(extname(path));
}

/** The tsconfig.json in the candidate's folder or the nearest folder above it, if any. */
export function nearestTsconfig(candidatePath: string): string | undefined {
  for (let dir = dirname(candidatePath); ; dir = dirname(dir)) {
    const path = join(dir, 'tsconfig.json');
    if (existsSync(path)) return path;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Registers tsx in this thread for a TypeScript candidate (once per thread). */
export async function useTypeScriptLoader(candidatePath: string): Promise<void> {
  const global = globalThis as { [REGISTERED]?: boolean };
  if (!isTypeScriptFile(candidatePath) || global[REGISTERED]) return;
  global[REGISTERED] = true;
  const tsconfig = nearestTsconfig(candidatePath);
  // tsx's CommonJS hook reads its tsconfig from the environment only.
  if (tsconfig !== undefined && process.env['TSX_TSCONFIG_PATH'] === undefined) process.env['TSX_TSCONFIG_PATH'] = tsconfig;
  const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  esm.register(tsconfig === undefined ? {} : { tsconfig });
  cjs.register();
}

/** The "type" of the package.json nearest the file ("commonjs" when absent, as Node reads it). */
function packageType(path: string): 'module' | 'commonjs' {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs'; // Node itself would refuse the file; require() says why
      }
    }
    if (dirname(dir) === dir) return 'commonjs';
  }
}

export function isCommonJsFile(path: string): boolean {
  const extension = extname(path);
  if (extension === '.cjs' || extension === '.cts') return true;
  if (extension === '.mjs' || extension === '.mts') return false;
  return packageType(path) === 'commonjs';
}

/** The module's default export: `module.exports` of CommonJS, unwrapped when it was compiled from ESM (`exports.default`). */
export async function importCandidateModule(absolutePath: string): Promise<unknown> {
  await useTypeScriptLoader(absolutePath);
  let exported: unknown;
  if (isCommonJsFile(absolutePath)) {
    try {
      exported = createRequire(absolutePath)(absolutePath);
    } catch (error) {
      // ESM syntax in a file Node would detect as a module: import() knows how.
      const code = (error as { code?: unknown }).code;
      if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw error;
      exported = ((await import(pathToFileURL(absolutePath).href)) as { default?: unknown }).default;
    }
  } else {
    exported = ((await import(pathToFileURL(absolutePath).href)) as { default?: unknown }).default;
  }
  // ESM compiled to CommonJS (by tsx or the author's compiler): the real default is one level down.
  return isObject(exported) && exported['__esModule'] === true && 'default' in exported ? exported['default'] : exported;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
