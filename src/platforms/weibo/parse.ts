import { isFinalOutcome } from '../../domain/glossary';
import type { Content, Counts, Evidence, Observation, Outcome, TargetRef } from '../../domain/glossary';
import type { HttpResponse } from '../../http/types';
import { evidenceOf } from '../evidence';
import { listingOutcomeOf, pageOf } from '../listing';
import type { ListingResult } from '../platform';
import {
  believedStatement,
  parsedBody,
  speaksForWeibo,
  classifyHtmlPage,
  classifyHtmlResponse,
  classifyJsonResponse,
  classifyMessage,
  envelopeErrno,
  envelopeMessage,
  messageKey,
  tryParseJson,
  type UnavailableOutcome,
} from './classify';
import { bidToMid, isBid, isMid, midToBid } from './ids';
import {
  asIdString,
  htmlToText,
  isJsonObject,
  mblogId,
  normalizeMblog,
  parseCount,
  type JsonObject,
} from './normalize';
import { weiboPostUrl } from './urls';

/** Endpoint names recorded on observations. */
export const ENDPOINTS = {
  show: 'm.statuses.show',
  detail: 'm.detail',
  search: 'm.search',
  timeline: 'm.timeline',
  repostEmbed: 'm.repost-embed',
  ajaxShow: 'web.statuses.show',
  ajaxLongText: 'web.statuses.longtext',
  ajaxTimeline: 'web.mymblog',
  ajaxRepostEmbed: 'web.repost-embed',
} as const;

export { evidenceOf };

function postTarget(id: string): TargetRef {
  return { platform: 'weibo', kind: 'post', id };
}

/** An observation of the post `id`, its URL the m.weibo.cn detail page. */
export function observation(
  id: string,
  at: number,
  endpoint: string,
  outcome: Outcome,
  evidence: Evidence,
  extra: Pick<Observation, 'content' | 'message'> = {},
): Observation {
  return { target: postTarget(id), at, endpoint, outcome, ...extra, url: weiboPostUrl(id), evidence };
}

/** Longest notice a placeholder's text is read as; a longer text is a post, not a platform notice. */
const MAX_NOTICE_CHARS = 80;

/**
 * How Weibo's notices open (抱歉，此微博… / 该微博… / 由于作者… / 根据博主… / 微博不存在… / 该账号…):
 * a short text that opens otherwise is someone's words, not the platform's.
 */
const NOTICE_OPENING = /^(?:抱歉|该|此|由于|根据|微博|博文|源微博|作者|用户)/;

/**
 * A question or a quotation (此微博已被作者删除？, 他说“此微博已被作者删除”): someone's words about a
 * notice, not the notice, which Weibo states flatly. Help links are left out, as their URLs may ask.
 */
function asksOrQuotes(text: string): boolean {
  const said = text.replace(/查看帮助[\s\S]*$/, '').replace(/https?:\/\/\S+/g, '');
  return /[?？“”「」『』"]/.test(said);
}

/** The cause a placeholder's text states, when the whole text reads as one of Weibo's notices. */
function noticeOfText(text: string): UnavailableOutcome | null {
  const key = messageKey(text);
  return key !== '' && key.length <= MAX_NOTICE_CHARS && NOTICE_OPENING.test(key) && !asksOrQuotes(text)
    ? classifyMessage(text)
    : null;
}

/**
 * What a placeholder mblog says about the post it stands for, or null when the mblog is a real post.
 *
 * Weibo puts a placeholder where a repost's original used to be: `state` 7 (deleted by the author)
 * or 8 (removed after complaints), `deleted: "1"`, `user: null`, and a notice as `text`. Only such
 * objects are read as notices: a live post that quotes a notice keeps its author and is not one,
 * and a text is taken for a notice only when it is short enough to be one. A deletion flag on an
 * mblog that still has its author, or an author missing without a notice, is `unparseable`.
 */
export function placeholderCause(m: JsonObject): { outcome: UnavailableOutcome; message: string } | null {
  const state = m['state'] === undefined ? null : Number(m['state']);
  const deleted = m['deleted'] === '1' || m['deleted'] === 1 || m['deleted'] === true;
  const noUser = !isJsonObject(m['user']);
  if (state !== 7 && state !== 8 && !deleted && !noUser) return null;
  const text = typeof m['text'] === 'string' ? htmlToText(m['text']) : '';
  // A state is a placeholder's only where the object is one: no author, or a notice for its text.
  // An mblog with its author and a post's words that also says state 7 contradicts itself.
  if ((state === 7 || state === 8) && !noUser && noticeOfText(text) === null)
    return {
      outcome: 'unparseable',
      message: `state ${state} on an mblog with its author and a post's text`,
    };
  if (state === 7) return { outcome: 'deleted_by_author', message: text || 'state 7' };
  if (state === 8) return { outcome: 'removed_by_platform', message: text || 'state 8' };
  const byText = noUser ? noticeOfText(text) : null;
  if (byText) return { outcome: byText, message: text };
  if (deleted && noUser) return { outcome: 'gone_unspecified', message: text || 'deleted: 1' };
  // Not enough to call it gone, and not a post either.
  return {
    outcome: 'unparseable',
    message: deleted
      ? 'mblog marked deleted but still with its author'
      : text
        ? `placeholder without author: ${text.slice(0, 200)}`
        : 'mblog without author or text',
  };
}

/**
 * The observations of an answer that did not come from Weibo (a CDN or mirror host that is not the
 * one asked) with every final outcome made `unparseable`: a placeholder it carries is no statement
 * of Weibo's. Answers from Weibo pass unchanged.
 */
export function onlyWeiboStatements(res: HttpResponse, observations: Observation[]): Observation[] {
  // Without a final outcome there is nothing to discount, and no URL to parse to tell whose answer it is.
  if (!observations.some((o) => isFinalOutcome(o.outcome)) || speaksForWeibo(res)) return observations;
  return observations.map((o) =>
    isFinalOutcome(o.outcome)
      ? {
          ...o,
          outcome: 'unparseable',
          message: `${o.message ?? o.outcome}, answered by ${res.finalUrl}, not Weibo`,
        }
      : o,
  );
}

/** How one front end's mblogs are read: its normalizer, and the endpoint name of embedded originals. */
export interface MblogForm {
  readonly normalize: (m: JsonObject, at: number) => Content | null;
  readonly embedEndpoint: string;
}

/** The m.weibo.cn form: text from the HTML `text`, originals recorded as `m.repost-embed`. */
export const MOBILE_FORM: MblogForm = { normalize: normalizeMblog, embedEndpoint: ENDPOINTS.repostEmbed };

/**
 * Observations of one mblog found at `endpoint`: the post itself (alive, or its placeholder cause),
 * then its embedded original when it is a repost (endpoint `form.embedEndpoint`).
 */
export function mblogObservations(
  m: JsonObject,
  at: number,
  endpoint: string,
  evidence: Evidence,
  idOverride?: string,
  form: MblogForm = MOBILE_FORM,
  depth = 0,
): Observation[] {
  const out: Observation[] = [];
  const id = idOverride ?? mblogId(m);
  if (id === null) return out;
  // `mid` and `id` name the same post wherever Weibo sends both; when they differ, which post the
  // object (and its notice) is about cannot be told.
  const mid = asIdString(m['mid']);
  const numeric = asIdString(m['id']);
  if (mid !== null && numeric !== null && mid !== numeric) {
    const message = `mblog names two posts: mid ${mid}, id ${numeric}`;
    out.push(observation(id, at, endpoint, 'unparseable', evidence, { message }));
    return out;
  }
  const placeholder = placeholderCause(m);
  if (placeholder) {
    out.push(observation(id, at, endpoint, placeholder.outcome, evidence, { message: placeholder.message }));
  } else {
    const content = form.normalize(m, at);
    if (content) out.push(observation(id, at, endpoint, 'alive', evidence, { content }));
    else
      out.push(
        observation(id, at, endpoint, 'unparseable', evidence, { message: 'mblog lacks an id or text' }),
      );
  }
  // Weibo embeds one level (a repost of a repost embeds the first original); deeper nesting is not read.
  const rt = m['retweeted_status'];
  if (isJsonObject(rt) && depth === 0) {
    const origId = mblogId(rt);
    if (origId !== null && origId !== id)
      out.push(...mblogObservations(rt, at, form.embedEndpoint, evidence, undefined, form, depth + 1));
  }
  return out;
}

/**
 * Parses `statuses/show` (m.weibo.cn `{ok:1,data:{…}}` or weibo.com/ajax with the status at top level).
 *
 * @param mid - the mid that was asked for; the first observation is always of it
 * @returns the target's observation first; then, for a repost, one of the original (alive content,
 *   or the cause its placeholder states), endpoint `m.repost-embed`
 */
export function parseStatusShow(res: HttpResponse, at: number, mid: string): Observation[] {
  return parseShowAnswer(res, at, mid, {
    endpoint: ENDPOINTS.show,
    form: MOBILE_FORM,
    // m.weibo.cn wraps the status in `data`; a status at the top level is read too.
    status: (v) => (isJsonObject(v['data']) ? v['data'] : typeof v['text'] === 'string' ? v : null),
    missing: 'statuses/show: data lacks id or text',
  });
}

/** How one front end's `statuses/show` answer is read. */
export interface ShowShape {
  readonly endpoint: string;
  readonly form: MblogForm;
  /** Where the status sits in the envelope, or null when it is not there. */
  readonly status: (envelope: JsonObject) => JsonObject | null;
  /** The message of an answer that holds no status. */
  readonly missing: string;
}

/** A `statuses/show` answer of either front end: classified, then its status read in its shape. */
export function parseShowAnswer(res: HttpResponse, at: number, mid: string, shape: ShowShape): Observation[] {
  const { endpoint, form, missing } = shape;
  const evidence = evidenceOf(res);
  const c = classifyJsonResponse(res);
  if (c.kind === 'outcome')
    return [observation(mid, at, endpoint, c.outcome, evidence, { message: c.message })];
  const data = shape.status(c.value);
  if (data === null || mblogId(data) === null || (typeof data['text'] !== 'string' && !('state' in data))) {
    return [observation(mid, at, endpoint, 'unparseable', evidence, { message: missing })];
  }
  const other = otherPostOf(data, mid);
  if (other !== null) return [observation(mid, at, endpoint, 'unparseable', evidence, { message: other })];
  return onlyWeiboStatements(res, mblogObservations(data, at, endpoint, evidence, mid, form));
}

/** The id fields an mblog may name itself by. */
const ID_FIELDS = ['mid', 'idstr', 'id', 'bid', 'mblogid'] as const;

/** The asked id in each form a status may name it by: itself and its mid or bid counterpart. */
function idForms(asked: string): Set<string> {
  const forms = new Set([asked]);
  try {
    if (isMid(asked)) forms.add(midToBid(asked));
    else if (isBid(asked)) forms.add(bidToMid(asked));
  } catch {
    // Not convertible: only the id as asked can match.
  }
  return forms;
}

/**
 * Why a status answered for `asked` is not about it: it names itself by ids none of which is the
 * asked one (a mirror or redirect that served another post, an id mixed up on the way), so it says
 * nothing about the asked post, alive or gone. Null when it is about the asked post, or names no id.
 */
export function otherPostOf(m: JsonObject, asked: string): string | null {
  const ids = ID_FIELDS.map((k) => asIdString(m[k])).filter((v): v is string => v !== null);
  // The asked id itself is the common answer: its mid or bid counterpart need not be computed.
  if (ids.length === 0 || ids.includes(asked)) return null;
  const forms = idForms(asked);
  if (ids.some((i) => forms.has(i))) return null;
  return `answer is about another post (${ids[0]!}), not ${asked}`;
}

/** The `$render_data` array literal of an m.weibo.cn detail page, parsed; undefined when absent or broken. */
function renderData(html: string): unknown {
  const m = /\$render_data\s*=\s*(\[[\s\S]*\])\s*\[0\]\s*\|\|/.exec(html);
  return m?.[1] === undefined ? undefined : tryParseJson(m[1]);
}

/**
 * Parses the HTML detail page `m.weibo.cn/detail/<mid>` (or `/status/<bid>`), which embeds the post
 * as `var $render_data = [{…"status":{…}…}][0] || {};`. Without it, the page's error box says why
 * (e.g. 微博不存在或暂无查看权限 → `gone_unspecified`, 由于作者隐私设置 → `restricted`).
 */
export function parseDetailPage(res: HttpResponse, at: number, mid: string): Observation[] {
  const evidence = evidenceOf(res);
  const c = classifyHtmlResponse(res);
  if (c.kind === 'outcome')
    return [observation(mid, at, ENDPOINTS.detail, c.outcome, evidence, { message: c.message })];
  const data = renderData(c.text);
  const first = Array.isArray(data) ? (data[0] as unknown) : undefined;
  const status = isJsonObject(first) ? first['status'] : undefined;
  if (isJsonObject(status)) {
    const other = otherPostOf(status, mid);
    if (other !== null)
      return [observation(mid, at, ENDPOINTS.detail, 'unparseable', evidence, { message: other })];
    return onlyWeiboStatements(res, mblogObservations(status, at, ENDPOINTS.detail, evidence, mid));
  }
  // A JSON answer on the detail URL happens when the host serves the API shape; read it as such.
  if (tryParseJson(c.text) !== undefined)
    return parseStatusShow(res, at, mid).map((o) => ({
      ...o,
      endpoint: o.endpoint === ENDPOINTS.show ? ENDPOINTS.detail : o.endpoint,
    }));
  const page = believedStatement(res, classifyHtmlPage(c.text, 'html'));
  const message =
    data !== undefined && page.outcome === 'unparseable' ? '$render_data without status' : page.message;
  return [observation(mid, at, ENDPOINTS.detail, page.outcome, evidence, { message })];
}

/** The answer of `statuses/extend`: the long text, or why there is none. */
export type ExtendResult =
  | {
      readonly kind: 'long-text';
      readonly html: string;
      readonly text: string;
      readonly counts: Partial<Counts>;
    }
  | { readonly kind: 'outcome'; readonly outcome: UnavailableOutcome; readonly message: string };

/** Parses `statuses/extend` → `{ok:1,data:{ok:1,longTextContent,reposts_count,…}}`. */
export function parseExtend(res: HttpResponse): ExtendResult {
  const c = classifyJsonResponse(res);
  if (c.kind === 'outcome') return { kind: 'outcome', outcome: c.outcome, message: c.message };
  const data = c.value['data'];
  if (!isJsonObject(data))
    return { kind: 'outcome', outcome: 'unparseable', message: 'statuses/extend: no data object' };
  if (data['ok'] !== undefined && Number(data['ok']) !== 1) {
    const msg = envelopeMessage(data);
    const errno = envelopeErrno(data);
    return {
      kind: 'outcome',
      outcome: classifyMessage(msg, errno) ?? 'unparseable',
      message: msg ?? `data.ok ${String(data['ok'])}`,
    };
  }
  const html = data['longTextContent'];
  if (typeof html !== 'string' || html === '') {
    return { kind: 'outcome', outcome: 'unparseable', message: 'statuses/extend: no longTextContent' };
  }
  const counts: Partial<Counts> = {};
  const reposts = parseCount(data['reposts_count']);
  const comments = parseCount(data['comments_count']);
  const likes = parseCount(data['attitudes_count']);
  if (reposts !== null) Object.assign(counts, { reposts });
  if (comments !== null) Object.assign(counts, { comments });
  if (likes !== null) Object.assign(counts, { likes });
  return { kind: 'long-text', html, text: htmlToText(html), counts };
}

/** Keys whose values are posts and people: their words are someone's, never the platform's notice. */
const QUOTING_KEYS: ReadonlySet<string> = new Set(['mblog', 'retweeted_status', 'user', 'users']);

/**
 * JSON text of a parsed value with `\uXXXX` escapes decoded and every post and person left out;
 * '' for a value too deep to write back.
 */
function platformJson(parsed: unknown): string {
  try {
    return JSON.stringify(parsed, (k, v: unknown) => (QUOTING_KEYS.has(k) ? undefined : v));
  } catch {
    // A hostile nesting depth overflows the stack: such a body states nothing.
    return '';
  }
}

/** The platform's withholding notice on searches (research §3.5). */
const WITHHOLDING = /根据相关法律法规和政策[，,、\s]*(部分)?搜索结果未予显示|(部分)?搜索结果未予显示/;

/**
 * The withholding notice anywhere in a body, in whatever field it stands. A JSON body is searched
 * in its decoded form (m.weibo.cn may escape Chinese as `\uXXXX`) and without its posts and their
 * authors, whose text and profiles may quote the notice; any other body is searched as text. A
 * search listing reads the notice only in its documented places: {@link listingWithholdingNotice}.
 */
export function findWithholdingNotice(
  text: string,
  parsed?: unknown,
): { notice: string; partial: boolean } | null {
  const hay = parsed === undefined ? text : platformJson(parsed);
  const m = WITHHOLDING.exec(hay);
  if (!m) return null;
  return { notice: m[0], partial: m[1] !== undefined || m[2] !== undefined };
}

/** The notice when it is the whole of `text` (punctuation, width, spaces and help links aside), or null. */
function wholeWithholding(text: unknown): { notice: string; partial: boolean } | null {
  if (typeof text !== 'string') return null;
  const m = /^根据相关法律法规和政策(部分)?搜索结果未予显示$/.exec(messageKey(text));
  if (!m) return null;
  return { notice: WITHHOLDING.exec(text)?.[0] ?? text.trim(), partial: m[1] !== undefined };
}

const okIs = (v: unknown, n: 0 | 1): boolean => v === n || v === String(n);

/**
 * The withholding notice of a search answer, read only where Weibo states it: the whole `msg` of
 * an `ok:0` envelope, `data.cardlistInfo.desc`, or the `desc` of a `card_type` 4 card (in a
 * `card_group` too) of an `ok:1` card list. Anywhere else (another card's text, a hint, a wrapper
 * around the envelope, a msg with more words) it is no statement about the search.
 */
export function listingWithholdingNotice(envelope: unknown): { notice: string; partial: boolean } | null {
  if (!isJsonObject(envelope)) return null;
  if (okIs(envelope['ok'], 0)) return wholeWithholding(envelopeMessage(envelope));
  if (!okIs(envelope['ok'], 1)) return null;
  const data = envelope['data'];
  if (!isJsonObject(data) || !Array.isArray(data['cards'])) return null;
  const info = data['cardlistInfo'];
  const byInfo = isJsonObject(info) ? wholeWithholding(info['desc']) : null;
  if (byInfo) return byInfo;
  const inCards = (cards: readonly unknown[], depth: number): { notice: string; partial: boolean } | null => {
    for (const c of cards) {
      if (!isJsonObject(c)) continue;
      const type = c['card_type'];
      if (type === 4 || type === '4') {
        const n = wholeWithholding(c['desc']);
        if (n) return n;
      }
      const group = c['card_group'];
      if (Array.isArray(group) && depth < 3) {
        const n = inCards(group, depth + 1);
        if (n) return n;
      }
    }
    return null;
  };
  return inCards(data['cards'], 0);
}

/** Post mblogs of a card list (`card_type` 9, and those nested in `card_type` 11 `card_group`), and what was not read. */
interface CardRead {
  readonly mblogs: JsonObject[];
  /** One line per card that held nothing the parser reads: see {@link ListingResult.unread}. */
  readonly unread: string[];
}

/** Cards that carry no post by their kind: notices (4) and the end of the list (58). */
const NON_POST_CARDS: ReadonlySet<number> = new Set([4, 58]);

function cardMblogs(
  cards: readonly unknown[],
  depth = 0,
  out: CardRead = { mblogs: [], unread: [] },
): CardRead {
  for (const card of cards) {
    if (!isJsonObject(card)) {
      out.unread.push('a card that is not an object');
      continue;
    }
    const type = card['card_type'];
    const kind = `card_type ${typeof type === 'string' || typeof type === 'number' ? String(type) : '?'}`;
    const mblog = card['mblog'];
    const group = card['card_group'];
    if (isJsonObject(mblog)) {
      // mblogObservations drops an mblog that names no post; it is on the page all the same.
      if (mblogId(mblog) === null) out.unread.push(`${kind}: mblog without an id`);
      else out.mblogs.push(mblog);
    }
    if (Array.isArray(group)) {
      if (depth < 3) cardMblogs(group, depth + 1, out);
      else out.unread.push(`${kind}: groups nested too deep`);
    }
    // A card of a kind never seen may hold a post in a shape not read (research names 9, 11, 4 and 58
    // only). Real pages also carry user, title and hint cards, which name no post: counting those
    // would make every such page unparseable, so only a card with something post-like in it counts.
    if (
      mblog === undefined &&
      !Array.isArray(group) &&
      !NON_POST_CARDS.has(Number(type)) &&
      holdsPostLike(card, 0)
    )
      out.unread.push(kind);
  }
  return out;
}

/** Keys under which Weibo's JSON carries a post. */
const POST_KEYS = ['mblog', 'mblogs', 'status', 'statuses', 'retweeted_status'];
/** A link to a post: m.weibo.cn/status/…, /detail/…, weibo.com/UID/BID. */
const POST_LINK = /\/(?:status|detail)\/\w|weibo\.com\/\d+\/[0-9A-Za-z]{9}\b/;

/**
 * Whether a card holds anything that may be a post: a post key, an object with an id and a text,
 * or a link to a post. A card with none of these (a user, a title, a hint) names no post.
 */
function holdsPostLike(value: JsonObject, depth: number): boolean {
  if (POST_KEYS.some((k) => value[k] !== undefined)) return true;
  const id = value['mid'] ?? value['idstr'] ?? value['bid'] ?? value['id'];
  if (id !== undefined && (value['text'] !== undefined || value['raw_text'] !== undefined)) return true;
  for (const v of Object.values(value)) {
    if (typeof v === 'string') {
      if (POST_LINK.test(v)) return true;
    } else if (depth < 4) {
      if (isJsonObject(v) && holdsPostLike(v, depth + 1)) return true;
      if (Array.isArray(v) && v.some((x) => isJsonObject(x) && holdsPostLike(x, depth + 1))) return true;
    }
  }
  return false;
}

/** The unread parts of a page, de-duplicated in order, or nothing when it had none. */
function unreadField(unread: readonly string[]): { unread?: readonly string[] } {
  return unread.length > 0 ? { unread: [...new Set(unread)] } : {};
}

function hasEndCard(cards: readonly unknown[]): boolean {
  return cards.some((c) => isJsonObject(c) && Number(c['card_type']) === 58);
}

/**
 * True when a card list without posts says it has none: a timeline's end card (`card_type` 58)
 * with nothing beside it but notice cards (4), more end cards and groups of those. A list with no
 * cards says nothing (Weibo's empty container is `ok:0` 这里还没有内容), and a post card that could
 * not be read, or a card of a kind never seen, makes the page a parsing problem rather than an
 * empty listing, since "empty" lets an account's posts be checked as possibly gone.
 */
function onlyEndCards(cards: readonly unknown[]): boolean {
  const nonPost = (list: readonly unknown[], depth: number): boolean =>
    list.every((card) => {
      if (!isJsonObject(card)) return false;
      const type = Number(card['card_type']);
      if (type === 4 || type === 58) return !isJsonObject(card['mblog']);
      const group = card['card_group'];
      if (type === 11 && Array.isArray(group) && depth < 3) return nonPost(group, depth + 1);
      return false;
    });
  return cards.length > 0 && hasEndCard(cards) && nonPost(cards, 0);
}

/**
 * A listing page with no post: `empty` when a timeline's end card says so, else `unparseable`,
 * with what it did carry. A search says "no results" only as `ok:0` 这里还没有内容.
 */
function noPostsListing(
  cards: readonly unknown[],
  observations: Observation[],
  evidence: Evidence,
  what: string,
  endCardEmpties: boolean,
): ListingResult {
  if (endCardEmpties && onlyEndCards(cards))
    return { outcome: 'empty', observations, nextCursor: null, evidence };
  return {
    outcome: 'unparseable',
    message: `${what}: no readable post among ${cards.length} card(s)${cards.length === 0 ? ' and no word of an empty list' : ''}`,
    observations,
    nextCursor: null,
    evidence,
  };
}

/** m.weibo.cn answers an empty container with `ok:0` and this message as its whole msg (research §3.2). */
export function isNoContentMessage(msg: string | null): boolean {
  return msg !== null && messageKey(msg) === '这里还没有内容';
}

interface CardListParse {
  readonly result?: ListingResult;
  readonly data?: JsonObject;
  readonly cards?: readonly unknown[];
  readonly notice?: { notice: string; partial: boolean } | null;
}

/**
 * Shared envelope handling of getIndex card lists: outcome, or the data and its cards. `absence`
 * is what a not-found answer means for the listing: an account's timeline shows nothing (its
 * account may be gone), a keyword search is `unparseable`.
 */
function readCardList(res: HttpResponse, what: string, absence: 'empty' | 'unparseable'): CardListParse {
  const evidence = evidenceOf(res);
  const { json: parsed } = parsedBody(res.body);
  // Only Weibo's own answer states a withholding, and only in the notice's documented places.
  const notice = speaksForWeibo(res) ? listingWithholdingNotice(parsed) : null;
  const c = classifyJsonResponse(res);
  if (c.kind === 'outcome') {
    if (notice)
      return {
        result: { outcome: 'withheld', message: notice.notice, observations: [], nextCursor: null, evidence },
      };
    const msg = c.value ? envelopeMessage(c.value) : null;
    if (c.value && okIs(c.value['ok'], 0) && isNoContentMessage(msg))
      return {
        result: { outcome: 'empty', message: msg ?? undefined, observations: [], nextCursor: null, evidence },
      };
    const listed = listingOutcomeOf(c.outcome);
    // A not-found answer to a keyword search is no "zero results": it would read as withholding.
    const outcome = listed === 'empty' ? absence : listed;
    const message = outcome === c.outcome ? c.message : `${c.outcome}: ${c.message}`;
    return { result: { outcome, message, observations: [], nextCursor: null, evidence } };
  }
  const data = c.value['data'];
  const cards = isJsonObject(data) ? data['cards'] : undefined;
  // m.weibo.cn's card lists always say ok:1; one that does not is a template not known, whose
  // paging fields say nothing of where the list ends.
  if (!okIs(c.value['ok'], 1) || !isJsonObject(data) || !Array.isArray(cards)) {
    return {
      result: {
        outcome: 'unparseable',
        message: okIs(c.value['ok'], 1) ? `${what}: data.cards missing` : `${what}: card list without ok:1`,
        observations: [],
        nextCursor: null,
        evidence,
      },
    };
  }
  return { data, cards, notice };
}

/**
 * Parses one keyword search page (m.weibo.cn getIndex, container `100103`).
 *
 * The withholding notice (根据相关法律法规和政策，搜索结果未予显示 / 部分搜索结果未予显示) anywhere in
 * the body makes the outcome `withheld`, with the notice as `message`; a partial notice still
 * returns the posts listed. No posts → `empty`. `nextCursor` is the next page number when posts were
 * listed, unless `cardlistInfo.page` is explicitly null (the last page). Each listed post is an `alive` observation (endpoint `m.search`), followed by one of its
 * embedded original when it is a repost.
 */
export function parseSearchPage(res: HttpResponse, at: number, keyword: string): ListingResult {
  const evidence = evidenceOf(res);
  const read = readCardList(res, `search "${keyword}"`, 'unparseable');
  if (read.result) return read.result;
  const cards = cardMblogs(read.cards ?? []);
  const observations = onlyWeiboStatements(
    res,
    cards.mblogs.flatMap((m) => mblogObservations(m, at, ENDPOINTS.search, evidence)),
  );
  const listed = observations.some((o) => o.endpoint === ENDPOINTS.search);
  // `cardlistInfo.page` names the next page; an explicit null there says this was the last one.
  const info = read.data?.['cardlistInfo'];
  const lastPage = isJsonObject(info) && 'page' in info && info['page'] === null;
  const nextCursor = listed && !lastPage ? String(pageOf(res.url) + 1) : null;
  const unread = unreadField(cards.unread);
  if (read.notice)
    return {
      outcome: 'withheld',
      message: read.notice.notice,
      observations,
      nextCursor,
      evidence,
      ...unread,
    };
  if (!listed)
    return {
      ...noPostsListing(read.cards ?? [], observations, evidence, `search "${keyword}"`, false),
      ...unread,
    };
  return { outcome: 'results', observations, nextCursor, evidence, ...unread };
}

/** Where an m.weibo.cn timeline page continues: after a `since_id`, or at a page number. */
export type TimelineCursor = { readonly sinceId: string } | { readonly page: number };

/** Reads a cursor written by {@link parseTimelinePage}: `page:<n>`, else a since_id; undefined is the first page. */
export function parseTimelineCursor(cursor: string | undefined): TimelineCursor | null {
  if (cursor === undefined || cursor === '') return null;
  const m = /^page:(\d{1,6})$/.exec(cursor);
  if (m) return { page: Math.max(1, Number(m[1])) };
  return { sinceId: cursor };
}

/** A page number as the JSON gives it (number or digit string), or null. */
function pageNumber(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,6}$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/**
 * Parses one account timeline page (m.weibo.cn getIndex, container `107603<uid>`).
 *
 * `nextCursor` is `cardlistInfo.since_id` when the page gives one. Without it, a timeline that
 * pages by number (`cardlistInfo.page`, the next page) continues at `page:<n>`; a `page` that is
 * not past the page just read continues at the one after it. A `card_type` 58 card, no posts, or
 * neither field ends the list.
 */
export function parseTimelinePage(res: HttpResponse, at: number): ListingResult {
  const evidence = evidenceOf(res);
  const read = readCardList(res, 'timeline', 'empty');
  if (read.result) return read.result;
  const cards = read.cards ?? [];
  const readCards = cardMblogs(cards);
  const observations = onlyWeiboStatements(
    res,
    readCards.mblogs.flatMap((m) => mblogObservations(m, at, ENDPOINTS.timeline, evidence)),
  );
  const listed = observations.some((o) => o.endpoint === ENDPOINTS.timeline);
  const unread = unreadField(readCards.unread);
  if (!listed) return { ...noPostsListing(cards, observations, evidence, 'timeline', true), ...unread };
  const paging = hasEndCard(cards)
    ? { next: null }
    : timelineNext(read.data?.['cardlistInfo'], pageOf(res.url));
  if ('unread' in paging)
    // The posts are read; where the list goes on is not: no end, and no page after this one.
    return {
      outcome: 'unparseable',
      message: `timeline: ${paging.unread}`,
      observations,
      nextCursor: null,
      evidence,
      ...unread,
    };
  return { outcome: 'results', observations, nextCursor: paging.next, evidence, ...unread };
}

/**
 * Where a timeline goes on after a page with posts, by its `cardlistInfo`: `since_id` (0 at the
 * end), else `page` (null at the end), else, with neither named, this was the last page. Paging
 * fields of other shapes, or no `cardlistInfo`, say nothing of the end: `unread`.
 */
function timelineNext(info: unknown, current: number): { next: string | null } | { unread: string } {
  if (!isJsonObject(info)) return { unread: 'no cardlistInfo to page by' };
  if ('since_id' in info) {
    const since = asIdString(info['since_id']);
    if (since === null || !/^\d+$/.test(since))
      return { unread: `since_id ${JSON.stringify(info['since_id'])}` };
    return { next: since === '0' || /^0+$/.test(since) ? null : since };
  }
  if ('page' in info) {
    if (info['page'] === null) return { next: null };
    const page = pageNumber(info['page']);
    if (page === null) return { unread: `page ${JSON.stringify(info['page'])}` };
    return { next: `page:${page > current ? page : current + 1}` };
  }
  return { next: null };
}
