/**
 * Whether any process of a child's process group is runnable (state R in /proc/<pid>/stat: running,
 * or waiting for a CPU), and how many time slices its threads have had. A plug-in process that owes
 * calls and is runnable has not gone quiet: on a loaded machine it may simply not have been scheduled
 * within the owed window; one that ran since the last look may have left an answer on its way.
 * Linux only; elsewhere (no /proc) nothing is seen and the window alone decides, as before.
 */
import { readdirSync } from 'node:fs';
import { NOTHING_SEEN, type CandidateLook } from '../host/candidate-look.ts';
import { procStats, timeSlices } from '../host/proc-stat.ts';

/** A scan of /proc costs a millisecond or so: one answer serves the calls of this long, unless a fresh one is asked for. */
const CACHE_MS = 5;

let cached: { group: number; at: number; look: CandidateLook } | undefined;

export function processGroupRunnable(group: number | undefined): boolean {
  return lookAtProcessGroup(group).atWork;
}

export function lookAtProcessGroup(group: number | undefined, fresh = false): CandidateLook {
  if (group === undefined || process.platform !== 'linux') return NOTHING_SEEN;
  const now = performance.now();
  if (!fresh && cached && cached.group === group && now - cached.at < CACHE_MS) return cached.look;
  const look = scan(group);
  cached = { group, at: now, look };
  return look;
}

function scan(group: number): CandidateLook {
  let atWork = false;
  let slices = 0;
  for (const { id, fields } of procStats('/proc')) {
    if (Number(fields[2]) !== group) continue; // state ppid pgrp …
    if (fields[0] === 'R') atWork = true;
    slices += threadTimeSlices(`/proc/${id}/task`);
  }
  return { atWork, timeSlices: slices };
}

function threadTimeSlices(tasks: string): number {
  let entries: string[];
  try {
    entries = readdirSync(tasks);
  } catch {
    return 0; // gone meanwhile
  }
  let slices = 0;
  for (const id of entries) slices += timeSlices(`${tasks}/${id}`);
  return slices;
}
