/** How much of a candidate's output a report keeps: the last 64 KiB. */
export const PRINTED_LIMIT = 64 * 1024;

/** Keeps the last `limit` characters of a stream of text: a candidate that floods its output costs bounded memory. */
export class BoundedText {
  private chunks: string[] = [];
  private size = 0;
  private dropped = 0;

  constructor(private readonly limit: number) {}

  append(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    while (this.size > this.limit && this.chunks.length > 1) {
      const first = this.chunks.shift()!;
      this.size -= first.length;
      this.dropped += first.length;
    }
    if (this.size > this.limit) {
      const only = this.chunks[0]!;
      this.chunks[0] = only.slice(only.length - this.limit);
      this.dropped += only.length - this.limit;
      this.size = this.limit;
    }
  }

  toString(): string {
    const text = this.chunks.join('');
    return this.dropped > 0 ? `[${this.dropped} earlier characters dropped]\n${text}` : text;
  }
}

/** The last `limit` characters of `text`, saying how many were dropped before them. */
export function tailOf(text: string, limit: number): string {
  return text.length <= limit ? text : `[${text.length - limit} earlier characters dropped]\n${text.slice(text.length - limit)}`;
}
