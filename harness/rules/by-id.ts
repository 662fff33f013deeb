/**
 * Trace events by their numeric ID (callId, requestId). The recorder hands IDs out as 1, 2, 3… in the
 * order it records them, so an array holds them far more lightly than a Map — over the million events
 * of a 100,000-track trace, megabytes of hash table against one pointer each — and its index order is
 * the order they were recorded in.
 */
export class ById<T> {
  private readonly items: (T | undefined)[] = [];

  set(id: number, item: T): void {
    this.items[id] = item;
  }

  get(id: number): T | undefined {
    return this.items[id];
  }

  /** The items in ID order. */
  *values(): IterableIterator<T> {
    for (const item of this.items) if (item !== undefined) yield item;
  }
}
