/**
 * The last N bytes of a stream, e.g. a child's stderr: the pipe must always be drained (a full pipe
 * blocks the child), but only the end of a chatty log is worth keeping for the report.
 */
export class ByteTail {
  private chunks: Buffer[] = [];
  private bytes = 0;
  /** Bytes seen in all, kept or not. */
  totalBytes = 0;

  constructor(readonly limitBytes: number) {}

  push(chunk: Buffer): void {
    this.totalBytes += chunk.length;
    const kept = chunk.length > this.limitBytes ? chunk.subarray(chunk.length - this.limitBytes) : chunk;
    this.chunks.push(Buffer.from(kept));
    this.bytes += kept.length;
    while (this.bytes - this.chunks[0]!.length >= this.limitBytes) this.bytes -= this.chunks.shift()!.length;
  }

  /** The kept bytes as text; a multi-byte character cut at the start becomes U+FFFD. */
  text(): string {
    return this.textSince(0);
  }

  /** The kept bytes that came after the first `mark` bytes (a `totalBytes` read earlier). */
  textSince(mark: number): string {
    const all = Buffer.concat(this.chunks);
    const kept = all.subarray(Math.max(0, all.length - this.limitBytes));
    const keptFrom = this.totalBytes - kept.length;
    const dropped = Math.max(0, keptFrom - mark);
    const shown = kept.subarray(Math.max(0, mark - keptFrom));
    return (dropped > 0 ? `[… ${dropped} earlier bytes dropped]\n` : '') + shown.toString('utf8');
  }
}
