import type { Platform } from '../domain/glossary';
import type { Sql } from './db';
import { toSourceRow, type SourceRow } from './rows';

/** A source as the config names it. */
export interface SourceSpec {
  readonly watchId: string;
  readonly platform: Platform;
  readonly mode: 'keyword' | 'account';
  readonly query: string;
}

/** One listing page's answer as `search_observations` keeps it. */
export interface SearchObservation {
  readonly at: number;
  readonly outcome: string;
  readonly results: number;
  readonly message: string | null;
}

/** A search observation as alert payloads cite it. */
export interface SearchEvidence {
  readonly at: number;
  readonly outcome: string;
  readonly bodyHash: string | null;
}

/**
 * Watches, their discovery sources (`watches`, `sources`) and what each listing page showed
 * (`search_observations`).
 */
export class SourceRepository {
  constructor(
    private readonly sql: Sql,
    private readonly putBlob: (body: Buffer) => string,
  ) {}

  /**
   * Makes the stored watches and sources match the config: new ones are added (due at once),
   * removed ones deactivated; their history stays.
   */
  syncWatches(
    watches: readonly { id: string; name: string }[],
    sources: readonly SourceSpec[],
    now: number,
  ): void {
    const { sql } = this;
    sql.transaction(() => {
      for (const w of watches) {
        sql.run(
          `INSERT INTO watches (id, name, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
          w.id,
          w.name,
          now,
        );
      }
      sql.run(`UPDATE sources SET active = 0`);
      for (const s of sources) {
        sql.run(
          `INSERT INTO sources (watch_id, platform, mode, query, next_run_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (watch_id, platform, mode, query) DO UPDATE SET active = 1`,
          s.watchId,
          s.platform,
          s.mode,
          s.query,
          now,
        );
      }
    });
  }

  /** Every stored watch. */
  listWatches(): { id: string; name: string }[] {
    return this.sql.query(`SELECT id, name FROM watches ORDER BY id`);
  }

  /** Sources due at `now`, leased for `leaseMs` to `owner` (a run id, or null). */
  takeDue(now: number, limit: number, leaseMs: number, owner: string | null): SourceRow[] {
    // Read first: the scheduler asks on every take, many times a second while checks are due, and
    // an UPDATE that leases nothing still takes the write lock and commits (some 0.2 ms each).
    const due = this.sql.get(
      `SELECT 1 AS due FROM sources WHERE active = 1 AND next_run_at <= ? AND (leased_until IS NULL OR leased_until <= ?)
       LIMIT 1`,
      now,
      now,
    );
    if (!due) return [];
    return this.sql
      .query(
        `UPDATE sources SET leased_until = ?, leased_by = ? WHERE id IN (
           SELECT id FROM sources WHERE active = 1 AND next_run_at <= ? AND (leased_until IS NULL OR leased_until <= ?)
           ORDER BY next_run_at LIMIT ?) RETURNING *`,
        now + leaseMs,
        owner,
        now,
        now,
        limit,
      )
      .map(toSourceRow)
      .sort((a, b) => (a.nextRunAt ?? 0) - (b.nextRunAt ?? 0));
  }

  /**
   * Sources due at `now`, earliest first, without leasing them (leased ones too when
   * `ignoreLeases`), read lazily; at most `limit` rows. Nothing else may use the connection until
   * the iteration ends.
   */
  *peekDue(now: number, limit: number, ignoreLeases: boolean): Generator<SourceRow, void, undefined> {
    for (const r of this.sql.iterate(
      `SELECT * FROM sources WHERE active = 1 AND next_run_at <= ? AND (? = 1 OR leased_until IS NULL OR leased_until <= ?)
       ORDER BY next_run_at LIMIT ?`,
      now,
      ignoreLeases ? 1 : 0,
      now,
      limit,
    ))
      yield toSourceRow(r);
  }

  /** Leases a source until `until` unless its run moved on (its `next_run_at` is no longer `guard`). */
  leaseIfDueAt(id: number, guard: number, until: number): boolean {
    return (
      this.sql.run(
        `UPDATE sources SET leased_until = ?, leased_by = NULL WHERE id = ? AND next_run_at = ?`,
        until,
        id,
        guard,
      ).changes > 0
    );
  }

  /**
   * Moves a source's run to `at` unless its run moved on (its `next_run_at` is no longer `guard`)
   * or it is leased beyond `now` (in the pipeline): a round the request budget held back, returned
   * to the schedule without a lease, as embedded mode does.
   */
  deferIfDueAt(id: number, guard: number, at: number, now: number): boolean {
    return (
      this.sql.run(
        `UPDATE sources SET next_run_at = ?, leased_until = NULL, leased_by = NULL
         WHERE id = ? AND next_run_at = ? AND (leased_until IS NULL OR leased_until <= ?)`,
        at,
        id,
        guard,
        now,
      ).changes > 0
    );
  }

  /**
   * Due sources leased without an owner beyond `now` — a distributed scheduler's rounds the
   * recorder leased and has not recorded — with their lease ends. Read lazily.
   */
  *leasedOut(now: number): Generator<{ source: SourceRow; leasedUntil: number }, void, undefined> {
    for (const r of this.sql.iterate(
      `SELECT * FROM sources WHERE active = 1 AND next_run_at <= ? AND leased_until > ? AND leased_by IS NULL`,
      now,
      now,
    ))
      yield { source: toSourceRow(r), leasedUntil: Number(r.leased_until) };
  }

  /** Active sources due at `now`, leased or not. */
  countDue(now: number): number {
    return this.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM sources WHERE active = 1 AND next_run_at <= ?`,
      now,
    )!.n;
  }

  /** Earliest run of an active source. */
  nextDueAt(): number | null {
    return this.sql.get<{ t: number | null }>(`SELECT MIN(next_run_at) AS t FROM sources WHERE active = 1`)!
      .t;
  }

  get(id: number): SourceRow | undefined {
    const r = this.sql.get(`SELECT * FROM sources WHERE id = ?`, id);
    return r ? toSourceRow(r) : undefined;
  }

  list(watchId?: string): SourceRow[] {
    return (
      watchId
        ? this.sql.query(`SELECT * FROM sources WHERE watch_id = ? ORDER BY id`, watchId)
        : this.sql.query(`SELECT * FROM sources ORDER BY id`)
    ).map(toSourceRow);
  }

  /** Records a finished discovery round and schedules the next. */
  finish(id: number, at: number, nextRunAt: number): void {
    this.sql.run(
      `UPDATE sources SET last_run_at = ?, next_run_at = ?, leased_until = NULL WHERE id = ?`,
      at,
      nextRunAt,
      id,
    );
  }

  /** Stores what a keyword search showed last: its state, whether it counts as blocked, when it last had results. */
  updateSearchState(id: number, state: string, blocked: boolean, lastResultsAt: number | null): void {
    this.sql.run(
      `UPDATE sources SET search_state = ?, blocked = ?, last_results_at = ? WHERE id = ?`,
      state,
      blocked ? 1 : 0,
      lastResultsAt,
      id,
    );
  }

  /** Postpones a source without running it (e.g. its host is backing off). */
  defer(id: number, nextRunAt: number): void {
    this.sql.run(`UPDATE sources SET next_run_at = ?, leased_until = NULL WHERE id = ?`, nextRunAt, id);
  }

  recordSearchObservation(o: {
    sourceId: number;
    at: number;
    outcome: string;
    results: number;
    message: string | null;
    body: Buffer | null;
    page: string | null;
  }): void {
    const bodyHash = o.body ? this.putBlob(o.body) : null;
    this.sql.run(
      `INSERT INTO search_observations (source_id, at, outcome, results, message, body_hash, page) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      o.sourceId,
      o.at,
      o.outcome,
      o.results,
      o.message,
      bodyHash,
      o.page,
    );
  }

  searchHistory(sourceId: number): SearchObservation[] {
    return this.sql.query(
      `SELECT at, outcome, results, message FROM search_observations WHERE source_id = ? ORDER BY at, id`,
      sourceId,
    );
  }

  /** The last page a source fetched: its outcome and message. */
  lastSearchObservation(sourceId: number): { outcome: string; message: string | null } | undefined {
    return this.sql.get(
      `SELECT outcome, message FROM search_observations WHERE source_id = ? ORDER BY id DESC LIMIT 1`,
      sourceId,
    );
  }

  /**
   * The latest pages of a keyword (of one watch, or of any when `watchId` is null) up to `at`,
   * newest first: the evidence an alert about the keyword cites.
   */
  keywordEvidence(
    platform: Platform,
    keyword: string,
    watchId: string | null,
    at: number,
    limit: number,
  ): SearchEvidence[] {
    return this.sql
      .query<{ at: number; outcome: string; body_hash: string | null }>(
        `SELECT so.at, so.outcome, so.body_hash FROM search_observations so JOIN sources s ON s.id = so.source_id
         WHERE s.platform = ? AND s.mode = 'keyword' AND s.query = ? AND (? IS NULL OR s.watch_id = ?) AND so.at <= ?
         ORDER BY so.id DESC LIMIT ?`,
        platform,
        keyword,
        watchId,
        watchId,
        at,
        limit,
      )
      .map((o) => ({ at: o.at, outcome: o.outcome, bodyHash: o.body_hash }));
  }
}
