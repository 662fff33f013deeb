#!/usr/bin/env node
/**
 * `npm run mutation`: mutation testing of the reference candidates (issue 16).
 *
 * StrykerJS writes mutants of each reference candidate — the reference plug-in, the reference
 * player (with its container list) and the reference wire plug-in — and, for every mutant, runs a
 * wmpcert certification (Stryker's command test runner). A mutant the certification refuses (exit
 * 1, or exit 2: it could not even be loaded) is killed; one it certifies (exit 0) survived. A mutant that cannot change anything the rules constrain is marked
 * in the reference's source with a Stryker disable comment and its reason, and is reported as
 * harmless (Stryker's "Ignored"), with that reason.
 *
 *   node scripts/mutation.mjs [plugin|player|wire]...   (all three by default)
 *
 * Prints the survivors (file:line, mutator, replacement), the harmless mutants with their reasons,
 * the score — killed / (all mutants not marked harmless) — and last a JSON line with
 * `mutationScore`. Exits 1 when a mutant not marked harmless survived (or could not be judged).
 * The reports (Stryker's JSON and HTML) are written to reports/mutation/.
 *
 * `node scripts/mutation.mjs --certify <target>` is the test command Stryker runs per mutant.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPORTS = join(ROOT, 'reports', 'mutation');
/**
 * The certification every mutant meets: 100 runs (the default of `wmpcert certify`) with a fixed
 * seed, every rule blocking: the references conform to the recommended rules too (their tests
 * certify them at that level), so a mutant that breaks one (DL-13, DL-14, LC-02, PL-11) is a bug
 * the harness reports, not a survivor.
 */
const CERTIFY_ARGS = ['--runs', '100', '--seed', '1', '--level', 'recommended'];

/**
 * The reference candidates: the files Stryker mutates and the certifications that judge them. The
 * wire plug-in is certified in both of its modes (many instances per process, and one), so that
 * the code of each mode meets a certification. The one-instance mode starts a process per
 * scenario, and on a loaded machine a certification of it can fail on timing alone (the unmutated
 * plug-in too): a failure there is believed only when a second run fails as well.
 */
const TARGETS = {
  plugin: {
    mutate: ['fixtures/plugins/reference.ts'],
    certifications: [{ args: ['fixtures/plugins/reference.ts'] }],
  },
  player: {
    mutate: ['fixtures/players/reference.ts', 'fixtures/players/reference-container-list.ts'],
    certifications: [{ args: ['fixtures/players/reference.ts'] }],
  },
  wire: {
    mutate: ['fixtures/wire/reference-plugin.mjs'],
    certifications: [
      { args: ['--exec', 'node fixtures/wire/reference-plugin.mjs'] },
      { args: ['--exec', 'node fixtures/wire/one-instance-plugin.mjs'], secondChance: true },
    ],
  },
};

if (process.argv[2] === '--certify') {
  process.exit(certify(process.argv[3]));
} else {
  process.exitCode = await main(process.argv.slice(2));
}

/**
 * One test run, in Stryker's sandbox (the current directory), with the mutant Stryker activated in
 * the environment (`__STRYKER_ACTIVE_MUTANT__`, which the candidate's process or worker thread
 * inherits). Exit 0 when every certification certified the candidate, else the first other status.
 */
function certify(target) {
  const { certifications } = TARGETS[target] ?? {};
  if (!certifications) {
    process.stderr.write(`mutation: unknown target ${target}\n`);
    return 2;
  }
  for (const { args, secondChance } of certifications) {
    let status = certifyOnce(args);
    if (status !== 0 && secondChance) status = certifyOnce(args);
    if (status !== 0) return status;
  }
  return 0;
}

/** `wmpcert certify <candidate> …` into a temporary --out, removed after: its exit status. */
function certifyOnce(candidate) {
  const out = mkdtempSync(join(tmpdir(), 'wmpcert-mutation-'));
  try {
    const run = spawnSync(process.execPath, ['bin/wmpcert.js', 'certify', ...candidate, ...CERTIFY_ARGS, '--out', out], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return run.status ?? 1;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function main(args) {
  const unknown = args.filter((name) => !(name in TARGETS));
  if (unknown.length > 0) {
    process.stderr.write(`mutation: unknown target ${unknown.join(', ')} (expected ${Object.keys(TARGETS).join(', ')})\n`);
    return 2;
  }
  const targets = args.length > 0 ? args : Object.keys(TARGETS);
  const { Stryker } = await import('@stryker-mutator/core');
  const started = Date.now();
  /** @type {{ target: string, file: string, line: number, mutator: string, replacement: string, status: string, reason?: string }[]} */
  const mutants = [];
  for (const target of targets) {
    const jsonReport = join(REPORTS, `${target}.json`);
    process.stdout.write(`mutation: ${target}: mutating ${TARGETS[target].mutate.join(', ')}\n`);
    await new Stryker({
      mutate: TARGETS[target].mutate,
      testRunner: 'command',
      commandRunner: { command: `node scripts/mutation.mjs --certify ${target}` },
      coverageAnalysis: 'off',
      // One certification at a time: each one already keeps both cores of a small machine busy.
      concurrency: 1,
      // A certification takes a few seconds; only a mutant that really hangs it times out.
      timeoutMS: 60_000,
      timeoutFactor: 2,
      // The candidates are loaded with tsx, which does not type-check: nothing to disable.
      disableTypeChecks: false,
      // Stryker's TSConfig preprocessor needs an API TypeScript 7 no longer has: point it at no file.
      tsconfigFile: 'no-such-tsconfig.json',
      // The sandbox needs what a certification from a checkout uses (bin/, harness/, suites/, the
      // candidates; node_modules is linked), not the tests, the bench or the COM bridge.
      ignorePatterns: ['/test', '/bench', '/bridge', '/.scratch', '/reports', '/fixtures/mutants', '/.vitest-reports', '/.ci'],
      tempDirName: '.stryker-tmp',
      reporters: ['json', 'html', process.stdout.isTTY ? 'progress' : 'progress-append-only'],
      jsonReporter: { fileName: jsonReport },
      htmlReporter: { fileName: join(REPORTS, `${target}.html`) },
      logLevel: 'warn',
      cleanTempDir: 'always',
    }).runMutationTest();
    const report = JSON.parse(readFileSync(jsonReport, 'utf8'));
    for (const [file, { mutants: fileMutants }] of Object.entries(report.files)) {
      for (const mutant of fileMutants) {
        mutants.push({
          target,
          file: relative(ROOT, resolve(ROOT, file)),
          line: mutant.location.start.line,
          mutator: mutant.mutatorName,
          replacement: mutant.replacement,
          status: mutant.status,
          reason: mutant.statusReason,
        });
      }
    }
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  return summarise(targets, mutants, seconds);
}

function summarise(targets, mutants, seconds) {
  const byLine = (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.mutator.localeCompare(b.mutator);
  const of = (...statuses) => mutants.filter((mutant) => statuses.includes(mutant.status)).sort(byLine);
  const killed = of('Killed', 'Timeout');
  const survived = of('Survived', 'NoCoverage');
  const harmless = of('Ignored');
  const unjudged = of('RuntimeError', 'CompileError', 'Pending');
  const where = (mutant) => `${mutant.file}:${mutant.line}`;
  const what = (mutant) => `${mutant.mutator}${mutant.replacement === undefined ? '' : ` → ${oneLine(mutant.replacement)}`}`;

  const lines = [''];
  if (harmless.length > 0) {
    // One line per mark: where, which mutants (a mark covers every variant of its mutators on its line), why.
    const marks = new Map();
    for (const mutant of harmless) {
      const key = `${where(mutant)}  ${mutant.reason ?? '(no reason given)'}`;
      marks.set(key, [...(marks.get(key) ?? []), mutant]);
    }
    lines.push(`harmless (${harmless.length}), marked in the source with their reason:`);
    for (const [, marked] of marks) {
      const mutators = [...new Set(marked.map((mutant) => mutant.mutator))].join(', ');
      lines.push(`  ${where(marked[0])}  ${marked.length} × ${mutators}: ${String(marked[0].reason ?? '(no reason given)').trim()}`);
    }
  }
  if (survived.length > 0) {
    lines.push(`survived (${survived.length}):`);
    for (const mutant of survived) lines.push(`  ${where(mutant)}  ${what(mutant)}`);
  }
  if (unjudged.length > 0) {
    lines.push(`not judged (${unjudged.length}):`);
    for (const mutant of unjudged) lines.push(`  ${where(mutant)}  ${mutant.status}  ${what(mutant)}${mutant.reason ? `: ${oneLine(mutant.reason)}` : ''}`);
  }
  const counted = mutants.length - harmless.length;
  const score = counted === 0 ? 100 : Math.round((killed.length / counted) * 10_000) / 100;
  const perTarget = targets.map((target) => {
    const own = mutants.filter((mutant) => mutant.target === target);
    const ownKilled = own.filter((mutant) => mutant.status === 'Killed' || mutant.status === 'Timeout').length;
    const ownHarmless = own.filter((mutant) => mutant.status === 'Ignored').length;
    return `${target} ${ownKilled}/${own.length - ownHarmless}`;
  });
  lines.push(
    `mutation score ${score} %: ${killed.length} killed (${of('Timeout').length} of them by a timeout) of ${counted} mutants not marked harmless; `
      + `${survived.length} survived, ${harmless.length} harmless, ${unjudged.length} not judged (${perTarget.join(', ')}) in ${seconds} s`,
    JSON.stringify({
      mutationScore: score,
      mutants: mutants.length,
      killed: killed.length,
      timedOut: of('Timeout').length,
      survived: survived.length,
      harmless: harmless.length,
      notJudged: unjudged.length,
      seconds,
    }),
  );
  process.stdout.write(lines.join('\n') + '\n');
  return survived.length > 0 || unjudged.length > 0 ? 1 : 0;
}

function oneLine(text) {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length > 100 ? `${flat.slice(0, 97)}...` : flat;
}
