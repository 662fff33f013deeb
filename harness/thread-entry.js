// Runs the main module of one of the harness's own threads (a candidate's worker, the discovery
// page's browser). Plain JavaScript: a thread does not inherit the tsx loader its parent may have
// registered. The compiled package (dist/) runs its .js on plain Node. In a checkout of the
// repository the harness is TypeScript: its threads run the compiled dist/ too when that was built
// after the sources last changed (as bin/wmpcert.js does; the test run builds it first), else the
// sources through tsx's hooks, a round trip to the hooks thread per module (~0.5 s more per thread).
import { existsSync } from 'node:fs';

const checkout = new URL('../', import.meta.url);
const freshDist = async () => existsSync(new URL('bin/dist-freshness.js', checkout))
  && (await import(new URL('bin/dist-freshness.js', checkout).href)).builtSinceSourcesChanged(checkout);

/** `main`: the thread's main module as a .ts URL beside its entry (its .js in dist/). */
export async function runThreadMain(main) {
  if (!existsSync(main)) {
    await import(main.href.replace(/\.ts$/, '.js'));
  } else if (await freshDist()) {
    await import(new URL(`dist/${main.href.slice(checkout.href.length).replace(/\.ts$/, '.js')}`, checkout).href);
  } else {
    const [{ register }, { register: registerCommonJs }] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    register();
    registerCommonJs();
    globalThis[Symbol.for('wmpcert.tsx-registered')] = true;
    await import(main.href);
  }
}
