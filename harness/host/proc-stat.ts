/** Reads Linux's /proc stat lines (the state and the group of processes and threads) and their schedstat. */
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of a stat line after its comm (which may hold spaces and parentheses): state, ppid, pgrp… */
export function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Each numbered entry of a /proc folder (/proc, /proc/self/task) with its stat fields; none where /proc cannot be read. */
export function* procStats(folder: string): Generator<{ id: string; fields: string[] }> {
  let entries: string[];
  try {
    entries = readdirSync(folder);
  } catch {
    return;
  }
  for (const id of entries) {
    if (!/^[0-9]+$/.test(id)) continue;
    let stat: string;
    try {
      stat = readFileSync(`${folder}/${id}/stat`, 'latin1');
    } catch {
      continue; // gone meanwhile
    }
    yield { id, fields: statFields(stat) };
  }
}

/**
 * How long the thread has run, in nanoseconds (the first field of /proc/.../schedstat): it grows
 * whenever the thread ran, however briefly. 0 where it cannot be read.
 */
export function ranNs(task: string): number {
  try {
    const schedstat = readFileSync(`${task}/schedstat`, 'latin1');
    return Number(schedstat.slice(0, schedstat.indexOf(' '))) || 0;
  } catch {
    return 0;
  }
}
