import type { Element } from 'domhandler';

/** Class names that hide an element in the usual style sheets (whole class tokens only). */
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
