import type { CommentSnapshot } from '../domain/glossary';
import type { KnownComment } from '../domain/comments';
import { commentTime } from '../domain/comments';
import { sqlOf, type Sql, type SqlOwner } from './db';

interface CommentRow {
  comment_id: string;
  author: string | null;
  location: string | null;
  text: string;
  created_at: number | null;
  first_seen_at: number;
  last_seen_at: number;
  gone_at: number | null;
}

/**
 * The `comments` and `comment_threads` tables: what each thread check saw, comment by comment.
 * Written only by the recorder, inside its transactions.
 */
export class CommentStore {
  private readonly sql: Sql;

  /** @param owner - the store (or its connection) */
  constructor(owner: SqlOwner) {
    this.sql = sqlOf(owner);
  }

  /** Every comment known for a thread target. */
  known(targetRowId: number): KnownComment[] {
    return this.sql
      .query<CommentRow>(
        `SELECT comment_id, author, location, text, created_at, first_seen_at, last_seen_at, gone_at
         FROM comments WHERE target_id = ?`,
        targetRowId,
      )
      .map((r) => ({
        id: r.comment_id,
        author: r.author,
        location: r.location,
        text: r.text,
        createdAt: r.created_at,
        firstSeenAt: r.first_seen_at,
        lastSeenAt: r.last_seen_at,
        goneAt: r.gone_at,
      }));
  }

  /**
   * Records a listed comment. A comment first seen already deleted is stored gone from the start,
   * and a deleted mark never counts as being seen (last_seen_at stays the last time it was there).
   */
  upsert(targetRowId: number, c: CommentSnapshot, at: number): void {
    this.sql.run(
      `INSERT INTO comments (target_id, comment_id, author, location, text, created_at, first_seen_at, last_seen_at, gone_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (target_id, comment_id) DO UPDATE SET
         author = COALESCE(excluded.author, author),
         location = COALESCE(excluded.location, location),
         text = CASE WHEN excluded.gone_at IS NULL AND excluded.text <> '' THEN excluded.text ELSE text END,
         created_at = COALESCE(created_at, excluded.created_at),
         last_seen_at = CASE WHEN excluded.gone_at IS NULL THEN excluded.last_seen_at ELSE last_seen_at END`,
      targetRowId,
      c.id,
      c.author,
      c.location ?? null,
      c.text,
      commentTime(c),
      at,
      at,
      c.deleted ? at : null,
    );
  }

  /** Marks a comment gone; returns false when it already was. */
  markGone(targetRowId: number, commentId: string, at: number): boolean {
    return (
      this.sql.run(
        `UPDATE comments SET gone_at = ? WHERE target_id = ? AND comment_id = ? AND gone_at IS NULL`,
        at,
        targetRowId,
        commentId,
      ).changes > 0
    );
  }

  /** The thread's last recorded status flags, or null before the first. */
  flags(targetRowId: number): Record<string, boolean> | null {
    const r = this.sql.query<{ flags: string }>(
      `SELECT flags FROM comment_threads WHERE target_id = ?`,
      targetRowId,
    )[0];
    return r ? (JSON.parse(r.flags) as Record<string, boolean>) : null;
  }

  saveFlags(targetRowId: number, flags: Readonly<Record<string, boolean>>, at: number): void {
    this.sql.run(
      `INSERT INTO comment_threads (target_id, flags, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (target_id) DO UPDATE SET flags = excluded.flags, updated_at = excluded.updated_at`,
      targetRowId,
      JSON.stringify(flags),
      at,
    );
  }
}
