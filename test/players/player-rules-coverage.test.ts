/**
 * Rules are data: every PL rule has a check and a natural player mutant (fixtures/mutants/players/)
 * that breaks it, and nothing names an unknown rule.
 */
import { existsSync, readdirSync } from 'node:fs';
import { expect, test } from 'vitest';
import { NATURAL_PLAYER_MUTANTS, naturalPlayerMutantPath } from '../../fixtures/mutants/players/index.ts';
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

test('every player rule is broken by a natural mutant, every rule a mutant breaks is a player rule, and some mutants conform', () => {
  const broken = new Set(NATURAL_PLAYER_MUTANTS.flatMap((mutant) => mutant.expected));
  expect([...broken].sort()).toEqual(playerRules.map((rule) => rule.id));
  for (const mutant of NATURAL_PLAYER_MUTANTS) {
    expect(new Set(mutant.expected).size, mutant.file).toBe(mutant.expected.length);
    for (const id of mutant.expected) expect(ruleById(id)?.side, `${mutant.file}: ${id}`).toBe('player');
    expect(mutant.why.length, mutant.file).toBeGreaterThan(0);
  }
  expect(NATURAL_PLAYER_MUTANTS.filter((mutant) => mutant.expected.length === 0).length).toBeGreaterThan(0);
});

test('every natural player mutant file exists, and every player of the folder is listed once', () => {
  const listed = NATURAL_PLAYER_MUTANTS.map((mutant) => mutant.file);
  expect(new Set(listed).size).toBe(listed.length);
  for (const file of listed) expect(existsSync(naturalPlayerMutantPath(file)), file).toBe(true);
  // The folder's modules, but for the list itself (shared code lives in lib/).
  const players = readdirSync(naturalPlayerMutantPath('.'), { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|js)$/.test(entry.name) && entry.name !== 'index.ts')
    .map((entry) => entry.name);
  expect(players.sort()).toEqual([...listed].sort());
});
