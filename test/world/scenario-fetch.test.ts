/**
 * The recording fetch keeps real fetch semantics around the harness's fast paths: routes are served
 * without msw's machinery and without a signal-following request, while a candidate's own msw
 * handler still gets a request that follows the caller's signal.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { describe, expect, test } from 'vitest';
import { TraceRecorder } from '../../harness/trace/recorder.ts';
import { route } from '../../harness/world/dispatch.ts';
import { createScenarioFetch } from '../../harness/world/scenario-fetch.ts';

function fetchWith(handlers: RequestHandler[]) {
  const recorder = new TraceRecorder();
  const inFlight = { count: 0 };
  const fetch = createScenarioFetch({ handlers: () => handlers, recorder, by: 'plugin', classify: () => 'store', inFlight });
  return { fetch, recorder, inFlight };
}

describe('scenario fetch', () => {
  test('a candidate handler sees a request that follows the caller\'s signal', async () => {
    let seen: AbortSignal | undefined;
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const own = http.get('http://store.test/slow', async ({ request }) => {
      seen = request.signal;
      await held;
      return HttpResponse.json({ late: true });
    });
    const { fetch, recorder, inFlight } = fetchWith([own]);
    const controller = new AbortController();
    const answer = fetch('http://store.test/slow', { signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen?.aborted).toBe(false);
    controller.abort(new Error('gave up'));
    await expect(answer).rejects.toThrow('gave up');
    expect(seen?.aborted).toBe(true);
    release();
    expect(inFlight.count).toBe(0);
    expect(recorder.events.map((event) => event.type)).toEqual(['http-request', 'http-response']);
  });

  test('a route is served, its body can be aborted mid-way, and the trace records the exchange', async () => {
    const served = route('GET', 'http://store.test/v1/tracks/:id', ({ params }) => HttpResponse.json({ id: params.id }));
    const { fetch, recorder } = fetchWith([served]);
    const controller = new AbortController();
    const response = await fetch('http://store.test/v1/tracks/7?x=1', { signal: controller.signal });
    expect(response.status).toBe(200);
    expect(response.url).toBe('http://store.test/v1/tracks/7?x=1');
    expect(await response.json()).toEqual({ id: '7' });
    const again = await fetch('http://store.test/v1/tracks/8', { signal: controller.signal });
    controller.abort(new Error('cut'));
    await expect(again.json()).rejects.toThrow('cut');
    expect(recorder.events.filter((event) => event.type === 'http-response').map((event) => (event as { status: number }).status)).toEqual([200, 200]);
  });

  test('what undici refuses is still refused: a signal that is not an AbortSignal, a relative URL', async () => {
    const { fetch, recorder } = fetchWith([]);
    await expect(fetch('http://store.test/a', { signal: {} as AbortSignal })).rejects.toThrow(TypeError);
    await expect(fetch('/relative', { signal: new AbortController().signal })).rejects.toThrow(TypeError);
    expect(recorder.events).toEqual([]);
  });

  test('a request with a body reaches a candidate handler whole, through its signal-following copy', async () => {
    const own = http.post('http://store.test/echo', async ({ request }) => HttpResponse.json({ body: await request.text(), method: request.method }));
    const { fetch } = fetchWith([route('GET', 'http://store.test/other', () => HttpResponse.json({})), own]);
    const response = await fetch('http://store.test/echo', { method: 'POST', body: 'hello', signal: new AbortController().signal });
    expect(await response.json()).toEqual({ body: 'hello', method: 'POST' });
  });
});
