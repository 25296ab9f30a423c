/**
 * Telling UTF-8 bytes from GBK ones, for bodies whose declaration is missing or wrong: both
 * platforms serve Chinese text in one or the other, and a declaration the bytes contradict is a lie.
 */
import { isUtf8 } from 'node:buffer';

/** Share of the non-ASCII characters that may fail to decode before UTF-8 is ruled out. */
const MAX_BAD_SHARE = 0.1;

/**
 * True when the bytes read as UTF-8: they are UTF-8 (a body cut inside its last character still
 * is), or only a stray few of their non-ASCII sequences are broken. GBK text read as UTF-8 breaks
 * at nearly every character, so a page with one bad byte is not mistaken for GBK.
 */
export function readsAsUtf8(body: Buffer): boolean {
  if (isUtf8(body) || isUtf8(body.subarray(0, Math.max(0, body.length - 3)))) return true;
  const text = body.toString('utf8');
  let bad = 0;
  let wide = 0;
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) continue;
    wide++;
    if (ch === '\uFFFD') bad++;
  }
  return bad <= wide * MAX_BAD_SHARE;
}

/** True when the bytes hold UTF-8 multi-byte text (not plain ASCII, which any charset reads alike). */
export function holdsUtf8Text(body: Buffer): boolean {
  return (
    body.some((b) => b >= 0x80) && (isUtf8(body) || isUtf8(body.subarray(0, Math.max(0, body.length - 3))))
  );
}
