/**
 * Hand-built reports for the writer tests: one certified run with every rule passed, and one that
 * is not certified, whose candidate controls hostile strings (markup, script breakers, NUL, lone
 * surrogates, terminal escapes) that reach every field a writer prints.
 *
 * Both are reports of a plug-in judged by the plug-in rules of families DL and LC (SAMPLE_RULES),
 * not by the whole catalog: the catalog grows, the samples stay what the tests were written for.
 * Tests take every count from the sample (sampleSummary), never from a literal.
 */
import type { CertificationReport, RuleResult } from '../../harness/report/model.ts';
import type { Actor, ThrownValue, TraceEvent } from '../../harness/trace/events.ts';
import { RULES, type RuleInfo } from '../../harness/rules/catalog.ts';
import { E_FAIL, RPC_E_DISCONNECTED, S_FALSE, S_OK } from '../../harness/protocol/hresult.ts';

export const SCRIPT_BREAK = '</script><img src=x onerror=alert(1)>';
export const CANDIDATE_MARKUP = '<b>evil</b>';
/** Characters that must come out as visible `\uXXXX`, with the text they must come out as. */
export const INVISIBLES: readonly [raw: string, shown: string][] = [
  ['\u0000', '\\u0000'],
  ['\ud800', '\\ud800'],
  ['\udc00', '\\udc00'],
  ['\u001b', '\\u001b'],
  ['\u007f', '\\u007f'],
  ['\u0085', '\\u0085'],
  ['\u2028', '\\u2028'],
  ['\u2029', '\\u2029'],
  ['\u202e', '\\u202e'],
  ['\ufffe', '\\ufffe'],
  ['\uffff', '\\uffff'],
];
/** A params string combining all of it, as a hostile store would hand it over. */
export const HOSTILE = `${SCRIPT_BREAK} nul:\u0000 lone:\ud800 esc:\u001b[31mred\u001b[0m ls:\u2028 ${CANDIDATE_MARKUP} |pipe| *star* [link](x) \`tick\` # & 'q' "dq"`;

const base = {
  schemaVersion: 1,
  tool: { name: 'wmpcert', version: '0.1.0' },
  seed: 424242,
  runs: 100,
  level: 'required',
  timeoutMs: 2000,
  shard: null,
  startedAt: '2025-01-02T03:04:05.000Z',
  durationMs: 12_345,
  stats: { scenarios: 1700, tracks: 6120, calls: 48_311 },
} as const;

/** The rules both samples hold: the plug-in rules of families DL and LC, in catalog order. */
export const SAMPLE_RULES = RULES.filter((rule) => rule.side === 'plugin' && (rule.family === 'DL' || rule.family === 'LC'));
// The rules the samples fail, skip or the tests name must exist with the level the tests rely on.
for (const [id, level] of [['DL-02', 'required'], ['DL-10', 'required'], ['DL-14', 'recommended'], ['LC-02', 'recommended']] as const) {
  if (SAMPLE_RULES.find((rule) => rule.id === id)?.level !== level) throw new Error(`sample-report: the catalog has no ${level} plug-in rule ${id}`);
}

/** `N rules: P passed, F failed, S skipped`, counted from the report itself (independently of the writers). */
export function sampleSummary(report: CertificationReport): string {
  const count = (status: RuleResult['status']) => report.rules.filter((rule) => rule.status === status).length;
  return `${report.rules.length} rules: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`;
}

function passed(rule: RuleInfo): RuleResult {
  return { id: rule.id, family: rule.family, level: rule.level, statement: rule.statement, status: 'passed', cases: 100 };
}

/** `rules`: which rules the report holds (default SAMPLE_RULES), e.g. rulesFor('plugin') for a report as the engine writes it. */
export function certifiedReport(rules: readonly RuleInfo[] = SAMPLE_RULES): CertificationReport {
  return {
    ...base,
    candidate: {
      kind: 'plugin', name: 'reference', version: '1.0.0', source: 'fixtures/plugins/reference.ts',
      sourceType: 'module', sha256: 'a'.repeat(64),
    },
    verdict: 'certified',
    blockingFailures: [],
    rules: rules.map(passed),
    notes: [],
  };
}

/** A trace event before the builder numbers and times it (Omit applied to each member of the union). */
type Unstamped = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 'at'> : never) : never;

/** Builds a trace with consistent seq numbers, call IDs and request IDs. */
class TraceBuilder {
  readonly events: TraceEvent[] = [];
  private callIds = 0;
  private requestIds = 0;

  private push(event: Unstamped): void {
    this.events.push({ seq: this.events.length + 1, at: this.events.length * 3, ...event } as TraceEvent);
  }

  call(from: Actor, to: Actor, method: string, args: unknown[]): number {
    const callId = ++this.callIds;
    this.push({ type: 'call', callId, from, to, method, args });
    return callId;
  }

  ret(callId: number, outcome: { value?: unknown; threw?: ThrownValue; timedOut?: boolean }): void {
    const call = this.events.find((e) => e.type === 'call' && e.callId === callId);
    if (call?.type !== 'call') throw new Error(`no call ${callId}`);
    this.push({ type: 'return', callId, from: call.to, to: call.from, method: call.method, ...outcome });
  }

  exchange(by: 'plugin' | 'player', actor: 'store' | 'media' | 'unknown', url: string,
    response: { status: number; bytes?: number; contentLength?: number; error?: string }): void {
    const requestId = ++this.requestIds;
    this.push({ type: 'http-request', requestId, actor, by, method: 'GET', url });
    this.push({ type: 'http-response', requestId, actor, ...response });
  }

  uncaught(source: 'exception' | 'rejection', message: string): void {
    this.push({ type: 'uncaught', source, error: { kind: 'error', name: 'TypeError', message } });
  }

  note(text: string): void {
    this.push({ type: 'note', text });
  }

  sandbox(reason: 'blocked' | 'out-of-memory' | 'exited' | 'crashed', message: string): void {
    this.push({ type: 'sandbox', reason, message });
  }

  protocol(kind: string, line: string, message: string): void {
    this.push({ type: 'protocol', kind, line, message });
  }
}

/** Every type of trace event there is (report.schema.json's traceEvent): the hostile trace holds each. */
export const TRACE_EVENT_TYPES = ['call', 'return', 'http-request', 'http-response', 'uncaught', 'note', 'sandbox', 'protocol'] as const;

const COOKIE = 0xfffffffe;
const TRACK = 7;

/** About ten events of every type, hostile strings in arguments, values, URLs, messages and notes. */
function hostileTrace(): TraceEvent[] {
  const t = new TraceBuilder();
  t.note(`scenario start ${SCRIPT_BREAK}`);
  t.ret(t.call('player', 'plugin', 'setCallback', ['[callback]']), { value: S_OK });
  const download = t.call('player', 'plugin', 'download', ['[list]', COOKIE]);
  t.ret(t.call('plugin', 'player', 'getContainerCount', []), { value: 1 });
  t.ret(t.call('plugin', 'player', 'getContainer', [0]), { value: '[container]' });
  t.ret(t.call('plugin', 'player', 'getContentCount', []), { value: 3 });
  // A DWORD above 2^31 from a getter is a value, not a failed HRESULT: drawn green.
  t.ret(t.call('plugin', 'player', 'getContentID', [0]), { value: 0xfffffff0 });
  t.ret(t.call('plugin', 'player', 'getContentPrice', [1]), { value: HOSTILE });
  t.ret(t.call('plugin', 'player', 'getContentID', [2]), {
    threw: { kind: 'hresult-error', name: 'HResultError', message: 'RPC_E_DISCONNECTED', hr: RPC_E_DISCONNECTED },
  });
  t.ret(download, { value: S_OK });
  t.note(`transaction ${COOKIE} started with params ${HOSTILE}`);
  t.exchange('plugin', 'store', `http://store.test/tracks/${TRACK}?p=${encodeURIComponent(SCRIPT_BREAK)}`, { status: 200 });
  t.exchange('plugin', 'store', 'http://store.test/tracks/8', { status: 503 });
  t.exchange('plugin', 'store', 'http://store.test/tracks/8', { status: 0, error: `ECONNRESET ${SCRIPT_BREAK}` });
  t.exchange('plugin', 'store', 'http://store.test/tracks/9', { status: 403 });
  t.exchange('plugin', 'unknown', `http://elsewhere.test/${CANDIDATE_MARKUP}`, { status: 200 });
  t.ret(t.call('plugin', 'player', 'downloadTrack', [COOKIE, 'http://media.test/8', 8, HOSTILE, S_OK]), { value: S_OK });
  t.ret(t.call('plugin', 'player', 'downloadTrack', [COOKIE, null, 9, null, E_FAIL]), { value: E_FAIL });
  t.ret(t.call('plugin', 'player', 'downloadTrack', [COOKIE, 'http://media.test/10', 10, '\u0000', S_OK]), { value: S_FALSE });
  t.exchange('player', 'media', 'http://media.test/8', { status: 200, bytes: 1024, contentLength: 1024 });
  t.exchange('player', 'media', 'http://media.test/10', { status: 200, bytes: 100, contentLength: 1024 });
  t.exchange('player', 'media', 'http://media.test/11', { status: 404 });
  t.exchange('player', 'media', 'http://media.test/12', { status: 500 });
  t.exchange('player', 'media', 'http://media.test/13', { status: 0, error: 'network' });
  t.ret(t.call('player', 'plugin', 'downloadTrackComplete', [S_OK, 8, HOSTILE]), { value: S_OK });
  t.ret(t.call('player', 'plugin', 'downloadTrackComplete', [E_FAIL, 10, '\ud800']), { value: E_FAIL });
  t.ret(t.call('player', 'plugin', 'downloadTrackComplete', [S_OK, 11, null]), {
    threw: { kind: 'non-error', name: 'string', message: SCRIPT_BREAK },
  });
  t.ret(t.call('player', 'plugin', 'downloadTrackComplete', [S_OK, 12, '\u001b[31m']), { timedOut: true });
  t.ret(t.call('player', 'plugin', 'downloadTrackComplete', [S_OK, 13, '']), { value: undefined });
  for (let i = 0; i < 10; i++) {
    t.uncaught(i % 2 ? 'rejection' : 'exception', `boom ${i} ${i === 0 ? HOSTILE : ''}`);
    t.note(`settle window ${i}${i === 0 ? ` ${CANDIDATE_MARKUP}\u0000` : ''}`);
    t.ret(t.call('plugin', 'player', 'getContentID', [i]), { value: i });
  }
  // What an out-of-process plug-in wrote that breaks the wire (its own bytes, quoted), and the harness stopping it.
  t.protocol('not-json', `${SCRIPT_BREAK} ${HOSTILE}`, `not JSON: Unexpected token '<' ${CANDIDATE_MARKUP}`);
  t.protocol('schema-invalid', '{"jsonrpc":"2.0","id":3,"result":{"hr":"\u0000"}}\u001b[2J', 'answer to download: result/hr must be integer');
  t.protocol('line-too-long', `${'x'.repeat(500)}…`, 'a line passed 1048576 bytes without a newline; the plug-in was killed');
  t.sandbox('exited', `the plug-in process exited with code 3 in the middle of the scenario; its stderr ends: ${JSON.stringify(HOSTILE)}`);
  t.sandbox('blocked', `the plug-in stopped answering ${SCRIPT_BREAK}\u0000`);
  t.call('player', 'plugin', 'downloadTrackComplete', [S_OK, 14, 'never answered']);
  t.ret(t.call('player', 'plugin', 'setCallback', [null]), { value: S_OK });
  t.note(`scenario ended ${'\u2028'}`);
  return t.events;
}

function smallTrace(): TraceEvent[] {
  const t = new TraceBuilder();
  t.ret(t.call('player', 'plugin', 'download', ['[list]', 1]), { value: S_OK });
  t.ret(t.call('plugin', 'player', 'downloadTrack', [1, 'http://media.test/5', 5, 'p', S_OK]), { value: S_OK });
  t.ret(t.call('plugin', 'player', 'downloadTrack', [1, 'http://media.test/5', 5, 'p', S_OK]), { value: S_OK });
  return t.events;
}

export const HOSTILE_REPLAY = `npx wmpcert replay 'reports/${CANDIDATE_MARKUP} plug-in/report.json' --rule DL-02 # ${SCRIPT_BREAK} \`\`\` \u0000`;
export const BACKTICK_REPLAY = 'npx wmpcert replay report.json --rule DL-14 # ```` four ticks';

export function notCertifiedReport(): CertificationReport {
  const trace = hostileTrace();
  const evidence = trace.filter((e) => e.type === 'call' && e.method === 'downloadTrack').map((e) => e.seq);
  const rules = SAMPLE_RULES.map((rule): RuleResult => {
    if (rule.id === 'DL-02') {
      return {
        ...passed(rule), status: 'failed', cases: 37,
        failure: {
          message: `Track ${TRACK} never got a downloadTrack call. Params were ${HOSTILE}`,
          violations: [
            { rule: 'DL-02', message: `track ${TRACK} left out ${SCRIPT_BREAK}`, cookie: COOKIE, trackId: TRACK, events: evidence },
            { rule: 'DL-02', message: `second violation \u0000\ud800 ${CANDIDATE_MARKUP}`, events: [] },
          ],
          counterexample: {
            scenario: {
              tracks: [{ id: TRACK, entitled: true, backend: { kind: 'healthy' }, media: 'healthy', params: HOSTILE, size: 1024, playerReturn: S_OK }],
              transactions: [{ cookie: COOKIE, containers: [{ id: 1, type: 'CPAlbumID', price: '\ud800', items: [{ id: TRACK, price: SCRIPT_BREAK }] }], start: { kind: 'at-once' }, listFault: null }],
              detachAfterAnswers: null,
              orderSalt: 3,
            },
            seed: 424242, path: '36:0:1', shrinks: 5, foundAtRun: 36, tracks: 1, transactions: 1,
          },
          trace,
          replay: HOSTILE_REPLAY,
        },
      };
    }
    if (rule.id === 'DL-14') {
      const small = smallTrace();
      return {
        ...passed(rule), status: 'failed', cases: 12,
        failure: {
          message: 'Track 5 listed twice got 2 calls (one is recommended).',
          violations: [{ rule: 'DL-14', message: 'track 5 got 2 calls', cookie: 1, trackId: 5, events: [3, 5] }],
          counterexample: {
            scenario: { tracks: [], transactions: [], detachAfterAnswers: null, orderSalt: 0 },
            seed: 424242, path: '3:0', shrinks: 1, foundAtRun: 3, tracks: 1, transactions: 1,
          },
          trace: small,
          replay: BACKTICK_REPLAY,
        },
      };
    }
    if (rule.id === 'LC-02') {
      return { ...passed(rule), status: 'skipped', cases: 0, reason: `shard 2/2 does not judge it ${CANDIDATE_MARKUP}` };
    }
    return passed(rule);
  });
  return {
    ...base,
    candidate: {
      kind: 'plugin', name: `${CANDIDATE_MARKUP} plug-in`, version: `2.0 ${SCRIPT_BREAK}`,
      source: `fixtures/plugins/${CANDIDATE_MARKUP}.ts`, sourceType: 'module', sha256: 'b'.repeat(64),
    },
    verdict: 'not-certified',
    blockingFailures: ['DL-02'],
    rules,
    notes: [`candidate wrote to stderr: ${HOSTILE}`, 'second note'],
  };
}
