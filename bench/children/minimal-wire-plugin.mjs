#!/usr/bin/env node
// A minimal conforming plug-in over the stdio wire (contract §4), for bench/stdio.ts: it answers
// every request at once with S_OK (initialize with its name), does no work of its own, and parses
// and writes lines exactly like bench/children/raw-echo.mjs, so the two differ only on the harness's side.
import { createInterface } from 'node:readline';

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (line.trim() === '') return;
  const message = JSON.parse(line);
  if (message.method === undefined) return; // an answer to a call of ours: we make none
  const result = message.method === 'initialize' ? { name: 'minimal wire plug-in (bench)', version: '1.0.0' } : { hr: 0 };
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }) + '\n');
  if (message.method === 'shutdown') process.exit(0);
});
