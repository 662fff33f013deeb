/**
 * A real HTTP server on 127.0.0.1 that answers through msw handlers, for plug-ins in another
 * process (contract §3, §4): the same handlers an in-process candidate meets through msw
 * interception, served over a socket. Built on msw's `getResponse` rather than
 * @mswjs/http-middleware, which crashes on `HttpResponse.error()`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';

export interface LoopbackServer {
  /** http://127.0.0.1:<port>, no trailing slash. */
  url: string;
  /** Replaces the handlers for requests that arrive from now on. */
  setHandlers(handlers: RequestHandler[]): void;
  /**
   * Answers every request through this function instead of the handlers (the scenario's recording
   * fetch, so the trace sees requests made over the socket); a rejection drops the connection.
   */
  setResponder(responder: Responder | null): void;
  /**
   * Whether a connection is open whose request has not reached the handlers yet: the client sent
   * it, or is sending it, and the trace does not show it. The event loop accepts a connection on one
   * turn and reads it on the next, so a scenario that settled in between would miss a request the
   * plug-in already made. A connection that sends nothing counts for RECEIVE_GRACE_MS at most.
   */
  receiving(): boolean;
  /** Stops listening and drops every connection, idle keep-alive ones included. */
  close(): Promise<void>;
}

/** Bodies of store requests are a few hundred bytes; anything this big is refused. */
const MAX_REQUEST_BODY_BYTES = 8 * 1024 * 1024;

/** On loopback a request follows its connection within the millisecond; a client that sends nothing for this long holds no scenario. */
const RECEIVE_GRACE_MS = 1_000;

export type Responder = (request: Request) => Promise<Response>;

export async function startLoopbackServer(initialHandlers: RequestHandler[] = []): Promise<LoopbackServer> {
  let handlers = initialHandlers;
  let responder: Responder | null = null;
  /** Connections accepted whose request has not reached the handlers yet, with when each was accepted. */
  const awaitingRequest = new Map<Socket, number>();
  const received = (socket: Socket) => awaitingRequest.delete(socket);
  const server = createServer((req, res) => {
    // A connection per request: a client that writes a request's headers and body in two segments
    // (WinHTTP under Wine does) would otherwise wait out a delayed ACK, 40 ms, on every POST.
    res.shouldKeepAlive = false;
    serve(req, res, handlers, responder, received).catch(() => res.destroy());
  });
  server.on('connection', (socket: Socket) => {
    awaitingRequest.set(socket, performance.now());
    socket.once('close', () => awaitingRequest.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    setHandlers(next) {
      handlers = next;
    },
    setResponder(next) {
      responder = next;
    },
    receiving() {
      const since = performance.now() - RECEIVE_GRACE_MS;
      for (const accepted of awaitingRequest.values()) if (accepted > since) return true;
      return false;
    },
    close() {
      return new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, handlers: RequestHandler[], responder: Responder | null, received: (socket: Socket) => void): Promise<void> {
  const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
  // Aborted when the client goes away before the answer is complete, for handlers that listen.
  const clientGone = new AbortController();
  res.on('close', () => { if (!res.writableFinished) clientGone.abort(); });

  const body = await readBody(req);
  received(req.socket);
  if (body === 'too-large') {
    sendJson(res, 413, { error: 'request-body-too-large' });
    return;
  }
  const request = new Request(new URL(req.url ?? '/', origin), {
    method: req.method,
    headers: headersOf(req),
    body,
    signal: clientGone.signal,
  });

  let response: Response | undefined;
  if (responder) {
    try {
      response = await responder(request);
    } catch {
      req.socket.destroy();
      return;
    }
  } else try {
    // baseUrl: handlers may use paths relative to the server ("/v1/tracks/:id/download").
    response = await getResponse(handlers, request, { baseUrl: origin });
  } catch (error) {
    // As msw does in process: a throwing handler is a 500, not a crashed server.
    sendJson(res, 500, { error: 'handler-threw', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  if (res.destroyed) return;
  if (!response) {
    sendJson(res, 404, { error: 'unserved' });
    return;
  }
  if (response.type === 'error') {
    // HttpResponse.error(): the client must see a network error, so the connection just drops.
    req.socket.destroy();
    return;
  }
  res.writeHead(response.status, response.statusText, headerPairs(response.headers));
  if (!response.body || req.method === 'HEAD') {
    res.end();
    return;
  }
  await streamBody(response.body, res);
}

async function readBody(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer> | undefined | 'too-large'> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_REQUEST_BODY_BYTES) return 'too-large';
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function headersOf(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return headers;
}

function headerPairs(headers: Headers): [string, string][] {
  const pairs: [string, string][] = [];
  for (const [name, value] of headers) {
    if (name === 'set-cookie') continue;
    pairs.push([name, value]);
  }
  for (const cookie of headers.getSetCookie()) pairs.push(['set-cookie', cookie]);
  return pairs;
}

/**
 * Chunk by chunk, each written to the socket before the next is read (back-pressure). A body stream
 * that errors mid-way destroys the socket after the bytes already sent: the client sees a
 * truncated body, as from a server that died mid-transfer.
 */
async function streamBody(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  const stopReading = (): void => { void reader.cancel().catch(() => {}); };
  res.once('close', stopReading);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return;
      await new Promise<void>((resolve, reject) => res.write(value, error => (error ? reject(error) : resolve())));
    }
  } catch {
    res.destroy();
    return;
  } finally {
    res.off('close', stopReading);
  }
  res.end();
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}
