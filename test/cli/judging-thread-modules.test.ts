/**
 * What the CLI's own thread loads to certify a module candidate: the engine that judges, the report
 * writers, the rule suites' starter and Chromium's driver, but neither msw nor the simulated Player.
 * The candidate plays in its worker threads, which load those; here they would only lengthen the
 * start of every certification (msw's entry point is ~0.1 s of this thread). The compiled package
 * (dist/, built by the test run's globalSetup) is what `npx wmpcert` runs.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A loader hook that prints every module this thread resolves (hooks share the process's stdout). */
const PRINT_RESOLVED = `data:text/javascript,${encodeURIComponent(`
  export async function resolve(specifier, context, next) {
    const resolved = await next(specifier, context);
    console.log('resolved ' + resolved.url);
    return resolved;
  }`)}`;

/** Every module URL a fresh process resolves while it imports these dist/ modules (and runs none). */
async function resolvedBy(modules: string[]): Promise<string[]> {
  const script = [
    `import { register } from 'node:module';`,
    `register(${JSON.stringify(PRINT_RESOLVED)});`,
    ...modules.map((module) => `await import(${JSON.stringify(new URL(`dist/harness/${module}`, `file://${ROOT}`).href)});`),
  ].join('\n');
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT });
  return stdout.split('\n').filter((line) => line.startsWith('resolved ')).map((line) => line.slice('resolved '.length));
}

describe("the CLI's thread, certifying a module candidate", () => {
  test('loads the engine, the report writers, the suites starter and the page browser, not msw or the simulated Player', async () => {
    const modules = ['cli.js', 'runner/certify.js', 'report/write-report.js', 'runner/run-suites.js', 'discovery/page-browser.js', 'sandbox/warm-sandbox.js'];
    const resolved = await resolvedBy(modules);
    // The hook saw the engine itself: an empty or broken listing cannot pass.
    expect(resolved.some((url) => url.endsWith('/dist/harness/runner/certify.js'))).toBe(true);
    expect(resolved.some((url) => url.endsWith('/dist/harness/rules/plugin-judge.js'))).toBe(true);
    expect(resolved.filter((url) => /\/node_modules\/(msw|graphql)\//.test(url) || /\/host\/simulated-player\.js$/.test(url))).toEqual([]);
  });

  test('a module that plays scenarios in this thread does load them (the listing can see msw)', async () => {
    const resolved = await resolvedBy(['sandbox/in-process-sandbox.js']);
    expect(resolved.some((url) => /\/node_modules\/msw\//.test(url))).toBe(true);
    expect(resolved.some((url) => url.endsWith('/host/simulated-player.js'))).toBe(true);
  });
});
