/** The probe scenarios vary what rules.md asks for, as plain data the host and the rules agree on. */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { NORMALISABLE } from '../../harness/player/probe-values.ts';
import { probePlan } from '../../harness/player/probe-plan.ts';
import { probeScenarioArbitrary } from '../../harness/player/probe-scenario-arbitrary.ts';
import { failed, succeeded } from '../../harness/protocol/hresult.ts';

const scenarios = fc.sample(probeScenarioArbitrary(), { seed: 7, numRuns: 600 });
const tracks = scenarios.flatMap((scenario) => scenario.tracks);
const params = tracks.map((track) => track.params);
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

test('params cover null, empty, U+0000, lone surrogates, normalisable sequences and 64 KiB', () => {
  expect(params).toContain(null);
  expect(params).toContain('');
  expect(params.some((value) => value?.includes('\u0000'))).toBe(true);
  expect(params.some((value) => value !== null && LONE_SURROGATE.test(value))).toBe(true);
  expect(params.some((value) => value !== null && NORMALISABLE.some((sequence) => value.includes(sequence)) && (value.normalize('NFC') !== value || value.normalize('NFD') !== value))).toBe(true);
  expect(params.some((value) => value !== null && value.length === 65_536)).toBe(true);
});

test('hrDownload, media fates and sizes cover successes, failures, every fault and empty bodies', () => {
  expect(tracks.some((track) => succeeded(track.hrDownload) && track.hrDownload !== 0)).toBe(true);
  expect(tracks.some((track) => failed(track.hrDownload))).toBe(true);
  expect(new Set(tracks.map((track) => track.media))).toEqual(new Set(['healthy', 'http-404', 'http-500', 'network', 'truncated']));
  expect(tracks.some((track) => track.size === 0 && track.media === 'healthy')).toBe(true);
});

test('timing and refusals: calls inside download and later, several transactions, both refusal probes', () => {
  const transactions = scenarios.flatMap((scenario) => scenario.transactions);
  expect(new Set(transactions.map((transaction) => transaction.calls))).toEqual(new Set(['inside-download', 'scheduled']));
  expect(scenarios.some((scenario) => scenario.transactions.length > 1 && scenario.transactions[1]!.start.kind === 'at-once')).toBe(true);
  expect(new Set(transactions.flatMap((transaction) => transaction.refusals.map((refusal) => refusal.kind)))).toEqual(new Set(['unknown-cookie', 'foreign-track']));
  expect(scenarios.some((scenario) => scenario.orderSalt !== 0)).toBe(true);
});

test('tracks recur, items come from the catalog, and a foreign track is never in its own transaction', () => {
  expect(scenarios.some((scenario) => {
    const listed = scenario.transactions.flatMap((transaction) => transaction.containers.flatMap((container) => container.items.map((item) => item.id)));
    return new Set(listed).size < listed.length;
  })).toBe(true);
  for (const scenario of scenarios) {
    const catalog = new Set(scenario.tracks.map((track) => track.id));
    for (const transaction of scenario.transactions) {
      const listed = new Set(transaction.containers.flatMap((container) => container.items.map((item) => item.id)));
      for (const id of listed) expect(catalog.has(id)).toBe(true);
      for (const refusal of transaction.refusals) if (refusal.kind === 'foreign-track') expect(listed.has(refusal.trackId)).toBe(false);
    }
  }
});

test('the plan gives every call its own media URL, and refusal probes params no track carries', () => {
  for (const scenario of scenarios.slice(0, 100)) {
    const plan = probePlan(scenario);
    const calls = plan.calls.flat();
    expect(plan.byUrl.size).toBe(calls.length);
    const trackParams = new Set(scenario.tracks.map((track) => track.params));
    for (const call of calls) if (call.kind !== 'track') expect(trackParams.has(call.params)).toBe(false);
  }
});
