import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../harness/report/html.ts';
import { visibleText } from '../../harness/report/escape.ts';
import { CANDIDATE_MARKUP, SCRIPT_BREAK, certifiedReport, notCertifiedReport } from './sample-report.ts';

const DATA_BLOCK = /<script type="application\/json" id="report-data">([^<]*)<\/script>/;

interface PageData {
  summary: string;
  rules: unknown[];
  failures: { id: string; events: { seq: number; tone: string; title: string }[]; lanes: string[] }[];
}

function pageData(html: string): PageData {
  return JSON.parse(DATA_BLOCK.exec(html)![1]!) as PageData;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('renderHtml', () => {
  const report = notCertifiedReport();
  const html = renderHtml(report);

  it('is one self-contained file with exactly the two script elements and a strict CSP', () => {
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`);
    const page = html.replace(DATA_BLOCK, '');
    expect(page).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(page).not.toMatch(/\b(src|href)=/i);
    // The page script never parses data as markup.
    expect(html).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
  });

  it('holds candidate strings only inside the JSON block, where `<` is escaped', () => {
    const data = DATA_BLOCK.exec(html)![1]!;
    expect(data).not.toContain('<');
    const outside = html.replace(DATA_BLOCK, '');
    for (const hostile of ['evil', 'onerror', CANDIDATE_MARKUP, SCRIPT_BREAK]) expect(outside).not.toContain(hostile);
    expect(html).not.toMatch(/[\u0000\u001b\ud800\u2028]/);
  });

  it('embeds a display-ready view: every string already visible, one event per trace event', () => {
    const view = pageData(html);
    for (const s of strings(view)) expect(s).toBe(visibleText(s));
    expect(view.summary).toBe('17 rules: 14 passed, 2 failed, 1 skipped');
    expect(view.rules).toHaveLength(17);
    const dl02 = view.failures.find((f) => f.id === 'DL-02')!;
    const trace = report.rules.find((r) => r.id === 'DL-02')!.failure!.trace;
    expect(dl02.events.map((e) => e.seq)).toEqual(trace.map((e) => e.seq));
    expect(dl02.lanes).toEqual(['player', 'plugin', 'store', 'media', 'unknown', 'harness']);
  });

  it('colours by outcome: HRESULT sign for HRESULT methods, throw/timeout/HTTP error red, getters by throwing only', () => {
    const dl02 = pageData(html).failures.find((f) => f.id === 'DL-02')!;
    const tone = (pattern: RegExp) => dl02.events.filter((e) => pattern.test(e.title)).map((e) => e.tone);
    expect(tone(/^#\d+ \+\d+ ms player → plugin getContentID = 4294967280$/)).toEqual(['ok']);
    expect(tone(/getContentID threw HResultError RPC_E_DISCONNECTED/)).toEqual(['bad']);
    expect(tone(/downloadTrack = E_FAIL/)).toEqual(['bad']);
    expect(tone(/downloadTrack = S_FALSE/)).toEqual(['ok']);
    expect(tone(/downloadTrackComplete timed out/)).toEqual(['bad']);
    expect(tone(/downloadTrackComplete = undefined/)).toEqual(['bad']);
    expect(tone(/HTTP 200 100\/1024 bytes/)).toEqual(['bad']);
    expect(tone(/HTTP 200 1024\/1024 bytes/)).toEqual(['ok']);
    expect(tone(/network error/)).toEqual(['bad', 'bad']);
    expect(tone(/HTTP (403|404|500|503) /)).toEqual(['bad', 'bad', 'bad', 'bad']);
    expect(tone(/downloadTrackComplete\(0, 14, "never answered"\)/)).toEqual(['none']);
    expect(tone(/^#\d+ \+\d+ ms uncaught/).every((t) => t === 'bad')).toBe(true);
  });

  it('a certified report has no failure sections', () => {
    const view = pageData(renderHtml(certifiedReport()));
    expect(view.failures).toEqual([]);
    expect(view.summary).toBe('17 rules: 17 passed, 0 failed, 0 skipped');
  });
});
