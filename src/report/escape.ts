/**
 * Escaping for reports: everything that came from a platform or a config passes through here.
 *
 * Post text is written by anyone, and a reader of a report must see what was there: a zero-width
 * space inside a keyword, a right-to-left override that turns a sentence around, a NUL. Those are
 * shown as `⟨U+XXXX⟩` in the md, html and claim text forms. Exports keep the text exact: it is
 * evidence, and the analysis decides what to do with it.
 */

/**
 * Characters a reader would not see, or that change how the text around them is shown: controls
 * (Cc), format characters (Cf: zero-width, bidi embeddings, overrides and isolates, the BOM), line
 * and paragraph separators, lone surrogates (Cs, matched alone under the `u` flag) and the Hangul
 * fillers that render blank.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\u115f\u1160\u3164\uffa0]/gu;

/** Said once in a report that shows a character by its code point. */
export const CODE_POINT_NOTE =
  '⟨U+XXXX⟩ stands for an invisible or control character in the text as the platform served it (zero-width, direction override, line separator, control); exports keep the character itself.';

/** `⟨U+200B⟩` for one code unit or code point. */
export function codePointLabel(c: string): string {
  return `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/**
 * Shows invisible and control characters as `⟨U+XXXX⟩`. `keep` lists the ones left as they are
 * (tab, LF and CR by default: text with lines stays in lines where the form can show them).
 */
export function showInvisible(s: string, keep: string = '\t\n\r'): string {
  return s.replace(INVISIBLE, (c) => (keep.includes(c) ? c : codePointLabel(c)));
}

/** Lone surrogates as U+FFFD, nothing else changed: what UTF-8 output would write for them anyway. */
export function wellFormed(s: string): string {
  return s.replace(/\p{Cs}/gu, '\ufffd');
}

/** JSON.stringify whose output is valid UTF-8 once encoded: lone surrogates become U+FFFD. */
export function wellFormedJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' ? wellFormed(v) : v), space);
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * Escapes text for HTML element content with invisible characters shown, each marked
 * `<span class="cp">` so the page can set it apart from the text it sits in.
 */
export function escapeHtmlVisible(s: string): string {
  return escapeHtml(s).replace(INVISIBLE, (c) =>
    '\t\n\r'.includes(c) ? c : `<span class="cp">${codePointLabel(c)}</span>`,
  );
}
