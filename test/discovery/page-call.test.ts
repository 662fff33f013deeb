/**
 * The EX rules' pure parts, without a browser: parsing Type and IDs (EX-01, EX-02), the mapping of a
 * well-formed call to containers (EX-03), the generated page, where a candidate's page comes from,
 * the skip when Chromium is missing, and merging EX results into a report that still validates.
 */
import { describe, expect, test } from 'vitest';
import { UsageError } from '../../harness/errors.ts';
import { CP_ALBUM_ID, CP_LIST_ID, PRICE_UNKNOWN, RESERVED_ID, UNKNOWN_LOCATION } from '../../harness/protocol/constants.ts';
import type { PluginCandidate } from '../../harness/protocol/types.ts';
import { validateReport } from '../../harness/report/validate-report.ts';
import { ruleById, rulesFor } from '../../harness/rules/catalog.ts';
import { EX_RULES, judgePage, mergePageRules, resolvePage, skippedPageRules } from '../../harness/discovery/certify-page.ts';
import { generatePage, renderGeneratedPage } from '../../harness/discovery/generated-page.ts';
import { containersFor, derivedCatalog, scenarioForCall, type PageCatalog } from '../../harness/discovery/mapping.ts';
import { DiscoveryBrowser, chromiumPath } from '../../harness/discovery/page-browser.ts';
import { parseIds, quoteCall, typeProblem, wellFormed, type PageCall, type PageValue, type WellFormedCall } from '../../harness/discovery/page-call.ts';
import reference from '../../fixtures/plugins/reference.ts';
import { PAGE_FIXTURES, pageFixturePath } from '../../fixtures/pages/index.ts';
import { certifiedReport } from '../report/sample-report.ts';

const str = (value: string): PageValue => ({ type: 'string', value });
const call = (...args: PageValue[]): PageCall => ({ index: 1, at: 0, argc: args.length, args, after: 'click 1' });
const good = (type: string, ids: string): WellFormedCall => wellFormed(call(str(type), str(ids)))!;

describe('EX-02: parsing IDs', () => {
  test.each([
    ['12;15', [12, 15]],
    ['0', [0]],
    ['4294967295', [4294967295]],
    ['7;7;7', [7, 7, 7]],
    ['1;2;3;4;5;6;7;8;9;10', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]],
  ])('%j is well-formed', (ids, expected) => {
    expect(parseIds(str(ids))).toEqual({ ok: true, ids: expected });
  });

  test.each([
    ['', 'item 1 is empty'],
    ['1;;2', 'item 2 is empty'],
    [';1', 'item 1 is empty'],
    ['1;', 'item 2 is empty'],
    ['12, 15', 'item 1 "12, 15" uses ","'],
    ['12; 15', 'item 2 " 15" holds white space'],
    ['12 ', 'item 1 "12 " holds white space'],
    ['-1', 'item 1 "-1" has a sign'],
    ['+1', 'item 1 "+1" has a sign'],
    ['007', 'item 1 "007" has a leading zero'],
    ['4294967296', 'item 1 "4294967296" is larger than 4294967295'],
    ['99999999999999999999', 'is larger than 4294967295'],
    ['1e3', 'item 1 "1e3" is not a decimal number'],
    ['0x10', 'item 1 "0x10" is not a decimal number'],
    ['１２', 'is not a decimal number'],
    ['1\u00002', 'item 1 "1\\u00002" is not a decimal number'],
  ])('%j is malformed: %s', (ids, problem) => {
    const parsed = parseIds(str(ids));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems.join('; ')).toContain(problem);
  });

  test('every problem of a call is named', () => {
    expect(parseIds(str('1;;-2;3'))).toEqual({ ok: false, problems: ['item 2 is empty', 'item 3 "-2" has a sign (IDs are unsigned)'] });
  });

  test('IDs that are not a string, or missing', () => {
    expect(parseIds({ type: 'number', text: '12' })).toEqual({ ok: false, problems: ['IDs is a number (12), not a string'] });
    expect(parseIds({ type: 'object', text: '["1","2"]' })).toEqual({ ok: false, problems: ['IDs is an object (["1","2"]), not a string'] });
    expect(parseIds({ type: 'null', text: 'null' })).toEqual({ ok: false, problems: ['IDs is null, not a string'] });
    expect(parseIds(undefined)).toEqual({ ok: false, problems: ['IDs is missing'] });
  });
});

describe('EX-01: the location type', () => {
  test.each(['CPTrackID', 'CPAlbumID', 'CPListID'])('%s is known', (type) => {
    expect(typeProblem(call(str(type), str('1')))).toBeUndefined();
  });

  test.each([
    ['CPTrackIDs', 'Type "CPTrackIDs" is not a location type'],
    ['cptrackid', 'did you mean "CPTrackID"?'],
    [' CPAlbumID', 'did you mean "CPAlbumID"?'],
    ['UnknownLocation', 'Type "UnknownLocation" is not a location type'],
    ['CPArtistID', 'use "CPTrackID", "CPAlbumID" or "CPListID"'],
    ['', 'Type "" is not'],
  ])('%j is not: %s', (type, problem) => {
    expect(typeProblem(call(str(type), str('1')))).toContain(problem);
  });

  test('a Type that is not a string, or missing', () => {
    expect(typeProblem(call({ type: 'number', text: '1' }, str('1')))).toBe('Type is a number (1), not a string');
    expect(typeProblem(call({ type: 'undefined', text: 'undefined' }))).toBe('Type is undefined, not a string');
    expect(typeProblem(call())).toBe('Type is missing');
  });

  test('the page call is quoted exactly, escapes visible', () => {
    expect(quoteCall(call(str('CPTrackID'), str('12;15')))).toBe('External.download("CPTrackID", "12;15")');
    expect(quoteCall(call(str('<b>\u0000\ud800'), { type: 'number', text: '12' }))).toBe('External.download("<b>\\u0000\\ud800", 12)');
    expect(quoteCall(call(str('x'.repeat(300))))).toContain('… (300 code units)');
  });
});

describe('EX-03: from a call to a container list', () => {
  const catalog: PageCatalog = {
    tracks: [{ id: 12, price: '$0.99' }, { id: 15, price: '$1.29' }, { id: 20, price: 'PriceFree' }],
    albums: [{ id: 7, price: '$9.99', tracks: [20, 12] }],
    lists: [{ id: 3, price: '$4.99', tracks: [15] }],
  };

  test('CPTrackID: one UnknownLocation container (0xFFFFFFFF) of the tracks in page order, duplicates kept, absent left out', () => {
    expect(containersFor(good('CPTrackID', '15;99;12;15'), catalog)).toEqual({
      containers: [{ id: RESERVED_ID, type: UNKNOWN_LOCATION, price: PRICE_UNKNOWN, items: [{ id: 15, price: '$1.29' }, { id: 12, price: '$0.99' }, { id: 15, price: '$1.29' }] }],
      absent: [99],
    });
  });

  test('CPAlbumID / CPListID: one container per ID with its tracks in catalog order', () => {
    expect(containersFor(good('CPAlbumID', '7;8;7'), catalog)).toEqual({
      containers: [
        { id: 7, type: CP_ALBUM_ID, price: '$9.99', items: [{ id: 20, price: 'PriceFree' }, { id: 12, price: '$0.99' }] },
        { id: 7, type: CP_ALBUM_ID, price: '$9.99', items: [{ id: 20, price: 'PriceFree' }, { id: 12, price: '$0.99' }] },
      ],
      absent: [8],
    });
    expect(containersFor(good('CPListID', '3'), catalog).containers).toEqual([{ id: 3, type: CP_LIST_ID, price: '$4.99', items: [{ id: 15, price: '$1.29' }] }]);
  });

  test('a call naming nothing in the catalog gives no container', () => {
    expect(containersFor(good('CPTrackID', '4294967295'), catalog)).toEqual({ containers: [], absent: [4294967295] });
  });

  test('the catalog of a candidate page holds what the page names, except the reserved ID, the same for the same seed', () => {
    const calls = [good('CPTrackID', '12;4294967295'), good('CPAlbumID', '7;4294967295'), good('CPListID', '3')];
    const derived = derivedCatalog(calls, 42);
    expect(derived).toEqual(derivedCatalog(calls, 42));
    expect(derived.albums.map((a) => a.id)).toEqual([7]);
    expect(derived.lists.map((l) => l.id)).toEqual([3]);
    expect(derived.tracks.map((t) => t.id)).toContain(12);
    expect(derived.tracks.map((t) => t.id)).not.toContain(RESERVED_ID);
    for (const album of [...derived.albums, ...derived.lists]) {
      expect(album.tracks.length).toBeGreaterThanOrEqual(1);
      for (const track of album.tracks) expect(derived.tracks.map((t) => t.id)).toContain(track);
    }
  });

  test('the scenario of a call: one plain transaction, healthy world, cookie below 2^31', () => {
    const { containers } = containersFor(good('CPTrackID', '12;15;12'), catalog);
    const scenario = scenarioForCall(containers, 1, 3);
    expect(scenario.transactions).toHaveLength(1);
    expect(scenario.transactions[0]!.cookie).toBeLessThan(2 ** 31);
    expect(scenario.tracks.map((t) => t.id)).toEqual([12, 15]);
    expect(scenario.tracks.every((t) => t.entitled && t.backend.kind === 'healthy' && t.media === 'healthy')).toBe(true);
  });
});

describe('the generated page', () => {
  test('the same seed gives the same page; every case is well-formed', () => {
    const page = generatePage(7, 15);
    expect(generatePage(7, 15)).toEqual(page);
    expect(page.cases).toHaveLength(15);
    for (const args of page.cases) {
      expect(wellFormed(call(...args.map((a) => str(a as string))))).toBeDefined();
    }
  });

  test('strings cannot break out of the page script', () => {
    const html = renderGeneratedPage([['</script><script>alert(1)</script>', '\u2028']]);
    expect(html).not.toContain('</script><script>alert(1)');
    expect(html.match(/<button /g)).toHaveLength(1);
  });
});

describe('where the page comes from', () => {
  const withPage = (discoveryPage: unknown) => ({ ...reference, discoveryPage } as PluginCandidate);

  test('a path is relative to the candidate module; inline HTML starts with "<"; none means the generated page', async () => {
    const fromFile = await resolvePage(withPage('good-store.html'), { seed: 1, modulePath: pageFixturePath('page-plugin.ts') });
    expect(fromFile.label).toBe('good-store.html');
    expect(String(fromFile.html)).toContain("download('CPTrackID', '12;15')");
    expect((await resolvePage(withPage('  <p>inline</p>'), { seed: 1 })).label).toBe('inline HTML');
    const generated = await resolvePage(reference, { seed: 1, pageCases: 3 });
    expect(generated.label).toBe('generated');
    expect(generated.generated?.cases).toHaveLength(3);
  });

  test('an unusable discoveryPage is a set-up error (exit 2), with one clear line', async () => {
    const modulePath = pageFixturePath('page-plugin.ts');
    await expect(resolvePage(withPage('missing.html'), { seed: 1, modulePath })).rejects.toThrow(UsageError);
    await expect(resolvePage(withPage('missing.html'), { seed: 1, modulePath })).rejects.toThrow(/discoveryPage "missing.html" not found: looked for .*fixtures\/pages\/missing.html/);
    await expect(resolvePage(withPage('page.txt'), { seed: 1, modulePath })).rejects.toThrow(/neither inline HTML .* nor an .html file/);
    await expect(resolvePage(withPage(42), { seed: 1, modulePath })).rejects.toThrow(/must be a non-empty string/);
  });

  test('every page fixture exists and names its rule', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const fixture of PAGE_FIXTURES) {
      const candidate = (await import(pageFixturePath(fixture.file)) as { default: PluginCandidate }).default;
      expect(candidate.discoveryPage, fixture.file).toBe(fixture.page);
      if (fixture.breaks) expect((await readFile(pageFixturePath(fixture.file), 'utf8')).slice(0, 400), fixture.file).toContain(`Breaks ${fixture.breaks}`);
    }
  });
});

describe('without Chromium', () => {
  test('CHROMIUM_PATH names the browser; left empty, it is unset (the installed one is found)', () => {
    const given = process.env['CHROMIUM_PATH'];
    try {
      process.env['CHROMIUM_PATH'] = '/opt/my/chromium';
      expect(chromiumPath()).toBe('/opt/my/chromium');
      expect(chromiumPath('/explicit')).toBe('/explicit');
      process.env['CHROMIUM_PATH'] = '';
      const found = chromiumPath();
      expect(found).not.toBe('');
      delete process.env['CHROMIUM_PATH'];
      expect(found).toBe(chromiumPath());
    } finally {
      if (given === undefined) delete process.env['CHROMIUM_PATH'];
      else process.env['CHROMIUM_PATH'] = given;
    }
  });

  test('the EX rules are skipped with the reason, never passed', async () => {
    const missing = 'headless Chromium not found at /nonexistent/chromium: install it (apt-get install chromium) or set CHROMIUM_PATH';
    expect(await DiscoveryBrowser.open('/nonexistent/chromium')).toEqual({ ok: false, reason: missing });
    const judged = await judgePage(reference, { seed: 1, executablePath: '/nonexistent/chromium' });
    // Skipped for a reason of the machine: a report holding them is never certified (fail closed).
    expect(judged.rules.map((r) => [r.id, r.status, r.cases, r.reason, r.skipCause])).toEqual(
      EX_RULES.map((id) => [id, 'skipped', 0, missing, 'machine']));
    const merged = mergePageRules(certifiedReport(rulesFor('plugin')), judged.rules);
    expect(merged.verdict).toBe('not-certified');
    expect(merged.blockingFailures).toEqual([]);
    expect(merged.unjudged).toEqual(EX_RULES);
  });
});

describe('EX results in a report', () => {
  test('the catalog has EX-01…EX-03, required, in family EX', () => {
    for (const id of EX_RULES) expect(ruleById(id)).toMatchObject({ family: 'EX', side: 'plugin', level: 'required' });
  });

  test('merging replaces the placeholders, recomputes the verdict, and the report still validates', () => {
    // Every plug-in rule, as the engine writes it: the EX rules are there as placeholders.
    const report = certifiedReport(rulesFor('plugin'));
    const [ex01, ex02, ex03] = skippedPageRules('x', 'candidate');
    const failed = {
      ...ex01!, status: 'failed' as const, cases: 1,
      failure: {
        message: 'page call #1 External.download("CPTrackIDs", "1") (click 1): Type "CPTrackIDs" is not a location type',
        violations: [{ rule: 'EX-01', message: 'm', events: [0] }],
        counterexample: { scenario: { page: 'bad-type.html' }, seed: 1, path: 'page:1', shrinks: 0, foundAtRun: 0, tracks: 0, transactions: 0 },
        trace: [{ type: 'call' as const, seq: 0, at: 0, callId: 1, from: 'plugin' as const, to: 'player' as const, method: 'External.download', args: ['CPTrackIDs', '1'] }],
        replay: 'npx wmpcert replay report.json --rule EX-01',
      },
    };
    const merged = mergePageRules(report, [failed, ex02!, ex03!], ['a note']);
    expect(merged.rules.filter((r) => r.family === 'EX').map((r) => r.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(merged.rules).toHaveLength(report.rules.length);
    expect(merged.verdict).toBe('not-certified');
    expect(merged.blockingFailures).toEqual(['EX-01']);
    expect(merged.notes).toEqual(['discovery page: a note']);
    validateReport(merged);
  });
});
