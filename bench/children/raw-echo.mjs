#!/usr/bin/env node
// The baseline of stdioVsRaw: the same line handling as bench/children/minimal-wire-plugin.mjs, the
// same answers, driven by a bare NDJSON loop in bench/stdio.ts (no schema, no adapter).
import { createInterface } from 'node:readline';

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
lines.on('line', (line) => {
  if (line.trim() === '') return;
  const message = JSON.parse(line);
  if (message.method === undefined) return;
  const result = message.method === 'initialize' ? { name: 'raw echo (bench)', version: '1.0.0' } : { hr: 0 };
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: message.id, result }) + '\n');
  if (message.method === 'shutdown') process.exit(0);
});
