/**
 * A small, forgiving HTML tag scanner: enough to find NetEase's article blocks by tag, class, id
 * or attribute and to walk their contents, without a DOM library. It never throws on bad markup;
 * unclosed elements run to the end of the input.
 */

/** One token of an HTML string; offsets are into the scanned string. */
export type HtmlToken =
  | {
      readonly type: 'open';
      readonly name: string;
      readonly attrs: Readonly<Record<string, string>>;
      readonly selfClosing: boolean;
      readonly start: number;
      readonly end: number;
    }
  | { readonly type: 'close'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly type: 'text'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly type: 'comment'; readonly start: number; readonly end: number };

/** Elements that never have content or a closing tag. */
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** Elements whose content is raw text: a `<div>` inside a script string must not count. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);

const ATTR_RE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

function parseAttrs(src: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  ATTR_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ATTR_RE.exec(src)) !== null) {
    const name = (m[1] ?? '').toLowerCase();
    if (name && !(name in attrs)) attrs[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** Splits HTML into tokens. Raw-text elements yield their content as one text token. */
export function tokenize(html: string): HtmlToken[] {
  const out: HtmlToken[] = [];
  const tagRe =
    /<(\/?)([a-zA-Z][\w:-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>|<!--[\s\S]*?(?:-->|$)|<![^>]*>|<\?[^>]*>/g;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(html)) !== null) {
    if (m.index > pos) out.push({ type: 'text', text: html.slice(pos, m.index), start: pos, end: m.index });
    const start = m.index;
    const end = start + m[0].length;
    pos = end;
    if (m[2] === undefined) {
      out.push({ type: 'comment', start, end });
      continue;
    }
    const name = m[2].toLowerCase();
    if (m[1] === '/') {
      out.push({ type: 'close', name, start, end });
      continue;
    }
    const rawAttrs = m[3] ?? '';
    const selfClosing = VOID.has(name) || /\/\s*$/.test(rawAttrs);
    out.push({ type: 'open', name, attrs: parseAttrs(rawAttrs), selfClosing, start, end });
    if (RAW_TEXT.has(name) && !selfClosing) {
      const closeRe = new RegExp(`</${name}\\s*>`, 'ig');
      closeRe.lastIndex = end;
      const c = closeRe.exec(html);
      const textEnd = c ? c.index : html.length;
      if (textEnd > end) out.push({ type: 'text', text: html.slice(end, textEnd), start: end, end: textEnd });
      if (c) out.push({ type: 'close', name, start: c.index, end: c.index + c[0].length });
      pos = c ? c.index + c[0].length : html.length;
      tagRe.lastIndex = pos;
    }
  }
  if (pos < html.length) out.push({ type: 'text', text: html.slice(pos), start: pos, end: html.length });
  return out;
}

/** A simple selector: tag name and/or class, id, or an attribute that must be present. */
export interface Selector {
  readonly tag?: string;
  readonly cls?: string;
  readonly id?: string;
  readonly attr?: string;
}

/** An element found in a token list. */
export interface HtmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** Index of the open token and of the matching close token (or `tokens.length` if unclosed). */
  readonly openIndex: number;
  readonly closeIndex: number;
  /** Offsets of the inner HTML in the scanned string. */
  readonly innerStart: number;
  readonly innerEnd: number;
}

function hasClass(attrs: Readonly<Record<string, string>>, cls: string): boolean {
  const v = attrs['class'];
  return v != null && v.split(/\s+/).includes(cls);
}

/** True when an open token matches the selector. */
export function matches(tok: HtmlToken, sel: Selector): boolean {
  if (tok.type !== 'open') return false;
  if (sel.tag && tok.name !== sel.tag) return false;
  if (sel.cls && !hasClass(tok.attrs, sel.cls)) return false;
  if (sel.id && tok.attrs['id'] !== sel.id) return false;
  if (sel.attr && !(sel.attr in tok.attrs)) return false;
  return true;
}

/** The element whose open tag is at `openIndex`, with its matching close (same-name depth count). */
export function elementAt(
  tokens: readonly HtmlToken[],
  openIndex: number,
  source: string,
): HtmlElement | null {
  const open = tokens[openIndex];
  if (!open || open.type !== 'open') return null;
  if (open.selfClosing) {
    return {
      name: open.name,
      attrs: open.attrs,
      openIndex,
      closeIndex: openIndex,
      innerStart: open.end,
      innerEnd: open.end,
    };
  }
  let depth = 1;
  for (let i = openIndex + 1; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.type === 'open' && t.name === open.name && !t.selfClosing) depth++;
    else if (t.type === 'close' && t.name === open.name && --depth === 0) {
      return {
        name: open.name,
        attrs: open.attrs,
        openIndex,
        closeIndex: i,
        innerStart: open.end,
        innerEnd: t.start,
      };
    }
  }
  return {
    name: open.name,
    attrs: open.attrs,
    openIndex,
    closeIndex: tokens.length,
    innerStart: open.end,
    innerEnd: source.length,
  };
}

/** The first element matching the selector, searching tokens `[from, to)`. */
export function findElement(
  tokens: readonly HtmlToken[],
  source: string,
  sel: Selector,
  from = 0,
  to = tokens.length,
): HtmlElement | null {
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t && matches(t, sel)) return elementAt(tokens, i, source);
  }
  return null;
}

/** Every element matching the selector in tokens `[from, to)`, in document order (nested ones too). */
export function findAll(
  tokens: readonly HtmlToken[],
  source: string,
  sel: Selector,
  from = 0,
  to = tokens.length,
): HtmlElement[] {
  const out: HtmlElement[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t && matches(t, sel)) {
      const el = elementAt(tokens, i, source);
      if (el) out.push(el);
    }
  }
  return out;
}

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  middot: '·',
  copy: '©',
  reg: '®',
  times: '×',
  yen: '¥',
  bull: '•',
  laquo: '«',
  raquo: '»',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
};

/** Decodes character references (numeric and the common named ones); unknown names stay as written. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);?/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    const v = NAMED[ref.toLowerCase()];
    return v ?? whole;
  });
}

/**
 * Plain text of tokens `[from, to)`: tags dropped, scripts and comments skipped, whitespace
 * collapsed. With `skipLinks`, link texts are left out too (headlines, navigation).
 */
export function textOf(tokens: readonly HtmlToken[], from: number, to: number, skipLinks = false): string {
  let s = '';
  let skip: string | null = null;
  let linkDepth = 0;
  const end = Math.min(to, tokens.length);
  for (let i = from; i < end; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (skip) {
      if (t.type === 'close' && t.name === skip) skip = null;
      continue;
    }
    if (t.type === 'open' && (t.name === 'script' || t.name === 'style')) skip = t.name;
    else if (t.type === 'open' && t.name === 'br') s += ' ';
    else if (skipLinks && t.type === 'open' && t.name === 'a' && !t.selfClosing) linkDepth++;
    else if (skipLinks && t.type === 'close' && t.name === 'a') linkDepth = Math.max(0, linkDepth - 1);
    else if (t.type === 'text' && linkDepth === 0) s += decodeEntities(t.text);
  }
  return s.replace(/[\s\u00a0]+/g, ' ').trim();
}

/** Plain text of an element's content. */
export function elementText(tokens: readonly HtmlToken[], el: HtmlElement): string {
  return textOf(tokens, el.openIndex + 1, el.closeIndex);
}
