/**
 * NetEase comment (跟贴) lists: parsing newList/hotList answers (web or app form, JSON or JSONP) and
 * turning them into the comment snapshots the recorder keeps (research/netease.md §3.3).
 */
import type { CommentSnapshot } from '../../domain/glossary';
import type { HttpResponse } from '../../http/types';
import { apiError, bool, isRecord, num, parseJsonResponse, str } from './response';
import type { NeteaseParsed } from './response';
import type { NeteaseThreadInfo } from './threads';
import { beijingTimeToIso } from './time';

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

/** The DOCID a comment's `postId` (`<DOCID>_<commentId>`) or a `threadInfo.url` names, or null. */
function docidNamed(v: unknown): string | null {
  const s = str(v);
  const m = s ? /([A-Z0-9]{16})(?:_\w+)?(?:\.html)?$|^([A-Z0-9]{16})_/i.exec(s) : null;
  return m ? (m[1] ?? m[2] ?? '').toUpperCase() : null;
}

/**
 * Parses a newList/hotList answer (plain JSON or JSONP; web or app form). With `docid`, a list
 * whose comments (`postId`) or thread (`threadInfo.url`) name only other articles is `unparseable`:
 * read as this thread's, every one of its own known comments would look deleted.
 */
export function parseCommentList(res: HttpResponse, docid?: string): NeteaseParsed<NeteaseCommentList> {
  const parsed = parseJsonResponse(res);
  if (!parsed.ok) return parsed;
  const json = parsed.value;
  if (!isRecord(json)) return { ok: false, outcome: 'unparseable', message: 'comment list is not an object' };
  const err = apiError(json, 'comments');
  if (err) return { ok: false, outcome: 'unparseable', message: err };
  const dict = json['comments'];
  if (!isRecord(dict))
    return { ok: false, outcome: 'unparseable', message: 'comment list without a comments map' };

  if (docid !== undefined) {
    const ti = json['threadInfo'];
    const named = [
      ...Object.values(dict).map((c) => (isRecord(c) ? docidNamed(c['postId']) : null)),
      isRecord(ti) ? docidNamed(ti['url']) : null,
    ].filter((d): d is string => d !== null);
    if (named.length > 0 && !named.includes(docid.toUpperCase()))
      return {
        ok: false,
        outcome: 'unparseable',
        message: `comment list is about ${named[0]!}, not ${docid}`,
      };
  }
  // commentIds is the page's order and its length says where the list ends: without it, or with an
  // entry that is not an id chain, the page cannot say which comments it lists, nor that it is the last.
  const ids = json['commentIds'];
  if (!Array.isArray(ids))
    return { ok: false, outcome: 'unparseable', message: 'comment list without a commentIds list' };
  const chains: string[][] = [];
  for (const [i, x] of ids.entries()) {
    const chain = (typeof x === 'string' || typeof x === 'number' ? String(x) : '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    if (chain.length === 0 || !chain.every((id) => /^\d+$/.test(id)))
      return { ok: false, outcome: 'unparseable', message: `commentIds entry ${i} is not a chain of ids` };
    chains.push(chain);
  }
  // A listed comment (the last id of its chain) the map does not carry may be a known one: the page
  // cannot say it is missing, so it is a page the parser cannot read, not a thread without it.
  const unreadable = chains.map((c) => c[c.length - 1]).find((id) => id !== undefined && !isRecord(dict[id]));
  if (unreadable !== undefined)
    return {
      ok: false,
      outcome: 'unparseable',
      message: `comment list names comment ${unreadable} but does not carry it`,
    };
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

/** newList pages read per thread check. @defaultValue 3 */
export const DEFAULT_COMMENT_PAGES = 3;
/** Comments per newList page (research §3.2: up to 40 known to work). @defaultValue 30 */
export const COMMENT_PAGE_SIZE = 30;

/**
 * Whether a newList page ends the list: it lists fewer entries than `limit` asked for, down to none
 * (research §3.3: past the end `commentIds` is empty and `comments` `{}`).
 */
export function commentListEnds(list: NeteaseCommentList, limit: number): boolean {
  return list.chains.length < limit;
}

/** A comment as kept: nickname and location only, never `user.id` nor the account number. */
export function commentSnapshot(c: NeteaseComment): CommentSnapshot {
  return {
    id: c.commentId,
    text: c.content,
    author: c.user.nickname,
    location: c.user.location,
    createdAt: c.createdAt,
    deleted: c.isDel,
  };
}

/**
 * The comments a newList page lists, in list order (newest first). Each entry of `commentIds` is a
 * reply chain whose last id is the listed comment; the ids before it are older comments quoted for
 * context, which are left out here: they would make the page look as if it reached back to their
 * time, and each of them is listed on its own where it belongs.
 */
export function listedComments(list: NeteaseCommentList): CommentSnapshot[] {
  const byId = new Map(list.comments.map((c) => [c.commentId, c]));
  const out: CommentSnapshot[] = [];
  const seen = new Set<string>();
  const entries =
    list.chains.length > 0 ? list.chains.map((chain) => chain[chain.length - 1]) : [...byId.keys()];
  for (const id of entries) {
    const c = id === undefined ? undefined : byId.get(id);
    if (!c || seen.has(c.commentId)) continue;
    seen.add(c.commentId);
    out.push(commentSnapshot(c));
  }
  return out;
}

/** The thread's `status` flags as booleans (`on` → true), or undefined when it has none. */
export function threadFlags(info: NeteaseThreadInfo): Record<string, boolean> | undefined {
  const entries = Object.entries(info.status).filter(([, v]) => v === 'on' || v === 'off');
  return entries.length > 0 ? Object.fromEntries(entries.map(([k, v]) => [k, v === 'on'])) : undefined;
}

/**
 * A comment list body with every commenter's `user.id` removed, for keeping as evidence: that id is
 * base64 of the account name or e-mail. JSONP is kept as JSONP. A body that is not a comment list
 * is returned as it came.
 */
export function redactCommentUsers(body: Buffer): Buffer {
  const text = body.toString('utf8');
  const m = /^(\s*[\w$.]+\s*\()([\s\S]*)(\)\s*;?\s*)$/.exec(text);
  const json = m ? m[2]! : text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return body;
  }
  if (typeof value !== 'object' || value === null) return body;
  const comments = (value as Record<string, unknown>)['comments'];
  if (typeof comments !== 'object' || comments === null) return body;
  let changed = false;
  for (const c of Object.values(comments as Record<string, unknown>)) {
    const user = typeof c === 'object' && c !== null ? (c as Record<string, unknown>)['user'] : undefined;
    if (typeof user === 'object' && user !== null && 'id' in user) {
      delete (user as Record<string, unknown>)['id'];
      changed = true;
    }
  }
  if (!changed) return body;
  const out = JSON.stringify(value);
  return Buffer.from(m ? `${m[1]!}${out}${m[3]!}` : out, 'utf8');
}
