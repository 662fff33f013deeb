/**
 * The fast path of harness/world/dispatch.ts answers exactly as msw's getResponse: the same handler
 * wins, with the same params, for the harness's route patterns and for URLs msw's matching treats
 * specially (case, a trailing slash, encoded and malformed escapes, queries, fragments, other hosts).
 */
import { getResponse, http, HttpResponse, type RequestHandler } from 'msw';
import { describe, expect, test } from 'vitest';
import { requestUrlOf, respond, route, servingRoute } from '../../harness/world/dispatch.ts';

const BASES = ['http://store.wmpcert.test', 'http://127.0.0.1:41234/store', 'http://media.wmpcert.test', 'http://[::1]:8080/cdn'];
const PATTERNS = (base: string) => [
  { method: 'GET' as const, path: `${base}/v1/tracks/:trackId/download` },
  { method: 'POST' as const, path: `${base}/v1/licenses/:contentId/refresh` },
  { method: 'POST' as const, path: `${base}/v1/downloads/complete` },
  { method: 'GET' as const, path: `${base}/*` },
];
const PATHS = [
  '/v1/tracks/12/download', '/v1/tracks/12/download/', '/V1/Tracks/12/DOWNLOAD', '/v1/tracks/12/download?cookie=7#x',
  '/v1/tracks/%31%32/download', '/v1/tracks/a%2Fb/download', '/v1/tracks//download', '/v1/tracks/12/13/download',
  '/v1/tracks/%E2%82%AC/download', '/v1/tracks/%zz/download', '/v1/licenses/4294967295/refresh', '/v1/downloads/complete',
  '/v1/downloads/complete/', '/v1/downloads/completed', '/media/12.wma', '/', '', '/v1/tracks/12/download#frag',
];
const OTHER_ORIGINS = ['http://STORE.wmpcert.test', 'http://store.wmpcert.test:80', 'https://store.wmpcert.test', 'http://user:pw@store.wmpcert.test', 'http://elsewhere.test'];

async function outcome(serve: () => Promise<Response | undefined>): Promise<unknown> {
  try {
    const response = await serve();
    return response ? { status: response.status, body: await response.text() } : 'unserved';
  } catch (error) {
    return { threw: (error as Error).name };
  }
}

function echo(tag: string) {
  return ({ request, params }: { request: { url: string; method: string }; params: Record<string, unknown> }) =>
    HttpResponse.json({ tag, params, url: request.url, method: request.method });
}

describe('dispatch: the fast path answers as msw does', () => {
  for (const base of BASES) {
    test(`routes under ${base}`, async () => {
      const patterns = PATTERNS(base);
      const fast: RequestHandler[] = patterns.map(({ method, path }, index) => route(method, path, echo(String(index))));
      const msw: RequestHandler[] = patterns.map(({ method, path }, index) => (method === 'GET' ? http.get : http.post)(path, echo(String(index))));
      const urls = [...PATHS.map((path) => `${base}${path}`), ...OTHER_ORIGINS.flatMap((origin) => PATHS.slice(0, 4).map((path) => `${origin}${path}`))];
      for (const url of urls) {
        for (const method of ['GET', 'POST', 'get']) {
          const init = { method, ...(method === 'POST' ? { body: '{}' } : {}) };
          const expected = await outcome(() => getResponse(msw, new Request(url, init)));
          const actual = await outcome(() => respond(fast, new Request(url, init)));
          expect(actual, `${method} ${url}`).toEqual(expected);
          // The route the Player's own downloads would take is the one that answers.
          const serving = await outcome(async () => {
            const handler = servingRoute(fast, method, new Request(url, init).url);
            // undefined: a handler that is not a route (here, a pattern only msw can match) decides.
            if (handler === undefined) return respond(fast, new Request(url, init));
            return handler ? respond([handler], new Request(url, init)) : undefined;
          });
          expect(serving, `servingRoute: ${method} ${url}`).toEqual(expected);
        }
      }
    });
  }

  test('handlers that are not routes still go through msw, in order', async () => {
    const plain = http.get('http://store.wmpcert.test/v1/tracks/:trackId/download', () => HttpResponse.json({ from: 'msw' }));
    const fast = route('GET', 'http://store.wmpcert.test/v1/tracks/:trackId/download', () => HttpResponse.json({ from: 'route' }));
    const passThrough = http.get('http://store.wmpcert.test/*', () => undefined);
    const url = 'http://store.wmpcert.test/v1/tracks/1/download';
    expect(await (await respond([plain, fast], new Request(url)))!.json()).toEqual({ from: 'msw' });
    expect(await (await respond([fast, plain], new Request(url)))!.json()).toEqual({ from: 'route' });
    expect(await (await respond([passThrough, fast], new Request(url)))!.json()).toEqual({ from: 'route' });
    expect(await respond([passThrough], new Request(url))).toBeUndefined();
    expect(await getResponse([passThrough], new Request(url))).toBeUndefined();
    expect(servingRoute([fast, plain], 'GET', url)).toBe(fast);
    expect(servingRoute([plain, fast], 'GET', url)).toBeUndefined();
    expect(servingRoute([fast], 'GET', 'http://store.wmpcert.test/elsewhere')).toBeNull();
  });

  test('a resolver that throws a Response answers with it; any other error rejects', async () => {
    const thrown = route('GET', 'http://store.wmpcert.test/a', () => { throw HttpResponse.json({ thrown: true }, { status: 418 }); });
    const failing = route('GET', 'http://store.wmpcert.test/b', () => { throw new TypeError('boom'); });
    expect((await respond([thrown], new Request('http://store.wmpcert.test/a')))!.status).toBe(418);
    await expect(respond([failing], new Request('http://store.wmpcert.test/b'))).rejects.toThrow('boom');
  });

  test('requestUrlOf gives the URL a Request carries, and null where new Request throws', () => {
    const texts = ['', 'media/1.wma', '/media/1.wma', 'http://user:pw@media.wmpcert.test/1.wma', 'http://:pw@x.test/', 'HTTP://Media.WMPCERT.test:80/a b/../c?d#e',
      'http://media.wmpcert.test/%zz', 'data:,hello', 'ftp://x.test/1', 'http://[::1]:8080/cdn/1', 'http://x.test:99999/', 'javascript:alert(1)', ' http://x.test/ '];
    for (const text of texts) {
      let expected: string | null;
      try { expected = new Request(text).url; } catch { expected = null; }
      expect(requestUrlOf(text), JSON.stringify(text)).toBe(expected);
    }
  });
});
