/** The wmpcert command as users run it: `node bin/wmpcert.js`, its exit status, stdout and stderr. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILY_TITLES, RULES, type RuleFamily } from '../../harness/rules/catalog.ts';
import { certifiedReport } from './sample-reports.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'wmpcert.js');

interface Outcome { code: number; stdout: string; stderr: string }

function wmpcert(...args: string[]): Promise<Outcome> {
  const env = { ...process.env };
  delete env['WMPCERT_DEBUG'];
  delete env['GITHUB_STEP_SUMMARY'];
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: ROOT, env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

/** Exit 2 and exactly one line on stderr: the contract for every usage or set-up error. */
function expectUsageError(outcome: Outcome): string {
  expect(outcome.code, outcome.stderr).toBe(2);
  expect(outcome.stderr).toMatch(/^wmpcert: [^\n]+\n$/);
  return outcome.stderr;
}

describe('wmpcert certify: set-up errors', () => {
  it('a missing candidate: exit 2, one line naming it; the seed was printed first', async () => {
    const outcome = await wmpcert('certify', 'nope.ts', '--seed', '42');
    expect(expectUsageError(outcome)).toContain('"nope.ts"');
    expect(outcome.stdout).toBe('wmpcert: seed 42\n');
  });

  it('a default export without create(): exit 2 naming create', async () => {
    expect(expectUsageError(await wmpcert('certify', 'fixtures/bad/no-create.ts'))).toContain('create()');
  });

  it('a module that throws on import: exit 2, one line, no stack', async () => {
    const stderr = expectUsageError(await wmpcert('certify', 'fixtures/bad/throws-on-import.ts'));
    expect(stderr).toContain('STORE_CONFIG is not set');
    expect(stderr).not.toMatch(/\bat \S+ \(/);
  });

  it('a module with a syntax error: exit 2, one line', async () => {
    expect(expectUsageError(await wmpcert('certify', 'fixtures/bad/syntax-error.js'))).toContain('SyntaxError');
  });

  it('a default export that is not an object: exit 2', async () => {
    expect(expectUsageError(await wmpcert('certify', 'fixtures/bad/not-an-object.ts'))).toContain('not an object');
  });

  it('no candidate at all, or two: exit 2', async () => {
    expectUsageError(await wmpcert('certify'));
    expectUsageError(await wmpcert('certify', 'a.ts', 'b.ts'));
    expectUsageError(await wmpcert('certify', 'a.ts', '--exec', 'python3 plugin.py'));
  });

  it('--exec with a command that does not exist: exit 2, one line naming the command; the seed was printed first', async () => {
    const command = 'wmpcert-no-such-plug-in-command --flag';
    const outcome = await wmpcert('certify', '--exec', command, '--seed', '42');
    const stderr = expectUsageError(outcome);
    expect(stderr).toContain(`the plug-in command ${JSON.stringify(command)} did not start`);
    expect(stderr).toContain('not found');
    expect(outcome.stdout).toBe('wmpcert: seed 42\n');
  });

  it('--exec with a command that exits at once: exit 2, one line quoting its stderr once', async () => {
    const outcome = await wmpcert('certify', '--exec', `"${process.execPath}" -e "console.error('no licence ' + 'file here'); process.exit(3)"`, '--seed', '42');
    const stderr = expectUsageError(outcome);
    expect(stderr).toContain('exited with code 3 before answering initialize');
    expect(stderr.split('no licence file here').length - 1).toBe(1);
  });
});

describe('wmpcert: options', () => {
  it('an unknown option: exit 2, one line', async () => {
    expect(expectUsageError(await wmpcert('--bogus'))).toContain('"--bogus"');
    expect(expectUsageError(await wmpcert('certify', 'x.ts', '--bogus'))).toContain('"--bogus"');
  });

  it('--runs 0: exit 2', async () => {
    expect(expectUsageError(await wmpcert('certify', 'x.ts', '--runs', '0'))).toContain('--runs "0"');
  });

  it('accepts a negative seed attached with "=" (and then looks for the candidate)', async () => {
    const outcome = await wmpcert('certify', 'nope.ts', '--seed=-5', '--shard', '2/2', '--level', 'recommended', '--runs', '3');
    expect(outcome.stdout).toBe('wmpcert: seed -5\n');
    expect(expectUsageError(outcome)).toContain('cannot find candidate');
  });
});

describe('wmpcert: commands', () => {
  it('no command: usage on stderr, exit 2', async () => {
    const outcome = await wmpcert();
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('Usage:');
  });

  it('--help: usage on stdout, exit 0', async () => {
    const outcome = await wmpcert('--help');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain('wmpcert certify <candidate.ts|.js>');
  });

  it('an unknown command: exit 2', async () => {
    expect(expectUsageError(await wmpcert('certfy', 'x.ts'))).toContain('"certfy"');
  });

  it('rules prints every rule ID, grouped by family', async () => {
    const outcome = await wmpcert('rules');
    expect(outcome.code).toBe(0);
    const families = (Object.keys(FAMILY_TITLES) as RuleFamily[]).filter((family) => RULES.some((rule) => rule.family === family));
    // Every rule of the catalog belongs to a family that has a title.
    expect(new Set(RULES.map((rule) => rule.family))).toEqual(new Set(families));
    // One section per family, in FAMILY_TITLES order, each listing exactly its rules in catalog order.
    const sections = outcome.stdout.trimEnd().split('\n\n');
    expect(sections.map((section) => section.split('\n')[0])).toEqual(families.map((family) => `${family}  ${FAMILY_TITLES[family]}`));
    for (const [i, family] of families.entries()) {
      const listed = sections[i]!.split('\n').slice(1).map((line) => /^ {2}([A-Z]{2}-\d{2}) {2}/.exec(line)?.[1]);
      expect(listed).toEqual(RULES.filter((rule) => rule.family === family).map((rule) => rule.id));
    }
    for (const rule of RULES) expect(outcome.stdout).toContain(`  ${rule.id}  ${rule.level}`);
  });

  it('rules --json prints the catalog as JSON', async () => {
    const outcome = await wmpcert('rules', '--json');
    expect(outcome.code).toBe(0);
    expect((JSON.parse(outcome.stdout) as { id: string }[]).map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
  });

  it('report merge: a missing report, no report, an unknown subcommand: exit 2 (more in test/shards/)', async () => {
    expect(expectUsageError(await wmpcert('report', 'merge', 'a.json', '--out', 'merged'))).toContain('cannot find report "a.json"');
    expectUsageError(await wmpcert('report', 'merge', '--out', 'merged'));
    expectUsageError(await wmpcert('report', 'split'));
  });
});

describe('wmpcert replay: set-up errors', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wmpcert-replay-'));
    await writeFile(join(dir, 'passed.json'), JSON.stringify(certifiedReport()));
    await writeFile(join(dir, 'invalid.json'), JSON.stringify({ ...certifiedReport(), verdict: 'maybe' }));
    await writeFile(join(dir, 'garbage.json'), '{ not json');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('needs a report and a rule', async () => {
    expectUsageError(await wmpcert('replay', '--rule', 'DL-02'));
    expect(expectUsageError(await wmpcert('replay', join(dir, 'passed.json')))).toContain('--rule');
  });

  it('a missing, non-JSON or invalid report: exit 2, one line', async () => {
    expect(expectUsageError(await wmpcert('replay', join(dir, 'nope.json'), '--rule', 'DL-02'))).toContain('cannot find report');
    expect(expectUsageError(await wmpcert('replay', join(dir, 'garbage.json'), '--rule', 'DL-02'))).toContain('is not JSON');
    expect(expectUsageError(await wmpcert('replay', join(dir, 'invalid.json'), '--rule', 'DL-02'))).toContain('report/verdict');
  });

  it('a rule that did not fail in the report: exit 2', async () => {
    expect(expectUsageError(await wmpcert('replay', join(dir, 'passed.json'), '--rule', 'DL-01'))).toContain('DL-01 did not fail');
  });
});
