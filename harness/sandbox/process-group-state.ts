/**
 * Whether any process of a child's process group is runnable (state R in /proc/<pid>/stat: running,
 * or waiting for a CPU), and how long its threads have run. A plug-in process that owes calls and is
 * runnable has not gone quiet: on a loaded machine it may simply not have been scheduled within the
 * owed window; one that ran since the last look may have left an answer on its way. Linux only;
 * elsewhere (no /proc) nothing is seen and the window alone decides, as before.
 */
import { readdirSync } from 'node:fs';
import { NOTHING_SEEN, NOTHING_WATCHED, type CandidateLook, type CandidateWatch } from '../host/candidate-look.ts';
import { procStats, ranNs } from '../host/proc-stat.ts';

/** A scan of /proc costs a millisecond or so: one answer serves the calls of this long. The look that decides is fresh. */
const CACHE_MS = 5;

let cached: { group: number; at: number; runnable: boolean } | undefined;

export function processGroupRunnable(group: number | undefined): boolean {
  if (group === undefined || process.platform !== 'linux') return false;
  const now = performance.now();
  if (cached && cached.group === group && now - cached.at < CACHE_MS) return cached.runnable;
  const runnable = scan(group, false).atWork;
  cached = { group, at: now, runnable };
  return runnable;
}

/** A fresh look at the group: runnable now, and how long its threads have run. */
export function lookAtProcessGroup(group: number | undefined): CandidateLook {
  if (group === undefined || process.platform !== 'linux') return NOTHING_SEEN;
  const look = scan(group, true);
  cached = { group, at: performance.now(), runnable: look.atWork };
  return look;
}

/** The watch of a child in its own process group (`group` is read at each look: the child may not have started yet). */
export function watchProcessGroup(group: () => number | undefined): CandidateWatch {
  if (process.platform !== 'linux') return NOTHING_WATCHED;
  return { atWork: () => processGroupRunnable(group()), look: () => lookAtProcessGroup(group()) };
}

function scan(group: number, withRunTime: boolean): CandidateLook {
  let atWork = false;
  let ran = 0;
  for (const { id, fields } of procStats('/proc')) {
    if (Number(fields[2]) !== group) continue; // state ppid pgrp …
    if (fields[0] === 'R') atWork = true;
    if (withRunTime) ran += threadsRanNs(`/proc/${id}/task`);
  }
  return { atWork, ranNs: ran };
}

function threadsRanNs(tasks: string): number {
  let entries: string[];
  try {
    entries = readdirSync(tasks);
  } catch {
    return 0; // gone meanwhile
  }
  let ran = 0;
  for (const id of entries) ran += ranNs(`${tasks}/${id}`);
  return ran;
}
