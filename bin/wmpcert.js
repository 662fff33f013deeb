#!/usr/bin/env node
// The wmpcert command: plain Node with tsx registered, so it needs no tsx on PATH
// (notes/ecosystem.md §5). Both hooks: a .ts candidate outside a "type": "module" package is
// compiled as CommonJS, and without tsx's CommonJS hook Node 20 refuses it (ERR_REQUIRE_CYCLE_MODULE).
import { register } from 'tsx/esm/api';
import { register as registerCommonJs } from 'tsx/cjs/api';

register();
registerCommonJs();
// The CLI exports its entry point rather than running on import, so tests can drive main() in-process.
const { runAsProcess } = await import('../harness/cli.ts');
await runAsProcess();
