/**
 * report.html in a real browser (headless Chromium through playwright-core): the page renders
 * without errors under its CSP, hostile strings stay text, the timeline and the filter work.
 *
 * Without a browser the suite is skipped with a message, unless WMPCERT_REQUIRE_BROWSER=1 (CI),
 * where a missing browser is a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CertificationReport } from '../../harness/report/model.ts';
import { renderHtml } from '../../harness/report/html.ts';
import { CANDIDATE_MARKUP, SCRIPT_BREAK, certifiedReport, notCertifiedReport, sampleSummary } from './sample-report.ts';
import { chromiumForTests } from '../setup/chromium-for-tests.ts';

const { executablePath, skip, missing, require: requireChromium } = chromiumForTests('test/report/html-browser.test.ts');

interface Opened { page: Page; problems: string[] }

describe.skipIf(skip)(skip ? `report.html in Chromium (skipped: ${missing})` : 'report.html in Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    requireChromium();
    browser = await chromium.launch({
      executablePath, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    dir = await mkdtemp(join(tmpdir(), 'wmpcert-html-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Opens the report's page; `problems` collects page errors, console errors and any dialog (the XSS canary). */
  async function open(report: CertificationReport, name: string): Promise<Opened> {
    const file = join(dir, `${name}.html`);
    await writeFile(file, renderHtml(report));
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => { if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`); });
    page.on('dialog', (dialog) => { problems.push(`dialog: ${dialog.message()}`); void dialog.dismiss(); });
    page.on('request', (request) => { if (!request.url().startsWith('file:')) problems.push(`request: ${request.url()}`); });
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('#summary:not(:empty)');
    return { page, problems };
  }

  const visibleRows = (page: Page) => page.locator('#rules tbody tr:visible');

  it('certified report: verdict, summary and every rule, no errors', async () => {
    const report = certifiedReport();
    const { page, problems } = await open(report, 'certified');
    expect(await page.locator('.verdict').textContent()).toBe('Certified');
    const n = report.rules.length;
    expect(await page.locator('#summary').textContent()).toBe(`${n} rules: ${n} passed, 0 failed, 0 skipped`);
    expect(await page.locator('#rules tbody td.id').allTextContents()).toEqual(report.rules.map((r) => r.id));
    expect(await page.locator('svg.timeline').count()).toBe(0);
    expect(await page.title()).toBe('wmpcert: certified (reference 1.0.0)');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('failing report: hostile strings stay visible text, nothing runs, no markup is created', async () => {
    const report = notCertifiedReport();
    const { page, problems } = await open(report, 'not-certified');
    expect(await page.locator('.verdict').textContent()).toBe('NOT certified');
    const n = report.rules.length;
    expect(sampleSummary(report)).toBe(`${n} rules: ${n - 3} passed, 2 failed, 1 skipped`);
    expect(await page.locator('#summary').textContent()).toBe(sampleSummary(report));
    expect(await page.locator('#rules tbody td.id').allTextContents()).toEqual(report.rules.map((r) => r.id));

    const text = await page.locator('body').innerText();
    expect(text).toContain(`${CANDIDATE_MARKUP} plug-in 2.0 ${SCRIPT_BREAK}`);
    expect(text).toContain('nul:\\u0000 lone:\\ud800 esc:\\u001b[31mred');
    expect(text).not.toMatch(/[\u0000\u001b\ud800\u2028]/);
    const counts = await page.evaluate(() => ({
      img: document.querySelectorAll('img').length,
      b: document.querySelectorAll('b').length,
      script: document.querySelectorAll('script').length,
      onerror: document.querySelectorAll('[onerror]').length,
    }));
    expect(counts).toEqual({ img: 0, b: 0, script: 2, onerror: 0 });
    expect(await page.title()).toContain(CANDIDATE_MARKUP);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws the failing trace: one .event per trace event, one .lane per actor, hover titles with arguments', async () => {
    const report = notCertifiedReport();
    const { page, problems } = await open(report, 'timeline');
    const failed = report.rules.filter((r) => r.status === 'failed');
    expect(await page.locator('svg.timeline').count()).toBe(failed.length);
    for (const [i, rule] of failed.entries()) {
      const svg = page.locator(`#failure-${i} svg.timeline`);
      expect(await svg.locator('.event').count()).toBe(rule.failure!.trace.length);
      expect(await svg.locator('.event').evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-seq')))))
        .toEqual(rule.failure!.trace.map((e) => e.seq));
    }
    const dl02 = page.locator('#failure-0 svg.timeline');
    expect(await dl02.locator('.lane').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-actor'))))
      .toEqual(['player', 'plugin', 'store', 'media', 'unknown', 'harness']);
    // Every event has a <title> first, holding method and arguments, hostile ones as visible text.
    const titles = await dl02.locator('.event > title').allTextContents();
    expect(titles).toHaveLength(report.rules.find((r) => r.id === 'DL-02')!.failure!.trace.length);
    expect(titles.find((t) => t.includes('downloadTrack(4294967294, "http://media.test/8", 8,')))
      .toContain('\\u0000 lone:\\ud800');
    // Colours and evidence are visible classes.
    expect(await dl02.locator('.event.tone-bad').count()).toBeGreaterThan(10);
    expect(await dl02.locator('.event.tone-ok').count()).toBeGreaterThan(10);
    expect(await dl02.locator('.event.evidence').count()).toBe(3);
    expect(await dl02.locator('.event.return.dashed').count()).toBeGreaterThan(0);
    // The replay command is shown as code.
    expect(await page.locator('#failure-0 .replay code').textContent()).toContain('npx wmpcert replay');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the #q filter narrows the rule table', async () => {
    const report = notCertifiedReport();
    const total = report.rules.length;
    const { page, problems } = await open(report, 'filter');
    expect(await visibleRows(page).count()).toBe(total);
    await page.fill('#q', 'DL-14');
    expect(await visibleRows(page).locator('td.id').allTextContents()).toEqual(['DL-14']);
    // Matches IDs and statement text, case-insensitively: DL-10's statement names DL-02.
    await page.fill('#q', 'dl-02');
    expect(await visibleRows(page).locator('td.id').allTextContents()).toEqual(['DL-02', 'DL-10']);
    expect(await page.locator('#shown').textContent()).toBe(`2 of ${total} shown`);
    await page.fill('#q', 'failed');
    expect(await visibleRows(page).locator('td.id').allTextContents()).toEqual(['DL-02', 'DL-14']);
    // The sample's recommended rules (DL-13, DL-14, LC-02), whatever else their rows say.
    await page.fill('#q', 'RECOMMENDED');
    expect(await visibleRows(page).locator('td.id').allTextContents())
      .toEqual(report.rules.filter((rule) => rule.level === 'recommended').map((rule) => rule.id));
    await page.fill('#q', 'no such rule');
    expect(await visibleRows(page).count()).toBe(0);
    await page.fill('#q', '');
    expect(await visibleRows(page).count()).toBe(total);
    expect(problems).toEqual([]);
    await page.close();
  });
});
