import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createExecCandidate, type ExecCandidate, type ExecCandidateOptions, type ExecPlugin, type Problem } from '../../harness/adapters/stdio/exec-candidate.ts';
import { PeerClosedError } from '../../harness/adapters/stdio/ndjson-peer.ts';
import { E_ACCESSDENIED, E_FAIL, E_UNEXPECTED, S_OK } from '../../harness/protocol/hresult.ts';
import type { BSTR, ContentContainerList, ContentPartnerCallback, HRESULT } from '../../harness/protocol/types.ts';
import { startLoopbackServer, type LoopbackServer } from '../../harness/world/loopback-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PYTHON_REFERENCE = 'python3 fixtures/wire/reference_plugin.py';
const NODE_REFERENCE = 'node fixtures/wire/reference-plugin.mjs';
/** The Node reference as one plug-in per process (contract §4's default). */
const ONE_INSTANCE = 'node fixtures/wire/one-instance-plugin.mjs';
const mutant = (name: string) => `node fixtures/wire/mutants/${name}.mjs`;
const misbehaving = (behaviour: string) => `node test/adapters/children/misbehaving-child.mjs ${behaviour}`;

/** How long nothing more may arrive before "exactly once" is believed. */
const QUIET_MS = 150;

// ---------------------------------------------------------------------------------------------
// The store: 200 for even track IDs, 403 for odd ones, plus per-test faults.

interface StoreLog { gets: Map<number, number>; completions: unknown[] }
/** A fault to inject for one store request, or undefined for the normal answer. */
type StoreFault = (trackId: number, attempt: number) => Response | undefined | Promise<Response | undefined>;

function referenceStore(
  server: LoopbackServer, log: StoreLog,
  fault: StoreFault = () => undefined,
): RequestHandler[] {
  return [
    http.get('/v1/tracks/:id/download', async ({ params }) => {
      const trackId = Number(params.id);
      const attempt = (log.gets.get(trackId) ?? 0) + 1;
      log.gets.set(trackId, attempt);
      const faulty = await fault(trackId, attempt);
      if (faulty) return faulty;
      return trackId % 2 === 0
        ? HttpResponse.json({ url: `${server.url}/media/${trackId}`, params: `p${trackId}` })
        : HttpResponse.json({ error: 'not-entitled' }, { status: 403 });
    }),
    http.post('/v1/downloads/complete', async ({ request }) => {
      log.completions.push(await request.json());
      return new HttpResponse(null, { status: 204 });
    }),
  ];
}

// ---------------------------------------------------------------------------------------------
// The Player side: a callback that records, and lists built from plain specs.

interface TrackCall { cookie: number; url: BSTR; trackId: number; params: BSTR; hr: HRESULT }

function recordingCallback(): ContentPartnerCallback & { calls: TrackCall[] } {
  const calls: TrackCall[] = [];
  return {
    calls,
    downloadTrack(cookie, url, trackId, params, hr) {
      calls.push({ cookie, url, trackId, params, hr });
      return S_OK;
    },
  };
}

/** A list the way the harness's own lists are: it can describe itself. */
function snapshotList(...trackIdsPerContainer: number[][]): ContentContainerList & { snapshot(): unknown } {
  const containers = trackIdsPerContainer.map((ids, index) => ({
    id: index + 1, type: 'CPAlbumID', price: null, items: ids.map(id => ({ id, price: null })),
  }));
  const unread = (): never => { throw new Error('the adapter must use snapshot(), not the getters'); };
  return {
    snapshot: () => ({ transactionType: 1, containers }),
    getTransactionType: unread, getContainerCount: unread, getContainer: unread,
  };
}

/** A list with getters only, as a third-party Player might hand over. */
function getterList(ids: number[]): ContentContainerList {
  return {
    getTransactionType: () => 1,
    getContainerCount: () => 1,
    getContainer: () => ({
      getID: () => 0xffffffff, getPrice: () => null, getType: () => 'UnknownLocation',
      getContentCount: () => ids.length, getContentPrice: () => 'PriceFree', getContentID: index => ids[index]!,
    }),
  };
}

function expectedCall(server: LoopbackServer, cookie: number, trackId: number): TrackCall {
  return trackId % 2 === 0
    ? { cookie, url: `${server.url}/media/${trackId}`, trackId, params: `p${trackId}`, hr: S_OK }
    : { cookie, url: null, trackId, params: null, hr: E_ACCESSDENIED };
}

const byCookieThenTrack = (a: TrackCall, b: TrackCall) => a.cookie - b.cookie || a.trackId - b.trackId;

async function settle(calls: TrackCall[], count: number): Promise<void> {
  await expect.poll(() => calls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
  await new Promise(resolve => setTimeout(resolve, QUIET_MS));
}

// ---------------------------------------------------------------------------------------------
// Processes: every plug-in a test starts is disposed, and must leave nothing running.

/** Pids of processes in the group that still run (zombies are dead; this sandbox's init does not reap them). */
function liveProcessesInGroup(pgid: number): number[] {
  if (!existsSync('/proc/self/stat')) return [];
  const live: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(group) === pgid && state !== 'Z') live.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return live;
}

/** Pids of running processes whose command line contains `marker`. */
function liveProcessesWith(marker: string): number[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  return readdirSync('/proc').filter(entry => /^\d+$/.test(entry) && Number(entry) !== process.pid).flatMap(entry => {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const running = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
      return running && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

/** The shell we spawned is reaped; the rest of its group got SIGKILL and is gone moments later. */
async function expectGone(pid: number | undefined): Promise<void> {
  expect(pid).toBeTypeOf('number');
  expect(() => process.kill(pid!, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  await expect.poll(() => liveProcessesInGroup(pid!), { timeout: 1000 }).toEqual([]);
}

let server: LoopbackServer;
let store: StoreLog;
const plugins: ExecPlugin[] = [];
const candidates: ExecCandidate[] = [];

beforeAll(async () => {
  server = await startLoopbackServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await Promise.all(plugins.splice(0).map(plugin => plugin.dispose()));
  await Promise.all(candidates.splice(0).map(candidate => candidate.close()));
});

function candidateOf(command: string, options: Partial<ExecCandidateOptions> = {}): ExecCandidate {
  const candidate = createExecCandidate(command, { storeUrl: server.url, cwd: ROOT, requestTimeoutMs: 5000, ...options });
  candidates.push(candidate);
  return candidate;
}

function start(command: string, fault?: StoreFault): ExecPlugin {
  store = { gets: new Map(), completions: [] };
  server.setHandlers(referenceStore(server, store, fault));
  const plugin = candidateOf(command).create();
  plugins.push(plugin);
  return plugin;
}

describe.each([
  ['Python', PYTHON_REFERENCE],
  ['Node', NODE_REFERENCE],
])('the %s reference plug-in over stdio', (_language, command) => {
  test('introduces itself, then makes exactly one downloadTrack per distinct track with its transaction\'s cookie', async () => {
    const plugin = start(command);
    expect((await plugin.initialized).name).toMatch(/reference plug-in/);
    const callback = recordingCallback();
    expect(await plugin.setCallback(callback)).toBe(S_OK);

    // Two transactions in flight at once; track 2 recurs within the first, track 4 across both.
    const answers = await Promise.all([
      plugin.download(snapshotList([2, 3], [4, 2]), 0xffffffff),
      plugin.download(snapshotList([4, 5]), 7),
    ]);
    expect(answers).toEqual([S_OK, S_OK]);
    await settle(callback.calls, 5);

    expect([...callback.calls].sort(byCookieThenTrack)).toEqual([
      expectedCall(server, 7, 4), expectedCall(server, 7, 5),
      expectedCall(server, 0xffffffff, 2), expectedCall(server, 0xffffffff, 3), expectedCall(server, 0xffffffff, 4),
    ]);
    expect(plugin.problems()).toEqual([]);
  });

  test('reads a list without snapshot() through its getters', async () => {
    const plugin = start(command);
    const callback = recordingCallback();
    await plugin.setCallback(callback);
    expect(await plugin.download(getterList([6, 9]), 3)).toBe(S_OK);
    await settle(callback.calls, 2);
    expect(callback.calls).toEqual([expectedCall(server, 3, 6), expectedCall(server, 3, 9)]);
  });

  test('retries transient store faults and gives up on permanent ones with E_FAIL', async () => {
    const plugin = start(command, (trackId, attempt) => {
      if (trackId === 10 && attempt <= 2) return new HttpResponse(null, { status: 500 });
      if (trackId === 12) return new HttpResponse(null, { status: 503 });
      if (trackId === 14) return HttpResponse.error();
      return undefined;
    });
    const callback = recordingCallback();
    await plugin.setCallback(callback);
    expect(await plugin.download(snapshotList([10, 12, 14]), 1)).toBe(S_OK);
    await settle(callback.calls, 3);
    expect(callback.calls).toEqual([
      expectedCall(server, 1, 10),
      { cookie: 1, url: null, trackId: 12, params: null, hr: E_FAIL },
      { cookie: 1, url: null, trackId: 14, params: null, hr: E_FAIL },
    ]);
    expect(Object.fromEntries(store.gets)).toEqual({ 10: 3, 12: 3, 14: 3 });
  });

  test('answers downloadTrackComplete and reports the completion to its store', async () => {
    const plugin = start(command);
    await plugin.setCallback(recordingCallback());
    expect(await plugin.downloadTrackComplete(0x80004005, 2, 'p\u00002\ud800')).toBe(S_OK);
    await expect.poll(() => store.completions).toEqual([{ trackId: 2, hr: E_FAIL, params: 'p\u00002\ud800' }]);
  });

  test('refuses download before setCallback, and stops calling after setCallback(null)', async () => {
    // The store answers the first track at once and holds the others until the callback is gone, so
    // the plug-in has exactly one answer to report before setCallback(null), however slow the machine.
    let release!: () => void;
    const released = new Promise<void>(resolve => { release = resolve; });
    let heldAnswered = 0;
    const plugin = start(command, async (trackId) => {
      if (trackId !== 2) {
        await released;
        heldAnswered++;
      }
      return undefined;
    });
    expect(await plugin.download(snapshotList([2]), 1)).toBe(E_UNEXPECTED);

    const callback = recordingCallback();
    await plugin.setCallback(callback);
    expect(await plugin.download(snapshotList([2, 4, 6, 8, 10, 12, 14, 16]), 2)).toBe(S_OK);
    await settle(callback.calls, 1);
    expect(callback.calls.map(call => call.trackId)).toEqual([2]);
    expect(await plugin.setCallback(null)).toBe(S_OK);
    const asked = store.gets.size;
    release();
    // The held answer reaches the plug-in after the callback went away; it must not report it.
    await expect.poll(() => heldAnswered, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(callback.calls.map(call => call.trackId)).toEqual([2]);
    // At most the request in flight when the callback went away; nothing new after it.
    expect(store.gets.size).toBeLessThanOrEqual(asked + 1);
  });

  test('serves every plug-in instance in one child; closing the candidate shuts it down and leaves no process behind', async () => {
    const candidate = candidateOf(command);
    const first = candidate.create();
    expect((await first.initialized).instances).toBe('many');
    await first.dispose();
    await first.dispose(); // idempotent
    const second = candidate.create();
    await second.initialized;
    expect(second.pid).toBe(first.pid);
    await second.dispose();
    await candidate.close();
    await expectGone(first.pid);
  });

  test('instances in flight at once keep their calls apart', async () => {
    store = { gets: new Map(), completions: [] };
    server.setHandlers(referenceStore(server, store));
    const candidate = candidateOf(command);
    const [one, two] = [candidate.create(), candidate.create()];
    plugins.push(one, two);
    const [calledOne, calledTwo] = [recordingCallback(), recordingCallback()];
    await Promise.all([one.setCallback(calledOne), two.setCallback(calledTwo)]);
    // The same cookie in both: only the instance tells the calls apart.
    await Promise.all([one.download(snapshotList([2, 3]), 7), two.download(snapshotList([4]), 7)]);
    await Promise.all([settle(calledOne.calls, 2), settle(calledTwo.calls, 1)]);
    expect(calledOne.calls.map(call => call.trackId).sort()).toEqual([2, 3]);
    expect(calledTwo.calls).toEqual([expectedCall(server, 7, 4)]);
    expect(one.implements('buy') && one.implements('canBuySilent') && one.implements('refreshLicense') && one.implements('sendMessage')).toBe(true);
  });
});

describe('one child, many instances: calls that belong to no live instance', () => {
  test('a call for a released instance is quoted and dropped; one for an instance never created is a protocol problem', async () => {
    const late: string[] = [];
    const problems: Problem[] = [];
    const candidate = candidateOf(misbehaving('many-with-stray-calls'), { onLateCall: quote => late.push(quote), onProblem: problem => problems.push(problem) });
    const plugin = candidate.create();
    const callback = recordingCallback();
    await plugin.setCallback(callback);
    await plugin.download(snapshotList([5]), 1);
    await plugin.dispose();
    await expect.poll(() => late.length).toBe(1);
    expect(late[0]).toMatch(/downloadTrack call for plug-in instance 1, after the harness released it, was answered E_UNEXPECTED and dropped/);
    expect(problems.map(problem => problem.kind)).toEqual(['unknown-instance']);
    expect(problems[0]!.message).toMatch(/no plug-in instance 999 was ever created/);
    expect(callback.calls).toEqual([]);
  });

  test('a shared child that died is replaced for the next instance', async () => {
    const candidate = candidateOf(NODE_REFERENCE);
    const first = candidate.create();
    await first.initialized;
    process.kill(-first.pid!, 'SIGKILL');
    await first.closed();
    await first.dispose();
    const second = candidate.create();
    await second.initialized;
    expect(second.pid).not.toBe(first.pid);
    await second.dispose();
  });
});

describe('one plug-in per child (instances: "one")', () => {
  test('every instance is a fresh child, shut down by dispose, leaving no process behind', async () => {
    const candidate = candidateOf(ONE_INSTANCE);
    const first = candidate.create();
    expect((await first.initialized).instances ?? 'one').toBe('one');
    expect(first.implements('buy')).toBe(true);
    await first.dispose();
    await expectGone(first.pid);
    const second = candidate.create();
    await second.initialized;
    expect(second.pid).not.toBe(first.pid);
    await second.dispose();
    await expectGone(second.pid);
  });
});

describe('the wire mutants are caught by the same checks', () => {
  test('wrong-cookie sends cookie + 1, wrapped to 32 bits, from the second track on', async () => {
    const plugin = start(mutant('wrong-cookie'));
    const callback = recordingCallback();
    await plugin.setCallback(callback);
    await plugin.download(snapshotList([2, 3, 4]), 0xffffffff);
    await settle(callback.calls, 3);
    expect(callback.calls.map(call => call.cookie)).toEqual([0xffffffff, 0, 0]);
  });

  test('skips-track never reports the last track of a transaction', async () => {
    const plugin = start(mutant('skips-track'));
    const callback = recordingCallback();
    await plugin.setCallback(callback);
    await plugin.download(snapshotList([2, 3, 4]), 5);
    await settle(callback.calls, 2);
    expect(callback.calls.map(call => call.trackId)).toEqual([2, 3]);
  });

  test('double-call reports the first track twice', async () => {
    const plugin = start(mutant('double-call'));
    const callback = recordingCallback();
    await plugin.setCallback(callback);
    await plugin.download(snapshotList([2, 3]), 5);
    await settle(callback.calls, 3);
    expect(callback.calls.map(call => call.trackId)).toEqual([2, 2, 3]);
  });
});

describe('createExecCandidate with misbehaving commands', () => {
  test('a fresh process per create, each with WMPCERT_STORE_URL', async () => {
    const candidate = createExecCandidate(NODE_REFERENCE, { storeUrl: server.url, cwd: ROOT, requestTimeoutMs: 5000 });
    const first = candidate.create();
    const second = candidate.create();
    plugins.push(first, second);
    await Promise.all([first.initialized, second.initialized]);
    expect(first.pid).not.toBe(second.pid);
    const probe = createExecCandidate('node -e "process.stderr.write(process.env.WMPCERT_STORE_URL)"', {
      storeUrl: server.url, cwd: ROOT, requestTimeoutMs: 5000,
    }).create();
    plugins.push(probe);
    await expect(probe.initialized).rejects.toThrow(PeerClosedError);
    expect(probe.stderr()).toBe(server.url);
  });

  test('protocol problems are collected and reported, never thrown', async () => {
    const seen: string[] = [];
    const plugin = createExecCandidate(misbehaving('noise-then-answer'), {
      storeUrl: server.url, cwd: ROOT, requestTimeoutMs: 5000, onProblem: problem => seen.push(problem.kind),
    }).create();
    plugins.push(plugin);
    await plugin.initialized;
    expect(await plugin.setCallback(null)).toBe(S_OK);
    expect(plugin.problems().map(problem => problem.kind)).toEqual(['not-json', 'not-json']);
    expect(seen).toEqual(['not-json', 'not-json']);
  });

  test('a command that dies at once fails every call with a clear error', async () => {
    const plugin = createExecCandidate('echo "no such plug-in" >&2; exit 3', {
      storeUrl: server.url, cwd: ROOT, requestTimeoutMs: 5000,
    }).create();
    plugins.push(plugin);
    await expect(plugin.setCallback(null)).rejects.toThrow(/exited with code 3 before answering initialize.*no such plug-in/);
    await expect(plugin.download(snapshotList([1]), 1)).rejects.toThrow(PeerClosedError);
    await plugin.dispose();
    await expectGone(plugin.pid);
  });

  test('a plug-in that ignores shutdown, and a child it started, are killed with its process group', async () => {
    // The shell starts a background sleeper that would outlive a plug-in killed alone.
    const plugin = createExecCandidate(`sleep 30 & ${misbehaving('hang')}`, {
      storeUrl: server.url, cwd: ROOT, requestTimeoutMs: 200,
    }).create();
    plugins.push(plugin);
    await expect(plugin.initialized).rejects.toThrow(/did not answer initialize/);
    expect(liveProcessesInGroup(plugin.pid!).length).toBeGreaterThanOrEqual(2);
    await plugin.dispose();
    await expectGone(plugin.pid);
  });
});

describe('warm spares', () => {
  test('create hands out a plug-in started ahead of time, never one used before; close disposes the rest', async () => {
    const marker = `--spare-marker-${process.pid}-${Date.now()}`;
    const candidate = createExecCandidate(`${ONE_INSTANCE} ${marker}`, {
      storeUrl: server.url, cwd: ROOT, requestTimeoutMs: 5000, warmSpares: 1,
    });
    const first = candidate.create();
    plugins.push(first);
    await first.initialized;
    // The spare was started alongside the first one (a shell and a node process each).
    await expect.poll(() => liveProcessesWith(marker).length, { timeout: 5000 }).toBe(4);
    const runningBefore = liveProcessesWith(marker);
    const second = candidate.create();
    plugins.push(second);
    expect(runningBefore).toContain(second.pid);
    expect(second.pid).not.toBe(first.pid);
    await second.initialized;

    const callback = recordingCallback();
    await second.setCallback(callback);
    await second.download(snapshotList([2]), 9);
    await settle(callback.calls, 1);
    expect(callback.calls).toEqual([expectedCall(server, 9, 2)]);

    await candidate.close();
    await Promise.all([first.dispose(), second.dispose()]);
    await expect.poll(() => liveProcessesWith(marker), { timeout: 1000 }).toEqual([]);
  });
});
