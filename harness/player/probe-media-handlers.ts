/**
 * The media server behind the probe's URLs: each planned call's URL serves its track's fate (healthy
 * bytes of the track's size, 404, 500, a network error, or a body cut short of its Content-Length).
 * Every answer is held until the scenario's order releases it, so media answers arrive in any order.
 */
import { http, type RequestHandler } from 'msw';
import { mediaResponse } from '../world/reference-handlers.ts';
import { mediaBytes, type MediaDecision } from '../world/store-world.ts';
import { PROBE_MEDIA_URL, type PlannedCall, type ProbePlan } from './probe-plan.ts';

export function mediaDecision(planned: PlannedCall | undefined): MediaDecision {
  if (!planned) return { kind: 'unknown-media' };
  const bytes = () => mediaBytes({ id: planned.trackId, size: planned.size });
  switch (planned.media) {
    case 'healthy': return { kind: 'body', bytes: bytes(), truncateAt: null };
    case 'truncated': return { kind: 'body', bytes: bytes(), truncateAt: Math.floor(planned.size / 2) };
    case 'http-404': return { kind: 'status', status: 404 };
    case 'http-500': return { kind: 'status', status: 500 };
    case 'network': return { kind: 'network-error' };
  }
}

export function probeMediaHandlers(plan: ProbePlan, hold: (label: string) => Promise<void>): RequestHandler[] {
  return [
    http.get(`${PROBE_MEDIA_URL}/*`, async ({ request }) => {
      await hold(`media:${request.url}`);
      return mediaResponse(mediaDecision(plan.byUrl.get(request.url)));
    }),
  ];
}
