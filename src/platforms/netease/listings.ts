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

/** Articles linked inside each item element: title from the heading or the longest link text. */
function itemsFrom(boxes: readonly Element[], author: ListedArticle['author']): ListedArticle[] {
  const out: ListedArticle[] = [];
  for (const box of boxes) {
    const links = all(q('a'), box);
    const hit = links.find((a) => docidFromUrl(absoluteUrl(attr(a, 'href') ?? '')) != null);
    if (!hit) continue;
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

const NO_RESULTS = /没有找到|无相关|没有相关|暂无(?:相关)?(?:结果|内容)|0\s*条结果/;

/**
 * Parses the keyword search page `www.163.com/search?keyword=…`: `div.keyword_list` →
 * `div.keyword_new` items (research §1.5). The results may be rendered by script; a page without
 * the result container and without a "no results" notice is `unparseable`, never `empty`, and so
 * is one whose container holds nothing readable without that notice, and a 404.
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
  const page = parsePage(decodeBody(res.body, res.headers['content-type']).text);
  const box = one(q('.keyword_list'), page.doc);
  if (!box) {
    const visible = textOf(one(q('body'), page.doc) ?? page.doc, true);
    if (NO_RESULTS.test(visible)) return listing(res, [], at, 'netease.search', null);
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
  let boxes = all(q('.keyword_new'), box);
  if (boxes.length === 0) boxes = all(q('li'), box);
  const items = itemsFrom(boxes, null);
  // The results may be filled in by script: an empty container is "no results" only when the page says so.
  if (items.length === 0 && !NO_RESULTS.test(textOf(one(q('body'), page.doc) ?? page.doc, true)))
    return failedListing(
      res,
      'unparseable',
      'search page with div.keyword_list but no readable result and no "no results" notice',
    );
  return listing(res, items, at, 'netease.search', null);
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
  const items = itemsFrom(all(q('li'), box), { id: wemediaId ?? tid, name: null });
  const result = listing(res, items, at, 'netease.dy.media', null);
  return { listing: result, wemediaId, docids: result.observations.map((o) => o.target.id) };
}
