/**
 * Plays a discovery page in real headless Chromium (playwright-core) with a recording
 * `window.external`, and nothing else: every request the page makes goes through one route handler
 * that serves the page itself and aborts everything else, WebSockets are closed, service workers are
 * blocked, and Chromium resolves no host name and has a dead proxy — certification never leaves the
 * machine, even if a request slipped past the route.
 *
 * The recorder is installed before any page script runs (`addInitScript`): `window.external` is a
 * frozen, non-configurable object whose `download` describes every argument in the page (JS type;
 * strings as their UTF-16 code units, so U+0000 and unpaired surrogates survive) and hands the
 * description to the harness through a binding the page cannot reach (the global is deleted first).
 * `download` returns undefined and never throws, so the page carries on as it would in the Player.
 *
 * What the harness does with the page: load it, then click — in document order, once each — every
 * `<button>` and every element with a `data-wmpcert-click` attribute, waiting after each click until
 * the page has been quiet for a moment. Calls made while loading count too.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext } from 'playwright-core';
import type { PageCall, PageValue } from './page-call.ts';

/**
 * Where the browser is looked for, in order: Debian's chromium-headless-shell (the headless-only
 * build: about half the start-up time and CPU of the full browser, which matters on a 2-core
 * machine where the page plays alongside the scenarios), then Debian's full chromium.
 */
export const CHROMIUM_CANDIDATES = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium'] as const;
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
/** Where the page is served from (a name no resolver knows: only the route handler answers it). */
export const PAGE_URL = 'http://discovery.wmpcert.test/discovery.html';
/** What the harness clicks, in document order. */
export const CLICKABLE = 'button, [data-wmpcert-click]';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
  // Belt and braces behind the route handler: no name resolves, and every connection goes to a dead proxy.
  '--host-resolver-rules=MAP * ~NOTFOUND', '--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=<-loopback>',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
];

const MAX_CLICKS = 200;
const QUIET_MS = 40;
const FINAL_QUIET_MS = 100;
const STEP_CAP_MS = 2_000;
const CLICK_TIMEOUT_MS = 2_000;
const LOAD_TIMEOUT_MS = 10_000;

/**
 * The Chromium the EX rules use: CHROMIUM_PATH, else the first of CHROMIUM_CANDIDATES installed
 * (else /usr/bin/chromium, reported missing). An empty CHROMIUM_PATH (`CHROMIUM_PATH= wmpcert …`,
 * a CI variable left blank) is unset, as a shell user means it, not a browser at "".
 */
export function chromiumPath(explicit?: string): string {
  return explicit ?? (process.env['CHROMIUM_PATH'] || undefined) ?? CHROMIUM_CANDIDATES.find((path) => existsSync(path)) ?? DEFAULT_CHROMIUM_PATH;
}

export interface PageRecording {
  calls: PageCall[];
  /** Every URL the route handler saw (and WebSocket URLs), in order: the page's own URL first. */
  requests: string[];
  /** What the harness noticed: aborted requests, page errors, dialogs, clicks that failed. */
  notes: string[];
  /** The page did not load (then `calls` holds what came before). */
  loadError?: string;
}

export interface RecordOptions {
  /** Calls each click makes for sure (the generated page: 1): the harness then waits for them rather than for quiet. */
  callsPerClick?: number;
  /**
   * The page is the harness's own (the generated page), its buttons visible, enabled and still by
   * construction: each is clicked by a script in the page (one round trip) instead of by playwright's
   * mouse, whose checks that a target can be clicked cost a dozen round trips and ~25 ms of CPU a click.
   */
  scriptedClicks?: boolean;
  /** Give up clicking after this long (ms). */
  budgetMs?: number;
}

/** The page side of the recorder (a string: it must not pass through the TypeScript transform). */
const INIT_SCRIPT = `(() => {
  const record = window.__wmpcertRecord;
  try { delete window.__wmpcertRecord; } catch (e) {}
  if (typeof record !== 'function') return;
  const apply = Reflect.apply, charCodeAt = String.prototype.charCodeAt, objectToString = Object.prototype.toString;
  const symbolToString = Symbol.prototype.toString, stringify = JSON.stringify, toText = String, slice = String.prototype.slice;
  const describe = (v) => {
    const t = typeof v;
    if (t === 'string') { const units = []; for (let i = 0; i < v.length; i++) units[i] = apply(charCodeAt, v, [i]); return { type: 'string', units }; }
    if (v === null) return { type: 'null', text: 'null' };
    if (t === 'number') return { type: 'number', text: v === 0 && 1 / v < 0 ? '-0' : toText(v) };
    if (t === 'bigint') return { type: 'bigint', text: toText(v) + 'n' };
    if (t === 'boolean' || t === 'undefined') return { type: t, text: toText(v) };
    if (t === 'symbol') return { type: 'symbol', text: apply(symbolToString, v, []) };
    if (t === 'function') return { type: 'function', text: 'function' };
    let text = '[object]';
    try { text = apply(objectToString, v, []); } catch (e) {}
    try { const json = stringify(v); if (typeof json === 'string') text = json.length > 200 ? apply(slice, json, [0, 200]) + '…' : json; } catch (e) {}
    return { type: 'object', text };
  };
  const download = function download(Type, IDs) {
    const argc = arguments.length, args = [];
    for (let i = 0; i < argc; i++) args[i] = describe(arguments[i]);
    try { record({ argc, args }); } catch (e) {}
    return undefined;
  };
  const external = {};
  Object.defineProperty(external, 'download', { value: download, enumerable: true });
  Object.freeze(external);
  Object.defineProperty(window, 'external', { value: external, enumerable: true, configurable: false, writable: false });
})();`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);

const VALUE_TYPES = new Set(['number', 'bigint', 'boolean', 'undefined', 'null', 'symbol', 'function', 'object']);

/** A string from its UTF-16 code units, exactly (chunked: no call gets too many arguments). */
function fromUnits(units: number[]): string {
  let text = '';
  for (let i = 0; i < units.length; i += 4096) text += String.fromCharCode(...units.slice(i, i + 4096));
  return text;
}

/** The page's description of one argument, checked (the page runs untrusted code; the description must still be data). */
function decodeValue(raw: unknown): PageValue | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { type, units, text } = raw as { type?: unknown; units?: unknown; text?: unknown };
  if (type === 'string' && Array.isArray(units) && units.every((u) => Number.isInteger(u) && u >= 0 && u <= 0xffff)) return { type, value: fromUnits(units as number[]) };
  if (typeof type === 'string' && VALUE_TYPES.has(type) && typeof text === 'string') return { type: type as Exclude<PageValue['type'], 'string'>, text: text.slice(0, 300) };
  return undefined;
}

/** What plays pages: Chromium driven from this thread (DiscoveryBrowser) or from a thread of its own (BrowserThread). */
export interface PageBrowser {
  readonly executablePath: string;
  /** Loads the page, clicks what there is to click, and returns every External.download call it made. */
  record(html: string | Uint8Array, options?: RecordOptions): Promise<PageRecording>;
  close(): Promise<void>;
}

export type BrowserOpening = { ok: true; browser: PageBrowser } | { ok: false; reason: string };

/** One headless Chromium, driven from this thread, shared by every page a run (or a test file) plays. */
export class DiscoveryBrowser implements PageBrowser {
  private constructor(private readonly browser: Browser, readonly executablePath: string) {}

  /** Chromium for a page; when it cannot be had (not installed, playwright-core missing, it died), why. */
  static async open(executablePath: string = chromiumPath()): Promise<BrowserOpening> {
    if (!existsSync(executablePath)) return { ok: false, reason: `headless Chromium not found at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH` };
    let chromium: typeof import('playwright-core').chromium;
    try {
      // require(), not import(): importing a CommonJS package has Node parse it for its named exports (~0.2 s for playwright-core).
      ({ chromium } = createRequire(import.meta.url)('playwright-core') as typeof import('playwright-core'));
    } catch (error) {
      return { ok: false, reason: `playwright-core cannot be loaded (npm install playwright-core): ${firstLine(error)}` };
    }
    try {
      const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
      return { ok: true, browser: new DiscoveryBrowser(browser, executablePath) };
    } catch (error) {
      return { ok: false, reason: `headless Chromium at ${executablePath} did not start: ${firstLine(error)}` };
    }
  }

  close(): Promise<void> {
    return this.browser.close().catch(() => {});
  }

  async record(html: string | Uint8Array, options: RecordOptions = {}): Promise<PageRecording> {
    const context = await this.browser.newContext({ serviceWorkers: 'block', acceptDownloads: false, viewport: { width: 1024, height: 768 } });
    try {
      // A file's bytes that crossed a thread are a Uint8Array; playwright serves a Buffer.
      return await this.play(context, typeof html === 'string' || Buffer.isBuffer(html) ? html : Buffer.from(html.buffer, html.byteOffset, html.byteLength), options);
    } finally {
      await context.close().catch(() => {});
    }
  }

  private async play(context: BrowserContext, html: string | Buffer, options: RecordOptions): Promise<PageRecording> {
    const started = performance.now();
    const calls: PageCall[] = [];
    const requests: string[] = [];
    const notes: string[] = [];
    let step = 'load';

    await context.route('**', async (route) => {
      const request = route.request();
      const url = request.url();
      requests.push(url);
      if (url.split('#')[0] === PAGE_URL && request.method() === 'GET' && request.isNavigationRequest()) {
        // A string is the harness's (UTF-8); a file's bytes go as they are, its own <meta charset> decides.
        await route.fulfill({ status: 200, contentType: typeof html === 'string' ? 'text/html; charset=utf-8' : 'text/html', body: html }).catch(() => {});
        return;
      }
      notes.push(`the page requested ${url.slice(0, 300)}: aborted (certification never leaves the machine; a discovery page must be self-contained)`);
      await route.abort('blockedbyclient').catch(() => {});
    });
    await context.routeWebSocket(/.*/, (ws) => {
      requests.push(ws.url());
      notes.push(`the page opened a WebSocket to ${ws.url().slice(0, 300)}: closed`);
      void ws.close().catch(() => {});
    });
    await context.exposeBinding('__wmpcertRecord', (_source, payload: unknown) => {
      const { argc, args } = (typeof payload === 'object' && payload !== null ? payload : {}) as { argc?: unknown; args?: unknown };
      const decoded = Array.isArray(args) ? args.map(decodeValue) : [];
      if (typeof argc !== 'number' || !Array.isArray(args) || decoded.some((value) => value === undefined)) {
        notes.push('an External.download call could not be recorded (its description was not understood)');
        return;
      }
      calls.push({ index: calls.length + 1, at: Math.round(performance.now() - started), argc, args: decoded as PageValue[], after: step });
    });
    await context.addInitScript({ content: INIT_SCRIPT });

    const page = await context.newPage();
    page.on('pageerror', (error) => notes.push(`the page threw: ${firstLine(error)}`));
    page.on('dialog', (dialog) => {
      notes.push(`the page opened a ${dialog.type()} dialog: dismissed`);
      void dialog.dismiss().catch(() => {});
    });
    context.on('page', (other) => {
      if (other === page) return;
      notes.push('the page opened another window: closed');
      void other.close().catch(() => {});
    });

    const settle = async (quietMs: number, expected?: number) => {
      const deadline = performance.now() + STEP_CAP_MS;
      if (expected !== undefined) {
        while (calls.length < expected && performance.now() < deadline) await sleep(2);
        return;
      }
      let seen = calls.length;
      let since = performance.now();
      while (performance.now() < deadline) {
        await sleep(5);
        if (calls.length !== seen) { seen = calls.length; since = performance.now(); }
        else if (performance.now() - since >= quietMs) return;
      }
    };

    try {
      await page.goto(PAGE_URL, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    } catch (error) {
      const loadError = firstLine(error);
      notes.push(`the page did not load: ${loadError}`);
      return { calls, requests, notes, loadError };
    }
    await settle(QUIET_MS);

    const budget = started + (options.budgetMs ?? 30_000);
    const targets = page.locator(CLICKABLE);
    const labels = (await targets.allTextContents().catch(() => [] as string[])).map((text) => text.trim().replace(/\s+/g, ' ').slice(0, 60));
    const count = Math.min(labels.length, MAX_CLICKS);
    if (labels.length > MAX_CLICKS) notes.push(`the page has ${labels.length} clickable elements: only the first ${MAX_CLICKS} were clicked`);
    for (let i = 0; i < count; i++) {
      if (performance.now() > budget) {
        notes.push(`clicking stopped after ${i} of ${count} elements: the page took longer than ${options.budgetMs ?? 30_000} ms`);
        break;
      }
      step = `click ${i + 1}${labels[i] ? ` (${labels[i]})` : ''}`;
      const before = calls.length;
      try {
        // A string, not a function: nothing of the TypeScript transform must reach the page.
        if (options.scriptedClicks) await page.evaluate(`document.querySelectorAll(${JSON.stringify(CLICKABLE)})[${i}].click()`);
        else await targets.nth(i).click({ timeout: CLICK_TIMEOUT_MS, noWaitAfter: true });
      } catch (error) {
        notes.push(`${step} failed: ${firstLine(error)}`);
        continue;
      }
      await settle(QUIET_MS, options.callsPerClick === undefined ? undefined : before + options.callsPerClick);
    }
    step = 'after the last click';
    await settle(FINAL_QUIET_MS);
    return { calls, requests, notes };
  }
}
