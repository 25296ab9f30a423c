import type { Cause, Platform, TargetKind } from '../domain/glossary';
import type { Row, Sql } from './db';
import type { EventFilter, EventRow, NewEvent } from './rows';

/** One event of a target, as `show` tells it. */
export interface StoryEvent {
  readonly type: string;
  readonly at: number;
  readonly cause: string | null;
  readonly detail: Record<string, unknown>;
}

/** An event row {@link EventRepository.shareWithWatch} added. */
export interface ShareRow {
  readonly id: number;
  readonly type: string;
  readonly at: number;
  readonly keyword: string | null;
  readonly cause: string | null;
  /** JSON. */
  readonly detail: string;
}

/** The `events` table: what happened, once per watch, each insert idempotent by its dedupe key. */
export class EventRepository {
  constructor(private readonly sql: Sql) {}

  /** Inserts an event unless one with the same dedupe key exists; returns its id or null. */
  insert(e: NewEvent): number | null {
    const r = this.sql.run(
      `INSERT OR IGNORE INTO events (type, at, watch_id, platform, target_id, native_id, keyword, cause, detail, dedupe_key)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      e.type,
      e.at,
      e.watchId,
      e.platform,
      e.targetRowId,
      e.nativeId,
      e.keyword,
      e.cause,
      JSON.stringify(e.detail),
      e.dedupeKey,
    );
    return r.changes > 0 ? Number(r.lastInsertRowid) : null;
  }

  /**
   * Gives `watch` the target's events after `since` that other watches have (each once, with that
   * watch in its dedupe key, so a repeat adds nothing), `post.discovered` aside; returns the rows
   * added. For a watch that joins a target through an observation older than events already
   * recorded: results recorded out of their fetch order must not cost the new watch an edit or a
   * deletion it was in time for.
   */
  shareWithWatch(targetRowId: number, since: number, watch: string): ShareRow[] {
    return this.sql.query<ShareRow>(
      `INSERT OR IGNORE INTO events (type, at, watch_id, platform, target_id, native_id, keyword, cause, detail, dedupe_key)
       SELECT type, at, ?, platform, target_id, native_id, keyword, cause, detail,
              substr(dedupe_key, 1, length(dedupe_key) - length(type) - length(watch_id) - 2) || ':' || type || ':' || ?
         FROM events
        WHERE target_id = ? AND at > ? AND watch_id IS NOT NULL AND watch_id <> ? AND type <> 'post.discovered'
        -- In time order, which also walks events_at from since: recent events only, not the table.
        ORDER BY at, id
       RETURNING id, type, at, keyword, cause, detail`,
      watch,
      watch,
      targetRowId,
      since,
      watch,
    );
  }

  list(f: EventFilter = {}): EventRow[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.watchId) {
      where.push('e.watch_id = ?');
      params.push(f.watchId);
    }
    if (f.since != null) {
      where.push('e.at >= ?');
      params.push(f.since);
    }
    if (f.until != null) {
      where.push('e.at < ?');
      params.push(f.until);
    }
    if (f.afterId != null) {
      where.push('e.id > ?');
      params.push(f.afterId);
    }
    const sql = `SELECT e.*, t.kind AS kind FROM events e LEFT JOIN targets t ON t.id = e.target_id
      ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY e.id ${f.limit ? 'LIMIT ' + Number(f.limit) : ''}`;
    return this.sql.dynamic<Row>(sql, ...params).map((r) => ({
      id: r.id as number,
      type: r.type as string,
      at: r.at as number,
      watchId: (r.watch_id as string | null) ?? null,
      platform: r.platform as Platform,
      nativeId: (r.native_id as string | null) ?? null,
      kind: (r.kind as TargetKind | null) ?? null,
      keyword: (r.keyword as string | null) ?? null,
      cause: (r.cause as Cause | null) ?? null,
      detail: JSON.parse(r.detail as string) as Record<string, unknown>,
    }));
  }

  /** Id of the latest event (0 when there is none). */
  lastId(): number {
    return this.sql.get<{ m: number | null }>(`SELECT MAX(id) AS m FROM events`)?.m ?? 0;
  }

  /** A target's events in order, one per type and time (an event is stored once per watch). */
  ofTarget(targetRowId: number): StoryEvent[] {
    return this.sql
      .query<{ type: string; at: number; cause: string | null; detail: string }>(
        `SELECT type, at, cause, MIN(detail) AS detail FROM events WHERE target_id = ? GROUP BY type, at, cause ORDER BY at, MIN(id)`,
        targetRowId,
      )
      .map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
