/**
 * The catalog, the checks and the mutants agree: every plug-in rule is judged in exactly one place
 * (one check in PLUGIN_CHECKS, or the discovery-page judge for the EX rules), no check names an
 * unknown rule, every plug-in rule is broken by at least one mutant (fixtures/plugins/mutants/, or
 * for the EX rules a page fixture of fixtures/pages/), and every mutant exists, names its rule in
 * its header and (for module mutants) is a candidate with a distinct name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { EX_RULES } from '../../harness/discovery/certify-page.ts';
import { RULES, rulesFor } from '../../harness/rules/catalog.ts';
import { PLUGIN_CHECKS } from '../../harness/rules/plugin-judge.ts';
import type { PluginCandidate } from '../../harness/protocol/types.ts';
import { MUTANTS, mutantPath } from '../../fixtures/plugins/mutants/index.ts';
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
  test('every plug-in rule is broken by at least one mutant', () => {
    const broken = new Set<string>([
      ...MUTANTS.map((mutant) => mutant.breaks),
      ...PAGE_FIXTURES.flatMap((fixture) => (fixture.breaks === null ? [] : [fixture.breaks])),
    ]);
    expect(pluginRules.filter((id) => !broken.has(id))).toEqual([]);
  });

  test('every mutant breaks a known plug-in rule', () => {
    for (const mutant of MUTANTS) expect(pluginRules, mutant.file).toContain(mutant.breaks);
  });

  test('every mutant file exists and its header names the rule it breaks', () => {
    const files = [
      ...MUTANTS.map((mutant) => ({ path: mutantPath(mutant.file), breaks: mutant.breaks })),
      ...PAGE_FIXTURES.flatMap((fixture) => (fixture.breaks === null ? [] : [{ path: pageFixturePath(fixture.file), breaks: fixture.breaks }])),
    ];
    for (const { path, breaks } of files) {
      expect(existsSync(path), path).toBe(true);
      expect(readFileSync(path, 'utf8').slice(0, 600), path).toContain(`Breaks ${breaks}`);
    }
  });

  test('mutant files are listed once', () => {
    const files = MUTANTS.map((mutant) => mutant.file);
    expect(new Set(files).size).toBe(files.length);
  });

  test('module mutants default-export plug-in candidates with distinct names', async () => {
    const names: string[] = [];
    for (const mutant of MUTANTS.filter((entry) => entry.sandbox !== 'exec')) {
      const candidate = (await import(pathToFileURL(mutantPath(mutant.file)).href) as { default: PluginCandidate }).default;
      expect(candidate.kind, mutant.file).toBe('plugin');
      expect(typeof candidate.create, mutant.file).toBe('function');
      names.push(candidate.name);
    }
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain('wmpcert reference plug-in');
  });
});
