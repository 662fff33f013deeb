/**
 * Holds every store answer, media answer and completion, and releases them one at a time in an
 * order the scenario decides (its orderSalt), and never while `download` is running (DL-01: a plug-in
 * that waits on the store inside `download` then never returns). Salt 0 means arrival order, which
 * is where shrinking goes.
 */
import { MinHeap } from './min-heap.ts';

interface Held { key: number; arrival: number; label: string; release(): void }

/** A small deterministic string hash mixed with the salt (FNV-1a). */
function orderKey(salt: number, label: string): number {
  let hash = 0x811c9dc5 ^ salt;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export class AnswerScheduler {
  private readonly held = new MinHeap<Held>((a, b) => a.key < b.key || (a.key === b.key && a.arrival < b.arrival));
  private arrivals = 0;
  private gateDepth = 0;
  private pumpQueued = false;
  private stopped = false;
  /** Answers released so far: transactions and the detach can be timed by it. */
  released = 0;
  onRelease: () => void = () => {};

  constructor(private readonly salt: number) {}

  get pending(): number {
    return this.held.size;
  }

  hold(label: string): Promise<void> {
    return new Promise<void>((resolve) => {
      const arrival = this.arrivals++;
      this.held.push({ key: this.salt === 0 ? arrival : orderKey(this.salt, label), arrival, label, release: resolve });
      this.schedulePump();
    });
  }

  /** While a `download` call runs, nothing is released. */
  closeGate(): void {
    this.gateDepth++;
  }

  openGate(): void {
    this.gateDepth--;
    this.schedulePump();
  }

  /** Releases everything still held (end of scenario), so no promise is left hanging. */
  drain(): void {
    this.stopped = true;
    for (const entry of this.held.drain()) entry.release();
  }

  private schedulePump(): void {
    if (this.pumpQueued || this.stopped) return;
    this.pumpQueued = true;
    // A macrotask between releases lets the plug-in react to one answer before the next arrives.
    setImmediate(() => {
      this.pumpQueued = false;
      this.releaseNext();
    });
  }

  private releaseNext(): void {
    if (this.gateDepth > 0 || this.held.size === 0 || this.stopped) return;
    const entry = this.held.pop()!;
    this.released++;
    entry.release();
    this.onRelease();
    this.schedulePump();
  }
}
