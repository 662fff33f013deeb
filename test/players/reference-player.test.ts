/** The reference player is certified on every seed, and across them every PL rule is exercised. */
import { expect, test } from 'vitest';
import reference from '../../fixtures/players/reference.ts';
import { rulesFor } from '../../harness/rules/catalog.ts';
import { certifyPlayer, failedRules } from './player-certification.ts';

const SEEDS = Array.from({ length: 20 }, (_unused, index) => 1000 + index * 7919);
const RUNS = 15;

test(`the reference player is certified on ${SEEDS.length} seeds (level recommended)`, async () => {
  const cases = new Map<string, number>();
  for (const seed of SEEDS) {
    const report = await certifyPlayer(reference, { runs: RUNS, seed });
    expect({ seed, failed: failedRules(report) }).toEqual({ seed, failed: [] });
    expect(report.verdict).toBe('certified');
    expect(report.rules.map((rule) => rule.id)).toEqual(rulesFor('player').map((rule) => rule.id));
    for (const rule of report.rules) cases.set(rule.id, (cases.get(rule.id) ?? 0) + rule.cases);
  }
  const unexercised = [...cases].filter(([, count]) => count === 0).map(([id]) => id);
  expect(unexercised).toEqual([]);
});
