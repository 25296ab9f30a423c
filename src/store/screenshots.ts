import { FINAL_OUTCOMES, type Platform } from '../domain/glossary';
import { sqlOf } from './db';
import type { Store } from './store';

/**
 * Screenshots, as a queue the store drives: reading the log finds the observations that want one
 * (a post's first alive observation, each edit, the first gone observation after it was alive),
 * the screenshot worker takes them when it can, and a failure waits for its retry. Nothing here
 * runs on the check path: an observation is recorded whether or not its screenshot is ever taken.
 */

/** Why a screenshot was wanted. */
export type ScreenshotReason = 'first' | 'edit' | 'gone';

/** Where a screenshot is in its life. */
export type ScreenshotState = 'wanted' | 'taken' | 'failed' | 'pruned';

/** A screenshot row, as the worker, `show`, bundles and retention read it. */
export interface ScreenshotRow {
  readonly id: number;
  readonly targetRowId: number;
  readonly platform: Platform;
  readonly nativeId: string;
  readonly observationId: number;
  readonly reason: ScreenshotReason;
  readonly wantedAt: number;
  readonly state: ScreenshotState;
  readonly attempts: number;
  readonly nextTryAt: number | null;
  readonly error: string | null;
  /** The real URL of the page a person would open. */
  readonly url: string;
  readonly finalUrl: string | null;
  readonly httpStatus: number | null;
  readonly takenAt: number | null;
  /** SHA-256 of the PNG, hex; kept when the PNG is pruned. */
  readonly pngSha256: string | null;
  readonly bytes: number | null;
  readonly width: number | null;
  readonly height: number | null;
  /** The page's visible text when it was captured. */
  readonly pageText: string | null;
}

/** A screenshot just taken. */
export interface TakenShot {
  readonly takenAt: number;
  readonly png: Buffer;
  readonly width: number;
  readonly height: number;
  readonly finalUrl: string;
  readonly httpStatus: number | null;
  readonly pageText: string;
}

/** Limits that bound what screenshots may cost (`evidence.retention`). */
export interface ScreenshotRetention {
  /** Screenshots kept per target; null: no limit. */
  readonly perTarget: number | null;
  /** Bytes of all evidence (kept bodies and screenshots); null: no limit. */
  readonly maxBytes: number | null;
}

/** What a retention pass did. */
export interface PruneResult {
  /** Screenshots dropped. */
  readonly pruned: number;
  /** Stored bytes freed. */
  readonly freed: number;
  /** Bytes the evidence is still over `maxBytes` by (what only captures hold), 0 when within. */
  readonly overBy: number;
}

/**
 * The screenshots of one target (ordered by observation) that retention keeps: the last alive one
 * (latest `first` or `edit`) and the first `gone` one after it, or the first `gone` one when
 * the target was never shot alive.
 */
export function protectedIds(
  list: readonly {
    readonly id: number;
    readonly reason: ScreenshotReason;
    readonly observation_id: number;
  }[],
): Set<number> {
  const keep = new Set<number>();
  const alive = list.filter((r) => r.reason !== 'gone');
  const lastAlive = alive[alive.length - 1];
  if (lastAlive) keep.add(lastAlive.id);
  const after = lastAlive?.observation_id ?? -Infinity;
  const firstGone = list.find((r) => r.reason === 'gone' && r.observation_id > after);
  if (firstGone) keep.add(firstGone.id);
  return keep;
}

/** What the screenshot queue needs from the store. */
export interface ScreenshotDb {
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  run(sql: string, ...params: unknown[]): unknown;
  transaction<T>(fn: () => T): T;
  putBlob(body: Buffer): string;
  getBlob(hash: string): Buffer | undefined;
}

/** Longest page text kept with a screenshot (characters). */
const MAX_PAGE_TEXT = 20_000;

const FINALS = FINAL_OUTCOMES.map((o) => `'${o}'`).join(', ');

/**
 * Per new log entry of a post: the reason it wants a screenshot, if any. The first alive
 * observation; an alive one that recorded a `post.edited` event; a final one whose previous
 * alive-or-final observation was alive (or that is the target's first of either).
 */
const WANTED_SQL = `
  SELECT l.seq, o.id AS observation_id, o.target_id, o.at, t.url,
    CASE
      WHEN o.outcome = 'alive' AND NOT EXISTS (
        SELECT 1 FROM observations p WHERE p.target_id = o.target_id AND p.id < o.id AND p.outcome = 'alive'
      ) THEN 'first'
      WHEN o.outcome = 'alive' AND EXISTS (
        SELECT 1 FROM events e WHERE e.target_id = o.target_id AND e.type = 'post.edited' AND e.at = o.at
      ) THEN 'edit'
      WHEN o.outcome IN (${FINALS}) AND COALESCE((
        SELECT p.outcome FROM observations p
        WHERE p.target_id = o.target_id AND p.id < o.id AND (p.outcome = 'alive' OR p.outcome IN (${FINALS}))
        ORDER BY p.id DESC LIMIT 1
      ), 'alive') = 'alive' THEN 'gone'
    END AS reason
  FROM log_entries l
  JOIN observations o ON o.id = l.observation_id
  JOIN targets t ON t.id = o.target_id
  WHERE l.seq > ? AND t.kind = 'post'
  ORDER BY l.seq LIMIT ?`;

const ROW_SELECT = `SELECT s.*, t.platform, t.native_id FROM screenshots s JOIN targets t ON t.id = s.target_id`;

function toRow(r: Record<string, unknown>): ScreenshotRow {
  return {
    id: r.id as number,
    targetRowId: r.target_id as number,
    platform: r.platform as Platform,
    nativeId: r.native_id as string,
    observationId: r.observation_id as number,
    reason: r.reason as ScreenshotReason,
    wantedAt: r.wanted_at as number,
    state: r.state as ScreenshotState,
    attempts: r.attempts as number,
    nextTryAt: (r.next_try_at as number | null) ?? null,
    error: (r.error as string | null) ?? null,
    url: r.url as string,
    finalUrl: (r.final_url as string | null) ?? null,
    httpStatus: (r.http_status as number | null) ?? null,
    takenAt: (r.taken_at as number | null) ?? null,
    pngSha256: (r.png_sha256 as string | null) ?? null,
    bytes: (r.bytes as number | null) ?? null,
    width: (r.width as number | null) ?? null,
    height: (r.height as number | null) ?? null,
    pageText: (r.page_text as string | null) ?? null,
  };
}

/** The screenshot queue and the screenshots taken. */
export class ScreenshotStore {
  private exists: boolean | null = null;
  private readonly db: ScreenshotDb;

  /** @param store - the store whose tables and blobs hold the screenshots */
  constructor(store: Store) {
    const sql = sqlOf(store);
    this.db = {
      query: (q, ...params) => sql.query(q, ...params),
      run: (q, ...params) => sql.run(q, ...params),
      transaction: (fn) => sql.transaction(fn),
      putBlob: (body) => store.putBlob(body),
      getBlob: (hash) => store.getBlob(hash),
    };
  }

  /**
   * Whether the database has the screenshot tables: a reading command opens a database read-only,
   * without migrating it, and one made before screenshots existed has none to read.
   */
  private present(): boolean {
    this.exists ??=
      this.db.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'screenshots'`).length > 0;
    return this.exists;
  }

  /**
   * Reads the log past where it last stopped and queues a screenshot for each observation that
   * wants one, due at once. Returns how many were queued. One transaction per call.
   */
  findWanted(now: number, batch = 1000): number {
    return this.db.transaction(() => {
      let from = this.db.query<{ seq: number }>(`SELECT seq FROM screenshot_scan WHERE one = 1`)[0]?.seq ?? 0;
      let queued = 0;
      for (;;) {
        const rows = this.db.query<{
          seq: number;
          observation_id: number;
          target_id: number;
          url: string;
          reason: ScreenshotReason | null;
        }>(WANTED_SQL, from, batch);
        for (const r of rows) {
          if (r.reason && r.url) {
            this.db.run(
              `INSERT OR IGNORE INTO screenshots (target_id, observation_id, reason, wanted_at, next_try_at, url)
               VALUES (?, ?, ?, ?, ?, ?)`,
              r.target_id,
              r.observation_id,
              r.reason,
              now,
              now,
              r.url,
            );
            queued++;
          }
          from = r.seq;
        }
        if (rows.length < batch) break;
      }
      this.db.run(`INSERT OR REPLACE INTO screenshot_scan (one, seq) VALUES (1, ?)`, from);
      return queued;
    });
  }

  /** Screenshots due at `now`, oldest wish first, leaving out `busy` ones (being taken). */
  due(now: number, limit: number, busy: ReadonlySet<number> = new Set()): ScreenshotRow[] {
    const rows = this.db.query<Record<string, unknown>>(
      `${ROW_SELECT} WHERE s.state = 'wanted' AND s.next_try_at <= ? ORDER BY s.next_try_at, s.id LIMIT ?`,
      now,
      limit + busy.size,
    );
    return rows
      .map(toRow)
      .filter((r) => !busy.has(r.id))
      .slice(0, limit);
  }

  /** When the next wanted screenshot is due, or null when none is. */
  nextDueAt(): number | null {
    return (
      this.db.query<{ at: number | null }>(
        `SELECT MIN(next_try_at) AS at FROM screenshots WHERE state = 'wanted'`,
      )[0]?.at ?? null
    );
  }

  /** Stores a screenshot that was taken: the PNG as a blob, the row as taken. */
  taken(id: number, shot: TakenShot): ScreenshotRow {
    return this.db.transaction(() => {
      const hash = this.db.putBlob(shot.png);
      this.db.run(
        `UPDATE screenshots SET state = 'taken', attempts = attempts + 1, next_try_at = NULL, error = NULL,
           taken_at = ?, png_sha256 = ?, bytes = ?, width = ?, height = ?, final_url = ?, http_status = ?,
           page_text = ?
         WHERE id = ?`,
        shot.takenAt,
        hash,
        shot.png.length,
        shot.width,
        shot.height,
        shot.finalUrl,
        shot.httpStatus,
        shot.pageText.slice(0, MAX_PAGE_TEXT),
        id,
      );
      return this.get(id)!;
    });
  }

  /**
   * Records a failed attempt: tried again at `retryAt`, or given up (`failed`) when it is null.
   */
  attemptFailed(id: number, error: string, retryAt: number | null): void {
    this.db.run(
      `UPDATE screenshots SET attempts = attempts + 1, error = ?, next_try_at = ?,
         state = CASE WHEN ? IS NULL THEN 'failed' ELSE state END
       WHERE id = ? AND state = 'wanted'`,
      error.slice(0, 2000),
      retryAt,
      retryAt,
      id,
    );
  }

  get(id: number): ScreenshotRow | undefined {
    const r = this.db.query<Record<string, unknown>>(`${ROW_SELECT} WHERE s.id = ?`, id)[0];
    return r ? toRow(r) : undefined;
  }

  /** Every screenshot of a target, in the order they were wanted. */
  ofTarget(targetRowId: number): ScreenshotRow[] {
    if (!this.present()) return [];
    return this.db
      .query<Record<string, unknown>>(
        `${ROW_SELECT} WHERE s.target_id = ? ORDER BY s.observation_id, s.id`,
        targetRowId,
      )
      .map(toRow);
  }

  /** The PNG of a taken screenshot, or undefined when it was pruned or is missing. */
  png(row: Pick<ScreenshotRow, 'pngSha256' | 'state'>): Buffer | undefined {
    if (row.state !== 'taken' || !row.pngSha256) return undefined;
    return this.db.getBlob(row.pngSha256);
  }

  /** Counts by state, for status. */
  counts(): Record<ScreenshotState, number> {
    const out: Record<ScreenshotState, number> = { wanted: 0, taken: 0, failed: 0, pruned: 0 };
    if (!this.present()) return out;
    for (const r of this.db.query<{ state: ScreenshotState; n: number }>(
      `SELECT state, COUNT(*) AS n FROM screenshots GROUP BY state`,
    ))
      out[r.state] = r.n;
    return out;
  }

  /**
   * Applies the retention limits: past `perTarget` a target's oldest screenshots go, and while
   * the stored evidence (every blob, as stored) is over `maxBytes` the oldest screenshots of all
   * targets go. A target's last alive screenshot (its latest first or edit one) and its first gone
   * one after that are never dropped, nor is any capture: the limits can only be met by screenshots.
   * A dropped screenshot keeps its row and digest as `pruned`; its PNG is deleted.
   */
  prune(limits: ScreenshotRetention): PruneResult {
    if (limits.perTarget === null && limits.maxBytes === null) return { pruned: 0, freed: 0, overBy: 0 };
    return this.db.transaction(() => {
      const rows = this.db.query<{
        id: number;
        target_id: number;
        reason: ScreenshotReason;
        observation_id: number;
        taken_at: number;
        png_sha256: string;
        stored: number | null;
      }>(
        `SELECT s.id, s.target_id, s.reason, s.observation_id, s.taken_at, s.png_sha256,
           (SELECT length(b.gz) FROM blobs b WHERE b.hash = s.png_sha256) AS stored
         FROM screenshots s WHERE s.state = 'taken' ORDER BY s.target_id, s.observation_id, s.id`,
      );
      const byTarget = new Map<number, typeof rows>();
      for (const r of rows) {
        const list = byTarget.get(r.target_id) ?? [];
        list.push(r);
        byTarget.set(r.target_id, list);
      }
      const drop = new Set<number>();
      const candidates: typeof rows = [];
      for (const list of byTarget.values()) {
        const keep = protectedIds(list);
        const droppable = list
          .filter((r) => !keep.has(r.id))
          .sort((a, b) => a.taken_at - b.taken_at || a.id - b.id);
        let excess = limits.perTarget === null ? 0 : list.length - limits.perTarget;
        for (const r of droppable) {
          if (excess > 0) {
            drop.add(r.id);
            excess--;
          } else candidates.push(r);
        }
      }
      let overBy = 0;
      if (limits.maxBytes !== null) {
        let total = this.db.query<{ n: number | null }>(`SELECT SUM(length(gz)) AS n FROM blobs`)[0]?.n ?? 0;
        for (const r of rows) if (drop.has(r.id)) total -= r.stored ?? 0;
        candidates.sort((a, b) => a.taken_at - b.taken_at || a.id - b.id);
        for (const r of candidates) {
          if (total <= limits.maxBytes) break;
          drop.add(r.id);
          total -= r.stored ?? 0;
        }
        overBy = Math.max(0, total - limits.maxBytes);
      }
      let freed = 0;
      for (const r of rows) {
        if (!drop.has(r.id)) continue;
        this.db.run(`UPDATE screenshots SET state = 'pruned' WHERE id = ?`, r.id);
        // A blob another screenshot or an observation still names stays.
        const shared =
          this.db.query(
            `SELECT 1 FROM screenshots WHERE png_sha256 = ? AND state = 'taken'
             UNION ALL SELECT 1 FROM observations WHERE body_hash = ?
             UNION ALL SELECT 1 FROM captures WHERE ? IN (request_hash, response_hash, payload_hash) LIMIT 1`,
            r.png_sha256,
            r.png_sha256,
            r.png_sha256,
          ).length > 0;
        if (!shared) {
          this.db.run(`DELETE FROM blobs WHERE hash = ?`, r.png_sha256);
          freed += r.stored ?? 0;
        }
      }
      return { pruned: drop.size, freed, overBy };
    });
  }

  /** Screenshots that do not hold together: a taken one whose PNG is missing. */
  problems(limit = 50): string[] {
    if (!this.present()) return [];
    return this.db
      .query<{ id: number; png_sha256: string | null }>(
        `SELECT s.id, s.png_sha256 FROM screenshots s
         WHERE s.state = 'taken' AND (s.png_sha256 IS NULL OR NOT EXISTS (SELECT 1 FROM blobs b WHERE b.hash = s.png_sha256))
         ORDER BY s.id LIMIT ?`,
        limit,
      )
      .map((r) => `screenshot ${r.id}: PNG ${r.png_sha256 ?? '(no digest)'} missing`);
  }
}
