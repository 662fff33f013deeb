/**
 * certifyInVitest in a user's own vitest run, as a user has it: a project outside this repository,
 * vitest's default timeouts, a plug-in with a natural bug. The bug's rule must fail with its real
 * message (not "Test timed out"), the printed re-run command must work, and a run that explored
 * nothing or could not start must not look green.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
/** What the temp project imports wmpcert as: the one place to switch to the packed package. */
const WMPCERT = { main: join(ROOT, 'harness', 'index.ts'), vitest: join(ROOT, 'harness', 'vitest', 'index.ts') };

/** The README's example plug-in, with a natural bug: the loop stops one short, forgetting each container's last track. */
const BUGGY_PLUGIN = `
import { S_OK, E_ACCESSDENIED, E_FAIL, type PluginCandidate, type ContentPartner } from '${WMPCERT.main}';

const candidate: PluginCandidate = {
  kind: 'plugin',
  name: 'off by one store',
  version: '1.0.0',
  create(env): ContentPartner {
    let callback: Parameters<ContentPartner['setCallback']>[0] = null;
    return {
      setCallback(cb) { callback = cb; return S_OK; },
      download(list, cookie) {
        const ids = new Set<number>();
        for (let c = 0; c < list.getContainerCount(); c++) {
          const container = list.getContainer(c);
          for (let i = 0; i < container.getContentCount() - 1; i++) ids.add(container.getContentID(i));
        }
        void Promise.all([...ids].map(async (id) => {
          const res = await env.fetch(\`\${env.storeUrl}/v1/tracks/\${id}/download?cookie=\${cookie}\`).catch(() => null);
          const body = res?.ok ? await res.json() as { url: string; params: string | null } : null;
          callback?.downloadTrack(cookie, body?.url ?? null, id, body?.params ?? null,
            body ? S_OK : res?.status === 403 ? E_ACCESSDENIED : E_FAIL);
        }));
        return S_OK;
      },
      downloadTrackComplete() { return S_OK; },
    };
  },
};
export default candidate;
`;

/** The same plug-in without the bug (the README's, as it stands). */
const GOOD_PLUGIN = BUGGY_PLUGIN.replace('getContentCount() - 1;', 'getContentCount();').replace('off by one store', 'good store');
if (!GOOD_PLUGIN.includes('i < container.getContentCount(); i++')) throw new Error('GOOD_PLUGIN still has the bug');

const SEED = 424242;
const FILES: Record<string, string> = {
  'package.json': '{ "type": "module" }\n',
  'my-plugin.ts': BUGGY_PLUGIN,
  'good-plugin.ts': GOOD_PLUGIN,
  'buggy.test.ts': `import { certifyInVitest } from '${WMPCERT.vitest}';\nimport plugin from './my-plugin.ts';\ncertifyInVitest(plugin, { runs: 30 });\n`,
  // Zero scenarios of a good plug-in: every DL rule is skipped, none fails; the run must still not be green.
  'empty.test.ts': `import { certifyInVitest } from '${WMPCERT.vitest}';\nimport plugin from './good-plugin.ts';\ncertifyInVitest(plugin, { runs: 0 });\n`,
  // The certification itself throws (an unusable discoveryPage): every test fails with its message.
  'broken.test.ts': `import { certifyInVitest } from '${WMPCERT.vitest}';\nimport plugin from './my-plugin.ts';\ncertifyInVitest({ ...plugin, name: 'no page', discoveryPage: 'missing.html' }, { runs: 30 });\n`,
};

interface JsonTest { title: string; fullName: string; status: string; duration: number; failureMessages: string[] }
interface JsonReport { testResults: { name: string; message: string; assertionResults: JsonTest[] }[] }

let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'wmpcert-vitest-'));
  // vitest (imported by the harness and the test files) resolves from the project, as after an install.
  await symlink(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  for (const [name, text] of Object.entries(FILES)) await writeFile(join(project, name), text);
});

afterAll(async () => {
  if (project) await rm(project, { recursive: true, force: true });
});

/** Runs vitest in the project, in its own process, with vitest's defaults (no timeout set anywhere). */
async function vitest(args: string[], env: Record<string, string>): Promise<JsonReport> {
  const output = join(project, `report-${Date.now()}.json`);
  // Nothing of this vitest run leaks into the child's (its worker ids, pool, this run's seed).
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'WMPCERT_SEED'));
  await new Promise<void>((resolve) => {
    execFile(process.execPath, [VITEST, 'run', '--root', project, ...args, '--reporter=json', `--outputFile=${output}`],
      { cwd: project, env: { ...inherited, ...env }, maxBuffer: 64 * 1024 * 1024 }, () => resolve()); // failing tests exit 1
  });
  return JSON.parse(await readFile(output, 'utf8')) as JsonReport;
}

function testsOf(report: JsonReport, file: string): JsonTest[] {
  const result = report.testResults.find((each) => each.name.endsWith(`/${file}`));
  if (!result) throw new Error(`${file} is not in the report: ${JSON.stringify(report.testResults.map((each) => [each.name, each.message]))}`);
  return result.assertionResults;
}

const ruleOf = (test: JsonTest) => /^[A-Z]{2}-\d\d\b/.exec(test.title)?.[0] ?? test.title;
const failed = (tests: JsonTest[]) => tests.filter((each) => each.status === 'failed');

test('a buggy plug-in fails its rule with the real message, and the printed re-run command re-runs it', async () => {
  const report = await vitest([], { WMPCERT_SEED: String(SEED) });

  const buggy = testsOf(report, 'buggy.test.ts');
  const dl02 = buggy.find((each) => ruleOf(each) === 'DL-02')!;
  expect(dl02.status).toBe('failed');
  // Not a timeout (vitest's JSON reporter shows one as STACK_TRACE_ERROR): each rule test only reads the finished certification.
  for (const each of buggy) expect(each.duration ?? 0, each.title).toBeLessThan(1000);
  for (const message of buggy.flatMap((each) => each.failureMessages)) expect(message).not.toMatch(/timed out|STACK_TRACE_ERROR/);
  // The missing last track fails DL-02, and the rules defined through it (DL-10, DL-12, EX-03).
  expect(dl02.failureMessages[0]).toMatch(/^RuleFailedError: DL-02 failed: track \d+ of transaction \d+ \(cookie \d+\) never got a downloadTrack call\n/);
  expect(dl02.failureMessages[0]).toContain(`counterexample (seed ${SEED}, path `);
  for (const each of failed(buggy)) expect(each.failureMessages[0], each.title).toMatch(/never got a downloadTrack call/);
  for (const rule of ['DL-01', 'DL-03', 'DL-04', 'DL-05', 'DL-06', 'DL-07', 'LC-01', 'EX-01', 'EX-02']) {
    expect(buggy.find((each) => ruleOf(each) === rule)?.status, rule).toBe('passed');
  }
  // Its failures are all shown by rule tests: the fail-closed test passes.
  expect(buggy.find((each) => each.title.startsWith('fail closed'))?.status).toBe('passed');

  // Nothing explored: the fail-closed test fails, and says why.
  const empty = testsOf(report, 'empty.test.ts');
  expect(failed(empty).map((each) => each.title)).toEqual(['fail closed: scenarios were explored and the verdict follows from the rule tests']);
  expect(failed(empty)[0]!.failureMessages[0]).toContain('no scenario was run (runs: 0)');

  // The certification threw: every test fails with its message.
  const broken = testsOf(report, 'broken.test.ts');
  expect(broken.length).toBeGreaterThan(20);
  for (const each of broken) {
    expect(each.status, each.title).toBe('failed');
    expect(each.failureMessages[0], each.title).toContain('discoveryPage "missing.html" not found');
  }

  // The printed command re-runs DL-02 alone, with the same seed, to the same failure.
  const replay = /\nreplay: WMPCERT_SEED=(-?\d+) npx vitest run (\S+) -t " DL-02 "\n/.exec(dl02.failureMessages[0]!);
  expect(replay, dl02.failureMessages[0]).not.toBeNull();
  expect(replay![1]).toBe(String(SEED));
  expect(replay![2]).toBe('buggy.test.ts');
  const again = testsOf(await vitest([replay![2]!, '-t', ' DL-02 '], { WMPCERT_SEED: replay![1]! }), 'buggy.test.ts');
  expect(again.filter((each) => each.status !== 'skipped').map(ruleOf)).toEqual(['DL-02']);
  expect(again.find((each) => ruleOf(each) === 'DL-02')!.failureMessages[0]!.split('\n')[0]).toBe(dl02.failureMessages[0]!.split('\n')[0]);
}, 600_000);
