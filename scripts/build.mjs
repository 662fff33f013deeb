#!/usr/bin/env node
// npm run build: compiles the harness and the rule suites into dist/ (plain ESM JavaScript with
// declarations), copies the files tsc does not emit (worker entries, schemas, docs), and bundles the
// public API once more as CommonJS for `require('wmpcert')`.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
// Built aside and swapped in whole at the end: whoever reads dist/ meanwhile (a test run in the same
// checkout, say) never finds it missing or half-written.
const building = join(root, 'node_modules', '.cache', `wmpcert-dist-${process.pid}`);
const require = createRequire(import.meta.url);

/** When this build read the sources: dist/.built-at carries it as its mtime (bin/wmpcert.js compares it with theirs). */
const startedAt = new Date();
rmSync(building, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', building], { stdio: 'inherit' });

/** Every file under `dir`, recursively. */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

for (const file of files(join(root, 'harness'))) {
  // Plain JavaScript (worker entry points), JSON schemas and docs are shipped as they are.
  if (/\.(js|json|md)$/.test(file)) cpSync(file, join(building, relative(root, file)));
}

// Declarations keep the sources' `./x.ts` specifiers; a user's compiler wants `./x.js`.
for (const file of files(building)) {
  if (!file.endsWith('.d.ts')) continue;
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\.ts\2/g, '$1$2$3.js$2');
  if (fixed !== text) writeFileSync(file, fixed);
}

// CommonJS for require('wmpcert'): one file, dependencies left to Node's resolution.
const { buildSync } = require('esbuild');
buildSync({
  entryPoints: [join(root, 'harness', 'index.ts')],
  outfile: join(building, 'cjs', 'index.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  // import.meta.url has no CommonJS form of its own: the bundle's own file URL stands in.
  define: { 'import.meta.url': '__wmpcertFileUrl' },
  banner: { js: "const __wmpcertFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
writeFileSync(join(building, 'cjs', 'index.d.cts'), "export * from '../harness/index.js';\n");

// The JSON Schemas' validators as Ajv's standalone code, beside the modules that load them
// (harness/precompiled-validators.ts): a CLI run loads them instead of compiling the schemas
// (~0.15 s of CPU each). Compiled from the modules just built, with their options.
const standaloneCode = require('ajv/dist/standalone').default;
const builtModule = (path) => import(pathToFileURL(join(building, path)).href);
const { compileReportSchema } = await builtModule('harness/report/compile-report-schema.js');
const report = compileReportSchema(true);
writeFileSync(join(building, 'harness', 'report', 'report-validator.cjs'), standaloneCode(report.ajv, report.validate));
const { wireSchemaAjv } = await builtModule('harness/adapters/stdio/wire-schema-ajv.js');
const wire = wireSchemaAjv(true);
writeFileSync(join(building, 'harness', 'adapters', 'stdio', 'wire-validators.cjs'), standaloneCode(wire.ajv, wire.refs));

writeFileSync(join(building, '.built-at'), `${startedAt.toISOString()}\n`);
utimesSync(join(building, '.built-at'), startedAt, startedAt);

// The swap: the old dist/ moves aside, the new one takes its place (a build finishing at the same
// time may take it first: its dist/ then moves aside in turn).
const replaced = [];
for (let attempt = 0; ; attempt++) {
  const aside = `${building}-old-${attempt}`;
  try {
    renameSync(dist, aside);
    replaced.push(aside);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  try {
    renameSync(building, dist);
    break;
  } catch (error) {
    if ((error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') || attempt >= 10) throw error;
  }
}
for (const aside of replaced) rmSync(aside, { recursive: true, force: true });
