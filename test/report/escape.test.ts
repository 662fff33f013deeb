import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeHtml, escapeMarkdown, escapeXml, escapeXmlAttribute, jsonForScript, visibleText } from '../../harness/report/escape.ts';
import { HOSTILE, INVISIBLES, SCRIPT_BREAK } from './sample-report.ts';
import { parseXml, textOf } from './xml-check.ts';

/**
 * Any UTF-16 code unit sequence, lone surrogates included (fast-check's string units exclude them),
 * with the interesting units (controls, surrogates, line separators, markup, backslash) made common.
 */
const interesting = [0, 9, 10, 13, 0x1b, 0x5c, 0x3c, 0x26, 0x7f, 0x85, 0x2028, 0x202e, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfffe, 0xffff];
const anyUtf16 = fc.array(fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(...interesting)), { maxLength: 40 })
  .map((units) => String.fromCharCode(...units));

/** Reverses visibleText for text that held no backslash (the notation is then unambiguous). */
function fromVisible(s: string): string {
  return s.replace(/\\u([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('visibleText', () => {
  it.each(INVISIBLES)('shows %j as %s', (raw, shown) => {
    expect(visibleText(`a${raw}b`)).toBe(`a${shown}b`);
  });

  it('keeps tab, line feed, carriage return, valid surrogate pairs and ordinary text', () => {
    const text = 'tab\tlf\ncr\r emoji 😀 é 中文 <markup> & "q"';
    expect(visibleText(text)).toBe(text);
  });

  it('tells a lone surrogate from a pair next to it', () => {
    expect(visibleText('\ud800\ud83d\ude00\udc00')).toBe('\\ud800😀\\udc00');
  });

  it('drops nothing: decoding gives back the input, for any UTF-16 without backslashes', () => {
    fc.assert(fc.property(anyUtf16.map((s) => s.replace(/\\/g, '/')), (s) => {
      expect(fromVisible(visibleText(s))).toBe(s);
    }), { numRuns: 2000 });
  });

  it('is idempotent and keeps JSON exact: JSON.parse(visibleText(JSON.stringify(s))) === s', () => {
    fc.assert(fc.property(anyUtf16, (s) => {
      const once = visibleText(s);
      expect(visibleText(once)).toBe(once);
      expect(JSON.parse(visibleText(JSON.stringify({ s }))).s).toBe(s);
    }), { numRuns: 2000 });
  });
});

describe('escapeXml / escapeXmlAttribute / escapeHtml', () => {
  it('leaves no markup character and no invisible character', () => {
    const escaped = escapeXmlAttribute(HOSTILE + '\r\n\t');
    expect(escaped).not.toMatch(/[<>"'\r\n\t\u0000-\u001f]/);
    expect(escaped).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(escaped).toContain('\\u0000');
    expect(escapeHtml(SCRIPT_BREAK)).toBe(escapeXml(SCRIPT_BREAK));
  });

  it('parses back to exactly visibleText(s), in text and in attributes, for any UTF-16', () => {
    fc.assert(fc.property(anyUtf16, (s) => {
      const doc = parseXml(`<r a="${escapeXmlAttribute(s)}">${escapeXml(s)}</r>`);
      expect(textOf(doc)).toBe(visibleText(s));
      expect(doc.attributes.a).toBe(visibleText(s));
    }), { numRuns: 2000 });
  });
});

describe('escapeMarkdown', () => {
  it('neutralises markdown and HTML, and keeps the text visible', () => {
    const md = escapeMarkdown(HOSTILE);
    expect(md).not.toContain('<');
    expect(md).not.toContain('>');
    expect(md).not.toMatch(/[\r\n\u0000\u001b\ud800\u2028]/);
    expect(md).not.toMatch(/(^|[^\\])[|*`[\]#!_]/);
    expect(md).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(md).toContain('nul:\\\\u0000');
  });

  it('turns line breaks into spaces so a value cannot end a table row', () => {
    expect(escapeMarkdown('a\r\nb\nc\rd')).toBe('a b c d');
  });
});

describe('jsonForScript', () => {
  it('cannot close the script element and parses back to the exact value', () => {
    const value = { s: `${HOSTILE}\u2028\u2029<!--`, nested: [SCRIPT_BREAK, '\ud800', null] };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('round-trips any UTF-16 string', () => {
    fc.assert(fc.property(anyUtf16, (s) => {
      expect(JSON.parse(jsonForScript(s))).toBe(s);
    }), { numRuns: 2000 });
  });
});
