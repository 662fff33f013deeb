/**
 * Splits a byte stream into lines on 0x0A with a cap on line length. readline has no cap, so a
 * child printing megabytes without a newline would grow our memory without bound; here a line
 * that passes the cap is reported once and everything after it is ignored (the caller kills the
 * child). Splitting on the byte is safe for UTF-8: 0x0A never occurs inside a multi-byte sequence.
 */
export interface LineSink {
  /** One complete line, without its terminator ("\n" or "\r\n"). */
  line(bytes: Buffer): void;
  /** The current line passed the cap; `head` is its first bytes, for the report. */
  overflow(head: Buffer, limitBytes: number): void;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const OVERFLOW_HEAD_BYTES = 2048;

export class CappedLineSplitter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private overflowed = false;
  /** The most bytes ever held for one unfinished line: proof that memory stayed bounded. */
  highWaterBytes = 0;

  constructor(private readonly sink: LineSink, readonly maxLineBytes: number) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (!this.overflowed && start < chunk.length) {
      const newline = chunk.indexOf(NEWLINE, start);
      const end = newline === -1 ? chunk.length : newline;
      if (this.partBytes + (end - start) > this.maxLineBytes) {
        this.overflow(chunk.subarray(start, end));
        return;
      }
      if (newline === -1) {
        this.hold(chunk.subarray(start));
        return;
      }
      this.emit(chunk.subarray(start, newline));
      start = newline + 1;
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (!this.overflowed && this.partBytes > 0) this.emit(Buffer.alloc(0));
  }

  private hold(bytes: Buffer): void {
    // Copy: the chunk's backing memory may be reused by the stream.
    this.parts.push(Buffer.from(bytes));
    this.partBytes += bytes.length;
    this.highWaterBytes = Math.max(this.highWaterBytes, this.partBytes);
  }

  private emit(tail: Buffer): void {
    let line = this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail]);
    this.parts = [];
    this.partBytes = 0;
    if (line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN) line = line.subarray(0, -1);
    this.sink.line(line);
  }

  private overflow(tail: Buffer): void {
    this.overflowed = true;
    const head = Buffer.concat([...this.parts, tail]).subarray(0, OVERFLOW_HEAD_BYTES);
    this.parts = [];
    this.partBytes = 0;
    this.sink.overflow(Buffer.from(head), this.maxLineBytes);
  }
}
