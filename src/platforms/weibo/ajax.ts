import type { Observation } from '../../domain/glossary';
import type { HttpResponse } from '../../http/types';
import { evidenceOf } from '../evidence';
import { listingOutcomeOf, pageOf } from '../listing';
import type { ListingResult } from '../platform';
import { classifyJsonResponse, envelopeMessage, type UnavailableOutcome } from './classify';
import { isJsonObject, mblogId, normalizeAjaxStatus, type JsonObject } from './normalize';
import {
  ENDPOINTS,
  isNoContentMessage,
  mblogObservations,
  onlyWeiboStatements,
  parseShowAnswer,
  type MblogForm,
} from './parse';

/** The weibo.com/ajax form: text from `text_raw`, originals recorded as `web.repost-embed`. */
export const DESKTOP_FORM: MblogForm = {
  normalize: normalizeAjaxStatus,
  embedEndpoint: ENDPOINTS.ajaxRepostEmbed,
};

/**
 * Parses weibo.com `ajax/statuses/show?id=…`: the status object at the top level with `ok:1` in it
 * (no `data` wrapper; `id` a number, `idstr`/`mid` strings). A refusal is `ok:0` with
 * `message`/`error_code` or `msg`/`errno` (strings or numbers), classified like m.weibo.cn's;
 * `ok:-100` with a login URL is `login_required`.
 *
 * @param mid - the mid that was asked for; the first observation is always of it
 * @returns the target's observation (endpoint `web.statuses.show`) first; then, for a repost, one
 *   of the original (endpoint `web.repost-embed`)
 */
export function parseAjaxStatusShow(res: HttpResponse, at: number, mid: string): Observation[] {
  return parseShowAnswer(res, at, mid, {
    endpoint: ENDPOINTS.ajaxShow,
    form: DESKTOP_FORM,
    // weibo.com sends the status at the top level; an m.weibo.cn `data` wrapper is not this shape.
    status: (v) => (isJsonObject(v['data']) ? null : v),
    missing: 'ajax/statuses/show: no status at the top level',
  });
}

/** The answer of `ajax/statuses/longtext`: the plain long text, or why there is none. */
export type AjaxLongTextResult =
  | { readonly kind: 'long-text'; readonly text: string }
  | { readonly kind: 'outcome'; readonly outcome: UnavailableOutcome; readonly message: string };

/** Parses weibo.com `ajax/statuses/longtext?id=<mblogid>` → `{ok:1,data:{longTextContent,…}}`. */
export function parseAjaxLongText(res: HttpResponse): AjaxLongTextResult {
  const c = classifyJsonResponse(res);
  if (c.kind === 'outcome') return { kind: 'outcome', outcome: c.outcome, message: c.message };
  const data = c.value['data'];
  const text = isJsonObject(data) ? data['longTextContent'] : undefined;
  // A post that is not long answers `data: {}`.
  if (typeof text !== 'string' || text.trim() === '')
    return { kind: 'outcome', outcome: 'unparseable', message: 'ajax/statuses/longtext: no longTextContent' };
  return { kind: 'long-text', text };
}

/** The paging cursor of a mymblog listing: the page to ask for and the `since_id` to send with it. */
export interface MymblogCursor {
  readonly page: number;
  readonly sinceId: string | null;
}

/** Reads a cursor written by {@link parseMymblogPage} (`<page>:<since_id>`); undefined is page 1. */
export function parseMymblogCursor(cursor: string | undefined): MymblogCursor {
  const m = cursor === undefined ? null : /^(\d+):(.*)$/.exec(cursor);
  const page = m ? Number(m[1]) : 1;
  return { page: Number.isInteger(page) && page > 0 ? page : 1, sinceId: m?.[2] ? m[2] : null };
}

/**
 * Parses one page of weibo.com `ajax/statuses/mymblog?uid=&page=&feature=0` → `data.list[]`,
 * `data.since_id`, `data.total`. Each listed post is an `alive` observation (endpoint
 * `web.mymblog`), followed by one of its embedded original when it is a repost. `nextCursor` is
 * `<next page>:<since_id>`, null when the list is empty or `since_id` is empty or 0.
 *
 * The listed content is marked partial (`truncated`): weibo.com writes text and picture URLs
 * differently from m.weibo.cn (`text_raw` spells out links that the H5 text shows as 网页链接), so
 * comparing the two would report edits nobody made. A desktop listing proves life; direct checks
 * see edits.
 */
export function parseMymblogPage(res: HttpResponse, at: number): ListingResult {
  const evidence = evidenceOf(res);
  const c = classifyJsonResponse(res);
  if (c.kind === 'outcome') {
    const msg = c.value ? envelopeMessage(c.value) : null;
    if (isNoContentMessage(msg))
      return { outcome: 'empty', message: msg ?? undefined, observations: [], nextCursor: null, evidence };
    const outcome = listingOutcomeOf(c.outcome);
    const message = outcome === c.outcome ? c.message : `${c.outcome}: ${c.message}`;
    return { outcome, message, observations: [], nextCursor: null, evidence };
  }
  const data = c.value['data'];
  const list = isJsonObject(data) ? data['list'] : undefined;
  if (!isJsonObject(data) || !Array.isArray(list)) {
    return {
      outcome: 'unparseable',
      message: 'ajax/statuses/mymblog: data.list missing',
      observations: [],
      nextCursor: null,
      evidence,
    };
  }
  // An entry that names no post is on the page all the same: counted as unread, never dropped silently.
  const unread: string[] = [];
  list.forEach((m, i) => {
    if (!isJsonObject(m)) unread.push(`entry ${i}: not an object`);
    else if (mblogId(m) === null) unread.push(`entry ${i}: no id`);
  });
  const observations = onlyWeiboStatements(
    res,
    list
      .filter((m): m is JsonObject => isJsonObject(m))
      .flatMap((m) => mblogObservations(m, at, ENDPOINTS.ajaxTimeline, evidence, undefined, DESKTOP_FORM))
      .map((o) => (o.content ? { ...o, content: { ...o.content, truncated: true } } : o)),
  );
  const unreadPart = unread.length > 0 ? { unread } : {};
  const listed = observations.some((o) => o.endpoint === ENDPOINTS.ajaxTimeline);
  const since = data['since_id'];
  const sinceId = typeof since === 'string' || typeof since === 'number' ? String(since).trim() : '';
  const nextCursor = listed && sinceId !== '' && sinceId !== '0' ? `${pageOf(res.url) + 1}:${sinceId}` : null;
  const tips = data['bottom_tips_visible'] === true && typeof data['bottom_tips_text'] === 'string';
  const message = tips ? String(data['bottom_tips_text']) : undefined;
  // Entries that could not be read are a parsing problem, not an empty timeline.
  if (!listed && list.length > 0)
    return {
      outcome: 'unparseable',
      message: `ajax/statuses/mymblog: no readable post among ${list.length} entries`,
      observations,
      nextCursor: null,
      evidence,
      ...unreadPart,
    };
  return {
    outcome: listed ? 'results' : 'empty',
    ...(message ? { message } : {}),
    observations,
    nextCursor,
    evidence,
    ...unreadPart,
  };
}
