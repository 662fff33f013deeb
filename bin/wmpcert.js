#!/usr/bin/env node
// The wmpcert command. The installed package runs its compiled JavaScript (dist/) on plain Node.
// A checkout of the repository runs dist/ too when it was built after every source last changed
// (npm ci builds it; so does the test run), and otherwise the TypeScript sources through tsx, so
// that what a developer runs is always what they just edited. Compiled, a certification starts
// without a tsx hook round trip per module in each thread. Both of tsx's hooks for the sources: see
// harness/adapters/candidate-module.ts.
import { existsSync } from 'node:fs';

const sources = new URL('../harness/cli.ts', import.meta.url);
let cli;
if (existsSync(sources) && !(await import('./dist-freshness.js')).builtSinceSourcesChanged()) {
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
