// A candidate's worker thread starts here. In a checkout of the repository the harness itself is
// TypeScript and needs tsx's hooks first; the compiled package (dist/) loads on plain Node, and
// worker-main registers tsx only for a TypeScript candidate.
import { existsSync } from 'node:fs';

const sources = new URL('./worker-main.ts', import.meta.url);
if (existsSync(sources)) {
  const [{ register }, { register: registerCommonJs }] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  register();
  registerCommonJs();
  globalThis[Symbol.for('wmpcert.tsx-registered')] = true;
  await import('./worker-main.ts');
} else {
  await import('./worker-main.js');
}
