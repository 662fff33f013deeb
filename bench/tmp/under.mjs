// node under.mjs <profdir> <functionName> [urlPart]: inclusive time of frames under the given frame
import fs from 'node:fs';
const [dir, fname, urlPart = ''] = process.argv.slice(2);
const f = fs.readdirSync(dir).map((n) => dir + '/' + n).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
const p = JSON.parse(fs.readFileSync(f)); const byId = new Map(p.nodes.map((n) => [n.id, n])); const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map(); p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const agg = new Map(); const selfAgg = new Map(); let total = 0;
for (const [id, us] of self) {
  const chain = []; let under = false;
  for (let c = id; c !== undefined; c = parent.get(c)) { const n = byId.get(c); if ((n.callFrame.functionName === fname || `@${n.callFrame.columnNumber}` === fname) && n.callFrame.url.includes(urlPart)) { under = true; break; } chain.push(n); }
  if (!under) continue; total += us;
  const key = (n) => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
  if (chain.length) selfAgg.set(key(chain[0]), (selfAgg.get(key(chain[0])) ?? 0) + us);
  const seen = new Set(); for (const n of chain) { const k = key(n); if (seen.has(k)) continue; seen.add(k); agg.set(k, (agg.get(k) ?? 0) + us); }
}
console.log('total under', fname, (total / 1000).toFixed(0), 'ms');
console.log('-- inclusive');
for (const [k, v] of [...agg].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log((v / 1000).toFixed(0).padStart(6), k);
console.log('-- self');
for (const [k, v] of [...selfAgg].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log((v / 1000).toFixed(0).padStart(6), k);
