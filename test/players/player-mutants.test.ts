/**
 * Every player mutant is caught on exactly the rule it breaks (PL-11 included: the level is
 * recommended), with a small shrunk counterexample that replays.
 */
import { describe, expect, test } from 'vitest';
import { PLAYER_MUTANTS } from '../../fixtures/players/mutants/index.ts';
import type { ProbeScenario } from '../../harness/player/probe-model.ts';
import { probePlan } from '../../harness/player/probe-plan.ts';
import type { PlayerCandidate } from '../../harness/protocol/types.ts';
import { replay } from '../../harness/runner/replay.ts';
import { certifyPlayer, failedRules, loadedPlayer } from './player-certification.ts';

const SEED = 20061030;
const RUNS = 60;

async function load(file: string): Promise<PlayerCandidate> {
  const url = new URL(`../../fixtures/players/mutants/${file}`, import.meta.url).href;
  return ((await import(/* @vite-ignore */ url)) as { default: PlayerCandidate }).default;
}

describe('player mutants', () => {
  test.each(PLAYER_MUTANTS)('$file breaks $breaks and nothing else', async ({ file, breaks }) => {
    const mutant = await load(file);
    const report = await certifyPlayer(mutant, { runs: RUNS, seed: SEED });

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

    const replayed = await replay(loadedPlayer(mutant), { seed: counterexample.seed, path: counterexample.path, ruleId: breaks, timeoutMs: report.timeoutMs });
    expect(replayed.reproduced).toBe(true);
    expect(replayed.message).toContain(failure.violations[0]!.message.slice(0, 60));
  });
});
