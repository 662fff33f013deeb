/** The reference store API and the media server (contract §3) as msw handlers over a StoreWorld. */
import { HttpResponse, type RequestHandler } from 'msw';
import { route, type RouteRequest } from './dispatch.ts';
import { JsonAnswer } from './json-answer.ts';
import type { MediaOutcome } from './media-outcome.ts';
import type { BackendFault } from '../scenario/model.ts';
import type { StoreWorld, MediaDecision } from './store-world.ts';

function faultResponse(fault: BackendFault): Response {
  if (fault === 'network') return HttpResponse.error();
  return new JsonAnswer({ error: 'back-end-fault' }, { status: fault === 'http-500' ? 500 : 503 });
}

/** The store's download API: entitled → 200 {url, params}; refused → 403; faults as the world says. */
export function storeApiHandlers(world: StoreWorld): RequestHandler[] {
  return [
    route('GET', `${world.storeUrl}/v1/tracks/:trackId/download`, async ({ params }) => {
      const decision = await world.decideDownload(String(params.trackId));
      switch (decision.kind) {
        case 'entitled': return new JsonAnswer({ url: decision.url, params: decision.params });
        case 'refused': return new JsonAnswer({ error: 'not-entitled' }, { status: 403 });
        case 'unknown-track': return new JsonAnswer({ error: 'unknown-track' }, { status: 404 });
        case 'fault': return faultResponse(decision.fault);
      }
    }),
    route('POST', `${world.storeUrl}/v1/purchases`, async ({ request }) => {
      const body = await readJson(request);
      // A body without a track list asked for no tracks: BY-05 judges that against the Buy's list.
      const answer = await world.decidePurchase(body?.['cookie'], body?.['tracks'] ?? []);
      if (answer === 'accepted') return new JsonAnswer({ status: 'purchased' });
      if (answer === 'declined') return new JsonAnswer({ error: 'declined' }, { status: 402 });
      if (answer === 'fault') return new JsonAnswer({ error: 'back-end-fault' }, { status: 500 });
      return new JsonAnswer({ error: 'unknown-purchase' }, { status: 404 });
    }),
    route('POST', `${world.storeUrl}/v1/licenses/:contentId/refresh`, async ({ params, request }) => {
      const body = await readJson(request);
      const answer = await world.decideLicence(String(params.contentId), body?.['cookie']);
      if (answer === 'accepted') return new JsonAnswer({ status: 'renewed' });
      if (answer === 'declined') return new JsonAnswer({ error: 'not-entitled' }, { status: 403 });
      if (answer === 'fault') return new JsonAnswer({ error: 'back-end-fault' }, { status: 500 });
      return new JsonAnswer({ error: 'unknown-licence' }, { status: 404 });
    }),
    route('POST', `${world.storeUrl}/v1/messages`, async ({ request }) => {
      const body = await readJson(request);
      const decision = await world.decideMessage(body?.['msg'], body?.['param']);
      if (!decision) return new JsonAnswer({ error: 'unknown-message' }, { status: 404 });
      if (decision.answer === 'fault') return new JsonAnswer({ error: 'back-end-fault' }, { status: 500 });
      return new JsonAnswer({ result: decision.result });
    }),
    route('POST', `${world.storeUrl}/v1/downloads/complete`, async ({ request }) => {
      // One report, or a batch of them (a JSON array); the store accepts any body.
      const body = await readJson(request);
      world.recordCompletionReport(Array.isArray(body) ? body.length : 1);
      return new HttpResponse(null, { status: 204 });
    }),
  ];
}

async function readJson(request: RouteRequest): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = await request.json();
    return typeof value === 'object' && value !== null ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

const CUT_CONNECTION = 'terminated: connection reset by the media server';
const UNKNOWN_MEDIA = { error: 'unknown-media' };

/** A body that delivers the first `truncateAt` bytes, then fails: a connection cut mid-body. */
function truncatedBody(bytes: Uint8Array, truncateAt: number): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      if (truncateAt > 0) controller.enqueue(bytes.slice(0, truncateAt));
      controller.error(new TypeError(CUT_CONNECTION));
    },
  });
}

export function mediaResponse(decision: MediaDecision): Response {
  switch (decision.kind) {
    case 'unknown-media': return new JsonAnswer(UNKNOWN_MEDIA, { status: 404 });
    case 'status': return new HttpResponse(null, { status: decision.status });
    case 'network-error': return HttpResponse.error();
    case 'body': {
      const bytes = decision.bytes;
      const headers = { 'content-type': 'audio/x-ms-wma', 'content-length': String(bytes.length) };
      const body = decision.truncateAt === null ? bytes : truncatedBody(bytes, decision.truncateAt);
      return new HttpResponse(body, { status: 200, headers });
    }
  }
}

/**
 * What a client that reads mediaResponse(decision) to its end sees, without the Response:
 * test/world/media-outcome.test.ts holds the two to the same outcome for every decision.
 */
export function mediaOutcome(decision: MediaDecision): MediaOutcome {
  switch (decision.kind) {
    case 'unknown-media': {
      const length = Buffer.byteLength(JSON.stringify(UNKNOWN_MEDIA));
      return { status: 404, bytes: length, contentLength: length };
    }
    case 'status': return { status: decision.status, bytes: 0 };
    case 'network-error': return { status: 0, error: 'network error' };
    case 'body': {
      const length = decision.size ?? decision.bytes.length;
      return decision.truncateAt === null
        ? { status: 200, bytes: length, contentLength: length }
        // Erroring the stream drops the chunk it queued: the reader meets the error first.
        : { status: 200, bytes: 0, contentLength: length, error: CUT_CONNECTION };
    }
  }
}

/** The media server's one route: serves the URLs the store handed out. */
export function mediaRoute(world: StoreWorld): RequestHandler {
  return route('GET', `${world.mediaUrl}/*`, async ({ request }) => mediaResponse(await world.decideMedia(request.url)));
}

/** The media server: serves the URLs the store handed out. */
export function mediaHandlers(world: StoreWorld): RequestHandler[] {
  return [mediaRoute(world)];
}
