import { http, HttpResponse, getResponse } from 'msw';
const N = 10000;
async function time(label, fn) {
  for (let i = 0; i < 500; i++) await fn(i);
  const c0 = process.cpuUsage(); const t = performance.now();
  for (let i = 0; i < N; i++) await fn(i);
  const c = process.cpuUsage(c0);
  console.log(label.padEnd(40), ((performance.now() - t) * 1000 / N).toFixed(1), 'us wall', ((c.user + c.system) / N).toFixed(1), 'us cpu');
}
const url = 'http://store.wmpcert.test/v1/tracks/12/download?cookie=7';
await time('AbortSignal.timeout', () => { AbortSignal.timeout(2000); });
await time('new AbortController', () => { new AbortController(); });
await time('new Request(url)', () => { new Request(url); });
await time('new Request(url, {signal})', () => { new Request(url, { signal: AbortSignal.timeout(2000) }); });
await time('new Request POST body', () => { new Request('http://store.wmpcert.test/v1/downloads/complete', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"trackId":1,"hr":0,"params":"x"}' }); });
await time('new Response(json)', () => { new Response('{"url":"x","params":null}', { headers: { 'content-type': 'application/json' } }); });
await time('HttpResponse.json', () => { HttpResponse.json({ url: 'x', params: null }); });
const h1 = http.get('http://store.wmpcert.test/v1/tracks/:trackId/download', () => HttpResponse.json({ url: 'x', params: null }));
const others = [http.post('http://store.wmpcert.test/v1/purchases', () => new HttpResponse(null)), http.post('http://store.wmpcert.test/v1/messages', () => new HttpResponse(null))];
await time('getResponse 1 handler', () => getResponse([h1], new Request(url)));
await time('getResponse 3 handlers (match first)', () => getResponse([h1, ...others], new Request(url)));
await time('getResponse 3 handlers (match last)', () => getResponse([...others, h1], new Request(url)));
await time('handler.run direct', () => h1.run({ request: new Request(url), requestId: 'x' }));
await time('getResponse + json()', async () => { const r = await getResponse([h1], new Request(url)); await r.json(); });
await time('setImmediate turn', () => new Promise((r) => setImmediate(r)));
await time('getActiveResourcesInfo', () => { process.getActiveResourcesInfo(); });
