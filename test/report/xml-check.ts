/**
 * A small, strict XML 1.0 well-formedness checker and parser for the tests (no DTDs, no CDATA, no
 * processing instructions besides the declaration: junit.xml uses none of them). Throws on any
 * well-formedness error; returns the element tree with references decoded, as a parser would.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: (XmlElement | string)[];
}

/** XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff)
    || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (/&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);)/.test(raw)) throw new Error(`bad & in ${where}: ${JSON.stringify(raw.slice(0, 80))}`);
  return raw.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[a-z]+);/g, (_, ref: string) => {
    if (!ref.startsWith('#')) return PREDEFINED[ref]!;
    const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (!isXmlChar(cp)) throw new Error(`reference to a non-XML character &${ref}; in ${where}`);
    return String.fromCodePoint(cp);
  });
}

export function parseXml(xml: string): XmlElement {
  for (const ch of xml) {
    const cp = ch.codePointAt(0)!;
    if (!isXmlChar(cp)) throw new Error(`not an XML character: U+${cp.toString(16).padStart(4, '0')}`);
  }
  let pos = 0;
  const fail = (what: string): never => { throw new Error(`${what} at offset ${pos}: ${JSON.stringify(xml.slice(pos, pos + 60))}`); };
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(pos))![0];
      pos += ws.length;
      if (!xml.startsWith('<!--', pos)) return;
      const end = xml.indexOf('-->', pos + 4);
      if (end < 0 || xml.slice(pos + 4, end).includes('--')) fail('bad comment');
      pos = end + 3;
    }
  };

  if (xml.startsWith('<?xml', pos)) {
    const end = xml.indexOf('?>', pos);
    if (end < 0) fail('unterminated declaration');
    pos = end + 2;
  }
  skipMisc();

  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (pos < xml.length) {
    if (stack.length === 0) {
      if (root) { skipMisc(); if (pos < xml.length) fail('content after the root element'); break; }
      if (xml[pos] !== '<') fail('text outside the root element');
    }
    if (xml.startsWith('<!--', pos)) { skipMisc(); continue; }
    if (xml.startsWith('</', pos)) {
      pos += 2;
      const name = NAME.exec(xml.slice(pos))?.[0] ?? fail('bad end tag name');
      pos += name.length;
      pos += /^\s*/.exec(xml.slice(pos))![0].length;
      if (xml[pos] !== '>') fail('bad end tag');
      pos += 1;
      const open = stack.pop();
      if (!open || open.name !== name) fail(`mismatched </${name}>`);
      continue;
    }
    if (xml[pos] === '<') {
      pos += 1;
      const name = NAME.exec(xml.slice(pos))?.[0] ?? fail('bad tag name');
      pos += name.length;
      const element: XmlElement = { name, attributes: {}, children: [] };
      for (;;) {
        const ws = /^\s*/.exec(xml.slice(pos))![0];
        pos += ws.length;
        if (xml.startsWith('/>', pos) || xml[pos] === '>') break;
        if (ws.length === 0) fail('missing space before attribute');
        const attr = NAME.exec(xml.slice(pos))?.[0] ?? fail('bad attribute name');
        pos += attr.length;
        const m = /^\s*=\s*("([^"]*)"|'([^']*)')/.exec(xml.slice(pos)) ?? fail('bad attribute value');
        const raw = m[2] ?? m[3]!;
        if (raw.includes('<')) fail('< in attribute value');
        if (attr in element.attributes) fail(`duplicate attribute ${attr}`);
        // Attribute-value normalisation: literal whitespace becomes a space, references are kept.
        element.attributes[attr] = decode(raw.replace(/[\t\n\r]/g, ' '), `@${attr}`);
        pos += m[0].length;
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else root = element;
      if (xml.startsWith('/>', pos)) { pos += 2; continue; }
      pos += 1;
      stack.push(element);
      continue;
    }
    const end = xml.indexOf('<', pos);
    const raw = xml.slice(pos, end < 0 ? xml.length : end);
    if (raw.includes(']]>')) fail(']]> in text');
    stack[stack.length - 1]!.children.push(decode(raw.replace(/\r\n?/g, '\n'), `<${stack[stack.length - 1]!.name}>`));
    pos += raw.length;
  }
  if (stack.length > 0) fail(`unclosed <${stack[stack.length - 1]!.name}>`);
  return root ?? fail('no root element');
}

/** All descendants named `name`, in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  for (const child of element.children) {
    if (typeof child === 'string') continue;
    if (child.name === name) found.push(child);
    found.push(...findAll(child, name));
  }
  return found;
}

export function textOf(element: XmlElement): string {
  return element.children.map((child) => (typeof child === 'string' ? child : textOf(child))).join('');
}
