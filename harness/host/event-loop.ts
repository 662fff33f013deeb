/**
 * How many ref'd timers are alive in this thread. The host compares it with the count taken when the
 * scenario began: more means the candidate still has work scheduled (a retry backoff, a late call),
 * so the scenario is not over yet. Cheaper and more precise than sleeping a fixed time.
 */
export function activeTimerCount(): number {
  let count = 0;
  for (const resource of process.getActiveResourcesInfo()) if (resource === 'Timeout' || resource === 'Immediate') count++;
  return count;
}
