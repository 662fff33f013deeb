/**
 * A JSON-RPC 2.0 peer over a child process's stdin/stdout, one JSON object per line (contract §4).
 *
 * The child is the candidate under test, so nothing it writes may crash or stall the harness:
 * every malformed line becomes a Problem (reported, never thrown), lines are capped, stderr is
 * always drained into a bounded tail, writes respect back-pressure, and the child's death rejects
 * every pending request with an error that says what happened.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { ByteTail } from './byte-tail.ts';
import { CappedLineSplitter } from './capped-line-splitter.ts';
import { RequestDeadlines } from './request-deadlines.ts';
import { wireSchema, type MessageSchema } from './wire-schema.ts';

export type ProblemKind =
  | 'invalid-utf8'
  | 'not-json'
  | 'line-too-long'
  | 'schema-invalid'
  | 'unknown-method'
  /** A call from a child serving many instances that names no instance, or one never created. */
  | 'unknown-instance'
  /** A response whose id matches no request ever sent. */
  | 'unknown-id'
  /** A response to a request that had already timed out. */
  | 'late-response'
  /** A second response to a request that was already answered. */
  | 'duplicate-response';

/** Something the child wrote that breaks the wire protocol. `line` is cut to 500 characters. */
export interface Problem { kind: ProblemKind; line: string; message: string }

/** Serves one incoming method; its return value (or resolved value) is the JSON-RPC result. */
export type IncomingRequestHandler = (params: unknown) => unknown;

export interface NdjsonPeerOptions {
  /** The methods the child may call on us. Anything else is an unknown-method problem. */
  handlers?: Record<string, IncomingRequestHandler>;
  /** Judges incoming messages. Default: the shipped wire schema. */
  schema?: MessageSchema;
  onProblem?: (problem: Problem) => void;
  /** A longer line is reported and the child is killed. Default 1 MiB. */
  maxLineBytes?: number;
  /** How much of stderr to keep. Default 64 KiB. */
  stderrTailBytes?: number;
  /** How to kill the child (e.g. its whole process group). Default: SIGKILL to the child. */
  kill?: () => void;
  /** How messages name the child. Default "plug-in". */
  peerName?: string;
}

export interface PeerExit { code: number | null; signal: NodeJS.Signals | null }

/** The child's process ended (or never started) before it answered. */
export class PeerClosedError extends Error {
  constructor(message: string, readonly exit: PeerExit | undefined, readonly stderrTail: string) {
    super(message);
    this.name = 'PeerClosedError';
  }
}

export class RequestTimeoutError extends Error {
  constructor(readonly method: string, readonly id: number, readonly timeoutMs: number, peerName: string) {
    super(`${peerName} did not answer ${method} (request #${id}) within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/** The child answered with a JSON-RPC error object. */
export class RpcErrorResponse extends Error {
  constructor(readonly method: string, readonly code: number, message: string, readonly data: unknown) {
    super(`${method} failed with JSON-RPC error ${code}: ${message}`);
    this.name = 'RpcErrorResponse';
  }
}

/** The child answered, but not in the shape the schema requires (also reported as a Problem). */
export class InvalidResponseError extends Error {
  constructor(readonly method: string, message: string) {
    super(`invalid response to ${method}: ${message}`);
    this.name = 'InvalidResponseError';
  }
}

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;
export const DEFAULT_STDERR_TAIL_BYTES = 64 * 1024;
const REPORTED_LINE_CHARS = 500;
const STDERR_IN_ERROR_CHARS = 400;

/** JSON-RPC 2.0 reserved error codes. */
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

interface PendingRequest {
  method: string;
  timeoutMs: number;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

type JsonObject = Record<string, unknown>;

export class NdjsonPeer {
  private nextId = 1;
  private readonly pending = new Map<number, PendingRequest>();
  private readonly deadlines = new RequestDeadlines(id => this.timedOut(id));
  /**
   * Requests no longer pending that were not answered, to tell late and duplicate answers from
   * unknown ids. Any other id sent and no longer pending was answered: one entry per request
   * would grow with every round trip of a long certification.
   */
  private readonly unanswered = new Map<number, 'timed-out' | 'failed'>();
  private readonly splitter: CappedLineSplitter;
  private readonly stderrTail: ByteTail;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private readonly schema: MessageSchema;
  private readonly handlers: Record<string, IncomingRequestHandler>;
  private readonly peerName: string;
  /** Set while the pipe is full: later lines wait behind it, in order, until 'drain'. */
  private backlog: Promise<void> | undefined;
  private killReason: string | undefined;
  private closedBy: ((request: string) => PeerClosedError) | undefined;
  private exitStatus: PeerExit | undefined;
  private readonly closedPromise: Promise<PeerExit | undefined>;

  constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly options: NdjsonPeerOptions = {}) {
    this.schema = options.schema ?? wireSchema;
    this.handlers = options.handlers ?? {};
    this.peerName = options.peerName ?? 'plug-in';
    this.stderrTail = new ByteTail(options.stderrTailBytes ?? DEFAULT_STDERR_TAIL_BYTES);
    this.splitter = new CappedLineSplitter({
      line: bytes => this.onLine(bytes),
      overflow: (head, limit) => {
        this.problem('line-too-long', head.toString('utf8'),
          `a line passed ${limit} bytes without a newline; the ${this.peerName} was killed`);
        this.kill(`a line on stdout passed ${limit} bytes`);
      },
    }, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);

    child.stdout.on('data', (chunk: Buffer) => this.splitter.push(chunk));
    child.stdout.on('end', () => this.splitter.end());
    // Always drained: a child blocked on a full stderr pipe would look like a hang.
    child.stderr.on('data', (chunk: Buffer) => this.stderrTail.push(chunk));
    // EPIPE and friends once the child is gone: the 'close' handler explains that to every caller.
    child.stdin.on('error', () => {});
    child.stdout.on('error', () => {});
    child.stderr.on('error', () => {});

    this.closedPromise = new Promise(resolve => {
      // 'close' (not 'exit'): by then stdout is fully read, so no answer still in the pipe is lost.
      // It also follows 'error' when the child could not be spawned at all.
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
        this.exitStatus = child.pid === undefined ? undefined : { code, signal };
        this.onClosed();
        resolve(this.exitStatus);
      });
    });
    child.on('error', error => {
      if (child.pid === undefined) this.killReason ??= `could not be started: ${error.message}`;
    });
  }

  /** Sends a request and resolves with its schema-checked result. Never throws synchronously. */
  request(method: string, params: unknown, timeoutMs: number): Promise<unknown> {
    const id = this.nextId++;
    if (this.closedBy) return Promise.reject(this.closedBy(`${method} (request #${id})`));
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { method, timeoutMs, resolve, reject });
      this.deadlines.add(id, timeoutMs);
      this.send({ jsonrpc: '2.0', id, method, params }, (error) => this.fail(id, error));
    });
  }

  /** The last bytes the child wrote to stderr (bounded); with `since` (a `stderrBytes` read earlier), only those written after it. */
  stderr(since = 0): string {
    return this.stderrTail.textSince(since);
  }

  /** How many bytes the child has written to stderr so far. */
  get stderrBytes(): number {
    return this.stderrTail.totalBytes;
  }

  /** Resolves once the child is gone and its output fully read; undefined if it never started. */
  closed(): Promise<PeerExit | undefined> {
    return this.closedPromise;
  }

  /** Requests sent and not answered yet (nor timed out). */
  get pendingRequests(): number {
    return this.pending.size;
  }

  get isClosed(): boolean {
    return this.closedBy !== undefined;
  }

  /** The most bytes ever held for one unfinished stdout line: never more than the cap. */
  get maxBufferedLineBytes(): number {
    return this.splitter.highWaterBytes;
  }

  kill(reason: string): void {
    this.killReason ??= reason;
    if (this.options.kill) this.options.kill();
    else this.child.kill('SIGKILL');
  }

  private onLine(bytes: Buffer): void {
    let text: string;
    try {
      text = this.utf8.decode(bytes);
    } catch {
      this.problem('invalid-utf8', bytes.toString('utf8'), 'the line is not valid UTF-8');
      return;
    }
    if (text.trim() === '') return; // a blank line carries nothing; not worth a finding
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      this.problem('not-json', text, `not JSON: ${(error as Error).message}`);
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.problem('schema-invalid', text, 'a message must be a JSON object (batches are not part of the protocol)');
    } else if ('method' in message) {
      this.onRequest(message as JsonObject, text);
    } else if ('result' in message || 'error' in message) {
      this.onResponse(message as JsonObject, text);
    } else {
      this.problem('schema-invalid', text, 'neither a request (no "method") nor a response (no "result" or "error")');
    }
  }

  private onRequest(message: JsonObject, text: string): void {
    const { id, method } = message;
    const answerable = typeof id === 'number' || typeof id === 'string';
    if (typeof method !== 'string' || !Object.hasOwn(this.handlers, method)) {
      const served = Object.keys(this.handlers).join(', ') || 'nothing';
      this.problem('unknown-method', text, `no method ${JSON.stringify(method)} here (the harness serves: ${served})`);
      if (answerable) this.answer(id, { error: { code: METHOD_NOT_FOUND, message: `Method not found: ${String(method)}` } });
      return;
    }
    const invalid = this.schema.checkRequest(message);
    if (invalid) {
      this.problem('schema-invalid', text, invalid);
      if (answerable) this.answer(id, { error: { code: INVALID_PARAMS, message: `Invalid request: ${invalid}` } });
      return;
    }
    const handler = this.handlers[method]!;
    Promise.resolve()
      .then(() => handler(message.params))
      .then(
        result => this.answer(id, { result }),
        // The harness's own handler failed: the child still gets an answer, so it does not hang.
        (error: unknown) => this.answer(id, {
          error: { code: INTERNAL_ERROR, message: error instanceof Error ? error.message : String(error) },
        }),
      );
  }

  private onResponse(message: JsonObject, text: string): void {
    const id = message.id;
    const request = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!request || typeof id !== 'number') {
      const before = typeof id === 'number' ? this.outcomeOf(id) : undefined;
      if (before === 'timed-out') this.problem('late-response', text, `an answer to request #${id} after it had timed out`);
      else if (before) this.problem('duplicate-response', text, `request #${id} was already answered`);
      else if (id === null && 'error' in message) this.problem('unknown-id', text, `an error answer to a request the ${this.peerName} could not identify`);
      else this.problem('unknown-id', text, `no request with id ${JSON.stringify(id)} is waiting for an answer`);
      return;
    }
    if ('error' in message) {
      const invalid = this.schema.checkErrorResponse(message);
      if (invalid) {
        this.problem('schema-invalid', text, invalid);
        this.fail(id, new InvalidResponseError(request.method, invalid));
        return;
      }
      const error = message.error as { code: number; message: string; data?: unknown };
      this.fail(id, new RpcErrorResponse(request.method, error.code, error.message, error.data));
      return;
    }
    const invalid = this.schema.checkResult(request.method, message.result) ?? this.schema.checkSuccessResponse(message);
    if (invalid) {
      this.problem('schema-invalid', text, `answer to ${request.method}: ${invalid}`);
      this.fail(id, new InvalidResponseError(request.method, invalid));
      return;
    }
    this.pending.delete(id);
    this.deadlines.delete(id);
    request.resolve(message.result);
  }

  private timedOut(id: number): void {
    const request = this.pending.get(id);
    if (!request) return;
    this.pending.delete(id);
    this.unanswered.set(id, 'timed-out');
    request.reject(new RequestTimeoutError(request.method, id, request.timeoutMs, this.peerName));
  }

  /** What became of a request no longer pending; undefined for an id never sent. */
  private outcomeOf(id: number): 'answered' | 'timed-out' | 'failed' | undefined {
    if (!Number.isInteger(id) || id < 1 || id >= this.nextId) return undefined;
    return this.unanswered.get(id) ?? 'answered';
  }

  private fail(id: number, error: Error): void {
    const request = this.pending.get(id);
    if (!request) return;
    this.pending.delete(id);
    this.unanswered.set(id, 'failed');
    this.deadlines.delete(id);
    request.reject(error);
  }

  private onClosed(): void {
    const tail = this.stderrTail.text();
    const what = this.describeEnd();
    const stderrHint = tail.trim() === '' ? '' : `; stderr ends with: ${JSON.stringify(tail.slice(-STDERR_IN_ERROR_CHARS))}`;
    this.closedBy = request => new PeerClosedError(`${what} before answering ${request}${stderrHint}`, this.exitStatus, tail);
    for (const [id, request] of [...this.pending]) this.fail(id, this.closedBy(`${request.method} (request #${id})`));
    this.deadlines.clear();
    // Wakes a write that waits for 'drain' from a child that will never read again.
    this.child.stdin.destroy();
  }

  private describeEnd(): string {
    const name = this.peerName;
    if (this.killReason && this.exitStatus === undefined) return `the ${name} ${this.killReason}`;
    if (this.killReason) return `the ${name} was killed (${this.killReason})`;
    const { code, signal } = this.exitStatus ?? { code: null, signal: null };
    return signal ? `the ${name} process died of ${signal}` : `the ${name} process exited with code ${code}`;
  }

  /** Answers an incoming request; never fails (a child that is gone needs no answer). */
  private answer(id: unknown, outcome: { result: unknown } | { error: { code: number; message: string } }): void {
    this.send({ jsonrpc: '2.0', id, ...outcome }, () => {});
  }

  /**
   * Writes one line, in order. It goes to the pipe at once unless earlier lines wait for 'drain'
   * (back-pressure); a line that cannot be written (the child is gone) calls `failed`.
   */
  private send(message: object, failed: (error: Error) => void): void {
    const line = JSON.stringify(message) + '\n';
    if (this.backlog === undefined) {
      let drain: Promise<void> | undefined;
      try {
        drain = this.writeLine(line);
      } catch (error) {
        failed(error as Error);
        return;
      }
      if (drain) this.queueBehind(drain.then(undefined, failed));
      return;
    }
    this.queueBehind(this.backlog.then(() => this.writeLine(line)).then(undefined, failed));
  }

  /** Later lines wait for `written` (which never rejects); once it is the last one written, the pipe is free again. */
  private queueBehind(written: Promise<void>): void {
    const settled: Promise<void> = written.then(() => {
      if (this.backlog === settled) this.backlog = undefined;
    });
    this.backlog = settled;
  }

  /**
   * Hands one line to the pipe; when the pipe is full, the promise of its 'drain' (or close); when
   * the pipe is broken, a promise that rejects once the child's end is known.
   */
  private writeLine(line: string): Promise<void> | undefined {
    const stdin = this.child.stdin;
    if (this.closedBy) throw this.closedBy('a message it was sent');
    if (stdin.destroyed || !stdin.writable) {
      // The pipe broke: the child is going (its 'close', with the exit code and the end of stderr,
      // fails every pending request and says why) or closed its stdin and lives on (then its
      // requests time out, unanswered).
      return this.closedPromise.then(() => { throw this.closedBy!('a message it was sent'); });
    }
    if (stdin.write(line)) return undefined;
    return new Promise<void>(resolve => {
      const done = (): void => {
        stdin.off('drain', done).off('close', done);
        resolve();
      };
      stdin.on('drain', done).on('close', done);
    });
  }

  private problem(kind: ProblemKind, line: string, message: string): void {
    const shown = line.length > REPORTED_LINE_CHARS ? line.slice(0, REPORTED_LINE_CHARS) + '…' : line;
    try {
      this.options.onProblem?.({ kind, line: shown, message });
    } catch (error) {
      // A broken listener must not take the wire down with it.
      process.emitWarning(`onProblem listener threw: ${(error as Error).message}`);
    }
  }
}
