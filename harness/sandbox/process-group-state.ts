/**
 * Whether any process of a child's process group is runnable (state R in /proc/<pid>/stat: running,
 * or waiting for a CPU). A plug-in process that owes calls and is runnable has not gone quiet: on a
 * loaded machine it may simply not have been scheduled within the owed window. Linux only; elsewhere
 * (no /proc) the answer is always false and the window alone decides, as before.
 */
import { procStats } from '../host/proc-stat.ts';

/** A scan of /proc costs a millisecond or so: one answer serves the calls of this long. */
const CACHE_MS = 5;

let cached: { group: number; at: number; runnable: boolean } | undefined;

export function processGroupRunnable(group: number | undefined): boolean {
  if (group === undefined || process.platform !== 'linux') return false;
  const now = performance.now();
  if (cached && cached.group === group && now - cached.at < CACHE_MS) return cached.runnable;
  const runnable = scan(group);
  cached = { group, at: now, runnable };
  return runnable;
}

function scan(group: number): boolean {
  for (const { fields } of procStats('/proc')) {
    if (Number(fields[2]) === group && fields[0] === 'R') return true; // state ppid pgrp …
  }
  return false;
}
