import type { Platform } from '../domain/glossary';
import { NO_PROBLEM, type ProblemKind, type ProblemSubject, type ProblemTrack } from '../domain/problems';
import { sqlOf, type Sql, type SqlOwner } from './db';

/** Which configured item a problem row is about. */
export type ProblemKey = { readonly sourceId: number } | { readonly targetRowId: number };

/** A watch problem open now, as `status`, the progress line and reports show it. */
export interface OpenProblem {
  readonly kind: ProblemKind;
  readonly subject: ProblemSubject;
  readonly platform: Platform;
  /** The keyword or account as configured, or the post/article URL. */
  readonly query: string;
  /** The watches it belongs to. */
  readonly watches: readonly string[];
  /** When the streak that opened it began (epoch ms). */
  readonly since: number;
  /** Rounds or checks in the streak so far. */
  readonly count: number;
  /** The platform's or adapter's words on the last failure, when any. */
  readonly message: string | null;
}

interface Row {
  subject: string;
  streak_kind: string | null;
  streak_count: number;
  streak_since: number | null;
  problem: string | null;
  opened_at: number | null;
}

function subjectOf(key: ProblemKey): string {
  return 'sourceId' in key ? `source:${key.sourceId}` : `target:${key.targetRowId}`;
}

/** Tracks kept per connection; past this many the cache starts over. */
const TRACK_CACHE = 50_000;

/**
 * The tracks read or saved on one connection, shared by every {@link ProblemStore} on it (they
 * all write through {@link ProblemStore.save}, which keeps it), for the {@link Sql.staleness} it
 * holds for: anything else that may have changed the rows (a rollback, another connection's
 * commit) empties it.
 */
interface TrackCache {
  stale: number;
  readonly tracks: Map<string, ProblemTrack>;
}

const trackCaches = new WeakMap<Sql, TrackCache>();

function remember(cache: TrackCache, subject: string, track: ProblemTrack): void {
  if (cache.tracks.size >= TRACK_CACHE) cache.tracks.clear();
  cache.tracks.set(subject, track);
}

/**
 * The `watch_problems` table: what the problem rules remember per configured keyword, account and
 * post URL, and the problems open now. Written by the engine's problem hook inside the recorder's
 * transactions; read by `status`, `run`'s progress line and reports.
 */
export class ProblemStore {
  private present: boolean | null = null;

  private readonly sql: Sql;

  /** @param owner - the store (or its connection) */
  constructor(owner: SqlOwner) {
    this.sql = sqlOf(owner);
  }

  /** False on a database opened read-only from before the table existed: nothing to read then. */
  private hasTable(): boolean {
    this.present ??=
      this.sql.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'watch_problems'`).length >
      0;
    return this.present;
  }

  /**
   * The connection's track cache, emptied first if the rows behind it may have changed; undefined
   * outside a write transaction, where another connection may commit at any time.
   */
  private cache(): TrackCache | undefined {
    if (!this.sql.inTransaction || this.sql.db.readonly) return undefined;
    const stale = this.sql.staleness;
    let c = trackCaches.get(this.sql);
    if (!c) {
      c = { stale, tracks: new Map() };
      trackCaches.set(this.sql, c);
    } else if (c.stale !== stale) {
      c.tracks.clear();
      c.stale = stale;
    }
    return c;
  }

  /**
   * The rules' state for one configured item (nothing seen yet when absent). Inside a write
   * transaction from the connection's cache when read or saved before: every check of a healthy
   * post asks, and its answer hardly ever changes.
   */
  track(key: ProblemKey): ProblemTrack {
    const subject = subjectOf(key);
    const cache = this.cache();
    const hit = cache?.tracks.get(subject);
    if (hit) return hit;
    const track = this.read(subject);
    if (cache) remember(cache, subject, track);
    return track;
  }

  private read(subject: string): ProblemTrack {
    const r = this.sql.get<Row>(
      `SELECT subject, streak_kind, streak_count, streak_since, problem, opened_at
       FROM watch_problems WHERE subject = ?`,
      subject,
    );
    if (!r) return NO_PROBLEM;
    return {
      streak:
        r.streak_kind !== null && r.streak_since !== null
          ? { kind: r.streak_kind as ProblemKind, count: r.streak_count, since: r.streak_since }
          : null,
      open:
        r.problem !== null && r.opened_at !== null
          ? { kind: r.problem as ProblemKind, since: r.opened_at }
          : null,
    };
  }

  /** Saves the rules' new state; `cleared` records when an open problem ended. */
  save(key: ProblemKey, track: ProblemTrack, at: number, message: string | null, cleared: boolean): void {
    const subject = subjectOf(key);
    // Forgotten first: should the write fail, no cached track is left that the table does not hold.
    const cache = this.cache();
    cache?.tracks.delete(subject);
    if (!cache) trackCaches.get(this.sql)?.tracks.delete(subject);
    this.sql.run(
      `INSERT INTO watch_problems (subject, source_id, target_id, streak_kind, streak_count, streak_since,
         problem, opened_at, message, cleared_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (subject) DO UPDATE SET streak_kind = excluded.streak_kind,
         streak_count = excluded.streak_count, streak_since = excluded.streak_since,
         problem = excluded.problem, opened_at = excluded.opened_at,
         message = CASE WHEN excluded.streak_kind IS NULL THEN NULL
                        ELSE COALESCE(excluded.message, watch_problems.message) END,
         cleared_at = COALESCE(excluded.cleared_at, watch_problems.cleared_at),
         updated_at = excluded.updated_at`,
      subject,
      'sourceId' in key ? key.sourceId : null,
      'targetRowId' in key ? key.targetRowId : null,
      track.streak?.kind ?? null,
      track.streak?.count ?? 0,
      track.streak?.since ?? null,
      track.open?.kind ?? null,
      track.open?.since ?? null,
      message,
      cleared ? at : null,
      at,
    );
    // As read back: a streak without its start, or a problem without its opening, reads as none.
    if (cache) remember(cache, subject, this.read(subject));
  }

  /**
   * The watches that configured a target as a post or article URL (empty for one found by
   * discovery: its failing checks are the platform's health, not a watch's problem).
   */
  configuredIn(targetRowId: number): string[] {
    return this.sql
      .query<{ watch_id: string }>(
        `SELECT watch_id FROM target_watches WHERE target_id = ? AND via = 'post' ORDER BY watch_id`,
        targetRowId,
      )
      .map((r) => r.watch_id);
  }

  /** How many problems are open now. */
  countOpen(): number {
    return this.open().length;
  }

  /** Problems open now, oldest first; for active keywords and accounts only. */
  open(watchId?: string): OpenProblem[] {
    if (!this.hasTable()) return [];
    const rows = this.sql.query<{
      problem: string;
      opened_at: number;
      streak_count: number;
      message: string | null;
      platform: Platform;
      mode: string | null;
      query: string;
      watches: string | null;
    }>(
      `SELECT p.problem, p.opened_at, p.streak_count, p.message,
         COALESCE(s.platform, t.platform) AS platform,
         s.mode,
         COALESCE(s.query, t.url) AS query,
         COALESCE(s.watch_id, (SELECT group_concat(tw.watch_id, char(10)) FROM target_watches tw
                               WHERE tw.target_id = t.id AND tw.via = 'post')) AS watches
       FROM watch_problems p
       LEFT JOIN sources s ON s.id = p.source_id
       LEFT JOIN targets t ON t.id = p.target_id
       WHERE p.problem IS NOT NULL AND (s.id IS NULL OR s.active = 1) AND COALESCE(s.id, t.id) IS NOT NULL
       ORDER BY p.opened_at, p.subject`,
    );
    return rows
      .map((r) => ({
        kind: r.problem as ProblemKind,
        subject: (r.mode ?? 'url') as ProblemSubject,
        platform: r.platform,
        query: r.query,
        watches: r.watches ? r.watches.split('\n').sort() : [],
        since: r.opened_at,
        count: r.streak_count,
        message: r.message,
      }))
      .filter((p) => watchId === undefined || p.watches.includes(watchId));
  }
}
