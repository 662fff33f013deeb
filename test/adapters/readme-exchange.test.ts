/** The README's example exchange is real wire protocol: every line validates against the shipped schema. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { checkWireMessage, wireSchema } from '../../harness/adapters/stdio/wire-schema.ts';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const block = /A complete exchange[^\n]*\n\n```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
const lines = block.trim().split('\n').map((line) => ({ direction: line.slice(0, 1), message: JSON.parse(line.slice(2)) as Record<string, unknown> }));

test('the README shows a complete exchange', () => {
  const methods = lines.flatMap((line) => (typeof line.message['method'] === 'string' ? [line.message['method']] : []));
  expect(methods).toEqual(expect.arrayContaining(['initialize', 'setCallback', 'download', 'downloadTrack', 'downloadTrackComplete', 'shutdown']));
});

test('every line of it matches the wire schema, and every result matches its method', () => {
  const pending = new Map<string, string>();
  for (const { direction, message } of lines) {
    expect(checkWireMessage(message), JSON.stringify(message)).toBeNull();
    const key = `${direction}:${String(message['id'])}`;
    if (typeof message['method'] === 'string') {
      pending.set(key, message['method']);
    } else {
      const askedBy = `${direction === '>' ? '<' : '>'}:${String(message['id'])}`;
      const method = pending.get(askedBy);
      expect(method, `a response to an unknown request: ${JSON.stringify(message)}`).toBeDefined();
      expect(wireSchema.checkResult(method!, message['result']), JSON.stringify(message)).toBeNull();
    }
  }
});
