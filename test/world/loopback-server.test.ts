import http from 'node:http';
import { connect } from 'node:net';
import { delay, http as mswHttp, HttpResponse } from 'msw';
import { afterEach, describe, expect, test } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from '../../harness/world/loopback-server.ts';

let server: LoopbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(...handlers: Parameters<LoopbackServer['setHandlers']>[0]): Promise<LoopbackServer> {
  server = await startLoopbackServer();
  server.setHandlers(handlers);
  return server;
}

/** A raw node:http GET that keeps whatever bytes arrived before the connection broke. */
function rawGet(url: string): Promise<{ status: number; body: string; error?: string }> {
  return new Promise(resolve => {
    http.get(url, response => {
      const chunks: Buffer[] = [];
      const finish = (error?: string) => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString(), error });
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => finish());
      response.on('error', error => finish(error.message));
    }).on('error', error => resolve({ status: 0, body: '', error: error.message }));
  });
}

describe('startLoopbackServer', () => {
  test('listens on 127.0.0.1 and answers through msw handlers, relative or absolute', async () => {
    const { url } = await serve();
    server!.setHandlers([
      mswHttp.get('/v1/tracks/:id/download', ({ params, request }) =>
        HttpResponse.json({ id: Number(params.id), cookie: new URL(request.url).searchParams.get('cookie') })),
      mswHttp.get(`${url}/absolute`, () => HttpResponse.text('absolute')),
    ]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${url}/v1/tracks/42/download?cookie=7`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ id: 42, cookie: '7' });
    expect(await (await fetch(`${url}/absolute`)).text()).toBe('absolute');
  });

  test('passes the request body and method to the handler', async () => {
    const { url } = await serve(
      mswHttp.post('/v1/downloads/complete', async ({ request }) => HttpResponse.json({ got: await request.json() }, { status: 201 })),
    );
    const response = await fetch(`${url}/v1/downloads/complete`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ trackId: 1, hr: 0, params: null }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ got: { trackId: 1, hr: 0, params: null } });
  });

  test('answers 404 {"error":"unserved"} when no handler matches', async () => {
    const { url } = await serve();
    const response = await fetch(`${url}/nothing/here`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: 'unserved' });
  });

  test('a throwing handler is a 500, not a crashed server', async () => {
    const { url } = await serve(mswHttp.get('/boom', () => { throw new Error('handler bug'); }));
    const response = await fetch(`${url}/boom`);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ error: 'handler-threw', message: 'handler bug' });
  });

  test('HttpResponse.error() drops the connection: the client sees a network error', async () => {
    const { url } = await serve(mswHttp.get('/neterr', () => HttpResponse.error()), mswHttp.get('/ok', () => HttpResponse.text('ok')));
    await expect(fetch(`${url}/neterr`)).rejects.toThrow(/fetch failed/);
    expect(await (await fetch(`${url}/ok`)).text()).toBe('ok');
  });

  test('a body stream that errors mid-way reaches the client truncated', async () => {
    const { url } = await serve(mswHttp.get('/media/1', () => new HttpResponse(new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode('abcd'));
        await delay(20);
        controller.error(new Error('disk gone'));
      },
    }), { headers: { 'content-type': 'audio/x-ms-wma', 'content-length': '10' } })));

    const raw = await rawGet(`${url}/media/1`);
    expect(raw).toMatchObject({ status: 200, body: 'abcd', error: 'aborted' });

    const response = await fetch(`${url}/media/1`);
    expect(response.headers.get('content-length')).toBe('10');
    await expect(response.arrayBuffer()).rejects.toThrow();
  });

  test('streams bodies: a big body arrives whole', async () => {
    const chunk = new Uint8Array(64 * 1024).fill(7);
    const { url } = await serve(mswHttp.get('/big', () => new HttpResponse(new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 64; i++) controller.enqueue(chunk);
        controller.close();
      },
    }))));
    const body = new Uint8Array(await (await fetch(`${url}/big`)).arrayBuffer());
    expect(body.length).toBe(64 * 64 * 1024);
    expect(body.every(byte => byte === 7)).toBe(true);
  });

  test('a slow answer arrives late but whole', async () => {
    const { url } = await serve(mswHttp.get('/slow', async () => { await delay(150); return HttpResponse.json({ slow: true }); }));
    const started = performance.now();
    expect(await (await fetch(`${url}/slow`)).json()).toEqual({ slow: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  test('serves parallel requests concurrently', async () => {
    const { url } = await serve(mswHttp.get('/n/:n', async ({ params }) => {
      await delay(100);
      return HttpResponse.json({ n: Number(params.n) });
    }));
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, n) => fetch(`${url}/n/${n}`).then(r => r.json())));
    expect(answers).toEqual(Array.from({ length: 20 }, (_, n) => ({ n })));
    expect(performance.now() - started).toBeLessThan(20 * 100);
  });

  test('a client that gives up (AbortSignal timeout) leaves the server serving, and the handler sees the abort', async () => {
    let handlerSawAbort = false;
    const { url } = await serve(
      mswHttp.get('/hang', async ({ request }) => {
        request.signal.addEventListener('abort', () => { handlerSawAbort = true; });
        await delay(400);
        return HttpResponse.text('too late');
      }),
      mswHttp.get('/ok', () => HttpResponse.text('ok')),
    );
    await expect(fetch(`${url}/hang`, { signal: AbortSignal.timeout(50) })).rejects.toThrow(/aborted due to timeout/);
    expect(await (await fetch(`${url}/ok`)).text()).toBe('ok');
    await expect.poll(() => handlerSawAbort).toBe(true);
  });

  test('setHandlers replaces the handlers for later requests', async () => {
    const { url } = await serve(mswHttp.get('/v', () => HttpResponse.text('one')));
    expect(await (await fetch(`${url}/v`)).text()).toBe('one');
    server!.setHandlers([mswHttp.get('/v', () => HttpResponse.text('two'))]);
    expect(await (await fetch(`${url}/v`)).text()).toBe('two');
  });

  test('close() also closes idle keep-alive connections, at once', async () => {
    const running = await startLoopbackServer([mswHttp.get('/ok', () => HttpResponse.text('ok'))]);
    const agent = new http.Agent({ keepAlive: true });
    await new Promise<void>(resolve => http.get(`${running.url}/ok`, { agent }, response => response.resume().on('end', resolve)));
    const started = performance.now();
    await running.close();
    expect(performance.now() - started).toBeLessThan(1000);
    await expect(fetch(`${running.url}/ok`)).rejects.toThrow(/fetch failed/);
    agent.destroy();
  });

  test('receiving: a connection counts from its acceptance until its request reaches the handlers', async () => {
    const { url } = await serve(mswHttp.get('/ok', () => HttpResponse.text('ok')));
    expect(server!.receiving()).toBe(false);
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk) => { text += chunk; });
      socket.on('close', () => resolve(text));
    });
    // Accepted, nothing sent yet: the trace cannot show the request the client may be writing.
    for (let tries = 0; !server!.receiving() && tries < 200; tries++) await delay(5);
    expect(server!.receiving()).toBe(true);
    socket.write('GET /ok HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await answer).toMatch(/^HTTP\/1\.1 200[^]*ok$/);
    expect(server!.receiving()).toBe(false);
  });

  test('receiving: a connection that sends nothing stops counting after a second', async () => {
    const { url } = await serve();
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    for (let tries = 0; !server!.receiving() && tries < 200; tries++) await delay(5);
    expect(server!.receiving()).toBe(true);
    await delay(1_100);
    expect(server!.receiving()).toBe(false);
    socket.destroy();
  });
});
