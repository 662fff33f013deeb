// A candidate's worker thread starts here. The compiled package (dist/) loads on plain Node, and
// worker-main registers tsx only for a TypeScript candidate. In a checkout of the repository the
// harness is TypeScript: its worker runs the compiled dist/ too when that was built after the
// sources last changed (as bin/wmpcert.js does; the test run builds it first), else the sources
// through tsx's hooks, a round trip to the hooks thread per module (~0.5 s more per worker).
import { existsSync } from 'node:fs';

const sources = new URL('./worker-main.ts', import.meta.url);
const checkout = new URL('../../', import.meta.url);
const freshDist = async () => existsSync(new URL('bin/dist-freshness.js', checkout))
  && (await import(new URL('bin/dist-freshness.js', checkout).href)).builtSinceSourcesChanged(checkout);

if (!existsSync(sources)) {
  await import('./worker-main.js');
} else if (await freshDist()) {
  await import(new URL('dist/harness/sandbox/worker-main.js', checkout).href);
} else {
  const [{ register }, { register: registerCommonJs }] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  register();
  registerCommonJs();
  globalThis[Symbol.for('wmpcert.tsx-registered')] = true;
  await import('./worker-main.ts');
}
