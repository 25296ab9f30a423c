import type { AnyNode } from 'domhandler';
import { isTag, isText } from 'domhandler';
import { parseDocument } from 'htmlparser2';
import { isHiddenElement } from '../hidden';

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
