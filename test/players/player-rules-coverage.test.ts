/** Rules are data: every PL rule has a check and a mutant that breaks it, and nothing names an unknown rule. */
import { existsSync } from 'node:fs';
import { expect, test } from 'vitest';
import { PLAYER_MUTANTS } from '../../fixtures/players/mutants/index.ts';
import { PLAYER_CHECKS } from '../../harness/player/player-rules.ts';
import { ruleById, rulesFor } from '../../harness/rules/catalog.ts';

const playerRules = rulesFor('player');

test('the catalog numbers the player side PL-01, PL-02, … without a gap, PL-11 alone recommended', () => {
  expect(playerRules.map((rule) => rule.id)).toEqual(playerRules.map((_rule, index) => `PL-${String(index + 1).padStart(2, '0')}`));
  expect(playerRules.every((rule) => rule.family === 'PL')).toBe(true);
  expect(playerRules.filter((rule) => rule.level === 'recommended').map((rule) => rule.id)).toEqual(['PL-11']);
  // A player stopped by force (it blocked its thread) is judged by PL-12, a required rule.
  expect(ruleById('PL-12')?.side).toBe('player');
});

test('every player rule has exactly one check, and every check names a player rule', () => {
  expect(PLAYER_CHECKS.map((check) => check.id).sort()).toEqual(playerRules.map((rule) => rule.id));
  for (const check of PLAYER_CHECKS) expect(ruleById(check.id)?.side).toBe('player');
});

test('every player rule has a mutant that breaks it, and every mutant file exists', () => {
  expect(PLAYER_MUTANTS.map((mutant) => mutant.breaks).sort()).toEqual(playerRules.map((rule) => rule.id));
  for (const mutant of PLAYER_MUTANTS) expect(existsSync(new URL(`../../fixtures/players/mutants/${mutant.file}`, import.meta.url))).toBe(true);
});
