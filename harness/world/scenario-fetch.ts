/**
 * The `fetch` a candidate (and the simulated Player) gets: msw handlers answer every request, with
 * the semantics of a real HTTP client — AbortSignal, streamed bodies, body.cancel(), network errors,
 * parallel requests — and every exchange lands in the trace. Nothing ever reaches a real network:
 * a request no handler serves fails like an unreachable host.
 */
import type { RequestHandler } from 'msw';
import { requestUrlOf, respond, type RouteRequest } from './dispatch.ts';
import type { TraceRecorder } from '../trace/recorder.ts';

export interface ScenarioFetchOptions {
  handlers: () => readonly RequestHandler[];
  recorder: TraceRecorder;
  by: 'plugin' | 'player';
  classify(url: string): 'store' | 'media' | 'unknown';
  /** Counts requests in flight, so the host knows when the scenario is quiet. */
  inFlight: { count: number };
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** Rejects as soon as the signal aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | null): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}

/** Errors the body stream when the signal aborts mid-body, as undici does. */
function abortableBody(body: ReadableStream<Uint8Array>, signal: AbortSignal): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      signal.addEventListener('abort', () => {
        try { controller.error(abortReason(signal)); } catch { /* already closed */ }
        reader.cancel(abortReason(signal)).catch(() => {});
      }, { once: true });
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close(); else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

export function createScenarioFetch(options: ScenarioFetchOptions): typeof fetch {
  const { recorder, by } = options;
  const scenarioFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    // A Request that follows a signal costs undici a listener, a WeakRef and a finalizer, whose memory
    // outlives the request until a later GC (hundreds of MB over a big transaction). The abort itself
    // is ours to enforce (raceAbort, abortableBody below); the harness's own routes never read the
    // request's signal. So a plain init's signal is left out of the request the routes get, and a
    // request that follows it is made only for a handler that is not a route (a candidate's own).
    const lateSignal = typeof input !== 'object' || input instanceof URL ? plainInitSignal(init) : undefined;
    // A plain GET (a URL and no init, the common store call) gets a lighter request for the routes:
    // a Request carries an AbortSignal (an EventTarget) that outlives young-generation GCs. Handlers
    // that are not routes still get a real Request, made when first needed.
    const plainGet = init === undefined ? plainGetUrl(input) : null;
    const request: RouteRequest = plainGet ? lightGet(plainGet) : lateSignal ? new Request(input, { ...init, signal: null }) : new Request(input, init);
    const url = request.url; // undici serializes the URL on every read
    const actor = options.classify(url);
    const requestId = recorder.request({ actor, by, method: request.method, url });
    options.inFlight.count++;
    try {
      const signal = init?.signal ?? (input instanceof Request ? input.signal : null);
      let response: Response | undefined;
      try {
        const forHandlers = plainGet ? () => new Request(plainGet) : lateSignal ? () => new Request(request as Request, { signal: lateSignal }) : () => request as Request;
        response = await raceAbort(respond(options.handlers(), request, forHandlers), signal);
      } catch (error) {
        recorder.response({ requestId, actor, status: 0, error: describe(error) });
        throw error;
      }
      if (!response) {
        recorder.response({ requestId, actor, status: 0, error: 'no handler: certification never leaves the machine' });
        throw new TypeError('fetch failed', { cause: new Error(`wmpcert: nothing serves ${url} (no real network is used)`) });
      }
      if (response.type === 'error') {
        recorder.response({ requestId, actor, status: 0, error: 'network error' });
        throw new TypeError('fetch failed', { cause: new Error('wmpcert: injected network error') });
      }
      const length = response.headers.get('content-length');
      recorder.response({ requestId, actor, status: response.status, ...(length === null ? {} : { contentLength: Number(length) }) });
      if (signal && response.body) {
        response = new Response(abortableBody(response.body, signal), { status: response.status, statusText: response.statusText, headers: response.headers });
      }
      Object.defineProperty(response, 'url', { value: url });
      return response;
    } finally {
      options.inFlight.count--;
    }
  };
  return scenarioFetch as typeof fetch;
}

/** The URL of a plain GET, as a Request would carry it; null for a Request, or a URL `new Request` refuses (it throws its own error then). */
function plainGetUrl(input: RequestInfo | URL): string | null {
  return typeof input === 'string' || input instanceof URL ? requestUrlOf(String(input)) : null;
}

/** What the routes read of a GET: its URL, its method, and a body that is not there (as Request.json() finds it). */
function lightGet(url: string): RouteRequest {
  return { url, method: 'GET', json: async () => JSON.parse('') as unknown };
}

/** The signal of an init that is a plain object carrying a real AbortSignal (anything else goes to undici as it is, to be judged there). */
function plainInitSignal(init: RequestInit | undefined): AbortSignal | undefined {
  if (typeof init !== 'object' || init === null || !(init.signal instanceof AbortSignal)) return undefined;
  const prototype: unknown = Object.getPrototypeOf(init);
  return prototype === Object.prototype || prototype === null ? init.signal : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
