import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../harness/report/html.ts';
import { visibleText } from '../../harness/report/escape.ts';
import { readFileSync } from 'node:fs';
import { CANDIDATE_MARKUP, SCRIPT_BREAK, TRACE_EVENT_TYPES, certifiedReport, notCertifiedReport, sampleSummary } from './sample-report.ts';

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
    const n = report.rules.length;
    expect(sampleSummary(report)).toBe(`${n} rules: ${n - 3} passed, 2 failed, 1 skipped`);
    expect(view.summary).toBe(sampleSummary(report));
    expect(view.rules).toHaveLength(n);
    const dl02 = view.failures.find((f) => f.id === 'DL-02')!;
    const trace = report.rules.find((r) => r.id === 'DL-02')!.failure!.trace;
    expect(dl02.events.map((e) => e.seq)).toEqual(trace.map((e) => e.seq));
    // The sample trace holds every type of event the report schema knows.
    const schema = JSON.parse(readFileSync(new URL('../../harness/report/report.schema.json', import.meta.url), 'utf8')) as
      { $defs?: Record<string, unknown>; definitions?: Record<string, unknown> };
    const defs = (schema.$defs ?? schema.definitions)!;
    const eventTypes = (defs['traceEvent'] as { properties: { type: { enum: string[] } } }).properties.type.enum;
    expect([...TRACE_EVENT_TYPES].sort()).toEqual([...eventTypes].sort());
    expect(new Set(trace.map((e) => e.type))).toEqual(new Set(eventTypes));
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
    expect(tone(/^#\d+ \+\d+ ms harness stopped the candidate \((exited|blocked)\): /)).toEqual(['bad', 'bad']);
    expect(tone(/^#\d+ \+\d+ ms wire protocol broken \((not-json|schema-invalid|line-too-long)\): /)).toEqual(['bad', 'bad', 'bad']);
  });

  it('a certified report has no failure sections', () => {
    const certified = certifiedReport();
    const view = pageData(renderHtml(certified));
    expect(view.failures).toEqual([]);
    const n = certified.rules.length;
    expect(view.summary).toBe(`${n} rules: ${n} passed, 0 failed, 0 skipped`);
    expect(view.rules).toHaveLength(n);
  });
});
