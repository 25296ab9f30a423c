import iconv from 'iconv-lite';
import type { Content, Observation, Outcome } from '../../domain/glossary';
import type { HttpResponse } from '../../http/types';
import { evidenceOf } from '../evidence';
import type { ListingOutcome, ListingResult } from '../platform';
import { decodeEntities, elementAt, elementText, findAll, findElement, textOf, tokenize } from './html';
import type { HtmlElement, HtmlToken } from './html';
import { docidFromUrl, isDocid, neteaseArticleUrl } from './urls';

// ───────────────────────────── decoding ─────────────────────────────

/** The charset named in a Content-Type header value, lower case, or null. */
export function charsetFromContentType(contentType: string | undefined): string | null {
  const m = contentType ? /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType) : null;
  return m?.[1] ? m[1].toLowerCase() : null;
}

/** The charset of a `<meta charset>` or `<meta http-equiv=Content-Type>` in the first 4 KB, or null. */
export function metaCharset(body: Buffer): string | null {
  // Latin-1 maps bytes 1:1, so ASCII markup is readable whatever the real encoding is.
  const head = body.subarray(0, 4096).toString('latin1');
  const m = /<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  return m?.[1] ? m[1].toLowerCase() : null;
}

function iconvName(charset: string): string {
  const c = charset.toLowerCase();
  // GBK and GB2312 pages routinely contain GB18030-only characters; the superset decodes them all.
  if (c === 'gbk' || c === 'gb2312' || c === 'x-gbk' || c === 'gb_2312-80' || c === 'cp936') return 'gb18030';
  return iconv.encodingExists(c) ? c : 'utf-8';
}

/**
 * Decodes a response body by its declared charset: the Content-Type header first, then a UTF-8
 * BOM, then `<meta charset>`, else UTF-8. Never assumes UTF-8 for a page that declares otherwise
 * (old subdomain and `/special/` pages are GBK).
 */
export function decodeBody(
  body: Buffer,
  contentType?: string,
): { readonly text: string; readonly charset: string } {
  let charset = charsetFromContentType(contentType);
  if (!charset && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) charset = 'utf-8';
  charset ??= metaCharset(body) ?? 'utf-8';
  const name = iconvName(charset);
  return { text: iconv.decode(body, name), charset: name };
}

// ───────────────────────────── time ─────────────────────────────

/**
 * `YYYY-MM-DD HH:MM[:SS]` in Beijing time (how NetEase writes times) or an ISO string with an
 * offset, to ISO 8601 UTC; null when unreadable.
 */
export function beijingTimeToIso(s: string | null | undefined): string | null {
  if (!s) return null;
  const t = s.trim();
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m) {
    const [y, mo, d, h, mi, se] = m.slice(1).map((x) => Number(x ?? 0)) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const ms = Date.UTC(y, mo - 1, d, h - 8, mi, se);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const ms = Date.parse(t);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
  }
  return null;
}

// ───────────────────────────── article extraction ─────────────────────────────

/** Everything read from an article page, before any outcome decision. */
export interface NeteaseArticle {
  /** `h1.post_title` (or the legacy template's heading), null when absent. */
  readonly title: string | null;
  /** ISO UTC, from `html[data-publishtime]`, else `div.post_info`, else `article:published_time`. */
  readonly publishedAt: string | null;
  /** The 来源 named in `div.post_info` (or `本文来源` in `div.post_author`). */
  readonly source: string | null;
  readonly sourceUrl: string | null;
  /** IP属地 shown after the location icon in `div.post_info`. */
  readonly region: string | null;
  /** Inner HTML of `div.post_body` (legacy `#endText`), null when the page has no body block. */
  readonly bodyHtml: string | null;
  /** Text blocks of the body in order, empty ones dropped. */
  readonly paragraphs: readonly string[];
  /** Image and video URLs of the body in order. */
  readonly media: readonly string[];
  /** 责任编辑 from `div.post_author`, e.g. `雷晓_NB26578`. */
  readonly editor: string | null;
  /** `productKey` and `docId` of the inline comment config. */
  readonly productKey: string | null;
  readonly docId: string | null;
  /** 网易号 fields (dy articles): `data-wemediaid`, the account name and the `T…` id of its home link. */
  readonly wemediaId: string | null;
  readonly wemediaName: string | null;
  readonly wemediaTid: string | null;
  /** `html[data-category]`. */
  readonly category: string | null;
  readonly canonicalUrl: string | null;
  /** `<meta name="robots" content="noindex">`, whose meaning on NetEase is unknown but worth keeping. */
  readonly noindex: boolean;
}

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
]);
// Blocks that are page furniture, never article text (GNE issue #108's list for 163).
const NOISE_CLASSES = ['N-nav-bottom', 'post_recommends', 'tie-areas', 'post_comment'];

function absoluteUrl(u: string): string {
  const s = u.trim();
  return s.startsWith('//') ? `https:${s}` : s;
}

function mediaSrc(attrs: Readonly<Record<string, string>>): string | null {
  const v = attrs['src'] || attrs['data-src'] || attrs['_src'] || attrs['data-original'];
  return v && !v.startsWith('data:') ? absoluteUrl(v) : null;
}

/** Splits an element's content into text blocks and media, in document order. */
function bodyBlocks(
  tokens: readonly HtmlToken[],
  el: HtmlElement,
): { paragraphs: string[]; media: string[] } {
  const paragraphs: string[] = [];
  const media: string[] = [];
  let buf = '';
  const flush = (): void => {
    const t = buf.replace(/[\s\u00a0]+/g, ' ').trim();
    if (t) paragraphs.push(t);
    buf = '';
  };
  let skipName: string | null = null;
  let skipDepth = 0;
  for (let i = el.openIndex + 1; i < el.closeIndex; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (skipName) {
      if (t.type === 'open' && t.name === skipName && !t.selfClosing) skipDepth++;
      else if (t.type === 'close' && t.name === skipName && --skipDepth === 0) skipName = null;
      continue;
    }
    if (t.type === 'open') {
      const cls = (t.attrs['class'] ?? '').split(/\s+/);
      if (t.name === 'script' || t.name === 'style' || NOISE_CLASSES.some((c) => cls.includes(c))) {
        if (!t.selfClosing) {
          skipName = t.name;
          skipDepth = 1;
        }
        continue;
      }
      if (t.name === 'img' || t.name === 'video' || t.name === 'source') {
        const src = mediaSrc(t.attrs);
        if (src) media.push(src);
      }
      if (BLOCK.has(t.name) || t.name === 'br') flush();
    } else if (t.type === 'close') {
      if (BLOCK.has(t.name)) flush();
    } else if (t.type === 'text') {
      buf += decodeEntities(t.text);
    }
  }
  flush();
  return { paragraphs, media };
}

function firstMatch(re: RegExp, s: string): string | null {
  const m = re.exec(s);
  return m?.[1] ? m[1].trim() : null;
}

/** Time, 来源 and IP属地 from `div.post_info`. */
function readPostInfo(
  tokens: readonly HtmlToken[],
  el: HtmlElement,
): { time: string | null; source: string | null; sourceUrl: string | null; region: string | null } {
  const text = elementText(tokens, el);
  const time = firstMatch(/(\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2})?)/, text);
  let source: string | null = null;
  let sourceUrl: string | null = null;
  let region: string | null = null;
  for (let i = el.openIndex + 1; i < el.closeIndex; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.type === 'text' && source == null && /来源\s*[:：]/.test(t.text)) {
      const rest =
        t.text
          .split(/来源\s*[:：]/)[1]
          ?.replace(/[\s\u3000]+/g, ' ')
          .trim() ?? '';
      if (rest) {
        source = rest.split(' ')[0] ?? null;
      } else {
        // The name sits in the next link: 来源: <a href=…>NAME</a>
        for (let j = i + 1; j < el.closeIndex && j <= i + 3; j++) {
          const a = tokens[j];
          if (a?.type === 'open' && a.name === 'a') {
            const link = elementAt(tokens, j, '');
            source = link ? elementText(tokens, link) || null : null;
            sourceUrl = a.attrs['href'] ?? null;
            break;
          }
        }
      }
    }
    if (t.type === 'open' && t.name === 'img' && /iplocation/i.test(t.attrs['src'] ?? '') && region == null) {
      for (let j = i + 1; j < el.closeIndex; j++) {
        const n = tokens[j];
        if (n?.type === 'text' && n.text.trim()) {
          region = n.text.trim().split(/\s+/)[0] ?? null;
          break;
        }
        if (n?.type === 'open' && n.name !== 'span') break;
      }
    }
  }
  region ??= firstMatch(/IP属地\s*[:：]\s*(\S+)/, text);
  return { time, source, sourceUrl, region };
}

function metaContent(tokens: readonly HtmlToken[], key: string): string | null {
  for (const t of tokens) {
    if (t.type === 'open' && t.name === 'meta' && (t.attrs['property'] === key || t.attrs['name'] === key)) {
      return t.attrs['content'] ?? null;
    }
  }
  return null;
}

/** Reads every field of an article page; pure, and tolerant of missing parts. */
export function extractArticle(html: string): NeteaseArticle {
  const tokens = tokenize(html);
  const find = (sel: Parameters<typeof findElement>[2]): HtmlElement | null => findElement(tokens, html, sel);
  const htmlTag = tokens.find((t) => t.type === 'open' && t.name === 'html');
  const htmlAttrs = htmlTag?.type === 'open' ? htmlTag.attrs : {};

  let titleEl = find({ tag: 'h1', cls: 'post_title' });
  if (!titleEl) {
    // Legacy (pre-2020) templates: #epContentLeft h1, div.post_content_main h1
    const box = find({ id: 'epContentLeft' }) ?? find({ cls: 'post_content_main' });
    titleEl = box ? findElement(tokens, html, { tag: 'h1' }, box.openIndex, box.closeIndex) : null;
  }
  const title = titleEl ? elementText(tokens, titleEl) || null : null;

  const bodyEl = find({ tag: 'div', cls: 'post_body' }) ?? find({ id: 'endText' });
  const { paragraphs, media } = bodyEl ? bodyBlocks(tokens, bodyEl) : { paragraphs: [], media: [] };
  const bodyHtml = bodyEl ? html.slice(bodyEl.innerStart, bodyEl.innerEnd).trim() : null;

  const infoEl = find({ tag: 'div', cls: 'post_info' }) ?? find({ cls: 'post_time_source' });
  const info = infoEl
    ? readPostInfo(tokens, infoEl)
    : { time: null, source: null, sourceUrl: null, region: null };

  const authorEl = find({ tag: 'div', cls: 'post_author' });
  const authorText = authorEl ? elementText(tokens, authorEl) : '';
  const editor = firstMatch(/责任编辑\s*[:：]\s*(\S+)/, authorText);
  const source = info.source ?? firstMatch(/本文来源\s*[:：]\s*(\S+)/, authorText);

  const publishedAt =
    beijingTimeToIso(htmlAttrs['data-publishtime']) ??
    beijingTimeToIso(info.time) ??
    beijingTimeToIso(metaContent(tokens, 'article:published_time'));

  const wemediaBox = find({ cls: 'post_wemedia_name' });
  const wemediaLink = wemediaBox
    ? findElement(tokens, html, { tag: 'a' }, wemediaBox.openIndex, wemediaBox.closeIndex)
    : null;
  const wemediaName = wemediaLink ? elementText(tokens, wemediaLink) || null : null;
  const wemediaTid = firstMatch(/\/(?:dy\/media|news\/sub)\/(T\d+)/, wemediaLink?.attrs['href'] ?? '');
  const contain = find({ attr: 'data-wemediaid' });
  const wemediaId = contain?.attrs['data-wemediaid']?.trim() || null;

  const canonical = tokens.find(
    (t) => t.type === 'open' && t.name === 'link' && t.attrs['rel'] === 'canonical',
  );
  const robots = metaContent(tokens, 'robots');

  return {
    title,
    publishedAt,
    source,
    sourceUrl: info.sourceUrl,
    region: info.region,
    bodyHtml,
    paragraphs,
    media,
    editor,
    productKey: firstMatch(/["']?productKey["']?\s*:\s*["']([0-9A-Za-z]+)["']/, html),
    docId: firstMatch(/["']?docId["']?\s*:\s*["']([A-Za-z0-9]{16})["']/, html),
    wemediaId,
    wemediaName,
    wemediaTid,
    category: htmlAttrs['data-category'] || null,
    canonicalUrl: canonical?.type === 'open' ? (canonical.attrs['href'] ?? null) : null,
    noindex: robots != null && /noindex/i.test(robots),
  };
}

// ───────────────────────────── outcome rules ─────────────────────────────

/** Content of an alive NetEase article: the common {@link Content} plus what only NetEase shows. */
export interface NeteaseArticleContent extends Content {
  readonly source: string | null;
  readonly sourceUrl: string | null;
  readonly editor: string | null;
  readonly productKey: string | null;
  readonly docId: string | null;
  readonly wemediaId: string | null;
  readonly category: string | null;
  readonly noindex: boolean;
}

/** The CDN's answer to odd clients: request rejected or misrouted, never a removal (research §4.1). */
const ERROR_ISP = /\/special\/0077jt\/error_isp\.html/i;

/** Where a response leads: the followed final URL, or an unfollowed redirect's Location. */
function destination(res: HttpResponse): string {
  const loc = res.headers['location'];
  if (res.status >= 300 && res.status < 400 && loc) {
    try {
      return new URL(loc, res.finalUrl).toString();
    } catch {
      return loc;
    }
  }
  return res.finalUrl;
}

function hops(res: HttpResponse): string[] {
  return [...res.redirects, res.finalUrl, res.headers['location'] ?? ''];
}

/**
 * A 163.com home or channel page (`www.163.com/`, `news.163.com/`, `www.163.com/news/`,
 * `…/index.html`) or a `/404` page: where retired or removed pages are sent (research §4.2, §4.4).
 */
export function isHomeOrChannelUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const host = u.hostname.toLowerCase();
  if (host !== '163.com' && !host.endsWith('.163.com')) return false;
  const p = u.pathname;
  return /^\/(?:[\w-]+\/?)?(?:index\.html?)?$/i.test(p) || /^\/(?:[\w-]+\/)?404(?:\.html?)?\/?$/i.test(p);
}

/** Status codes that signal blocking or throttling rather than anything about the article. */
function statusOutcome(status: number): { outcome: Exclude<Outcome, 'alive'>; message: string } | null {
  if (status >= 500) return { outcome: 'server_error', message: `HTTP ${status}` };
  if (status === 404 || status === 410) return { outcome: 'gone_unspecified', message: `HTTP ${status}` };
  if (status === 429 || status === 418 || status === 432 || status === 403) {
    return { outcome: 'rate_limited', message: `HTTP ${status}` };
  }
  return null;
}

/** Wording that states why a page has no article, checked in order (first match wins). */
const PAGE_WORDING: readonly { readonly re: RegExp; readonly outcome: Exclude<Outcome, 'alive'> }[] = [
  { re: /验证码|安全验证|人机验证|滑块验证|captcha|geetest/i, outcome: 'captcha' },
  { re: /访问(?:过于)?频繁|请求(?:过于)?频繁|too many requests/i, outcome: 'rate_limited' },
  { re: /作者(?:本人)?(?:已|已经)?(?:自行)?删除|已被作者删除/, outcome: 'deleted_by_author' },
  { re: /违反|违规|相关法律法规|相关规定|不良信息|被举报|已被屏蔽/, outcome: 'removed_by_platform' },
  { re: /仅.{0,12}可见|作者设置/, outcome: 'restricted' },
  {
    re: /(?:文章|内容|页面|新闻)(?:已被?删除|不存在)|已被删除|404 Not Found|页面没有找到|找不到(?:该|此|您)|审核中/i,
    outcome: 'gone_unspecified',
  },
];

/** Above this much plain (non-link) text a page is a full page, not a notice, and its wording proves nothing. */
const NOTICE_MAX_CHARS = 1500;

function wordingOutcome(visibleText: string): { outcome: Exclude<Outcome, 'alive'>; message: string } | null {
  if (visibleText.length > NOTICE_MAX_CHARS) return null;
  for (const w of PAGE_WORDING) {
    const m = w.re.exec(visibleText);
    if (m) {
      const at = Math.max(0, m.index - 30);
      return { outcome: w.outcome, message: visibleText.slice(at, m.index + m[0].length + 30).trim() };
    }
  }
  return null;
}

/**
 * Turns an article page response into an observation of `docid`. Pure: never fetches.
 *
 * - 200 with `h1.post_title` and `div.post_body` → `alive` with the extracted content
 * - 404/410, a redirect to a home or channel page, or a 200 with neither title nor body (soft 404) →
 *   `gone_unspecified`, unless a short page states a cause (author deletion, rule violation, …)
 * - the CDN's `error_isp.html` redirect and 5xx → `server_error`; 403/418/429/432 → `rate_limited`
 * - a redirect elsewhere, a partial template or anything else odd → `unparseable`
 */
export function parseArticle(res: HttpResponse, at: number, docid: string): Observation {
  // The channel the article was fetched at (/dy/, /world/, …) is part of its address; keep it.
  const fetched = res.url.replace(/^http:/i, 'https:').split(/[?#]/)[0] ?? '';
  const url =
    /^https:\/\/www\.163\.com\/[a-z0-9]+\/article\//i.test(fetched) && docidFromUrl(fetched) === docid
      ? fetched
      : neteaseArticleUrl(docid);
  const base = {
    target: { platform: 'netease', kind: 'post', id: docid },
    at,
    endpoint: 'netease.article',
    url,
    evidence: evidenceOf(res),
  } as const;
  const obs = (outcome: Outcome, message?: string): Observation => ({
    ...base,
    outcome,
    ...(message ? { message } : {}),
  });

  if (hops(res).some((u) => ERROR_ISP.test(u))) {
    return obs('server_error', 'CDN error_isp redirect: request rejected or misrouted, not a removal');
  }
  const byStatus = statusOutcome(res.status);
  if (byStatus) return obs(byStatus.outcome, byStatus.message);

  const dest = destination(res);
  const isRedirectStatus = res.status >= 300 && res.status < 400;
  if (isRedirectStatus || res.redirects.length > 0 || dest !== res.url) {
    const destDocid = docidFromUrl(dest);
    if (destDocid == null) {
      if (isHomeOrChannelUrl(dest)) return obs('gone_unspecified', `redirected to ${dest}`);
      return obs('unparseable', `redirected to ${dest}`);
    }
    if (destDocid !== docid) return obs('unparseable', `redirected to another article: ${dest}`);
    // Same article at another URL (http→https, another channel path): read what was served.
    if (isRedirectStatus) return obs('unparseable', `redirect to ${dest} not followed`);
  }
  if (res.status !== 200) return obs('unparseable', `HTTP ${res.status}`);
  if (res.body.length === 0) return obs('unparseable', 'empty body');

  const { text: html } = decodeBody(res.body, res.headers['content-type']);
  const a = extractArticle(html);
  if (a.title && a.bodyHtml != null) {
    const content: NeteaseArticleContent = {
      title: a.title,
      html: a.bodyHtml,
      text: a.paragraphs.join('\n'),
      author: { id: a.wemediaId ?? a.wemediaTid, name: a.wemediaName ?? a.source },
      createdAt: a.publishedAt,
      // The comment count is filled in by script (js-tiejoincount), so static HTML has no counts.
      counts: { reposts: null, comments: null, likes: null },
      media: a.media,
      repostOf: null,
      editCount: null,
      region: a.region,
      source: a.source,
      sourceUrl: a.sourceUrl,
      editor: a.editor,
      productKey: a.productKey,
      docId: a.docId,
      wemediaId: a.wemediaId,
      category: a.category,
      noindex: a.noindex,
    };
    return { ...base, outcome: 'alive', content };
  }

  const allTokens = tokenize(html);
  // Link texts are headlines and navigation; a notice about this article is plain text.
  const visible = textOf(allTokens, 0, allTokens.length, true);
  const stated = wordingOutcome(visible);
  if (stated) return obs(stated.outcome, stated.message);
  if (!a.title && a.bodyHtml == null) {
    if (!/<html|<body|<div/i.test(html)) return obs('unparseable', 'not an HTML page');
    return obs('gone_unspecified', 'soft 404: HTTP 200 without h1.post_title and div.post_body');
  }
  return obs(
    'unparseable',
    a.title ? 'article title without div.post_body' : 'div.post_body without a title',
  );
}

// ───────────────────────────── JSON endpoints ─────────────────────────────

/** A parsed JSON answer, or the outcome that explains why there is none. */
export type NeteaseParsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly outcome: Exclude<Outcome, 'alive'>; readonly message: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(?:\.\d+)?$/.test(v.trim())) return Number(v);
  return null;
}

function bool(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === '1' || v === 'true') return true;
  if (v === 0 || v === '0' || v === 'false') return false;
  return null;
}

/** Strips a JSONP wrapper such as `getData(…);` so JSONP and plain JSON parse alike. */
export function unwrapJsonp(text: string): string {
  const m = /^\s*[\w$.]+\s*\(([\s\S]*)\)\s*;?\s*$/.exec(text);
  return m?.[1] ?? text;
}

/** Status, CDN and JSON checks shared by the JSON endpoints. */
export function parseJsonResponse(res: HttpResponse): NeteaseParsed<unknown> {
  if (hops(res).some((u) => ERROR_ISP.test(u))) {
    return { ok: false, outcome: 'server_error', message: 'CDN error_isp redirect' };
  }
  const byStatus = statusOutcome(res.status);
  if (byStatus) return { ok: false, ...byStatus };
  if (res.status < 200 || res.status >= 300)
    return { ok: false, outcome: 'unparseable', message: `HTTP ${res.status}` };
  const { text } = decodeBody(res.body, res.headers['content-type']);
  let json: unknown;
  try {
    json = JSON.parse(unwrapJsonp(text));
  } catch {
    return { ok: false, outcome: 'unparseable', message: 'response is not JSON' };
  }
  return { ok: true, value: json };
}

/** A NetEase `{code, message}` error object (e.g. 42212 "Illegal pagination parameters"), as a message. */
function apiError(json: Record<string, unknown>, expectedKey: string): string | null {
  if (expectedKey in json) return null;
  const code = str(json['code']);
  const msg = str(json['message']) ?? str(json['msg']);
  return code != null || msg != null ? `NetEase error ${code ?? '?'}: ${msg ?? ''}`.trim() : null;
}

/** A commenter as kept: the public nickname and location, never the `user.id` (base64 account name or e-mail). */
export interface NeteaseCommenter {
  /** Null for anonymous comments. */
  readonly nickname: string | null;
  /** Province/city at posting time, e.g. `浙江省台州市`. */
  readonly location: string | null;
  /** The numeric account number as a string; null when 0 (anonymous). */
  readonly userId: string | null;
  readonly avatar: string | null;
}

/** One comment (跟贴). */
export interface NeteaseComment {
  readonly commentId: string;
  /** `<DOCID>_<commentId>`. */
  readonly postId: string | null;
  /** Plain text with `[表情]` codes. */
  readonly content: string;
  /** ISO UTC from the Beijing-time `createTime`. */
  readonly createdAt: string | null;
  /** 顶 and 踩. */
  readonly vote: number | null;
  readonly against: number | null;
  /** Depth in a reply chain, 1 = root. */
  readonly buildLevel: number | null;
  readonly anonymous: boolean;
  readonly isDel: boolean;
  /** `ph` phone or `wb` web. */
  readonly source: string | null;
  /** IP as NetEase publishes it, already masked (`a.b.*.*`). */
  readonly ip: string | null;
  readonly deviceName: string | null;
  readonly user: NeteaseCommenter;
}

/** One page of newList or hotList (web or app form). */
export interface NeteaseCommentList {
  /** Display order: each entry a reply chain (楼), root id first, then the replies. */
  readonly chains: readonly (readonly string[])[];
  /** Comments in order of first appearance in `chains`, then any not referenced. */
  readonly comments: readonly NeteaseComment[];
  /** newList only: the list's total size, which keeps moving while comments arrive. */
  readonly newListSize: number | null;
  /** App endpoints only, e.g. `{audioLock, againstLock, isTagOff, hideAd, url}`. */
  readonly threadInfo: Readonly<Record<string, string | number | boolean | null>> | null;
}

/** A comment thread's info object (counts and status flags). */
export interface NeteaseThreadInfo {
  readonly docId: string | null;
  readonly url: string | null;
  readonly title: string | null;
  /** e.g. `news2_bbs`, `dy_wemedia_bbs`, `video_bbs`. */
  readonly boardId: string | null;
  readonly channelId: string | null;
  readonly createdAt: string | null;
  readonly modifiedAt: string | null;
  readonly isAudit: boolean | null;
  readonly needCheck: boolean | null;
  readonly vote: number | null;
  readonly against: number | null;
  /** 跟贴数. */
  readonly tcount: number | null;
  readonly rcount: number | null;
  readonly cmtVote: number | null;
  readonly cmtAgainst: number | null;
  /** 参与数 as crawlers compute it: rcount + cmtVote + cmtAgainst. */
  readonly participation: number | null;
  /** `{app, web, audio, against, joincount, label}`, each `on` or `off`. */
  readonly status: Readonly<Record<string, string>>;
  /** False when `status.web` or `status.app` is `off` (comments closed), null when status is absent. */
  readonly commentsOpen: boolean | null;
}

function parseCommenter(v: unknown): NeteaseCommenter {
  // Field by field on purpose: `user.id` (base64 of the account name or e-mail) is never copied.
  const u = isRecord(v) ? v : {};
  const userId = str(u['userId']);
  return {
    nickname: str(u['nickname']),
    location: str(u['location']),
    userId: userId == null || userId === '0' ? null : userId,
    avatar: str(u['avatar']),
  };
}

function parseComment(key: string, v: Record<string, unknown>): NeteaseComment {
  const device = v['deviceInfo'];
  return {
    commentId: str(v['commentId']) ?? key,
    postId: str(v['postId']),
    content: str(v['content']) ?? '',
    createdAt: beijingTimeToIso(str(v['createTime'])),
    vote: num(v['vote']),
    against: num(v['against']),
    buildLevel: num(v['buildLevel']),
    anonymous: bool(v['anonymous']) ?? false,
    isDel: bool(v['isDel']) ?? false,
    source: str(v['source']),
    ip: str(v['ip']),
    deviceName: isRecord(device) ? str(device['deviceName']) || null : null,
    user: parseCommenter(v['user']),
  };
}

/** Parses a newList/hotList answer (plain JSON or JSONP; web or app form). */
export function parseCommentList(res: HttpResponse): NeteaseParsed<NeteaseCommentList> {
  const parsed = parseJsonResponse(res);
  if (!parsed.ok) return parsed;
  const json = parsed.value;
  if (!isRecord(json)) return { ok: false, outcome: 'unparseable', message: 'comment list is not an object' };
  const err = apiError(json, 'comments');
  if (err) return { ok: false, outcome: 'unparseable', message: err };
  const dict = json['comments'];
  if (!isRecord(dict))
    return { ok: false, outcome: 'unparseable', message: 'comment list without a comments map' };

  const ids = Array.isArray(json['commentIds']) ? json['commentIds'] : [];
  const chains = ids
    .map((x) => str(x))
    .filter((x): x is string => x != null && x !== '')
    .map((x) =>
      x
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    );
  const order: string[] = [];
  const seen = new Set<string>();
  for (const id of [...chains.flat(), ...Object.keys(dict)]) {
    if (!seen.has(id) && isRecord(dict[id])) {
      seen.add(id);
      order.push(id);
    }
  }
  const comments = order.map((id) => parseComment(id, dict[id] as Record<string, unknown>));

  let threadInfo: Record<string, string | number | boolean | null> | null = null;
  const ti = json['threadInfo'];
  if (isRecord(ti)) {
    threadInfo = {};
    for (const [k, v] of Object.entries(ti)) {
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
        threadInfo[k] = v;
    }
  }
  return { ok: true, value: { chains, comments, newListSize: num(json['newListSize']), threadInfo } };
}

/** Parses the thread-info object of `comment.api.163.com/…/threads/<DOCID>`. */
export function parseCommentThreadInfo(res: HttpResponse): NeteaseParsed<NeteaseThreadInfo> {
  const parsed = parseJsonResponse(res);
  if (!parsed.ok) return parsed;
  const json = parsed.value;
  if (!isRecord(json)) return { ok: false, outcome: 'unparseable', message: 'thread info is not an object' };
  const err = apiError(json, 'docId');
  if (err) return { ok: false, outcome: 'unparseable', message: err };
  if (!('docId' in json) && !('tcount' in json))
    return { ok: false, outcome: 'unparseable', message: 'not a thread info object' };
  const status: Record<string, string> = {};
  if (isRecord(json['status'])) {
    for (const [k, v] of Object.entries(json['status'])) {
      const s = str(v);
      if (s != null) status[k] = s;
    }
  }
  const rcount = num(json['rcount']);
  const cmtVote = num(json['cmtVote']);
  const cmtAgainst = num(json['cmtAgainst']);
  const hasStatus = 'web' in status || 'app' in status;
  return {
    ok: true,
    value: {
      docId: str(json['docId']),
      url: str(json['url']),
      title: str(json['title']),
      boardId: str(json['boardId']),
      channelId: str(json['channelId']),
      createdAt: beijingTimeToIso(str(json['createTime'])),
      modifiedAt: beijingTimeToIso(str(json['modifyTime'])),
      isAudit: bool(json['isAudit']),
      needCheck: bool(json['needCheck']),
      vote: num(json['vote']),
      against: num(json['against']),
      tcount: num(json['tcount']),
      rcount,
      cmtVote,
      cmtAgainst,
      participation:
        rcount != null && cmtVote != null && cmtAgainst != null ? rcount + cmtVote + cmtAgainst : null,
      status,
      commentsOpen: hasStatus ? status['web'] !== 'off' && status['app'] !== 'off' : null,
    },
  };
}

// ───────────────────────────── listings ─────────────────────────────

function listingOutcomeOf(o: Exclude<Outcome, 'alive'>): ListingOutcome {
  switch (o) {
    case 'rate_limited':
    case 'login_required':
    case 'captcha':
    case 'network_error':
    case 'server_error':
    case 'unparseable':
      return o;
    default:
      // A listing URL that is "gone" says nothing about any article; report it as odd.
      return 'unparseable';
  }
}

/** One article as a listing shows it. */
interface ListedArticle {
  readonly docid: string;
  readonly title: string | null;
  readonly createdAt: string | null;
  readonly author: { readonly id: string | null; readonly name: string | null } | null;
  readonly url: string;
}

function listedObservation(item: ListedArticle, at: number, endpoint: string): Observation {
  // A listing shows only the title: `truncated` tells the recorder the text is not the article's.
  const content: Content = {
    title: item.title,
    html: '',
    text: '',
    author: item.author,
    createdAt: item.createdAt,
    counts: { reposts: null, comments: null, likes: null },
    media: [],
    repostOf: null,
    editCount: null,
    truncated: true,
  };
  return {
    target: { platform: 'netease', kind: 'post', id: item.docid },
    at,
    endpoint,
    outcome: 'alive',
    content,
    url: item.url,
  };
}

function listing(
  res: HttpResponse,
  items: readonly ListedArticle[],
  at: number,
  endpoint: string,
  nextCursor: string | null,
): ListingResult {
  const seen = new Set<string>();
  const observations = items
    .filter((i) => (seen.has(i.docid) ? false : (seen.add(i.docid), true)))
    .map((i) => listedObservation(i, at, endpoint));
  return {
    outcome: observations.length > 0 ? 'results' : 'empty',
    observations,
    nextCursor: observations.length > 0 ? nextCursor : null,
    evidence: evidenceOf(res),
  };
}

function failedListing(res: HttpResponse, outcome: ListingOutcome, message: string): ListingResult {
  return { outcome, message, observations: [], nextCursor: null, evidence: evidenceOf(res) };
}

/** Which page of which account a list.do response answers. */
export interface AccountListPage {
  readonly wemediaId: string;
  readonly pageNo: number;
  readonly size: number;
}

/** The cursor for a list.do page: `<wemediaId>:<pageNo>`. */
export function accountCursor(wemediaId: string, pageNo: number): string {
  return `${wemediaId}:${pageNo}`;
}

/** Reads a cursor made by {@link accountCursor}, or null. */
export function parseAccountCursor(cursor: string | undefined): { wemediaId: string; pageNo: number } | null {
  const m = cursor ? /^(W\d+):(\d+)$/.exec(cursor) : null;
  return m?.[1] && m[2] ? { wemediaId: m[1], pageNo: Number(m[2]) } : null;
}

/**
 * Parses `dy.163.com/v2/article/list.do` (`data.list[] {docid, title, ptime, source, imgsrc}`;
 * `data.list` null past the end). A full page yields the next page's cursor.
 */
export function parseAccountList(res: HttpResponse, at: number, page: AccountListPage): ListingResult {
  const parsed = parseJsonResponse(res);
  if (!parsed.ok) return failedListing(res, listingOutcomeOf(parsed.outcome), parsed.message);
  const json = parsed.value;
  if (!isRecord(json)) return failedListing(res, 'unparseable', 'list.do answer is not an object');
  const data = json['data'];
  if (!isRecord(data)) {
    const err = apiError(json, 'data');
    return failedListing(res, 'unparseable', err ?? 'list.do answer without data');
  }
  const list = data['list'];
  if (list == null) return listing(res, [], at, 'netease.list.do', null);
  if (!Array.isArray(list)) return failedListing(res, 'unparseable', 'list.do data.list is not an array');
  const items: ListedArticle[] = [];
  for (const e of list) {
    if (!isRecord(e)) continue;
    const docid = str(e['docid'])?.toUpperCase() ?? '';
    if (!isDocid(docid)) continue;
    items.push({
      docid,
      title: str(e['title']),
      createdAt: beijingTimeToIso(str(e['ptime'])),
      author: { id: page.wemediaId, name: str(e['source']) },
      url: neteaseArticleUrl(docid, 'dy'),
    });
  }
  const next = list.length >= page.size ? accountCursor(page.wemediaId, page.pageNo + 1) : null;
  return listing(res, items, at, 'netease.list.do', next);
}

const DATE_IN_TEXT = /(\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?)/;

function dateText(s: string): string | null {
  const d = firstMatch(DATE_IN_TEXT, s);
  if (!d) return null;
  return beijingTimeToIso(d.length === 10 ? `${d} 00:00` : d);
}

/** Articles linked inside each item element: title from the heading or the longest link text. */
function itemsFrom(
  tokens: readonly HtmlToken[],
  html: string,
  boxes: readonly HtmlElement[],
  author: ListedArticle['author'],
): ListedArticle[] {
  const out: ListedArticle[] = [];
  for (const box of boxes) {
    const links = findAll(tokens, html, { tag: 'a' }, box.openIndex, box.closeIndex);
    const hit = links.find((a) => docidFromUrl(absoluteUrl(a.attrs['href'] ?? '')) != null);
    if (!hit) continue;
    const href = absoluteUrl(hit.attrs['href'] ?? '');
    const docid = docidFromUrl(href) as string;
    const heading =
      findElement(tokens, html, { tag: 'h3' }, box.openIndex, box.closeIndex) ??
      findElement(tokens, html, { tag: 'h4' }, box.openIndex, box.closeIndex) ??
      findElement(tokens, html, { tag: 'a', cls: 'title' }, box.openIndex, box.closeIndex);
    const texts = links
      .filter((a) => docidFromUrl(absoluteUrl(a.attrs['href'] ?? '')) === docid)
      .map((a) => elementText(tokens, a));
    const longest = texts.reduce((x, y) => (y.length > x.length ? y : x), '');
    const title = (heading ? elementText(tokens, heading) : '') || longest || null;
    out.push({ docid, title, createdAt: dateText(elementText(tokens, box)), author, url: href });
  }
  return out;
}

/**
 * Parses the keyword search page `www.163.com/search?keyword=…`: `div.keyword_list` →
 * `div.keyword_new` items (research §1.5). The results may be rendered by script; a page without
 * the result container and without a "no results" notice is `unparseable`, never `empty`.
 */
export function parseSearchPage(res: HttpResponse, at: number): ListingResult {
  const check = pageStatus(res);
  if (check) return failedListing(res, check.outcome, check.message);
  const { text: html } = decodeBody(res.body, res.headers['content-type']);
  const tokens = tokenize(html);
  const box = findElement(tokens, html, { cls: 'keyword_list' });
  if (!box) {
    const visible = textOf(tokens, 0, tokens.length, true);
    if (/没有找到|无相关|没有相关|暂无(?:相关)?(?:结果|内容)|0\s*条结果/.test(visible)) {
      return listing(res, [], at, 'netease.search', null);
    }
    const blocked = wordingOutcome(visible);
    if (blocked && (blocked.outcome === 'captcha' || blocked.outcome === 'rate_limited')) {
      return failedListing(res, blocked.outcome, blocked.message);
    }
    return failedListing(
      res,
      'unparseable',
      'search page without div.keyword_list (results may be rendered by script)',
    );
  }
  let boxes = findAll(tokens, html, { cls: 'keyword_new' }, box.openIndex, box.closeIndex);
  if (boxes.length === 0) boxes = findAll(tokens, html, { tag: 'li' }, box.openIndex, box.closeIndex);
  return listing(res, itemsFrom(tokens, html, boxes, null), at, 'netease.search', null);
}

/** What a 网易号 home page shows: its listing, and its wemediaId when the page names it. */
export interface MediaHomePage {
  readonly listing: ListingResult;
  readonly wemediaId: string | null;
  /** Article ids in page order, for finding the wemediaId through one of them. */
  readonly docids: readonly string[];
}

function pageStatus(res: HttpResponse): { outcome: ListingOutcome; message: string } | null {
  if (hops(res).some((u) => ERROR_ISP.test(u)))
    return { outcome: 'server_error', message: 'CDN error_isp redirect' };
  const byStatus = statusOutcome(res.status);
  if (byStatus) return { outcome: listingOutcomeOf(byStatus.outcome), message: byStatus.message };
  if (res.status !== 200) return { outcome: 'unparseable', message: `HTTP ${res.status}` };
  return null;
}

/**
 * Parses a 网易号 home page `www.163.com/dy/media/T….html` (server-rendered; list items under
 * `div.content_left` or `.tab_content`, each with an `h4 a`/`a.title` and a `.time`). There is no
 * paging in the HTML form, so the cursor is always null.
 */
export function parseMediaHomePage(res: HttpResponse, at: number, tid: string): MediaHomePage {
  const check = pageStatus(res);
  if (check)
    return { listing: failedListing(res, check.outcome, check.message), wemediaId: null, docids: [] };
  const { text: html } = decodeBody(res.body, res.headers['content-type']);
  const tokens = tokenize(html);
  const wemediaId = firstMatch(/(?:data-wemediaid|wemediaId)["']?\s*[:=]\s*["'](W\d+)["']/i, html);
  // The left column excludes the sidebar's links to other accounts' articles.
  const box =
    findElement(tokens, html, { cls: 'content_left' }) ??
    findElement(tokens, html, { cls: 'tab_content' }) ??
    findElement(tokens, html, { tag: 'body' });
  if (!box) return { listing: failedListing(res, 'unparseable', 'not an HTML page'), wemediaId, docids: [] };
  const lis = findAll(tokens, html, { tag: 'li' }, box.openIndex, box.closeIndex);
  const items = itemsFrom(tokens, html, lis, { id: wemediaId ?? tid, name: null });
  const result = listing(res, items, at, 'netease.dy.media', null);
  return { listing: result, wemediaId, docids: result.observations.map((o) => o.target.id) };
}
