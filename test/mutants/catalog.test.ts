/**
 * The catalog, the checks and the mutants agree: every plug-in rule is judged in exactly one place
 * (one check in PLUGIN_CHECKS, or the discovery-page judge for the EX rules), no check names an
 * unknown rule, and every plug-in rule is broken by at least one natural mutant
 * (fixtures/mutants/plugins/, whose own test checks each file, or for the EX rules a page fixture
 * of fixtures/pages/) that names it in its header.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { EX_RULES } from '../../harness/discovery/certify-page.ts';
import { RULES, rulesFor } from '../../harness/rules/catalog.ts';
import { PLUGIN_CHECKS } from '../../harness/rules/plugin-judge.ts';
import { NATURAL_MUTANTS } from '../../fixtures/mutants/plugins/index.ts';
import { PAGE_FIXTURES, pageFixturePath } from '../../fixtures/pages/index.ts';

const pluginRules = rulesFor('plugin').map((rule) => rule.id);
const pageRules = new Set<string>(EX_RULES);

describe('rule catalog and checks', () => {
  test('every plug-in rule is judged in exactly one place', () => {
    for (const id of pluginRules) {
      const checks = PLUGIN_CHECKS.filter((check) => check.id === id).length;
      expect(checks + (pageRules.has(id) ? 1 : 0), id).toBe(1);
    }
  });

  test('no check names an unknown rule, nor a rule of the player side', () => {
    for (const check of PLUGIN_CHECKS) {
      expect(RULES.map((rule) => rule.id), check.id).toContain(check.id);
      expect(pluginRules, check.id).toContain(check.id);
    }
    for (const id of EX_RULES) expect(pluginRules, id).toContain(id);
  });
});

describe('mutants', () => {
  const broken = (mutant: (typeof NATURAL_MUTANTS)[number]) => [...mutant.expected, ...(mutant.recommended ?? [])];

  test('every plug-in rule is broken by at least one mutant', () => {
    const covered = new Set<string>([
      ...NATURAL_MUTANTS.flatMap(broken),
      ...PAGE_FIXTURES.flatMap((fixture) => (fixture.breaks === null ? [] : [fixture.breaks])),
    ]);
    expect(pluginRules.filter((id) => !covered.has(id))).toEqual([]);
  });

  test('every mutant breaks known plug-in rules only', () => {
    for (const mutant of NATURAL_MUTANTS) for (const id of broken(mutant)) expect(pluginRules, mutant.file).toContain(id);
  });

  test('every page fixture exists and its header names the rule it breaks', () => {
    for (const fixture of PAGE_FIXTURES) {
      if (fixture.breaks === null) continue;
      const path = pageFixturePath(fixture.file);
      expect(existsSync(path), path).toBe(true);
      expect(readFileSync(path, 'utf8').slice(0, 600), path).toContain(`Breaks ${fixture.breaks}`);
    }
  });
});
