/** What an alive observation of a comment thread changes about its comments (see ./decision). */
import { compareComments, flagsTurnedOff, type KnownComment } from './comments';
import type { PlannedEvent } from './decision-events';
import type { CommentSnapshot, Observation } from './glossary';

/** What the store knows about a thread's comments. */
export interface ThreadSnapshot {
  readonly known: readonly KnownComment[];
  /** The last stored status flags, or null before the first. */
  readonly flags: Readonly<Record<string, boolean>> | null;
}

/** What a thread observation changes about the thread's comments. */
export interface CommentPlan {
  /** Every listed comment, stored or refreshed. */
  readonly upserts: readonly CommentSnapshot[];
  /** Known comments now gone: each marked, and told only when the mark is new. */
  readonly gone: readonly { readonly commentId: string; readonly event: PlannedEvent }[];
  /** `thread.closed`, when a status flag turned off. */
  readonly closed: PlannedEvent | null;
  /** Flags to store as the thread's last; null when the observation carried none. */
  readonly flags: Readonly<Record<string, boolean>> | null;
}

/**
 * The comments one alive thread observation listed are stored; `comment.gone` is told once for each
 * known comment it shows gone, and `thread.closed` when a status flag turned off.
 */
export function commentPlan(
  snap: ThreadSnapshot | undefined,
  obs: Observation,
  seen: NonNullable<Observation['comments']>,
  watches: readonly string[],
): CommentPlan {
  const known = snap?.known ?? [];
  const changes = compareComments(known, seen);
  const base = {
    at: obs.at,
    platform: obs.target.platform,
    target: obs.target,
    keyword: null,
    cause: null,
    watchIds: watches.length ? watches : [null],
  };
  const gone = changes.gone.map((g) => {
    const c = g.comment;
    const event: PlannedEvent = {
      ...base,
      type: 'comment.gone',
      detail: {
        commentId: c.id,
        author: c.author,
        location: c.location,
        text: c.text,
        createdAt: c.createdAt,
        firstSeenAt: c.firstSeenAt,
        lastSeenAt: c.lastSeenAt,
        reason: g.reason,
        // The deletion window, as for posts: (last seen, first seen gone].
        window: [c.lastSeenAt, obs.at],
      },
      key: (rowId) => `comment-gone:${rowId}:${c.id}`,
    };
    return { commentId: c.id, event };
  });
  let closed: PlannedEvent | null = null;
  if (seen.flags) {
    const before = snap?.flags ?? null;
    const off = flagsTurnedOff(before, seen.flags);
    if (off.length > 0)
      closed = {
        ...base,
        type: 'thread.closed',
        detail: { flags: off, before, after: seen.flags },
        key: (rowId) => `thread-closed:${rowId}:${obs.at}`,
      };
  }
  return { upserts: seen.items, gone, closed, flags: seen.flags ?? null };
}
