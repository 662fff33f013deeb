/**
 * What one media download came to, as the Player reading it sees it and the trace's http-response
 * records it: the status (0: no answer at all), the bytes read, the announced length, the error
 * that cut the body. Read from a Response here; the media server also states it directly
 * (reference-handlers.ts `mediaOutcome`), so that the Player's own downloads need no Response.
 */
import { describeThrown } from '../trace/thrown-value.ts';

export interface MediaOutcome {
  status: number;
  /** Bytes read before the body ended or failed (absent: no answer). */
  bytes?: number;
  /** The content-length the response announced, when it announced one. */
  contentLength?: number;
  /** Why no answer came, or why the body failed. */
  error?: string;
}

/** Reads a response to its end (or its failure), counting the bytes. */
export async function readMediaResponse(response: Response | undefined): Promise<MediaOutcome> {
  if (!response) return { status: 0, error: 'nothing serves this URL' };
  if (response.type === 'error') return { status: 0, error: 'network error' };
  const announced = response.headers.get('content-length');
  const lengthField = announced === null || Number.isNaN(Number(announced)) ? {} : { contentLength: Number(announced) };
  let bytes = 0;
  try {
    if (response.body) for await (const chunk of response.body) bytes += (chunk as Uint8Array).byteLength;
  } catch (error) {
    return { status: response.status, bytes, ...lengthField, error: describeThrown(error).message };
  }
  return { status: response.status, bytes, ...lengthField };
}
