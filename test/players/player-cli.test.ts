/** Players end to end through the command line: certify, the report's PL rules, and replay of a failure. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CertificationReport } from '../../harness/report/model.ts';
import { rulesFor } from '../../harness/rules/catalog.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'wmpcert.js');
let out: string;

interface Outcome { code: number; stdout: string; stderr: string }

/** A run that has not ended by then is killed, and its code is -1: a hung harness fails the test. */
const RUN_LIMIT_MS = 240_000;

function wmpcert(...args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, timeout: RUN_LIMIT_MS }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

const readReport = async (dir: string) => JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as CertificationReport;

beforeAll(async () => { out = await mkdtemp(join(tmpdir(), 'wmpcert-players-')); });
afterAll(async () => { await rm(out, { recursive: true, force: true }); });

test('certify fixtures/players/reference.ts: exit 0, a report of the PL rules', { timeout: 180_000 }, async () => {
  const dir = join(out, 'reference');
  const outcome = await wmpcert('certify', 'fixtures/players/reference.ts', '--runs', '25', '--seed', '11', '--out', dir);
  expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0);
  const report = await readReport(dir);
  expect(report.candidate.kind).toBe('player');
  expect(report.verdict).toBe('certified');
  expect(report.rules.map((rule) => rule.id)).toEqual(rulesFor('player').map((rule) => rule.id));
});

test('a mutant is not certified (exit 1), and its replay command reproduces the failure (exit 1)', { timeout: 180_000 }, async () => {
  const dir = join(out, 'pl-03');
  // Reports contentID through a signed LONG: seed 11 generates a track ID from 2^31 up within 25 scenarios.
  const certified = await wmpcert('certify', 'fixtures/mutants/players/signed-content-id.ts', '--runs', '25', '--seed', '11', '--out', dir);
  expect(certified.code, certified.stdout + certified.stderr).toBe(1);
  const report = await readReport(dir);
  expect(report.blockingFailures).toEqual(['PL-03']);
  const replayed = await wmpcert('replay', join(dir, 'report.json'), '--rule', 'PL-03');
  expect(replayed.code, replayed.stdout + replayed.stderr).toBe(1);
  expect(replayed.stdout).toContain('PL-03 fails again');
});

test('a player that blocks its thread is stopped in its worker and judged by PL-12 alone (exit 1), and the run ends', { timeout: RUN_LIMIT_MS + 60_000 }, async () => {
  const dir = join(out, 'pl-12');
  // Its downloadTrack waits, in a synchronous loop, for the previous download, which needs this very thread.
  const certified = await wmpcert('certify', 'fixtures/mutants/players/one-download-at-a-time.ts', '--runs', '5', '--seed', '11', '--out', dir);
  expect(certified.code, certified.stdout + certified.stderr).toBe(1);
  const report = await readReport(dir);
  expect(report.blockingFailures).toEqual(['PL-12']);
  const failure = report.rules.find((rule) => rule.id === 'PL-12')!.failure!;
  expect(failure.message).toMatch(/blocked its thread/);
  // The trace up to the block: one download accepted and under way, the next downloadTrack never answered; then the stop.
  const trace = failure.trace;
  expect(trace.at(-1)).toMatchObject({ type: 'sandbox', reason: 'blocked' });
  const answers = trace.filter((event) => event.type === 'return' && event.method === 'downloadTrack');
  expect(answers.at(-1)).toMatchObject({ timedOut: true });
  expect(answers.some((event) => event.type === 'return' && !event.timedOut && event.value === 0)).toBe(true);
  expect(trace.some((event) => event.type === 'http-request' && event.by === 'player')).toBe(true);
});
