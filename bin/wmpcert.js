#!/usr/bin/env node
// The wmpcert command. The installed package runs its compiled JavaScript (dist/) on plain Node;
// a checkout of the repository runs the TypeScript sources through tsx, so that what a developer
// runs is what they just edited. Both of tsx's hooks: see harness/adapters/typescript-loader.ts.
import { existsSync } from 'node:fs';

const sources = new URL('../harness/cli.ts', import.meta.url);
let cli;
if (existsSync(sources)) {
  const [{ register }, { register: registerCommonJs }] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  register();
  registerCommonJs();
  globalThis[Symbol.for('wmpcert.tsx-registered')] = true;
  cli = await import('../harness/cli.ts');
} else {
  cli = await import('../dist/harness/cli.js');
}
// The CLI exports its entry point rather than running on import, so tests can drive main() in-process.
await cli.runAsProcess();
