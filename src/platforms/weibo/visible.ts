import type { AnyNode, Element } from 'domhandler';
import { isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';

/** Elements whose content a browser never shows as text. */
const NEVER_SHOWN: ReadonlySet<string> = new Set([
  'script',
  'style',
  'template',
  'noscript',
  'textarea',
  'title',
  'head',
]);

/** Class names that hide an element in the usual style sheets. */
const HIDING_CLASS = /(?:^|\s)(?:hidden|hide|d-none|is-hidden|display-none)(?:\s|$)/i;

/**
 * True for an element the page hides (the `hidden` attribute, an inline `display:none` or
 * `visibility:hidden`, a hiding class): a script-rendered page ships its error box hidden, to show
 * it only when its data says so, so words inside one are no statement of the page.
 */
export function isHiddenElement(el: Element): boolean {
  const a = el.attribs;
  if (a['hidden'] !== undefined) return true;
  const style = a['style'];
  if (style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) return true;
  const cls = a['class'];
  return cls !== undefined && HIDING_CLASS.test(cls);
}

/**
 * The text a browser shows of a page: entities decoded, and nothing of scripts, styles, templates,
 * the head or hidden elements. Parsed with htmlparser2, so only for the few pages that state a
 * final cause.
 */
export function shownText(html: string): string {
  let s = '';
  const walk = (n: AnyNode): void => {
    if (isText(n)) s += n.data;
    else if (isTag(n)) {
      if (NEVER_SHOWN.has(n.name) || isHiddenElement(n)) return;
      s += ' ';
      for (const c of n.children) walk(c);
      s += ' ';
    } else if ('children' in n) for (const c of n.children) walk(c);
  };
  walk(parseDocument(html));
  return s.replace(/\s+/g, ' ').trim();
}
