import type { CommentSnapshot, CommentsSeen } from './glossary';

/** A comment as the store remembers it between thread checks. */
export interface KnownComment {
  readonly id: string;
  readonly author: string | null;
  readonly location: string | null;
  readonly text: string;
  /** Epoch ms, or null when the platform gave no time. */
  readonly createdAt: number | null;
  readonly firstSeenAt: number;
  /** Last time it was seen listed and not deleted. */
  readonly lastSeenAt: number;
  /** When it was found gone, or null while it is still there. */
  readonly goneAt: number | null;
}

/** A previously seen comment that a thread check shows gone. */
export interface GoneComment {
  readonly comment: KnownComment;
  /** `missing`: absent from a snapshot that covers it; `deleted`: listed with the platform's deleted mark. */
  readonly reason: 'missing' | 'deleted';
}

/** What one thread snapshot changes about the known comments. */
export interface CommentChanges {
  /** Comments seen gone now, each for the first time. */
  readonly gone: readonly GoneComment[];
  /** False when the list is not in time order (e.g. ranked by likes), so only a complete snapshot covers anything. */
  readonly timeOrdered: boolean;
}

/** Epoch ms of a snapshot's ISO time, or null. */
export function commentTime(c: Pick<CommentSnapshot, 'createdAt'>): number | null {
  if (!c.createdAt) return null;
  const t = Date.parse(c.createdAt);
  return Number.isFinite(t) ? t : null;
}

/**
 * Compares the comments known for a thread with one snapshot of it. Pure.
 *
 * A known comment that is not yet gone becomes gone when the snapshot lists it as deleted, or when
 * it is missing from a snapshot that covers it: the snapshot is complete, or it is a newest-first
 * list and the comment is newer than the oldest comment listed (older ones may lie beyond the page
 * cap). A list that is not in time order covers nothing unless complete, since a cap on a ranked
 * list cuts anywhere. A comment created at the very time of the oldest listed one is not covered:
 * the cap may fall between two comments of the same second.
 */
export function compareComments(known: readonly KnownComment[], seen: CommentsSeen): CommentChanges {
  const byId = new Map(seen.items.map((c) => [c.id, c]));
  const times = seen.items.map(commentTime).filter((t): t is number => t !== null);
  let timeOrdered = true;
  for (let i = 1; i < times.length; i++) if (times[i]! > times[i - 1]!) timeOrdered = false;
  const oldest = times.length > 0 ? Math.min(...times) : null;
  // Every comment created after this (epoch ms) should be listed, when the list is newest first.
  const coversAfter = timeOrdered ? oldest : null;

  const gone: GoneComment[] = [];
  for (const k of known) {
    if (k.goneAt !== null) continue;
    const now = byId.get(k.id);
    if (now) {
      if (now.deleted) gone.push({ comment: k, reason: 'deleted' });
      continue;
    }
    const covered =
      seen.complete || (coversAfter !== null && k.createdAt !== null && k.createdAt > coversAfter);
    if (covered) gone.push({ comment: k, reason: 'missing' });
  }
  return { gone, timeOrdered };
}

/** Flags that were on before and are off now, sorted. */
export function flagsTurnedOff(
  before: Readonly<Record<string, boolean>> | null,
  after: Readonly<Record<string, boolean>>,
): string[] {
  if (!before) return [];
  return Object.keys(after)
    .filter((k) => before[k] === true && after[k] === false)
    .sort();
}
