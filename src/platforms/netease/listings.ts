/**
 * NetEase listings: a 网易号's `list.do` JSON, its server-rendered home page, and the keyword
 * search page (research/netease.md §1.4–1.5). A listing is a cheap check of every article it shows.
 * A page the parser does not recognise is `unparseable`, never `empty`.
 */
import type { Content, Observation, Outcome } from '../../domain/glossary';
import type { HttpResponse } from '../../http/types';
import { evidenceOf } from '../evidence';
import { listingOutcomeOf } from '../listing';
import type { ListingOutcome, ListingResult } from '../platform';
import { decodeBody } from './charset';
import { absoluteUrl, all, attr, cssSet, one, parsePage, textOf } from './dom';
import type { Element } from './dom';
import { apiError, isRecord, parseJsonResponse, statusOutcome, str, viaErrorIsp } from './response';
import { beijingTimeToIso, dateInText } from './time';
import { docidFromUrl, isDocid, neteaseArticleUrl } from './urls';
import { statedByWording } from './wording';

const q = cssSet([
  'a',
  'h3',
  'h4',
  'a.title',
  '.keyword_list',
  'body',
  '.keyword_new',
  'li',
  '[data-wemediaid]',
  '.content_left',
  '.tab_content',
]);

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

/**
 * A listing of the articles read. Entries that could not be read are `unread` (any may be a known
 * article, so the page says of none that it is missing); a page of only such entries is
 * `unparseable`. A page that lists nothing is `empty`: callers come here with none only when the
 * page says so.
 */
function listing(
  res: HttpResponse,
  items: readonly ListedArticle[],
  at: number,
  endpoint: string,
  nextCursor: string | null,
  unread: readonly string[] = [],
): ListingResult {
  const seen = new Set<string>();
  const observations = items
    .filter((i) => (seen.has(i.docid) ? false : (seen.add(i.docid), true)))
    .map((i) => listedObservation(i, at, endpoint));
  const unreadField = unread.length > 0 ? { unread: [...new Set(unread)] } : {};
  if (observations.length === 0 && unread.length > 0)
    return { ...failedListing(res, 'unparseable', `no readable entry: ${unread[0]!}`), ...unreadField };
  return {
    outcome: observations.length > 0 ? 'results' : 'empty',
    observations,
    nextCursor: observations.length > 0 ? nextCursor : null,
    evidence: evidenceOf(res),
    ...unreadField,
  };
}

/** True when the markup ends with `</body>` or `</html>`, as every page a server renders does. */
function closed(html: string): boolean {
  return /<\/(?:html|body)\s*>/i.test(html.slice(-4096));
}

/**
 * True for a page cut off in transit: it opened `<html>` or `<body>` and never closed it. A
 * fragment that opens neither (a proxy's or a mirror's partial) is read for what it shows, but
 * says nothing of what it does not show.
 */
function cutOff(html: string): boolean {
  return !closed(html) && /<(?:html|body)\b/i.test(html);
}

function failedListing(res: HttpResponse, outcome: ListingOutcome, message: string): ListingResult {
  return { outcome, message, observations: [], nextCursor: null, evidence: evidenceOf(res) };
}

/** A final outcome's message names its cause, so an `empty` from a 404 is told from "no results". */
function outcomeMessage(
  outcome: Exclude<Outcome, 'alive'>,
  message: string,
): { outcome: ListingOutcome; message: string } {
  const l = listingOutcomeOf(outcome);
  return { outcome: l, message: l === outcome ? message : `${outcome}: ${message}` };
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
  if (!parsed.ok) {
    const o = outcomeMessage(parsed.outcome, parsed.message);
    return failedListing(res, o.outcome, o.message);
  }
  const json = parsed.value;
  if (!isRecord(json)) return failedListing(res, 'unparseable', 'list.do answer is not an object');
  const data = json['data'];
  if (!isRecord(data)) {
    const err = apiError(json, 'data');
    return failedListing(res, 'unparseable', err ?? 'list.do answer without data');
  }
  // Past the end `data.list` is null (research §1.4), or an empty list; a missing one says nothing.
  if (!('list' in data)) return failedListing(res, 'unparseable', 'list.do data without list');
  const list = data['list'];
  if (list === null) return listing(res, [], at, 'netease.list.do', null);
  if (!Array.isArray(list)) return failedListing(res, 'unparseable', 'list.do data.list is not an array');
  const items: ListedArticle[] = [];
  const unread: string[] = [];
  for (const [i, e] of list.entries()) {
    const docid = isRecord(e) ? (str(e['docid'])?.toUpperCase() ?? '') : '';
    if (!isRecord(e) || !isDocid(docid)) {
      unread.push(`list.do entry ${i} without a DOCID`);
      continue;
    }
    items.push({
      docid,
      title: str(e['title']),
      createdAt: beijingTimeToIso(str(e['ptime'])),
      author: { id: page.wemediaId, name: str(e['source']) },
      url: neteaseArticleUrl(docid, 'dy'),
    });
  }
  const next = list.length >= page.size ? accountCursor(page.wemediaId, page.pageNo + 1) : null;
  return listing(res, items, at, 'netease.list.do', next, unread);
}

/**
 * Articles linked inside each item element: title from the heading or the longest link text. An
 * item that links to no article is `unread` when it has a heading or a link (a result in a form
 * not read), and skipped when it has neither (an ad slot, a spacer).
 */
function itemsFrom(
  boxes: readonly Element[],
  author: ListedArticle['author'],
  unread: string[] = [],
): ListedArticle[] {
  const out: ListedArticle[] = [];
  for (const [i, box] of boxes.entries()) {
    const links = all(q('a'), box);
    const hit = links.find((a) => docidFromUrl(absoluteUrl(attr(a, 'href') ?? '')) != null);
    if (!hit) {
      if (links.length > 0 || one(q('h3'), box) || one(q('h4'), box))
        unread.push(`item ${i} links to no article`);
      continue;
    }
    const href = absoluteUrl(attr(hit, 'href') ?? '');
    const docid = docidFromUrl(href) as string;
    const heading = one(q('h3'), box) ?? one(q('h4'), box) ?? one(q('a.title'), box);
    const texts = links
      .filter((a) => docidFromUrl(absoluteUrl(attr(a, 'href') ?? '')) === docid)
      .map((a) => textOf(a));
    const longest = texts.reduce((x, y) => (y.length > x.length ? y : x), '');
    const title = (heading ? textOf(heading) : '') || longest || null;
    out.push({ docid, title, createdAt: dateInText(textOf(box)), author, url: href });
  }
  return out;
}

/** Status and CDN checks of an HTML listing page. */
function pageStatus(res: HttpResponse): { outcome: ListingOutcome; message: string } | null {
  if (viaErrorIsp(res)) return { outcome: 'server_error', message: 'CDN error_isp redirect' };
  const byStatus = statusOutcome(res.status);
  if (byStatus) return outcomeMessage(byStatus.outcome, byStatus.message);
  if (res.status !== 200) return { outcome: 'unparseable', message: `HTTP ${res.status}` };
  return null;
}

/** The search page's "no results" wording, as it stands inside `div.keyword_list`. */
const NO_RESULTS = /没有找到|无相关|没有相关|暂无(?:相关)?(?:结果|内容)|0\s*条结果/;

/**
 * Parses the keyword search page `www.163.com/search?keyword=…`: `div.keyword_list` →
 * `div.keyword_new` items (research §1.5). The results may be rendered by script. "No results"
 * is read only inside `div.keyword_list` of a whole page (its words in a sidebar, a title or a
 * script say nothing of the search); a page without the container, a container with nothing
 * readable and no such words, a page cut off before `</body>`, and a 404 are `unparseable`.
 */
export function parseSearchPage(res: HttpResponse, at: number): ListingResult {
  const check = pageStatus(res);
  // A 404 says the search page is not there, not that the keyword has no results.
  if (check?.outcome === 'empty')
    return failedListing(
      res,
      'unparseable',
      `${check.message}: a search that is not found says nothing of its results`,
    );
  if (check) return failedListing(res, check.outcome, check.message);
  const html = decodeBody(res.body, res.headers['content-type']).text;
  const page = parsePage(html);
  const box = one(q('.keyword_list'), page.doc);
  if (!box) {
    const visible = textOf(one(q('body'), page.doc) ?? page.doc, true);
    const blocked = statedByWording(visible);
    if (blocked && (blocked.outcome === 'captcha' || blocked.outcome === 'rate_limited')) {
      return failedListing(res, blocked.outcome, blocked.message);
    }
    return failedListing(
      res,
      'unparseable',
      'search page without div.keyword_list (results may be rendered by script)',
    );
  }
  if (cutOff(html)) return failedListing(res, 'unparseable', 'search page cut off before </body>');
  let boxes = all(q('.keyword_new'), box);
  if (boxes.length === 0) boxes = all(q('li'), box);
  const unread: string[] = [];
  const items = itemsFrom(boxes, null, unread);
  // The results may be filled in by script: an empty container is "no results" only when it says so,
  // and only on a whole page: a fragment's silence may be the part it left out.
  if (items.length === 0 && unread.length === 0) {
    // A "no results" block kept hidden for the script to reveal is not what the page says.
    if (!NO_RESULTS.test(textOf(box, true, true)))
      return failedListing(
        res,
        'unparseable',
        'search page with div.keyword_list but no readable result and no "no results" notice in it',
      );
    if (!closed(html))
      return failedListing(res, 'unparseable', 'a "no results" notice outside a whole page (no </body>)');
  }
  return listing(res, items, at, 'netease.search', null, unread);
}

/** What a 网易号 home page shows: its listing, and its wemediaId when the page names it. */
export interface MediaHomePage {
  readonly listing: ListingResult;
  readonly wemediaId: string | null;
  /** Article ids in page order, for finding the wemediaId through one of them. */
  readonly docids: readonly string[];
}

/**
 * Parses a 网易号 home page `www.163.com/dy/media/T….html` (server-rendered; list items under
 * `div.content_left` or `.tab_content`, each with an `h4 a`/`a.title` and a `.time`). There is no
 * paging in the HTML form, so the cursor is always null. A page without either container is
 * `unparseable`.
 */
export function parseMediaHomePage(res: HttpResponse, at: number, tid: string): MediaHomePage {
  const check = pageStatus(res);
  if (check)
    return { listing: failedListing(res, check.outcome, check.message), wemediaId: null, docids: [] };
  const { text: html } = decodeBody(res.body, res.headers['content-type']);
  const page = parsePage(html);
  const wemediaId =
    attr(one(q('[data-wemediaid]'), page.doc), 'data-wemediaid')?.trim() ||
    (/wemediaId["']?\s*[:=]\s*["'](W\d+)["']/i.exec(html)?.[1] ?? null);
  // The left column excludes the sidebar's links to other accounts' articles.
  const box = one(q('.content_left'), page.doc) ?? one(q('.tab_content'), page.doc);
  if (!box) {
    const visible = textOf(one(q('body'), page.doc) ?? page.doc, true);
    const blocked = statedByWording(visible);
    const outcome =
      blocked && (blocked.outcome === 'captcha' || blocked.outcome === 'rate_limited')
        ? blocked.outcome
        : 'unparseable';
    const message = blocked?.message ?? '网易号 home page without div.content_left or .tab_content';
    return { listing: failedListing(res, outcome, message), wemediaId, docids: [] };
  }
  if (cutOff(html))
    return {
      listing: failedListing(res, 'unparseable', '网易号 home page cut off before </body>'),
      wemediaId,
      docids: [],
    };
  const unread: string[] = [];
  const items = itemsFrom(all(q('li'), box), { id: wemediaId ?? tid, name: null }, unread);
  // No wording says an account has no articles: a list that shows none is one the parser cannot read.
  if (items.length === 0 && unread.length === 0)
    return {
      listing: failedListing(res, 'unparseable', '网易号 home page lists no article'),
      wemediaId,
      docids: [],
    };
  const result = listing(res, items, at, 'netease.dy.media', null, unread);
  return { listing: result, wemediaId, docids: result.observations.map((o) => o.target.id) };
}
