/**
 * The one place where strings a candidate controls (params, URLs, messages, its name) are made safe
 * for a report. Every writer escapes here, at output time; nothing else in the reports escapes.
 *
 * The rule for every format: never drop or replace a character silently. A character the format
 * cannot carry, or a reader cannot see, becomes the visible text `\uXXXX` (the notation of JS and
 * JSON string escapes, lower-case hex like JSON.stringify writes), so the report still says exactly
 * what the candidate sent.
 */

/**
 * Characters shown as `\uXXXX`:
 * - C0 controls except tab, LF, CR (XML 1.0 cannot carry them; ESC would colour a terminal);
 * - DEL and the C1 controls U+007F–U+009F (invisible, discouraged in XML);
 * - U+2028/U+2029 (invisible line breaks; they also end a JS string literal in old engines);
 * - the bidi embedding/override/isolate controls U+202A–U+202E, U+2066–U+2069: invisible, and they
 *   reorder the text around them, so a reader would misread a value ("Trojan Source");
 * - the non-characters U+FFFE/U+FFFF (not XML characters);
 * - unpaired surrogates (not XML characters; a valid pair such as an emoji is kept as it is).
 * No `u` flag: the pattern works on UTF-16 code units, which is what finds lone surrogates.
 */
const INVISIBLE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function codeUnitEscape(char: string): string {
  return '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * Maps every character a report format cannot carry or a reader cannot see to a visible `\uXXXX`.
 *
 * Idempotent (its output holds none of those characters), and it keeps JSON valid: applied to
 * JSON text it only touches characters inside strings, and `\uXXXX` there means that very
 * character, so `JSON.parse(visibleText(JSON.stringify(v)))` equals `v`. The price: in plain text
 * a real U+0000 and the six characters `\u0000` look alike; JSON blocks keep them apart
 * (the literal text is written `\\u0000` there).
 */
export function visibleText(s: string): string {
  return s.replace(INVISIBLE, codeUnitEscape);
}

const MARKUP_ENTITIES: Record<string, string> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  // A raw CR would be normalised to LF by every XML parser; a character reference survives.
  '\r': '&#13;',
};

/** Text or attribute value for XML: visible text, then the five markup characters as entities. */
export function escapeXml(s: string): string {
  return visibleText(s).replace(/[&<>"'\r]/g, (c) => MARKUP_ENTITIES[c]!);
}

/**
 * For XML attribute values that must keep their line breaks and tabs: a parser normalises raw
 * whitespace in attributes to spaces, character references survive.
 */
export function escapeXmlAttribute(s: string): string {
  return escapeXml(s).replace(/[\n\t]/g, (c) => (c === '\n' ? '&#10;' : '&#9;'));
}

/** Text or attribute value for HTML: the same entities as XML (`&#39;` is valid in both). */
export function escapeHtml(s: string): string {
  return escapeXml(s);
}

/** Characters that could start markdown or HTML syntax; each is shown literally. */
const MARKDOWN_SPECIAL: Record<string, string> = {
  '\\': '\\\\', '`': '\\`', '*': '\\*', _: '\\_', '[': '\\[', ']': '\\]', '|': '\\|', '#': '\\#',
  '!': '\\!', '~': '\\~',
  // Entities rather than `\<`: the text then holds no `<` at all, so no renderer can see a tag in it.
  '<': '&lt;', '>': '&gt;', '&': '&amp;',
};

/**
 * Inline markdown (a table cell, a line of text) that renders as exactly the visible text:
 * emphasis, links, images, code spans, headings, table pipes and HTML are all neutralised, and
 * line breaks become spaces so a value can neither end a table row nor start a new block.
 * Not for fenced code blocks: their content is literal, see the markdown writer.
 */
export function escapeMarkdown(s: string): string {
  return visibleText(s)
    .replace(/\r\n|[\r\n]/g, ' ')
    .replace(/[\\`*_[\]|#!~<>&]/g, (c) => MARKDOWN_SPECIAL[c]!);
}

/**
 * JSON to embed in an HTML `<script type="application/json">` block. `<` becomes `\u003c`, so the
 * data can never close the script element (`</script>`) or open a comment (`<!--`); U+2028/U+2029
 * are escaped for engines that treat them as line terminators. `JSON.parse` of the block's text
 * gives back exactly `value` (lone surrogates are escaped by JSON.stringify itself).
 */
export function jsonForScript(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  return json.replace(/[<\u2028\u2029]/g, codeUnitEscape);
}
