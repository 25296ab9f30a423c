/**
 * Decoding NetEase response bodies. Current article pages are UTF-8, but older subdomain pages,
 * `/special/` pages and the dy.163.com/v2 template are GBK or GB2312, often declared only in a
 * `<meta>` tag (research/netease.md §2, Encoding), so bytes are decoded by what they declare.
 */
import iconv from 'iconv-lite';
import { holdsUtf8Text, readsAsUtf8 } from '../utf8';

/** The charset named in a Content-Type header value, lower case, or null. */
export function charsetFromContentType(contentType: string | undefined): string | null {
  const m = contentType ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType) : null;
  return m?.[1] ? m[1].toLowerCase() : null;
}

const META_RE = /<meta\b((?:"[^"]*"|'[^']*'|[^'">])*)>/gi;
const ATTR_RE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

/**
 * The charset of a `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">`
 * in the first 4 KB, or null.
 */
export function metaCharset(body: Buffer): string | null {
  // Latin-1 maps bytes 1:1, so ASCII markup is readable whatever the real encoding is.
  const head = body.subarray(0, 4096).toString('latin1');
  for (const m of head.matchAll(META_RE)) {
    const attrs = new Map<string, string>();
    for (const a of (m[1] ?? '').matchAll(ATTR_RE)) {
      const name = (a[1] ?? '').toLowerCase();
      if (!attrs.has(name)) attrs.set(name, (a[2] ?? a[3] ?? a[4] ?? '').trim());
    }
    const direct = attrs.get('charset');
    if (direct) return direct.toLowerCase();
    if (attrs.get('http-equiv')?.toLowerCase() === 'content-type') {
      const cs = charsetFromContentType(attrs.get('content'));
      if (cs) return cs;
    }
  }
  return null;
}

/** The charset a byte-order mark names, or null. */
function bomCharset(body: Buffer): string | null {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  return null;
}

/** The iconv-lite name for a declared charset; unknown names fall back to UTF-8. */
function iconvName(charset: string): string {
  const c = charset.toLowerCase();
  // GBK and GB2312 pages routinely contain GB18030-only characters; the superset decodes them all.
  if (
    c === 'gbk' ||
    c === 'gb2312' ||
    c === 'x-gbk' ||
    c === 'gb_2312-80' ||
    c === 'cp936' ||
    c === 'gb18030'
  )
    return 'gb18030';
  return iconv.encodingExists(c) ? c : 'utf-8';
}

/**
 * The charset of bytes that declare none: UTF-8 when they read as UTF-8, else GB18030, the
 * superset of the GBK and GB2312 older 163 pages are in.
 */
function undeclaredCharset(body: Buffer): string {
  return readsAsUtf8(body) ? 'utf-8' : 'gb18030';
}

/**
 * A declared charset the bytes contradict, replaced: any other declaration on UTF-8 text (a
 * template moved to UTF-8 keeps its old GBK header; a stray `<meta charset=utf-16>`), or a UTF-8
 * one on bytes that are not UTF-8. Read as declared, either would make an article's text mojibake;
 * non-ASCII text in another charset is practically never valid UTF-8.
 */
function believable(name: string, body: Buffer): string {
  if (name !== 'utf-8' && holdsUtf8Text(body)) return 'utf-8';
  if (name === 'utf-8' && !readsAsUtf8(body)) return 'gb18030';
  return name;
}

/**
 * Decodes a response body: a byte-order mark first (as browsers do), then the Content-Type
 * header's charset, then `<meta charset>` or `<meta http-equiv=Content-Type>`, unless the bytes
 * contradict the declaration (UTF-8 text declared GBK, or the reverse); with no declaration, UTF-8
 * unless the bytes are not UTF-8, then GB18030.
 */
export function decodeBody(
  body: Buffer,
  contentType?: string,
): { readonly text: string; readonly charset: string } {
  const bom = bomCharset(body);
  const declared = charsetFromContentType(contentType) ?? metaCharset(body);
  const name =
    bom ?? (declared !== null ? believable(iconvName(declared), body) : iconvName(undeclaredCharset(body)));
  // iconv-lite strips a BOM by default, so a BOM never reaches the parsers as text.
  return { text: iconv.decode(body, name), charset: name };
}
