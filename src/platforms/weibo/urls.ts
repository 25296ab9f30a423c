import type { TargetRef } from '../../domain/glossary';
import { bidToMid, isBid, isMid } from './ids';

/** Origin of the mobile H5 front end whose JSON endpoints the adapter uses. */
export const M_WEIBO = 'https://m.weibo.cn';

/** Search types of the m.weibo.cn `100103` container: 1 综合, 61 实时, 60 热门, 64 视频. */
export type WeiboSearchType = number;

/** Hosts whose post URLs {@link resolveWeiboTarget} understands. */
const POST_HOSTS = new Set(['m.weibo.cn', 'weibo.com', 'www.weibo.com', 'weibo.cn', 'www.weibo.cn']);

/**
 * A bare number is only taken for a mid when it has at least 16 digits: shorter numbers are far
 * more likely to be uids pasted into the wrong list, and checking a uid as a post would report it gone.
 */
const BARE_MID = /^\d{16,20}$/;

function postRef(id: string): TargetRef {
  return { platform: 'weibo', kind: 'post', id };
}

/** A path segment that is a mid or a bid, as a mid; null otherwise. */
function idSegmentToMid(seg: string): string | null {
  if (isMid(seg)) return seg.replace(/^0+(?=\d)/, '');
  if (isBid(seg)) {
    const mid = bidToMid(seg);
    return isMid(mid) ? mid : null;
  }
  return null;
}

/** Parses `input` as a URL, adding a scheme when it is missing; null when it is not a URL at all. */
function parseLooseUrl(input: string): URL | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `https://${input.replace(/^\/\//, '')}`;
  try {
    return new URL(withScheme);
  } catch {
    return null;
  }
}

/**
 * A Weibo post target from a configured post URL or a bare mid/bid.
 *
 * Accepted forms (scheme, `www.`, query and fragment optional):
 * `m.weibo.cn/detail/<mid>`, `m.weibo.cn/status/<bid|mid>`, `m.weibo.cn/<uid>/<bid|mid>`,
 * `weibo.com/<uid>/<bid|mid>`, `weibo.com/detail/<mid>`, `weibo.cn/comment/<bid>`, a bare mid
 * (16–20 digits) or a bare bid. The target id is always the decimal mid as a string.
 *
 * @returns the target, or null when the input is not a Weibo post reference
 */
export function resolveWeiboTarget(input: string): TargetRef | null {
  const s = input.trim();
  if (s === '') return null;
  if (BARE_MID.test(s)) return postRef(s);
  if (!s.includes('/') && !s.includes('.')) {
    if (!isBid(s)) return null;
    const mid = idSegmentToMid(s);
    return mid ? postRef(mid) : null;
  }
  const url = parseLooseUrl(s);
  if (!url || !POST_HOSTS.has(url.hostname.toLowerCase())) return null;
  const segs = url.pathname.split('/').filter((p) => p !== '');
  const [a, b] = segs;
  if (segs.length !== 2 || a === undefined || b === undefined) return null;
  let mid: string | null = null;
  if (a === 'detail' || a === 'status' || a === 'comment') mid = idSegmentToMid(b);
  else if (/^\d{5,12}$/.test(a)) mid = idSegmentToMid(b);
  return mid ? postRef(mid) : null;
}

/**
 * The uid of an account as configured: a bare numeric uid, or a profile URL of the forms
 * `weibo.com/u/<uid>`, `m.weibo.cn/u/<uid>`, `m.weibo.cn/profile/<uid>` or `weibo.com/<uid>`.
 *
 * @returns the uid, or null for anything else (screen names are not resolved)
 */
export function resolveWeiboUid(input: string): string | null {
  const s = input.trim();
  if (/^\d{5,12}$/.test(s)) return s;
  const url = parseLooseUrl(s);
  if (!url || !POST_HOSTS.has(url.hostname.toLowerCase())) return null;
  const segs = url.pathname.split('/').filter((p) => p !== '');
  const [a, b] = segs;
  if (segs.length === 2 && (a === 'u' || a === 'profile') && b !== undefined && /^\d{5,12}$/.test(b))
    return b;
  if (segs.length === 1 && a !== undefined && /^\d{5,12}$/.test(a)) return a;
  return null;
}

/** The URL a person opens to see a post: `https://m.weibo.cn/detail/<mid>`. */
export function weiboPostUrl(mid: string): string {
  return `${M_WEIBO}/detail/${mid}`;
}

/** The HTML detail page, which embeds the post as `$render_data`. Same URL as {@link weiboPostUrl}. */
export function detailPageUrl(mid: string): string {
  return weiboPostUrl(mid);
}

/** JSON post detail: `https://m.weibo.cn/statuses/show?id=<mid>`. */
export function statusShowUrl(mid: string): string {
  return `${M_WEIBO}/statuses/show?id=${encodeURIComponent(mid)}`;
}

/** JSON long text of a truncated post: `https://m.weibo.cn/statuses/extend?id=<mid>`. */
export function statusExtendUrl(mid: string): string {
  return `${M_WEIBO}/statuses/extend?id=${encodeURIComponent(mid)}`;
}

/** The `100103` search container id, URL-encoded once as m.weibo.cn expects it in `containerid=`. */
function searchContainerParam(keyword: string, searchType: WeiboSearchType): string {
  return encodeURIComponent(`100103type=${searchType}&q=${keyword}`);
}

/**
 * Keyword search page:
 * `https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D{T}%26q%3D{kw}&page_type=searchall&page={n}`.
 *
 * @param searchType - 1 综合, 61 实时, 60 热门, 64 视频. @defaultValue 1
 * @param page - 1-based page number. @defaultValue 1
 */
export function searchUrl(keyword: string, page = 1, searchType: WeiboSearchType = 1): string {
  return (
    `${M_WEIBO}/api/container/getIndex?containerid=${searchContainerParam(keyword, searchType)}` +
    `&page_type=searchall&page=${page}`
  );
}

/** The search results page a browser would be on when it calls {@link searchUrl}; sent as Referer. */
export function searchRefererUrl(keyword: string, searchType: WeiboSearchType = 1): string {
  return `${M_WEIBO}/p/searchall?containerid=${searchContainerParam(keyword, searchType)}`;
}

/** A user's post timeline: container `107603<uid>`, paged by the previous page's `since_id`. */
export function timelineUrl(uid: string, sinceId?: string | null): string {
  const base = `${M_WEIBO}/api/container/getIndex?containerid=107603${uid}`;
  return sinceId ? `${base}&since_id=${encodeURIComponent(sinceId)}` : base;
}

/** A user's post timeline at a page number, for timelines that page by `cardlistInfo.page`. */
export function timelinePageUrl(uid: string, page: number): string {
  return `${M_WEIBO}/api/container/getIndex?containerid=107603${uid}&page=${page}`;
}

/** A user's profile: container `100505<uid>` (`data.userInfo`, `data.tabsInfo`). */
export function profileUrl(uid: string): string {
  return `${M_WEIBO}/api/container/getIndex?containerid=100505${uid}`;
}

/** A user's H5 profile page, used as Referer for timeline requests. */
export function userPageUrl(uid: string): string {
  return `${M_WEIBO}/u/${uid}`;
}

/**
 * A post's comments, hot flow: `https://m.weibo.cn/comments/hotflow?id=<mid>&mid=<mid>&max_id_type=0`,
 * then `&max_id=<previous page's data.max_id>` for the next page.
 */
export function hotflowUrl(mid: string, maxId?: string | null): string {
  const id = encodeURIComponent(mid);
  const base = `${M_WEIBO}/comments/hotflow?id=${id}&mid=${id}&max_id_type=0`;
  return maxId ? `${base}&max_id=${encodeURIComponent(maxId)}` : base;
}

/** Origin of the desktop front end, whose `/ajax` endpoints are the second source of post data. */
export const WEIBO_COM = 'https://weibo.com';

/** weibo.com/ajax post detail: `https://weibo.com/ajax/statuses/show?id=<mid|mblogid>`. */
export function ajaxStatusShowUrl(id: string): string {
  return `${WEIBO_COM}/ajax/statuses/show?id=${encodeURIComponent(id)}`;
}

/** weibo.com/ajax long text: `https://weibo.com/ajax/statuses/longtext?id=<mblogid>`. */
export function ajaxLongTextUrl(mblogid: string): string {
  return `${WEIBO_COM}/ajax/statuses/longtext?id=${encodeURIComponent(mblogid)}`;
}

/**
 * weibo.com/ajax user timeline: `https://weibo.com/ajax/statuses/mymblog?uid=<uid>&page=<n>&feature=0`,
 * then `&since_id=<previous page's data.since_id>`.
 *
 * @param page - 1-based page number. @defaultValue 1
 */
export function ajaxMymblogUrl(uid: string, page = 1, sinceId?: string | null): string {
  const base = `${WEIBO_COM}/ajax/statuses/mymblog?uid=${encodeURIComponent(uid)}&page=${page}&feature=0`;
  return sinceId ? `${base}&since_id=${encodeURIComponent(sinceId)}` : base;
}

/** A user's weibo.com profile page, the Referer of the desktop client's ajax requests. */
export function desktopUserPageUrl(uid: string): string {
  return `${WEIBO_COM}/u/${uid}`;
}
