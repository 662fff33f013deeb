/**
 * A store answer with a JSON body, as msw's `HttpResponse.json` makes it, whose body stays a string
 * until someone asks for it as a stream.
 *
 * Why: on Node 20 every ReadableStream is a transferable, C++-backed object that no young-generation
 * GC can free, and `new Response(text)` makes one at once. With one store answer per track, a
 * 100,000-track transaction promoted ~140 MB of them and spent half its run time on it. The usual
 * reads (`json()`, `text()`, `arrayBuffer()`, `bytes()`, `blob()`) take the string; `body`, `clone()`
 * and `formData()` make the real Response then, and every read after that goes to it.
 * test/world/json-answer.test.ts holds it to what `HttpResponse.json` gives a reader.
 */
import { STATUS_CODES } from 'node:http';

const encoder = new TextEncoder();

export class JsonAnswer extends Response {
  readonly #text: string;
  readonly #init: ResponseInit;
  #read = false;
  #real: Response | undefined;

  constructor(value: unknown, init: { status?: number } = {}) {
    const text = JSON.stringify(value) ?? '';
    const status = init.status ?? 200;
    const responseInit: ResponseInit = {
      status,
      statusText: STATUS_CODES[status] ?? '',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) },
    };
    super(null, responseInit);
    this.#text = text;
    this.#init = responseInit;
  }

  override get body(): Response['body'] {
    return this.#response().body;
  }

  override get bodyUsed(): boolean {
    return this.#real ? this.#real.bodyUsed : this.#read;
  }

  override async text(): Promise<string> {
    return this.#real ? this.#real.text() : this.#take();
  }

  override async json(): Promise<unknown> {
    return this.#real ? this.#real.json() : JSON.parse(this.#take());
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#real ? this.#real.arrayBuffer() : encoder.encode(this.#take()).buffer;
  }

  override async bytes(): ReturnType<Response['bytes']> {
    return this.#real ? this.#real.bytes() : encoder.encode(this.#take());
  }

  override async blob(): Promise<Blob> {
    return this.#real ? this.#real.blob() : new Blob([this.#take()], { type: 'application/json' });
  }

  override async formData(): Promise<FormData> {
    return this.#response().formData();
  }

  override clone(): Response {
    return this.#response().clone();
  }

  /** The body as text, once: a second read fails as undici's does. Called inside the async reads, so it rejects. */
  #take(): string {
    if (this.#read) throw new TypeError('Body is unusable: Body has already been read');
    this.#read = true;
    return this.#text;
  }

  /** The real Response, made on first need; a body already read is, to whoever gets the stream now, a read stream. */
  #response(): Response {
    if (!this.#real) {
      this.#real = new Response(this.#text, this.#init);
      if (this.#read) this.#real.arrayBuffer().catch(() => {});
    }
    return this.#real;
  }
}
