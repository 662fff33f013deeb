/**
 * Holds every store answer, media answer and completion, and releases them in an order the scenario
 * decides (its orderSalt), and never while `download` is running (DL-01: a plug-in that waits on the
 * store inside `download` then never returns). Salt 0 means arrival order, which is where shrinking
 * goes: what is held is then released in bursts, one macrotask each; a salted order releases one
 * answer per macrotask.
 */
import { MinHeap } from './min-heap.ts';

/** The label only decides the key: it is not kept (a big transaction holds thousands at once). */
interface Held { key: number; arrival: number; release(): void }

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
      this.held.push({ key: this.salt === 0 ? arrival : orderKey(this.salt, label), arrival, release: resolve });
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
    setImmediate(() => {
      this.pumpQueued = false;
      if (this.salt === 0) this.releaseDue();
      else this.releaseNext();
    });
  }

  /** A salted order: a macrotask between releases lets the plug-in react to one answer (and hold new ones, which may come first) before the next arrives. */
  private releaseNext(): void {
    if (this.gateDepth > 0 || this.held.size === 0 || this.stopped) return;
    const entry = this.held.pop()!;
    this.released++;
    entry.release();
    this.onRelease();
    this.schedulePump();
  }

  /**
   * Arrival order: nothing held later can come before what is held now, so every answer held now is
   * released in this macrotask, in order — one macrotask per burst instead of one per answer. Each
   * release is counted and reported (onRelease) before the next, so a transaction or a detach due
   * after k answers comes exactly after the k-th; a `download` that closes the gate stops the burst.
   */
  private releaseDue(): void {
    let due = this.held.size;
    while (due-- > 0 && this.gateDepth === 0 && !this.stopped && this.held.size > 0) {
      const entry = this.held.pop()!;
      this.released++;
      entry.release();
      this.onRelease();
    }
    // A closed gate is reopened by openGate, which pumps again.
    if (this.gateDepth === 0 && this.held.size > 0) this.schedulePump();
  }
}
