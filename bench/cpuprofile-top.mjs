// Summarises a .cpuprofile: the top frames by self time and by inclusive (total) time, and self
// time grouped by where the code lives (msw, undici, node internals, the harness, the plug-in...).
// Usage: node bench/cpuprofile-top.mjs <dir-or-file> [top=25] (a directory: its largest profile, the main thread)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const target = process.argv[2];
const top = Number(process.argv[3] ?? 25);
const file = statSync(target).isDirectory()
  ? join(target, readdirSync(target).filter((name) => name.endsWith('.cpuprofile')).sort((a, b) => statSync(join(target, b)).size - statSync(join(target, a)).size)[0])
  : target;
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const short = (url) => url.replace(/^file:\/\//, '').replace(/.*node_modules\//, '').replace(/.*\/work\/main\//, '');
const label = (node) => `${node.callFrame.functionName || '(anonymous)'} ${short(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`;
function area(url) {
  if (url === '') return '(vm: gc, idle, program)';
  if (/node_modules\/msw|@mswjs|headers-polyfill|path-to-regexp|cookie|outvariant|strict-event-emitter/.test(url)) return 'msw';
  if (/undici/.test(url)) return 'undici (fetch, Request, Response)';
  if (/webstreams|streams/.test(url)) return 'web streams';
  if (/abort_controller|domexception|js_transferable/.test(url)) return 'AbortSignal / DOMException';
  if (/fast-check/.test(url)) return 'fast-check';
  if (/tsx|esbuild|esm\/|cjs\/|source_map|modules/.test(url)) return 'module loading (tsx, esm)';
  if (/vitest|vite|rollup|tinypool|chai/.test(url)) return 'vitest';
  if (/\/harness\/host\//.test(url)) return 'harness: host';
  if (/\/harness\/world\//.test(url)) return 'harness: world (fetch, handlers)';
  if (/\/harness\/trace\//.test(url)) return 'harness: trace';
  if (/\/harness\/rules\//.test(url)) return 'harness: rules';
  if (/\/harness\//.test(url)) return 'harness: other';
  if (/\/fixtures\//.test(url)) return 'plug-in (fixture)';
  if (/\/bench\//.test(url)) return 'bench driver';
  if (/^node:|internal/.test(url)) return 'node internals (timers, events, ...)';
  return 'other';
}

const self = new Map();
const inclusive = new Map();
const areas = new Map();
for (const [id, us] of selfUs) {
  const node = nodes.get(id);
  self.set(label(node), (self.get(label(node)) ?? 0) + us);
  const where = node.callFrame.url === '' ? `${area('')}: ${node.callFrame.functionName}` : area(node.callFrame.url);
  areas.set(where, (areas.get(where) ?? 0) + us);
  const seen = new Set();
  for (let cursor = id; cursor !== undefined; cursor = parent.get(cursor)) {
    const name = label(nodes.get(cursor));
    if (seen.has(name)) continue;
    seen.add(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + us);
  }
}
const ms = (us) => `${(us / 1000).toFixed(0).padStart(6)} ms ${((us / total) * 100).toFixed(1).padStart(5)}%`;
console.log(`profile ${file}: ${(total / 1000).toFixed(0)} ms sampled`);
console.log('\nself time by area');
for (const [name, us] of [...areas].sort((a, b) => b[1] - a[1])) console.log(`${ms(us)}  ${name}`);
console.log(`\ntop ${top} frames by self time`);
for (const [name, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)}  ${name}`);
console.log(`\ntop ${top} frames by inclusive time`);
for (const [name, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)}  ${name}`);
