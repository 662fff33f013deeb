/**
 * What is alive in this thread's event loop. The host compares it with what was alive when the
 * scenario began: more means the candidate still has work scheduled, so the scenario is not over.
 * Cheaper and more precise than sleeping a fixed time.
 */

/** Everything alive, by kind: timers, file and crypto requests, handles, sockets, workers… */
export type ResourceCounts = Map<string, number>;

export function activeResources(): ResourceCounts {
  const counts: ResourceCounts = new Map();
  for (const resource of process.getActiveResourcesInfo()) counts.set(resource, (counts.get(resource) ?? 0) + 1);
  return counts;
}

/** How many ref'd timers (and immediates) are among `counts`: a retry backoff, a late call. */
export function timerCount(counts: ResourceCounts): number {
  return (counts.get('Timeout') ?? 0) + (counts.get('Immediate') ?? 0);
}

/** How many ref'd timers (and immediates) are alive now. */
export function activeTimerCount(): number {
  return timerCount(activeResources());
}

/**
 * Whether anything but immediates is alive beyond `baseline`. Immediates run on the next turn of the
 * event loop anyway (the harness's own pumps are among them): a caller that waits one turn sees
 * what they did.
 */
export function anythingTimedBeyond(baseline: ResourceCounts): boolean {
  for (const [resource, count] of activeResources()) if (resource !== 'Immediate' && count > (baseline.get(resource) ?? 0)) return true;
  return false;
}
