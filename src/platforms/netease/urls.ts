import type { TargetRef } from '../../domain/glossary';

/**
 * The comment-system product key shared by news, 网易号 (dy), video and photo threads
 * (research/netease.md §3.1; it is also the `productKey` in every article's inline config).
 */
export const NETEASE_PRODUCT_KEY = 'a2869674571f77b5a0867c3d71db5856';

/** A DOCID: 16 upper-case letters and digits. */
export const DOCID_PATTERN = /^[A-Z0-9]{16}$/;

/** True when `s` is a normalized DOCID. */
export function isDocid(s: string): boolean {
  return DOCID_PATTERN.test(s);
}

/** Hosts that carry 163.com articles; anything else is not a NetEase article URL. */
function isNeteaseHost(host: string): boolean {
  return host === '163.com' || host.endsWith('.163.com');
}

// Article paths, each capturing the 16-character id; an optional `_suffix` (page or variant) is
// dropped, as NetEase's own redirect script does with `([A-Z0-9]{16})(?:_\w+)?\.html`.
const ID = '([A-Za-z0-9]{16})(?:_\\w+)?';
const PATH_FORMS: readonly RegExp[] = [
  // www/m/3g: /<channel>/article/<id>.html; dy.163.com/v2/article/detail/<id>.html
  new RegExp(`^(?:/[a-z0-9]+)*/article/(?:detail/)?${ID}\\.html$`, 'i'),
  // legacy dated form: <sub>.163.com/[<dir>/]yy/mmdd/hh/<id>.html
  new RegExp(`^(?:/\\w+)?/\\d{2}/\\d{4}/\\d{2}/${ID}\\.html$`),
  // c.m.163.com/news/a/<id>.html (app share link)
  new RegExp(`^/news/a/${ID}\\.html$`),
  // c.m.163.com/nc/article/<id>/full.html (app JSON detail)
  new RegExp(`^/nc/article/${ID}/full\\.html$`),
];
// comment.tie.163.com/<id>.html: the human-facing comment page of the article with that DOCID.
const COMMENT_PAGE = new RegExp(`^/${ID}\\.html$`);

/**
 * The DOCID in a 163.com URL, upper case and without suffix, or null when the URL is not one of
 * the article forms in research/netease.md §1.2–1.3.
 */
export function docidFromUrl(input: string): string | null {
  let u: URL;
  try {
    const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input)
      ? input
      : input.startsWith('//')
        ? `https:${input}`
        : `https://${input}`;
    u = new URL(withScheme);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const host = u.hostname.toLowerCase();
  if (!isNeteaseHost(host)) return null;
  // m.163.com/touch/article.html?docid=<id> and similar query forms
  const q = u.searchParams.get('docid');
  if (q != null && /^[A-Za-z0-9]{16}$/.test(q)) return q.toUpperCase();
  const path = u.pathname;
  for (const re of PATH_FORMS) {
    const m = re.exec(path);
    if (m?.[1]) return m[1].toUpperCase();
  }
  if (/^comment(?:\.[a-z0-9]+)?\.163\.com$/.test(host)) {
    const m = COMMENT_PAGE.exec(path);
    if (m?.[1]) return m[1].toUpperCase();
  }
  return null;
}

/**
 * A NetEase article target from any configured form: an article URL (www.163.com news/dy/channel
 * articles, dated legacy paths, m.163.com, 3g.163.com, c.m.163.com, dy.163.com/v2/article/detail,
 * comment.tie.163.com) or a bare DOCID (optionally with a `_suffix`). Returns null otherwise.
 *
 * A bare id must contain a letter: a 16-digit number is far more likely a Weibo mid, and every
 * DOCID seen in research carries letters in its channel suffix.
 */
export function resolveNeteaseTarget(input: string): TargetRef | null {
  const s = input.trim();
  if (s === '') return null;
  const bare = /^([A-Za-z0-9]{16})(?:_\w+)?$/.exec(s);
  if (bare?.[1]) {
    if (!/[A-Za-z]/.test(bare[1])) return null;
    return { platform: 'netease', kind: 'post', id: bare[1].toUpperCase() };
  }
  const id = docidFromUrl(s);
  return id ? { platform: 'netease', kind: 'post', id } : null;
}

/**
 * The canonical desktop URL of an article, the one a person opens and the adapter fetches.
 *
 * The channel segment defaults to `news`, the template of the captured canonical URL
 * (`<link rel="canonical">`). NetEase's own redirect script ignores that segment and keys only on
 * the DOCID, and the parser accepts a redirect to any URL with the same DOCID.
 * @defaultValue channel `news`
 */
export function neteaseArticleUrl(docid: string, channel = 'news'): string {
  return `https://www.163.com/${channel}/article/${docid}.html`;
}

/** The human-facing comment (跟贴) page of an article's thread. */
export function neteaseCommentPageUrl(docid: string): string {
  return `https://comment.tie.163.com/${docid}.html`;
}

/** The keyword search page, `https://www.163.com/search?keyword=…` (research §1.5). */
export function neteaseSearchUrl(keyword: string): string {
  return `https://www.163.com/search?keyword=${encodeURIComponent(keyword)}`;
}

/** A 网易号 home page, `https://www.163.com/dy/media/T….html` (research §1.4). */
export function neteaseMediaHomeUrl(tid: string): string {
  return `https://www.163.com/dy/media/${tid}.html`;
}

/**
 * One page of a 网易号's article list (JSON), `dy.163.com/v2/article/list.do`. Pages count from 1,
 * as RSSHub's route requests them.
 * @defaultValue size 10
 */
export function neteaseAccountListUrl(wemediaId: string, pageNo: number, size = 10): string {
  return `https://dy.163.com/v2/article/list.do?pageNo=${pageNo}&wemediaId=${encodeURIComponent(wemediaId)}&size=${size}`;
}

function threadBase(docid: string, productKey: string): string {
  return `https://comment.api.163.com/api/v1/products/${productKey}/threads/${docid}`;
}

/** The comment-thread info object (counts, status flags) on comment.api.163.com (research §3.4). */
export function neteaseThreadInfoUrl(docid: string, productKey = NETEASE_PRODUCT_KEY): string {
  return threadBase(docid, productKey);
}

/** Paging and collapsing options for a comment list request (research §3.2). */
export interface CommentListOptions {
  /** @defaultValue 0 */
  readonly offset?: number;
  /** At most 40 is known to work. @defaultValue 30 */
  readonly limit?: number;
  /** @defaultValue {@link NETEASE_PRODUCT_KEY} */
  readonly productKey?: string;
}

/**
 * The web newList (newest first) or hotList of a thread. Parameters are the web client's
 * (`ibc=newspc`, `showLevelThreshold=72`, `headLimit=1`, `tailLimit=2`); no `callback`, so the answer
 * is plain JSON.
 */
export function neteaseCommentListUrl(
  docid: string,
  list: 'new' | 'hot',
  options: CommentListOptions = {},
): string {
  const offset = options.offset ?? 0;
  const limit = options.limit ?? 30;
  const path = list === 'new' ? 'newList' : 'hotList';
  return (
    `${threadBase(docid, options.productKey ?? NETEASE_PRODUCT_KEY)}/comments/${path}` +
    `?ibc=newspc&limit=${limit}&showLevelThreshold=72&headLimit=1&tailLimit=2&offset=${offset}`
  );
}

/** How a configured 网易号 account was given. */
export type NeteaseAccountRef =
  | { readonly kind: 'tid'; readonly tid: string }
  | { readonly kind: 'wemedia'; readonly wemediaId: string }
  | { readonly kind: 'article'; readonly docid: string }
  | { readonly kind: 'name'; readonly name: string };

/**
 * Reads an account as configured: a home page URL (`www.163.com/dy/media/T….html`, also
 * `/news/sub/T…`), a bare `T…` id, a `W…` wemediaId, an article of the account (its page names the
 * wemediaId), or else a display name.
 */
export function parseNeteaseAccount(input: string): NeteaseAccountRef {
  const s = input.trim();
  const t = /^T\d{10,16}$/i.exec(s);
  if (t) return { kind: 'tid', tid: `T${s.slice(1)}` };
  if (/^W\d{10,22}$/i.test(s)) return { kind: 'wemedia', wemediaId: `W${s.slice(1)}` };
  const home =
    /^(?:https?:)?(?:\/\/)?[a-z0-9.]*163\.com\/(?:dy\/media|news\/sub)\/(T\d{10,16})(?:\.html)?(?:[?#].*)?$/i.exec(
      s,
    );
  if (home?.[1]) return { kind: 'tid', tid: `T${home[1].slice(1)}` };
  const wq = /[?&]wemediaId=(W\d{10,22})/i.exec(s);
  if (wq?.[1]) return { kind: 'wemedia', wemediaId: `W${wq[1].slice(1)}` };
  const docid = /^[a-z]+:\/\/|^[a-z0-9.]*163\.com\//i.test(s) ? docidFromUrl(s) : null;
  if (docid) return { kind: 'article', docid };
  return { kind: 'name', name: s };
}
