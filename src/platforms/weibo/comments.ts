import type { Clock } from '../../domain/clock';
import type { CommentSnapshot, Observation, TargetRef } from '../../domain/glossary';
import type { FetchResult, HttpResponse } from '../../http/types';
import { pagesEvidence } from '../evidence';
import { classifyJsonResponse, type UnavailableOutcome } from './classify';
import { asIdString, htmlToText, isJsonObject, parseCount, parseCreatedAt } from './normalize';
import { hotflowUrl, weiboPostUrl } from './urls';

/** Endpoint name recorded on thread observations. */
export const HOTFLOW_ENDPOINT = 'm.comments.hotflow';

/** One page of `comments/hotflow`. */
export interface HotflowPage {
  /** Top-level comments in the order listed; their sub-replies are previews and are left out. */
  readonly comments: readonly CommentSnapshot[];
  /** Cursor of the next page, or null on the last (`data.max_id` 0). */
  readonly maxId: string | null;
  /** `data.total_number`, when given. */
  readonly total: number | null;
}

/** A hotflow answer: a page, or why there is none (classified like every m.weibo.cn JSON answer). */
export type HotflowResult =
  | { readonly kind: 'page'; readonly page: HotflowPage }
  | { readonly kind: 'outcome'; readonly outcome: UnavailableOutcome; readonly message: string };

/** `来自北京` → `北京`; empty → null. */
function locationOf(source: unknown): string | null {
  if (typeof source !== 'string') return null;
  const s = source.trim().replace(/^来自\s*/, '');
  return s === '' ? null : s;
}

function parseComment(c: Record<string, unknown>, at: number): CommentSnapshot | null {
  // Ids come as strings in the samples but as numbers in older payloads; large ones lose precision as numbers.
  const id = asIdString(c['idstr']) ?? asIdString(c['id']) ?? asIdString(c['mid']);
  if (id === null) return null;
  const user = isJsonObject(c['user']) ? c['user'] : null;
  const name = user && typeof user['screen_name'] === 'string' ? user['screen_name'] : null;
  const html = typeof c['text'] === 'string' ? c['text'] : '';
  return {
    id,
    text: htmlToText(html),
    // Only the public screen name: the numeric user id is not needed to say who wrote what.
    author: name,
    location: locationOf(c['source']),
    createdAt: parseCreatedAt(c['created_at'], at),
    deleted: c['deleted'] === true || c['deleted'] === 1 || c['deleted'] === '1',
  };
}

/**
 * Parses one page of `m.weibo.cn/comments/hotflow` (`{ok:1, data:{data:[…], max_id, total_number,
 * max_id_type}}`). Anything but that envelope is classified by {@link classifyJsonResponse}: a gone
 * post's errno, a rate limit, a login wall.
 *
 * @param at - observation time, for relative `created_at` forms
 */
export function parseHotflow(res: HttpResponse, at: number): HotflowResult {
  const c = classifyJsonResponse(res);
  if (c.kind === 'outcome') return { kind: 'outcome', outcome: c.outcome, message: c.message };
  // m.weibo.cn's hotflow always says ok:1; without it the envelope is one not known.
  if (c.value['ok'] !== 1 && c.value['ok'] !== '1')
    return { kind: 'outcome', outcome: 'unparseable', message: 'comments/hotflow: answer without ok:1' };
  const data = c.value['data'];
  // Without its list the page shows no comments it could be missing: an empty thread would make every known one gone.
  if (!isJsonObject(data) || !Array.isArray(data['data']))
    return { kind: 'outcome', outcome: 'unparseable', message: 'comments/hotflow: no data.data list' };
  const list: unknown[] = data['data'];
  const seen = new Set<string>();
  const comments: CommentSnapshot[] = [];
  for (const [i, item] of list.entries()) {
    const parsed = isJsonObject(item) ? parseComment(item, at) : null;
    // An entry that cannot be read may be a known comment: the page cannot say that one is missing.
    if (!parsed)
      return {
        kind: 'outcome',
        outcome: 'unparseable',
        message: `comments/hotflow: entry ${i} of ${list.length} cannot be read (no id)`,
      };
    if (!seen.has(parsed.id)) {
      seen.add(parsed.id);
      comments.push(parsed);
    }
  }
  // The list ends only at max_id 0 (research §2.4); a missing or odd max_id says neither where it
  // goes on nor that it ends, and a thread read as ended would make every unread comment gone.
  const maxId = asIdString(data['max_id']);
  if (maxId === null || !/^\d+$/.test(maxId))
    return {
      kind: 'outcome',
      outcome: 'unparseable',
      message: `comments/hotflow: max_id ${JSON.stringify(data['max_id']) ?? 'missing'} is no cursor`,
    };
  return {
    kind: 'page',
    page: {
      comments,
      maxId: /^0+$/.test(maxId) ? null : maxId,
      total: parseCount(data['total_number']),
    },
  };
}

/** Pages of hotflow read per thread check. @defaultValue 3 */
export const DEFAULT_COMMENT_PAGES = 3;

/** How the thread check sends a request: the adapter's own GET (session, headers, transport errors). */
export type WeiboGet = (url: string, referer: string, signal?: AbortSignal) => Promise<FetchResult>;

/**
 * Checks a post's comment thread: hotflow pages, following `max_id`, up to `maxPages`. The first
 * page decides the outcome (a gone post's errno, a rate limit, an empty list its own total
 * contradicts); a later page that fails ends the list early, which then counts as cut
 * (`complete: false`).
 */
export async function checkWeiboThread(
  target: TargetRef,
  get: WeiboGet,
  clock: Clock,
  maxPages: number = DEFAULT_COMMENT_PAGES,
  signal?: AbortSignal,
): Promise<Observation> {
  const mid = target.id;
  const referer = weiboPostUrl(mid);
  const base = { target, endpoint: HOTFLOW_ENDPOINT, url: referer } as const;
  const responses: HttpResponse[] = [];
  const items: CommentSnapshot[] = [];
  const ids = new Set<string>();
  let maxId: string | null = null;
  let complete = false;
  let total: number | null = null;
  for (let page = 0; page < Math.max(1, maxPages); page++) {
    const res = await get(hotflowUrl(mid, maxId), referer, signal);
    const at = clock.now();
    if (!res.ok) {
      if (page === 0) return { ...base, at, outcome: 'network_error', message: res.code };
      break;
    }
    responses.push(res);
    const parsed = parseHotflow(res, at);
    if (parsed.kind === 'outcome') {
      if (page === 0)
        return {
          ...base,
          at,
          outcome: parsed.outcome,
          message: parsed.message,
          evidence: pagesEvidence(responses),
        };
      break;
    }
    if (page === 0) {
      total = parsed.page.total;
      // A first page that lists nothing while its total_number counts comments contradicts itself
      // (comments hidden, a hiccup): read as an empty thread, every known comment would be gone.
      if (parsed.page.comments.length === 0 && (total ?? 0) > 0)
        return {
          ...base,
          at,
          outcome: 'unparseable',
          message: `comments/hotflow: the first page lists no comment while its total_number says ${total}`,
          evidence: pagesEvidence(responses),
        };
    }
    for (const c of parsed.page.comments) {
      if (!ids.has(c.id)) {
        ids.add(c.id);
        items.push(c);
      }
    }
    maxId = parsed.page.maxId;
    if (maxId === null) {
      complete = true;
      break;
    }
  }
  const at = clock.now();
  return {
    ...base,
    at,
    outcome: 'alive',
    evidence: pagesEvidence(responses),
    content: {
      html: '',
      text: '',
      author: null,
      createdAt: null,
      counts: { reposts: null, comments: total, likes: null },
      media: [],
      repostOf: null,
      editCount: null,
    },
    comments: { items, complete },
  };
}
