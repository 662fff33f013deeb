/**
 * The store's JSON answers keep their body as a string until it is read as a stream (json-answer.ts).
 * Whatever a reader does with one, in whatever order, it sees what msw's HttpResponse.json gives it.
 */
import { HttpResponse } from 'msw';
import { describe, expect, test } from 'vitest';
import { JsonAnswer } from '../../harness/world/json-answer.ts';

type Step = 'text' | 'json' | 'arrayBuffer' | 'bytes' | 'blob' | 'formData' | 'stream' | 'locked' | 'bodyUsed' | 'clone';

async function perform(response: Response, step: Step): Promise<unknown> {
  switch (step) {
    case 'text': return response.text();
    case 'json': return response.json();
    case 'arrayBuffer': return [...new Uint8Array(await response.arrayBuffer())];
    case 'bytes': return [...await response.bytes()];
    case 'blob': { const blob = await response.blob(); return [blob.type, await blob.text()]; }
    case 'formData': return response.formData();
    case 'stream': return new Response(response.body).text();
    case 'locked': return response.body?.locked;
    case 'bodyUsed': return response.bodyUsed;
    case 'clone': { const copy = response.clone(); return [await copy.text(), response.bodyUsed, copy.constructor === Response]; }
  }
}

/** What each step gives, or the error it throws (its class and message). */
async function outcomes(response: Response, steps: readonly Step[]): Promise<unknown[]> {
  const seen: unknown[] = [response.status, response.statusText, response.ok, response.type, [...response.headers]];
  for (const step of steps) {
    try {
      seen.push({ step, value: await perform(response, step) });
    } catch (error) {
      seen.push({ step, error: error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error) });
    }
  }
  return seen;
}

const answers: Array<[Record<string, string>, number | undefined]> = [
  [{ url: 'http://media.wmpcert.test/media/7.wma', params: 'p7' }, undefined],
  [{ error: 'not-entitled' }, 403],
  [{ error: 'declined' }, 402],
  [{ error: 'back-end-fault' }, 500],
  [{ error: 'back-end-fault' }, 503],
  [{ result: 'é ✓ 𝄞 "quoted" \\ <tag>' }, 200],
];

const plans: Step[][] = [
  ['bodyUsed', 'json', 'bodyUsed', 'json'],
  ['text', 'text', 'stream'],
  ['text', 'locked', 'bodyUsed'],
  ['arrayBuffer', 'bytes'],
  ['bytes', 'clone'],
  ['blob', 'formData'],
  ['formData', 'text'],
  ['stream', 'bodyUsed', 'text'],
  ['locked', 'json', 'bodyUsed'],
  ['clone', 'json', 'clone'],
];

describe("a JSON answer reads as msw's HttpResponse.json does", () => {
  const cases = answers.flatMap(([value, status]) => plans.map((steps) => ({ value, status, steps, label: `${status ?? 200} ${steps.join(' → ')}` })));
  test.each(cases)('$label', async ({ value, status, steps }) => {
    const init = status === undefined ? undefined : { status };
    const expected = await outcomes(HttpResponse.json(value, init), steps);
    expect(await outcomes(new JsonAnswer(value, init), steps)).toEqual(expected);
  });

  test('it is a Response, and keeps no stream until one is asked for', async () => {
    const answer = new JsonAnswer({ ok: true });
    expect(answer).toBeInstanceOf(Response);
    expect(await answer.json()).toEqual({ ok: true });
    const streamed = new JsonAnswer({ ok: true });
    expect(streamed.body).toBeInstanceOf(ReadableStream);
  });
});
