/**
 * The `fetch` a candidate (and the simulated Player) gets: msw handlers answer every request, with
 * the semantics of a real HTTP client — AbortSignal, streamed bodies, body.cancel(), network errors,
 * parallel requests — and every exchange lands in the trace. Nothing ever reaches a real network:
 * a request no handler serves fails like an unreachable host.
 */
import type { RequestHandler } from 'msw';
import { respond } from './dispatch.ts';
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
    const request = new Request(input, init);
    const actor = options.classify(request.url);
    const requestId = recorder.request({ actor, by, method: request.method, url: request.url });
    options.inFlight.count++;
    try {
      const signal = init?.signal ?? (input instanceof Request ? input.signal : null);
      let response: Response | undefined;
      try {
        response = await raceAbort(respond(options.handlers(), request), signal);
      } catch (error) {
        recorder.response({ requestId, actor, status: 0, error: describe(error) });
        throw error;
      }
      if (!response) {
        recorder.response({ requestId, actor, status: 0, error: 'no handler: certification never leaves the machine' });
        throw new TypeError('fetch failed', { cause: new Error(`wmpcert: nothing serves ${request.url} (no real network is used)`) });
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
      Object.defineProperty(response, 'url', { value: request.url });
      return response;
    } finally {
      options.inFlight.count--;
    }
  };
  return scenarioFetch as typeof fetch;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
