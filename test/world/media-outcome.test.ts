/**
 * The Player's own downloads take the media server's answer without a Response (media-outcome.ts):
 * for every answer the server can give, that outcome is what a client reading the Response sees.
 */
import { describe, expect, test } from 'vitest';
import { readMediaResponse } from '../../harness/world/media-outcome.ts';
import { mediaOutcome, mediaResponse } from '../../harness/world/reference-handlers.ts';
import type { MediaDecision } from '../../harness/world/store-world.ts';

const bytes = new Uint8Array(64).map((_, index) => index);
const decisions: MediaDecision[] = [
  { kind: 'unknown-media' },
  { kind: 'status', status: 404 },
  { kind: 'status', status: 500 },
  { kind: 'network-error' },
  { kind: 'body', bytes, truncateAt: null },
  { kind: 'body', bytes, truncateAt: 32 },
  { kind: 'body', bytes, truncateAt: 0 },
  { kind: 'body', bytes: new Uint8Array(0), truncateAt: null },
];

describe("the media server's answer without a Response", () => {
  test.each(decisions.map((decision) => ({ decision, label: JSON.stringify({ ...decision, bytes: undefined }) })))('$label: the outcome a reader of the Response sees', async ({ decision }) => {
    expect(mediaOutcome(decision)).toEqual(await readMediaResponse(mediaResponse(decision)));
  });
});
