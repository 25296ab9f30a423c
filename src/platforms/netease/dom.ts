/**
 * The few DOM operations the NetEase parsers need, over htmlparser2's forgiving parser and
 * css-select: parse once with source offsets, select, read text by blocks, slice inner HTML out of
 * the source exactly as served. Entities are decoded by htmlparser2 (the `entities` package).
 */
import { compile, selectAll, selectOne } from 'css-select';
import type { AnyNode, Document, Element } from 'domhandler';
import { isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { isHiddenElement } from '../hidden';

export type { Document, Element };

/** A parsed page and the source it was parsed from (offsets point into it). */
export interface Page {
  readonly doc: Document;
  readonly html: string;
}

/** Parses HTML leniently: bad markup never throws, unclosed elements run to the end. */
export function parsePage(html: string): Page {
  return { doc: parseDocument(html, { withStartIndices: true, withEndIndices: true }), html };
}

/** A CSS selector compiled once (compiling costs more than matching a whole article page). */
export type Css = ReturnType<typeof compile<Element, Element>>;

/** Compiles a CSS selector; parsers keep their selectors compiled as module constants. */
export function css(selector: string): Css {
  return compile<Element, Element>(selector);
}

/**
 * A fixed set of selectors compiled once, looked up by their text: `q('meta')`. Only the listed
 * selectors type-check, so none is compiled per call.
 */
export function cssSet<S extends string>(selectors: readonly S[]): (selector: S) => Css {
  const compiled = new Map<string, Css>(selectors.map((x) => [x, css(x)]));
  return (selector) => compiled.get(selector) as Css;
}

/** The first element matching a selector under `root`, or null. */
export function one(selector: Css, root: AnyNode | AnyNode[]): Element | null {
  return selectOne(selector, root);
}

/** Every element matching a selector under `root`, in document order. */
export function all(selector: Css, root: AnyNode | AnyNode[]): Element[] {
  return selectAll(selector, root);
}

/** An attribute's value, or null when absent. */
export function attr(el: Element | null | undefined, name: string): string | null {
  const v = el?.attribs[name];
  return v === undefined ? null : v;
}

/** Elements whose content is never visible text. */
const HIDDEN = new Set(['script', 'style', 'noscript', 'template', 'textarea']);

/** Collapses runs of whitespace (including NBSP and the ideographic space) to one space. */
export function squash(s: string): string {
  return s.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

/**
 * Visible text of a node: scripts and styles left out, `<br>` a space, whitespace collapsed. With
 * `skipLinks`, link texts are left out too (headlines, navigation); with `skipHidden`, hidden
 * elements (see {@link isHiddenElement}).
 */
export function textOf(node: AnyNode | null | undefined, skipLinks = false, skipHidden = false): string {
  if (!node) return '';
  let s = '';
  const walk = (n: AnyNode): void => {
    if (isText(n)) s += n.data;
    else if (isTag(n)) {
      if (HIDDEN.has(n.name) || (skipLinks && n.name === 'a') || (skipHidden && isHiddenElement(n))) return;
      if (n.name === 'br') s += ' ';
      for (const c of n.children) walk(c);
    } else if ('children' in n) for (const c of n.children) walk(c);
  };
  walk(node);
  return squash(s);
}

/**
 * Visible text of a node as in {@link textOf}, one line per block element (a heading, a paragraph,
 * a div), so a notice's sentence never runs into the logo or heading before it. With `skipHidden`,
 * hidden elements (see {@link isHiddenElement}) are left out too: words a page hides are not what
 * it says.
 */
export function linesOf(node: AnyNode | null | undefined, skipLinks = false, skipHidden = false): string {
  if (!node) return '';
  const lines: string[] = [];
  let buf = '';
  const flush = (): void => {
    const t = squash(buf);
    if (t) lines.push(t);
    buf = '';
  };
  const walk = (n: AnyNode): void => {
    if (isText(n)) buf += n.data;
    else if (isTag(n)) {
      if (HIDDEN.has(n.name) || (skipLinks && n.name === 'a') || (skipHidden && isHiddenElement(n))) return;
      if (n.name === 'br') buf += ' ';
      const block = BLOCK.has(n.name);
      if (block) flush();
      for (const c of n.children) walk(c);
      if (block) flush();
    } else if ('children' in n) for (const c of n.children) walk(c);
  };
  walk(node);
  flush();
  return lines.join('\n');
}

/** The source of an element's content, exactly as served (null when the element has no offsets). */
export function innerSource(page: Page, el: Element): string | null {
  const first = el.children[0];
  const last = el.children[el.children.length - 1];
  if (!first || !last) return '';
  if (first.startIndex == null || last.endIndex == null) return null;
  return page.html.slice(first.startIndex, last.endIndex + 1).trim();
}

/** Elements that end a text block. */
const BLOCK = new Set([
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'li',
  'ul',
  'ol',
  'blockquote',
  'section',
  'article',
  'table',
  'tr',
  'td',
  'th',
  'figure',
  'figcaption',
  'pre',
  'center',
  'header',
  'footer',
  'dl',
  'dt',
  'dd',
  'br',
  'hr',
]);

/** Where a picture or video of a body points: `src` or the lazy-loading attributes NetEase uses. */
function mediaSrc(el: Element): string | null {
  // A lazy-loaded picture's src is a data: placeholder; the real address is in data-src.
  for (const name of ['src', 'data-src', '_src', 'data-original']) {
    const v = (el.attribs[name] ?? '').trim();
    if (v && !v.startsWith('data:') && !v.startsWith('blob:')) return absoluteUrl(v);
  }
  return null;
}

/** A protocol-relative URL made https. */
export function absoluteUrl(u: string): string {
  const s = u.trim();
  return s.startsWith('//') ? `https:${s}` : s;
}

/** Text blocks and media of a body, in document order. */
export interface Blocks {
  readonly paragraphs: string[];
  readonly media: string[];
}

/**
 * Splits an element's content into text blocks and media, in document order, skipping every node
 * in `skip` (page furniture found by the caller's selectors) and hidden elements.
 */
export function blocksOf(el: Element, skip: ReadonlySet<AnyNode>): Blocks {
  const paragraphs: string[] = [];
  const media: string[] = [];
  let buf = '';
  const flush = (): void => {
    const t = squash(buf);
    if (t) paragraphs.push(t);
    buf = '';
  };
  const walk = (n: AnyNode): void => {
    if (skip.has(n)) return;
    if (isText(n)) {
      buf += n.data;
      return;
    }
    if (!isTag(n)) return;
    if (HIDDEN.has(n.name)) return;
    if (n.name === 'img' || n.name === 'video' || n.name === 'source' || n.name === 'embed') {
      const src = mediaSrc(n);
      if (src && !media.includes(src)) media.push(src);
    }
    const block = BLOCK.has(n.name);
    if (block) flush();
    for (const c of n.children) walk(c);
    if (block) flush();
  };
  for (const c of el.children) walk(c);
  flush();
  return { paragraphs, media };
}
