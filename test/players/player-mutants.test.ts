/**
 * Every player mutant is caught on exactly the rule it breaks (PL-11 included: the level is
 * recommended), with a small shrunk counterexample that replays. Each is certified from its module
 * file, in the player's worker sandbox, as the CLI does: PL-12's mutant blocks its thread for good.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { PLAYER_MUTANTS } from '../../fixtures/players/mutants/index.ts';
import type { ProbeScenario } from '../../harness/player/probe-model.ts';
import { probePlan } from '../../harness/player/probe-plan.ts';
import type { PlayerCandidate } from '../../harness/protocol/types.ts';
import { replay } from '../../harness/runner/replay.ts';
import { certifyPlayer, failedRules, loadedPlayer } from './player-certification.ts';

const SEED = 20061030;
const RUNS = 60;

async function load(file: string): Promise<{ mutant: PlayerCandidate; modulePath: string }> {
  const url = new URL(`../../fixtures/players/mutants/${file}`, import.meta.url);
  return { mutant: ((await import(/* @vite-ignore */ url.href)) as { default: PlayerCandidate }).default, modulePath: fileURLToPath(url) };
}

describe('player mutants', () => {
  // Generous: a mutant stopped by force (PL-12) costs the watchdog's wait and a fresh worker per shrink step.
  test.each(PLAYER_MUTANTS)('$file breaks $breaks and nothing else', { timeout: 240_000 }, async ({ file, breaks }) => {
    const { mutant, modulePath } = await load(file);
    const report = await certifyPlayer(mutant, { runs: RUNS, seed: SEED, modulePath });

    expect(failedRules(report)).toEqual([breaks]);
    expect(report.verdict).toBe('not-certified');
    const failure = report.rules.find((rule) => rule.id === breaks)!.failure!;
    expect(failure.violations.length).toBeGreaterThan(0);
    expect(failure.violations.every((violation) => violation.rule === breaks && violation.events.length > 0)).toBe(true);

    // Shrunk: a handful of probe calls at most (two are needed for a second completion or a shared cookie).
    const { counterexample } = failure;
    const plannedCalls = probePlan(counterexample.scenario as ProbeScenario).calls.flat().length;
    expect(counterexample.shrinks).toBeGreaterThan(0);
    expect(counterexample.tracks).toBeLessThanOrEqual(3);
    expect(plannedCalls).toBeLessThanOrEqual(4);

    const replayed = await replay(loadedPlayer(mutant, mutant.name, modulePath), { seed: counterexample.seed, path: counterexample.path, ruleId: breaks, timeoutMs: report.timeoutMs });
    expect(replayed.reproduced).toBe(true);
    // Measured durations (how long a blocked thread was silent) differ between runs: digits are not compared.
    const digitless = (text: string) => text.replace(/\d+/g, '#');
    expect(digitless(replayed.message)).toContain(digitless(failure.violations[0]!.message).slice(0, 60));
  });
});
