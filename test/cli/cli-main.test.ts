/**
 * The CLI's main() in-process, with the engine replaced by a stub: what it hands to certify(), what
 * it writes and prints, and its exit status. (The engine's own behaviour is tested elsewhere.)
 *
 * After writing the report, certify runs the rule suites through vitest and gates on them agreeing
 * with the engine. Here the suite run is a stub too (runRuleSuites), answering what vitest would
 * conclude for the stubbed report; the real suites run in the end-to-end CLI tests
 * (test/players/player-cli.test.ts, test/hostile/).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { certify } from '../../harness/runner/certify.ts';
import { replay } from '../../harness/runner/replay.ts';
import { runRuleSuites, suitesFor, type SuiteOutcome } from '../../harness/runner/run-suites.ts';
import type { CertificationReport } from '../../harness/report/model.ts';
import { rulesFor } from '../../harness/rules/catalog.ts';
import { main } from '../../harness/cli.ts';
import { certifiedReport, notCertifiedReport } from './sample-reports.ts';

vi.mock('../../harness/runner/certify.ts', () => ({ certify: vi.fn() }));
vi.mock('../../harness/runner/replay.ts', () => ({ replay: vi.fn() }));
vi.mock('../../harness/runner/run-suites.ts', async (importOriginal) => ({
  ...await importOriginal<typeof import('../../harness/runner/run-suites.ts')>(),
  runRuleSuites: vi.fn(),
}));
const certifyStub = vi.mocked(certify);
const replayStub = vi.mocked(replay);
const suitesStub = vi.mocked(runRuleSuites);

/** What the suites conclude for a report: blocking failures fail, skipped rules skip, the rest pass. */
function agreeingOutcome(report: CertificationReport): SuiteOutcome {
  return {
    passed: report.rules.filter((r) => r.status !== 'skipped' && !report.blockingFailures.includes(r.id)).map((r) => r.id),
    failed: [...report.blockingFailures],
    skipped: report.rules.filter((r) => r.status === 'skipped').map((r) => r.id),
    errors: [],
  };
}

/** The suites read the report the CLI wrote: answers for what is on disk when they are run. */
async function agreeingSuites(reportPath: string): Promise<SuiteOutcome> {
  return agreeingOutcome(JSON.parse(await readFile(reportPath, 'utf8')) as CertificationReport);
}

const CANDIDATE = "export default { kind: 'plugin', name: 'tiny', version: '1.0.0', create: () => ({}) };\n";

/** `stdout`: the lines printed, in order, whether through console.log or the progress reporter's process.stdout. */
interface Outcome { code: number; stdout: string[]; stderr: string }

async function run(...argv: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    stdout += `${parts.join(' ')}\n`;
  });
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
    stdout += String(chunk);
    return true;
  }) as typeof process.stdout.write);
  const write = vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: unknown) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write);
  try {
    const code = await main(argv);
    return { code, stdout: stdout === '' ? [] : stdout.replace(/\n$/, '').split('\n'), stderr };
  } finally {
    log.mockRestore();
    out.mockRestore();
    write.mockRestore();
  }
}

/** The progress reporter's last line (not a terminal: plain lines), for a plug-in judged by every plug-in rule. */
const PROGRESS_END = new RegExp(`^explored 0/0 scenarios × ${rulesFor('plugin').length} rules in \\d+\\.\\ds$`);

function expectOneLineUsageError(outcome: Outcome): string {
  expect(outcome.code, outcome.stderr).toBe(2);
  expect(outcome.stderr).toMatch(/^wmpcert: [^\n]+\n$/);
  return outcome.stderr;
}

let dir: string;
let candidatePath: string;
let stepSummaryPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wmpcert-main-'));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  candidatePath = join(dir, 'tiny.ts');
  await writeFile(candidatePath, CANDIDATE);
  stepSummaryPath = join(dir, 'step-summary.md');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  certifyStub.mockReset();
  replayStub.mockReset();
  suitesStub.mockReset();
  suitesStub.mockImplementation(agreeingSuites);
  vi.stubEnv('GITHUB_STEP_SUMMARY', stepSummaryPath);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe('certify', () => {
  it('passes the settings to the engine, writes the report and exits 1 when not certified', async () => {
    certifyStub.mockImplementation(async (_loaded, options) => {
      options.log('wmpcert: DL-02 failed after 3 runs');
      return notCertifiedReport(options.replayCommand('DL-02'));
    });
    const outDir = join(dir, "it's out");
    const outcome = await run('certify', candidatePath, '--seed', '42', '--runs', '3', '--shard', '2/4',
      '--level', 'recommended', '--timeout-ms', '250', '--out', outDir);

    expect(outcome.code).toBe(1);
    expect(certifyStub).toHaveBeenCalledTimes(1);
    const [loaded, options] = certifyStub.mock.calls[0]!;
    expect(loaded.info).toMatchObject({ kind: 'plugin', name: 'tiny', version: '1.0.0', source: candidatePath });
    expect(options).toMatchObject({ runs: 3, seed: 42, timeoutMs: 250, level: 'recommended', shard: { index: 2, count: 4 } });
    // The path holds a quote and a space: quoted for a POSIX shell.
    expect(options.replayCommand('DL-02'))
      .toBe(`npx wmpcert replay '${join(dir, "it'\\''s out", 'report.json')}' --rule DL-02`);

    // The rule suites ran once, over the written report, for a plug-in.
    expect(suitesStub).toHaveBeenCalledTimes(1);
    expect(suitesStub.mock.calls[0]).toEqual([join(outDir, 'report.json'), suitesFor('plugin')]);
    expect(await suitesStub.mock.results[0]!.value).toEqual({ passed: ['DL-01'], failed: ['DL-02'], skipped: [], errors: [] });

    expect(outcome.stdout).toEqual([
      'wmpcert: seed 42',
      'wmpcert: DL-02 failed after 3 runs',
      expect.stringMatching(PROGRESS_END),
      'rule suites (vitest): 1 passed, 1 failed, 0 skipped',
      'wmpcert: NOT certified: DL-02',
      // Each blocking failure, with its message and the command that replays it.
      '  DL-02  track 3 of cookie 7 got no downloadTrack',
      `         replay: ${options.replayCommand('DL-02')}`,
      `wmpcert: report ${join(outDir, 'report.json')}`,
    ]);
    const written = JSON.parse(await readFile(join(outDir, 'report.json'), 'utf8')) as { rules: { failure?: { replay: string } }[] };
    expect(written.rules[1]?.failure?.replay).toBe(options.replayCommand('DL-02'));
    expect(await readFile(stepSummaryPath, 'utf8')).toContain('NOT certified');
  });

  it('exits 0 when certified, with defaults, into reports/<name>/ under the working directory', async () => {
    certifyStub.mockResolvedValue(certifiedReport());
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const outcome = await run('certify', 'tiny.ts');
      expect(outcome.code).toBe(0);
      expect(outcome.stdout[0]).toMatch(/^wmpcert: seed -?[0-9]+$/);
      expect(outcome.stdout.slice(-3)).toEqual([
        'rule suites (vitest): 1 passed, 0 failed, 0 skipped',
        'wmpcert: certified',
        `wmpcert: report ${join('reports', 'tiny', 'report.json')}`,
      ]);
      expect(suitesStub.mock.calls).toEqual([[join(dir, 'reports', 'tiny', 'report.json'), suitesFor('plugin')]]);
      const options = certifyStub.mock.calls[0]![1];
      expect(options).toMatchObject({ runs: 100, timeoutMs: 5000, level: 'required', shard: null });
      expect(options.replayCommand('DL-07')).toBe('npx wmpcert replay reports/tiny/report.json --rule DL-07');
      expect(JSON.parse(await readFile(join(dir, 'reports', 'tiny', 'report.json'), 'utf8'))).toEqual(certifiedReport());
    } finally {
      process.chdir(cwd);
    }
  });

  it('an engine crash is an internal error: exit 2, one line', async () => {
    certifyStub.mockRejectedValue(new Error('engine fell over\n    at somewhere'));
    const outcome = await run('certify', candidatePath, '--out', join(dir, 'crash'));
    expect(expectOneLineUsageError(outcome)).toBe('wmpcert: internal error: engine fell over (set WMPCERT_DEBUG=1 to see the stack)\n');
    expect(suitesStub).not.toHaveBeenCalled();
  });

  it('a report the engine got wrong is never written', async () => {
    certifyStub.mockResolvedValue({ ...certifiedReport(), runs: 0 });
    const outcome = await run('certify', candidatePath, '--out', join(dir, 'wrong'));
    expect(expectOneLineUsageError(outcome)).toContain('internal error: report does not match report.schema.json: report/runs must be >= 1');
    expect(suitesStub).not.toHaveBeenCalled();
  });

  it.each<[string, (report: CertificationReport) => SuiteOutcome, string]>([
    ['pass a rule the engine failed', (report) => ({ ...agreeingOutcome(report), passed: ['DL-01', 'DL-02'], failed: [] }),
      'suites failed: none; engine: DL-02'],
    ['fail another rule', (report) => ({ ...agreeingOutcome(report), passed: ['DL-02'], failed: ['DL-01'] }),
      'suites failed: DL-01; engine: DL-02'],
    ['fail one rule more', (report) => ({ ...agreeingOutcome(report), passed: [], failed: ['DL-01', 'DL-02'] }),
      'suites failed: DL-01, DL-02; engine: DL-02'],
    ['agree but could not load a suite', (report) => ({ ...agreeingOutcome(report), errors: ['suites/wire.suite.ts failed to load\nat line 3'] }),
      'suites failed: DL-02; engine: DL-02; suites/wire.suite.ts failed to load'],
  ])('rule suites that %s: internal error, exit 2, one line, no verdict', async (_, outcome, expected) => {
    certifyStub.mockImplementation(async (_loaded, options) => notCertifiedReport(options.replayCommand('DL-02')));
    suitesStub.mockImplementation(async (reportPath) => outcome(JSON.parse(await readFile(reportPath, 'utf8')) as CertificationReport));
    const result = await run('certify', candidatePath, '--seed', '7', '--out', join(dir, 'disagree'));
    expect(expectOneLineUsageError(result)).toContain(`wmpcert: internal error: the rule suites disagree with the certification (${expected}`);
    expect(suitesStub).toHaveBeenCalledTimes(1);
    expect(result.stdout.some((line) => line.includes('certified'))).toBe(false);
  });

  it('a certified report the suites fail is not certified either: exit 2', async () => {
    certifyStub.mockResolvedValue(certifiedReport());
    suitesStub.mockResolvedValue({ passed: [], failed: ['DL-01'], skipped: [], errors: [] });
    const result = await run('certify', candidatePath, '--out', join(dir, 'disagree-certified'));
    expect(expectOneLineUsageError(result)).toContain('the rule suites disagree with the certification (suites failed: DL-01; engine: none)');
    expect(result.stdout).not.toContain('wmpcert: certified');
  });

  it('an --out that cannot be a folder fails before the run', async () => {
    const outcome = await run('certify', candidatePath, '--out', join(candidatePath, 'reports'));
    expect(expectOneLineUsageError(outcome)).toContain('cannot write the report to');
    expect(certifyStub).not.toHaveBeenCalled();
  });

  it.each([
    [['--runs', '1.5'], '--runs "1.5"'],
    [['--runs'], '--runs needs a value'],
    [['--seed', '4294967296'], '--seed "4294967296"'],
    [['--seed', 'abc'], '--seed "abc"'],
    [['--seed', '-5'], '--seed=VALUE'],
    [['--level', 'optional'], '--level "optional"'],
    [['--shard', '3/2'], '--shard "3/2"'],
    [['--shard', '0/2'], '--shard "0/2"'],
    [['--shard', '2'], '--shard "2"'],
    [['--timeout-ms', '0'], '--timeout-ms "0"'],
    [['--timeout-ms', '99999999999'], '--timeout-ms "99999999999"'],
    [['--out', ''], '--out ""'],
    [['--help=yes'], '--help takes no value'],
  ])('certify tiny.ts %j: exit 2 naming the option, engine not called', async (options, expected) => {
    expect(expectOneLineUsageError(await run('certify', candidatePath, ...options))).toContain(expected);
    expect(certifyStub).not.toHaveBeenCalled();
  });

  it('accepts the extremes of the seed range, signed and unsigned', async () => {
    certifyStub.mockResolvedValue(certifiedReport());
    for (const seed of ['-2147483648', '4294967295']) {
      const outcome = await run('certify', candidatePath, `--seed=${seed}`, '--out', join(dir, 'seeds'));
      expect(outcome.code, outcome.stderr).toBe(0);
      expect(outcome.stdout[0]).toBe(`wmpcert: seed ${seed}`);
      expect(certifyStub.mock.lastCall![1].seed).toBe(Number(seed));
    }
  });
});

describe('replay', () => {
  async function writeFailedReport(name: string, sha256: string): Promise<string> {
    const report = notCertifiedReport();
    const reportPath = join(dir, name);
    await writeFile(reportPath, JSON.stringify({ ...report, candidate: { ...report.candidate, source: candidatePath, sha256 } }));
    return reportPath;
  }

  it('re-runs the counterexample of the rule and exits 1 when it fails again', async () => {
    const sha256 = createHash('sha256').update(CANDIDATE).digest('hex');
    const reportPath = await writeFailedReport('same.json', sha256);
    replayStub.mockResolvedValue({ reproduced: true, message: 'DL-02 fails again', trace: [] });
    const outcome = await run('replay', reportPath, '--rule', 'dl-02');
    expect(outcome.code).toBe(1);
    expect(replayStub.mock.calls[0]![1]).toEqual({ seed: -12345, path: '2:0:1', ruleId: 'DL-02', timeoutMs: 5000 });
    expect(outcome.stdout).toEqual(['wmpcert: replaying DL-02 (seed -12345, path "2:0:1")', 'wmpcert: DL-02 fails again']);
  });

  it('exits 0 when the failure no longer reproduces, and says when the candidate changed since', async () => {
    const reportPath = await writeFailedReport('changed.json', 'f'.repeat(64));
    replayStub.mockResolvedValue({ reproduced: false, message: 'DL-02 held', trace: [] });
    const outcome = await run('replay', reportPath, '--rule', 'DL-02');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout[0]).toContain('changed since the report was written');
    expect(outcome.stdout.at(-1)).toBe('wmpcert: DL-02 held');
  });

  it('loads the candidate from the source the report names', async () => {
    const reportPath = join(dir, 'failed.json');
    await writeFile(reportPath, JSON.stringify(notCertifiedReport()));
    const outcome = await run('replay', reportPath, '--rule', 'DL-02');
    expect(expectOneLineUsageError(outcome)).toContain('cannot find candidate "fixtures/tiny.ts"');
    expect(replayStub).not.toHaveBeenCalled();
  });
});
