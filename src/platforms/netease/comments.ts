import type { CommentSnapshot } from '../../domain/glossary';
import type { NeteaseComment, NeteaseCommentList, NeteaseThreadInfo } from './parse';

/** newList pages read per thread check. @defaultValue 3 */
export const DEFAULT_COMMENT_PAGES = 3;
/** Comments per newList page (research §3.2: up to 40 known to work). @defaultValue 30 */
export const COMMENT_PAGE_SIZE = 30;

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
