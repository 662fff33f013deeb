/**
 * `npm run bench` must keep working: its quick mode runs every measurement end to end and prints the
 * table and the JSON line. Only the shape is checked here — speed and memory are the bench's to
 * report, never this test's to assert (the machines are noisy).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIGURES = ['certifySeconds', 'overheadRatio', 'tracksPerSecond', 'linearityRatio', 'peakRssMB100k', 'stdioVsRaw', 'execVsInProcess'];

describe('npm run bench -- --quick', () => {
  test('prints a row per figure, then the seven figures as one JSON line', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick'], { cwd: ROOT, encoding: 'utf8', timeout: 280_000 });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    const figures = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
    expect(Object.keys(figures).sort()).toEqual([...FIGURES].sort());
    for (const name of FIGURES) {
      expect(typeof figures[name], name).toBe('number');
      expect(Number.isFinite(figures[name]) && (figures[name] as number) > 0, `${name} = ${String(figures[name])}`).toBe(true);
      expect(lines.some((line) => line.startsWith(name)), `a table row for ${name}`).toBe(true);
    }
  }, 300_000);
});
