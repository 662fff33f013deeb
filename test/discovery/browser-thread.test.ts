/**
 * The discovery page's browser in a thread of its own (the CLI's): it records what Chromium driven
 * from the test's own thread records, strings and a file's bytes cross the thread intact, a missing
 * browser is the same clear reason, and the early launch is taken by the first page of its executable.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BrowserThread, launchBrowserEarly, openBrowser } from '../../harness/discovery/browser-thread.ts';
import { DiscoveryBrowser, type PageBrowser, type PageRecording } from '../../harness/discovery/page-browser.ts';
import { generatePage, renderGeneratedPage } from '../../harness/discovery/generated-page.ts';
import { pageFixturePath } from '../../fixtures/pages/index.ts';
import { chromiumForTests } from '../setup/chromium-for-tests.ts';

const { executablePath, skip, missing, require: requireChromium } = chromiumForTests('test/discovery/browser-thread.test.ts');

/** A recording without its timings (`at`), which differ from run to run. */
const untimed = (recording: PageRecording) => ({ ...recording, calls: recording.calls.map(({ at: _at, ...call }) => call) });

test('a missing browser: the same one clear reason as in this thread', async () => {
  const inThread = await DiscoveryBrowser.open('/nonexistent/chromium');
  expect(inThread.ok).toBe(false);
  expect(await BrowserThread.open('/nonexistent/chromium')).toEqual(inThread);
});

describe.skipIf(skip)(skip ? `the browser thread (skipped: ${missing})` : 'the browser thread', () => {
  let threaded: PageBrowser;
  let local: PageBrowser;

  beforeAll(async () => {
    requireChromium();
    const [fromThread, fromHere] = await Promise.all([BrowserThread.open(executablePath), DiscoveryBrowser.open(executablePath)]);
    if (!fromThread.ok) throw new Error(fromThread.reason);
    if (!fromHere.ok) throw new Error(fromHere.reason);
    threaded = fromThread.browser;
    local = fromHere.browser;
  });

  afterAll(async () => {
    await Promise.all([threaded?.close(), local?.close()]);
  });

  test('the generated page: the same calls, requests and notes as Chromium driven from this thread', async () => {
    const html = renderGeneratedPage(generatePage(7, 8).cases);
    const options = { callsPerClick: 1, scriptedClicks: true };
    const [fromThread, fromHere] = await Promise.all([threaded.record(html, options), local.record(html, options)]);
    expect(fromThread.calls).toHaveLength(8);
    expect(untimed(fromThread)).toEqual(untimed(fromHere));
  });

  test("a page file's bytes and strings a page makes (U+0000, a lone surrogate) cross the thread as they are", async () => {
    const bytes = await readFile(pageFixturePath('bad-ids.html'));
    const hostile = '<img src=x onerror=alert(1)>\u0000\ud800';
    const inline = `<!doctype html><meta charset="utf-8"><script>window.external.download(${JSON.stringify(hostile)}, 'é')</script>`;
    for (const html of [bytes, inline]) {
      const [fromThread, fromHere] = await Promise.all([threaded.record(html), local.record(html)]);
      expect(fromThread.calls.length).toBeGreaterThan(0);
      expect(untimed(fromThread)).toEqual(untimed(fromHere));
    }
    const recorded = await threaded.record(inline);
    expect(recorded.calls[0]!.args).toEqual([{ type: 'string', value: hostile }, { type: 'string', value: 'é' }]);
  });

  test('a thread that ends while a page plays: the recording fails with the reason, the process goes on', async () => {
    const opened = await BrowserThread.open(executablePath);
    if (!opened.ok) throw new Error(opened.reason);
    const playing = opened.browser.record(renderGeneratedPage(generatePage(2, 8).cases));
    await (opened.browser as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await expect(playing).rejects.toThrow(/the browser thread exited \(code \d+\) while playing the page/);
    await expect(opened.browser.record('<p>')).rejects.toThrow('the browser thread has ended');
    await opened.browser.close();
  });

  test('the early launch is taken by the first page of its executable, once; the way out closes one nobody took', async () => {
    const end = launchBrowserEarly(executablePath);
    const taken = await openBrowser(executablePath);
    expect(taken.ok && taken.browser).toBeInstanceOf(BrowserThread);
    const next = await openBrowser(executablePath);
    expect(next.ok && next.browser).toBeInstanceOf(DiscoveryBrowser);
    await end(); // taken: not this function's to close
    if (!taken.ok || !next.ok) throw new Error('no browser');
    expect((await taken.browser.record(renderGeneratedPage(generatePage(1, 2).cases), { callsPerClick: 1, scriptedClicks: true })).calls).toHaveLength(2);
    await Promise.all([taken.browser.close(), next.browser.close()]);
    await expect(taken.browser.record('<p>')).rejects.toThrow('the browser thread has ended');

    const untaken = launchBrowserEarly(executablePath);
    await untaken();
    const fresh = await openBrowser(executablePath);
    expect(fresh.ok && fresh.browser).toBeInstanceOf(DiscoveryBrowser);
    if (fresh.ok) await fresh.browser.close();
  });
});
