/** The example exchanges of the README and of docs/wire-protocol.md are real wire protocol: every line validates against the shipped schema. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkWireMessage, wireSchema } from '../../harness/adapters/stdio/wire-schema.ts';

const ROOT = join(import.meta.dirname, '..', '..');

function exchange(file: string, heading: RegExp): { direction: string; message: Record<string, unknown> }[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const block = new RegExp(`${heading.source}[^\\n]*\\n\\n\`\`\`\\n([\\s\\S]*?)\`\`\``).exec(text)?.[1] ?? '';
  // "…" stands for lines left out.
  return block.trim().split('\n').filter((line) => /^[<>] /.test(line))
    .map((line) => ({ direction: line.slice(0, 1), message: JSON.parse(line.slice(2)) as Record<string, unknown> }));
}

describe.each([
  ['README.md', /A complete exchange/, ['initialize', 'setCallback', 'download', 'downloadTrack', 'downloadTrackComplete', 'shutdown']],
  ['docs/wire-protocol.md', /## Example \(many instances\)/, ['initialize', 'create', 'setCallback', 'download', 'downloadTrack', 'downloadTrackComplete', 'buy', 'buyComplete', 'release', 'shutdown']],
])('%s', (file, heading, expectedMethods) => {
  const lines = exchange(file, heading);

  test('shows a complete exchange', () => {
    const methods = lines.flatMap((line) => (typeof line.message['method'] === 'string' ? [line.message['method']] : []));
    expect(methods).toEqual(expect.arrayContaining(expectedMethods));
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
});
