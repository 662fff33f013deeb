/**
 * What is alive in this thread's event loop. The host compares it with what was alive when the
 * scenario began: more means the candidate still has work scheduled, so the scenario is not over.
 * Cheaper and more precise than sleeping a fixed time.
 */

/** How many ref'd timers (and immediates) are alive: a retry backoff, a late call. */
export function activeTimerCount(): number {
  let count = 0;
  for (const resource of process.getActiveResourcesInfo()) if (resource === 'Timeout' || resource === 'Immediate') count++;
  return count;
}

/** Everything alive, by kind: timers, file and crypto requests, handles, sockets, workers… */
export type ResourceCounts = Map<string, number>;

export function activeResources(): ResourceCounts {
  const counts: ResourceCounts = new Map();
  for (const resource of process.getActiveResourcesInfo()) counts.set(resource, (counts.get(resource) ?? 0) + 1);
  return counts;
}

/**
 * Whether anything but immediates is alive beyond `baseline`. Immediates run on the next turn of the
 * event loop anyway (the harness's own pumps are among them): a caller that waits one turn sees
 * what they did.
 */
export function anythingTimedBeyond(baseline: ResourceCounts): boolean {
  const now = activeResources();
  for (const [resource, count] of now) if (resource !== 'Immediate' && count > (baseline.get(resource) ?? 0)) return true;
  return false;
}
