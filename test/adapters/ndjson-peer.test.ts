import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import {
  DEFAULT_MAX_LINE_BYTES, InvalidResponseError, NdjsonPeer, PeerClosedError, RequestTimeoutError, RpcErrorResponse,
  type NdjsonPeerOptions, type Problem,
} from '../../harness/adapters/stdio/ndjson-peer.ts';

const CHILD = fileURLToPath(new URL('./children/misbehaving-child.mjs', import.meta.url));
const started: ChildProcessWithoutNullStreams[] = [];

function startChild(behaviour: string, options: NdjsonPeerOptions = {}) {
  const child = spawn(process.execPath, [CHILD, behaviour], { stdio: ['pipe', 'pipe', 'pipe'] });
  started.push(child);
  const problems: Problem[] = [];
  const peer = new NdjsonPeer(child, { onProblem: problem => problems.push(problem), ...options });
  return { child, peer, problems };
}

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

describe('NdjsonPeer', () => {
  test('sends a request and resolves with the schema-checked result', async () => {
    const { peer, problems } = startChild('echo');
    await expect(peer.request('initialize', { protocol: 1 }, 5000)).resolves.toEqual({ name: 'child', version: '0' });
    await expect(peer.request('download', { cookie: 1, list: { transactionType: 1, containers: [] } }, 5000))
      .resolves.toEqual({ hr: 0 });
    expect(problems).toEqual([]);
  });

  test('accepts lines ending in CRLF', async () => {
    const { peer, problems } = startChild('crlf-answers');
    await expect(peer.request('shutdown', {}, 5000)).resolves.toEqual({ hr: 0 });
    expect(problems).toEqual([]);
  });

  test('reports a non-JSON line and keeps going', async () => {
    const { peer, problems } = startChild('noise-then-answer');
    await expect(peer.request('shutdown', {}, 5000)).resolves.toEqual({ hr: 0 });
    expect(problems).toEqual([
      expect.objectContaining({ kind: 'not-json', line: 'hello from a stray console.log' }),
    ]);
  });

  test('reports a line that is not valid UTF-8 and keeps going', async () => {
    const { peer, problems } = startChild('invalid-utf8-then-answer');
    await expect(peer.request('shutdown', {}, 5000)).resolves.toEqual({ hr: 0 });
    expect(problems).toEqual([expect.objectContaining({ kind: 'invalid-utf8', line: '{\ufffd(}' })]);
  });

  test('kills a child that writes 8 MiB without a newline, with memory bounded by the cap', async () => {
    const { peer, problems } = startChild('flood');
    const pending = peer.request('shutdown', {}, 10_000);
    await expect(pending).rejects.toThrow(PeerClosedError);
    await expect(pending).rejects.toThrow(/was killed \(a line on stdout passed 1048576 bytes\)/);
    expect(await peer.closed()).toEqual({ code: null, signal: 'SIGKILL' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'line-too-long' });
    expect(problems[0]!.line).toHaveLength(501); // 500 characters and an ellipsis
    // Never more than the cap held for one line (a chunk more at most, while checking it).
    expect(peer.maxBufferedLineBytes).toBeLessThanOrEqual(DEFAULT_MAX_LINE_BYTES);
  });

  test('rejects the pending request when the child crashes mid-request, and every later one', async () => {
    const { peer } = startChild('crash-on-request');
    const first = peer.request('download', { cookie: 1, list: { transactionType: 1, containers: [] } }, 10_000);
    await expect(first).rejects.toThrow(PeerClosedError);
    await expect(first).rejects.toThrow(/exited with code 3 before answering download \(request #1\).*boom/);
    await expect(peer.request('shutdown', {}, 10_000)).rejects.toThrow(/exited with code 3 before answering shutdown/);
    expect(peer.stderr()).toContain('boom: the plug-in fell over');
  });

  test('a request written into a broken pipe learns why from the child\'s end, not just that the pipe broke', async () => {
    // Reads one request, closes its stdin (nothing reads the pipe any more), answers, and only
    // later says why on stderr and exits 70.
    const script = `head -n 1 >/dev/null; exec 0<&-; echo '{"jsonrpc":"2.0","id":1,"result":{"hr":0}}'; sleep 0.3; echo 'fatal: gone for good' >&2; exit 70`;
    const child = spawn('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'] });
    started.push(child);
    const peer = new NdjsonPeer(child);
    await expect(peer.request('shutdown', {}, 10_000)).resolves.toEqual({ hr: 0 });
    // This write breaks the pipe (EPIPE); the next one finds it broken.
    const intoTheBreak = peer.request('shutdown', {}, 10_000);
    const rejected = [expect(intoTheBreak).rejects.toThrow(/exited with code 70 before answering shutdown \(request #2\).*fatal: gone for good/)];
    await new Promise(resolve => child.stdin.once('close', resolve));
    expect(peer.isClosed).toBe(false);
    rejected.push(expect(peer.request('shutdown', {}, 10_000)).rejects.toThrow(/exited with code 70 before answering shutdown \(request #3\).*fatal: gone for good/));
    await Promise.all(rejected);
  });

  test('times out a request the child never answers', async () => {
    const { peer } = startChild('hang');
    const started = performance.now();
    await expect(peer.request('shutdown', {}, 100)).rejects.toThrow(RequestTimeoutError);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('reports an answer that comes after the timeout', async () => {
    // The child answers request #1 only once request #2 arrives, which is sent after #1 timed out:
    // the answer is late by construction, not by a race between two timers. It comes down the pipe
    // before #2's answer, so by the time #2 resolves it has been judged.
    const { peer, problems } = startChild('answers-when-asked-again');
    await expect(peer.request('shutdown', {}, 50)).rejects.toThrow(/did not answer shutdown \(request #1\) within 50 ms/);
    expect(problems).toEqual([]);
    await expect(peer.request('shutdown', {}, 10_000)).resolves.toEqual({ hr: 0 });
    expect(problems).toEqual([expect.objectContaining({ kind: 'late-response', message: 'an answer to request #1 after it had timed out' })]);
    expect(JSON.parse(problems[0]!.line)).toEqual({ jsonrpc: '2.0', id: 1, result: { hr: 0 } });
  });

  test('survives a child that never reads stdin: the write waits, the request times out, nothing throws', async () => {
    const { peer } = startChild('deaf');
    const big = 'x'.repeat(4 * 1024 * 1024); // far more than a pipe holds
    await expect(peer.request('download', { cookie: 1, list: { transactionType: 1, containers: [{ id: 1, type: big, price: null, items: [] }] } }, 300))
      .rejects.toThrow(RequestTimeoutError);
    peer.kill('test over');
    await peer.closed();
    await expect(peer.request('shutdown', {}, 300)).rejects.toThrow(PeerClosedError);
  });

  test('always drains stderr and keeps only its last 64 KiB', async () => {
    const { peer } = startChild('stderr-flood-then-answer');
    await expect(peer.request('shutdown', {}, 10_000)).resolves.toEqual({ hr: 0 });
    const stderr = peer.stderr();
    expect(stderr.endsWith('the end of stderr\n')).toBe(true);
    expect(stderr).toMatch(/^\[… \d+ earlier bytes dropped\]\n/);
    expect(stderr.length).toBeLessThan(64 * 1024 + 100);
  });

  test('reports malformed, unknown and duplicate answers; a JSON-RPC error rejects the request', async () => {
    const { peer, problems } = startChild('bad-answers');
    await expect(peer.request('setCallback', { enabled: true }, 5000)).rejects.toThrow(InvalidResponseError);
    const second = peer.request('setCallback', { enabled: false }, 5000);
    await expect(second).rejects.toThrow(RpcErrorResponse);
    await expect(second).rejects.toMatchObject({ code: -32000, method: 'setCallback' });
    expect(problems.map(problem => problem.kind)).toEqual(['schema-invalid', 'unknown-id', 'duplicate-response']);
    expect(problems[0]!.message).toContain('result/hr must be integer');
  });

  test('reports a second answer to a request it had already resolved as a duplicate', async () => {
    const { peer, problems } = startChild('answers-twice');
    for (let round = 0; round < 3; round++) await expect(peer.request('shutdown', {}, 5000)).resolves.toEqual({ hr: 0 });
    // The last request's second answer may still be in the pipe; the first two have been judged.
    expect(problems.slice(0, 2).map(problem => problem.message)).toEqual(['request #1 was already answered', 'request #2 was already answered']);
    expect(problems.every(problem => problem.kind === 'duplicate-response')).toBe(true);
  });

  test('serves incoming requests; refuses unknown methods and malformed params without calling the handler', async () => {
    const calls: unknown[] = [];
    const { peer, problems } = startChild('calls-back', {
      handlers: { downloadTrack: params => { calls.push(params); return { hr: 1 }; } },
    });
    await expect(peer.request('download', { cookie: 7, list: { transactionType: 1, containers: [] } }, 5000))
      .resolves.toEqual({ hr: 1 });
    expect(calls).toEqual([{ cookie: 7, url: 'http://m/1', trackId: 1, params: 'p', hr: 0x80004005 }]);
    expect(problems.map(problem => problem.kind)).toEqual(['unknown-method', 'schema-invalid']);
    expect(problems[1]!.message).toContain('message/params/cookie must be >= 0');
    await expect.poll(() => peer.stderr()).toContain('"code":-32602');
    expect(peer.stderr()).toContain('"code":-32601');
  });

  test('a command that cannot start rejects requests with a clear error', async () => {
    const child = spawn('/nonexistent/plug-in', [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const peer = new NdjsonPeer(child);
    await expect(peer.request('initialize', { protocol: 1 }, 5000)).rejects.toThrow(/could not be started: spawn \/nonexistent\/plug-in ENOENT/);
    expect(await peer.closed()).toBeUndefined();
  });
});
