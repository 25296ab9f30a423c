import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type {
  Cause,
  Content,
  Exchange,
  Outcome,
  Platform,
  TargetKind,
  TargetRef,
  Verdict,
} from '../domain/glossary';
import type { TargetState } from '../domain/verdict';
import { sha256Hex } from '../domain/hash';
import { CaptureStore } from './captures';
import { ObservationLog } from './log';
import { TimestampStore } from './timestamps';
import { MIGRATIONS } from './schema';

/** A discovery source: one keyword or account of one watch on one platform. */
export interface SourceRow {
  readonly id: number;
  readonly watchId: string;
  readonly platform: Platform;
  readonly mode: 'keyword' | 'account';
  readonly query: string;
  readonly nextRunAt: number | null;
  readonly lastRunAt: number | null;
  readonly searchState: string | null;
  readonly blocked: boolean;
  readonly lastResultsAt: number | null;
}

/** A target with its verdict state and schedule. */
export interface TargetRow extends TargetRef {
  readonly rowId: number;
  readonly url: string;
  readonly state: TargetState;
  readonly authorId: string | null;
  readonly authorName: string | null;
  readonly createdAt: number | null;
  readonly repostOf: string | null;
  readonly lastOutcome: Outcome | null;
  readonly lastCheckedAt: number | null;
  readonly nextCheckAt: number | null;
  /** Head of the observation hash chain. */
  readonly chain: string;
  /** When the post was first found missing from its author's timeline (null while it is listed). */
  readonly unlistedAt: number | null;
  /** Whether `post.unlisted` was emitted for the current absence. */
  readonly unlistedReported: boolean;
}

/** A target as exports and reports see it. */
export interface TargetSummary extends TargetRow {
  readonly watches: readonly string[];
}

export interface EventRow {
  readonly id: number;
  readonly type: string;
  readonly at: number;
  readonly watchId: string | null;
  readonly platform: Platform;
  readonly nativeId: string | null;
  readonly kind: TargetKind | null;
  readonly keyword: string | null;
  readonly cause: Cause | null;
  readonly detail: Record<string, unknown>;
}

export interface NewObservation {
  readonly targetRowId: number;
  readonly at: number;
  readonly endpoint: string;
  readonly outcome: Outcome;
  readonly message: string | null;
  readonly httpStatus: number | null;
  readonly url: string | null;
  readonly finalUrl: string | null;
  readonly contentHash: string | null;
  /** Set only when the content changed since the last alive observation. */
  readonly content: Content | null;
  readonly body: Buffer | null;
  /** Keep the body? False for an unchanged alive observation (its evidence is already stored). */
  readonly keepBody: boolean;
  readonly dedupeKey: string | null;
  /** The HTTP exchanges behind it, archived as its capture. */
  readonly exchanges?: readonly Exchange[];
}

export interface NewEvent {
  readonly type: string;
  readonly at: number;
  readonly watchId: string | null;
  readonly platform: Platform;
  readonly targetRowId: number | null;
  readonly nativeId: string | null;
  readonly keyword: string | null;
  readonly cause: Cause | null;
  readonly detail: Record<string, unknown>;
  /** Makes the insert idempotent: a second event with the same key is ignored. */
  readonly dedupeKey: string;
}

export interface TargetFilter {
  readonly watchId?: string;
  readonly platform?: Platform;
}

export interface EventFilter {
  readonly watchId?: string;
  readonly since?: number;
  readonly until?: number;
  readonly afterId?: number;
  readonly limit?: number;
}

type Row = Record<string, unknown>;

function toTargetRow(r: Row): TargetRow {
  return {
    rowId: r.id as number,
    platform: r.platform as Platform,
    kind: r.kind as TargetKind,
    id: r.native_id as string,
    url: r.url as string,
    state: {
      verdict: r.verdict as Verdict,
      cause: (r.cause as Cause | null) ?? null,
      firstSeenAt: r.first_seen_at as number,
      lastAliveAt: (r.last_alive_at as number | null) ?? null,
      lastAliveHash: (r.last_alive_hash as string | null) ?? null,
      lastAliveText: (r.last_alive_text as string | null) ?? null,
      goneAt: (r.gone_at as number | null) ?? null,
      finalStreak: r.final_streak as number,
      lastFinalAt: (r.last_final_at as number | null) ?? null,
      editCount: r.edit_count as number,
      observations: r.observations as number,
    },
    authorId: (r.author_id as string | null) ?? null,
    authorName: (r.author_name as string | null) ?? null,
    createdAt: (r.created_at as number | null) ?? null,
    repostOf: (r.repost_of as string | null) ?? null,
    lastOutcome: (r.last_outcome as Outcome | null) ?? null,
    lastCheckedAt: (r.last_checked_at as number | null) ?? null,
    nextCheckAt: (r.next_check_at as number | null) ?? null,
    chain: (r.chain as string | null) ?? '',
    unlistedAt: (r.unlisted_at as number | null) ?? null,
    unlistedReported: r.unlisted_reported === 1,
  };
}

function toSourceRow(r: Row): SourceRow {
  return {
    id: r.id as number,
    watchId: r.watch_id as string,
    platform: r.platform as Platform,
    mode: r.mode as 'keyword' | 'account',
    query: r.query as string,
    nextRunAt: (r.next_run_at as number | null) ?? null,
    lastRunAt: (r.last_run_at as number | null) ?? null,
    searchState: (r.search_state as string | null) ?? null,
    blocked: r.blocked === 1,
    lastResultsAt: (r.last_results_at as number | null) ?? null,
  };
}

/** The facts an observation's chain hash covers; `verify` recomputes it from the stored row. */
export function chainHash(prev: string, o: Row): string {
  return sha256Hex(
    [
      prev,
      o.target_id,
      o.at,
      o.endpoint,
      o.outcome,
      o.message ?? '',
      o.content_hash ?? '',
      o.body_hash ?? '',
    ].join('\u001f'),
  );
}

/**
 * The SQLite store, the source of truth. One process owns the file for writing; every write is a
 * short synchronous transaction.
 */
export class Store {
  private readonly db: Database.Database;
  private readonly stmts = new Map<string, Database.Statement>();
  /** The one log over all observations; every inserted observation is appended to it. */
  readonly log: ObservationLog;
  /** Each observation's request and response, content-addressed. */
  readonly captures: CaptureStore;
  /** RFC 3161 time-stamps of the log's head. */
  readonly timestamps: TimestampStore;

  private constructor(db: Database.Database) {
    this.db = db;
    this.log = new ObservationLog(this);
    this.captures = new CaptureStore(this);
    this.timestamps = new TimestampStore(this);
  }

  /**
   * Opens (creating if missing) the database file and brings its schema up to date. Commands that
   * only read a database use `openExisting` (./open-existing) instead, which never creates one.
   * @param options.mustExist - fail instead of creating the file (implied by `readonly`)
   */
  static open(file: string, options: { readonly?: boolean; mustExist?: boolean } = {}): Store {
    const mustExist = (options.readonly ?? false) || (options.mustExist ?? false);
    if (file !== ':memory:' && !mustExist) mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: mustExist,
    });
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    const store = new Store(db);
    if (!options.readonly) store.migrate();
    return store;
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    // Observations recorded before the log existed are logged once, as its migration runs.
    const logMigration = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE log_entries'));
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        if (v === logMigration) this.log.backfill();
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  /** Adds migrations from other modules (e.g. alert deliveries) that live beside their code. */
  exec(sql: string): void {
    this.db.exec(sql);
  }

  /** The database file as it was opened (`:memory:` for an in-memory one). */
  get file(): string {
    return this.db.name;
  }

  close(): void {
    this.db.close();
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Prepared statement access for modules that own their own tables (alerts, reports). */
  query<T = Row>(sql: string, ...params: unknown[]): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.stmt(sql).run(...params);
  }

  // ---- watches and sources ------------------------------------------------------------------

  /**
   * Makes the stored watches and sources match the config: new ones are added (due at once),
   * removed ones deactivated; their history stays.
   */
  syncWatches(
    watches: readonly { id: string; name: string }[],
    sources: readonly { watchId: string; platform: Platform; mode: 'keyword' | 'account'; query: string }[],
    now: number,
  ): void {
    this.transaction(() => {
      for (const w of watches) {
        this.run(
          `INSERT INTO watches (id, name, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`,
          w.id,
          w.name,
          now,
        );
      }
      this.run(`UPDATE sources SET active = 0`);
      for (const s of sources) {
        this.run(
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

  /**
   * Sources due at `now`, leased for `leaseMs` so no other dispatcher takes them meanwhile, to
   * `owner` (a run id) when given, so a later run can take them back if that run dies.
   */
  takeDueSources(now: number, limit: number, leaseMs: number, owner: string | null = null): SourceRow[] {
    return this.query(
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

  getSource(id: number): SourceRow | undefined {
    const r = this.query(`SELECT * FROM sources WHERE id = ?`, id)[0];
    return r ? toSourceRow(r) : undefined;
  }

  listSources(watchId?: string): SourceRow[] {
    return (
      watchId
        ? this.query(`SELECT * FROM sources WHERE watch_id = ? ORDER BY id`, watchId)
        : this.query(`SELECT * FROM sources ORDER BY id`)
    ).map(toSourceRow);
  }

  /** Records a finished discovery round and schedules the next. */
  finishSource(id: number, at: number, nextRunAt: number): void {
    this.run(
      `UPDATE sources SET last_run_at = ?, next_run_at = ?, leased_until = NULL WHERE id = ?`,
      at,
      nextRunAt,
      id,
    );
  }

  /** Stores what a keyword search showed last: its state, whether it counts as blocked, when it last had results. */
  updateSearchState(id: number, state: string, blocked: boolean, lastResultsAt: number | null): void {
    this.run(
      `UPDATE sources SET search_state = ?, blocked = ?, last_results_at = ? WHERE id = ?`,
      state,
      blocked ? 1 : 0,
      lastResultsAt,
      id,
    );
  }

  /** Postpones a source without running it (e.g. its host is backing off). */
  deferSource(id: number, nextRunAt: number): void {
    this.run(`UPDATE sources SET next_run_at = ?, leased_until = NULL WHERE id = ?`, nextRunAt, id);
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
    this.run(
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

  searchHistory(
    sourceId: number,
  ): { at: number; outcome: string; results: number; message: string | null }[] {
    return this.query(
      `SELECT at, outcome, results, message FROM search_observations WHERE source_id = ? ORDER BY at, id`,
      sourceId,
    );
  }

  // ---- targets -------------------------------------------------------------------------------

  findTarget(ref: TargetRef): TargetRow | undefined {
    const r = this.query(
      `SELECT * FROM targets WHERE platform = ? AND kind = ? AND native_id = ?`,
      ref.platform,
      ref.kind,
      ref.id,
    )[0];
    return r ? toTargetRow(r) : undefined;
  }

  getTarget(rowId: number): TargetRow | undefined {
    const r = this.query(`SELECT * FROM targets WHERE id = ?`, rowId)[0];
    return r ? toTargetRow(r) : undefined;
  }

  /**
   * Returns the target, creating it (due at `nextCheckAt`) if new, and links it to the watches.
   * `created` tells whether it was new; `linked` lists the watches it was newly linked to.
   */
  ensureTarget(
    ref: TargetRef,
    url: string,
    watchIds: readonly string[],
    via: string,
    now: number,
    nextCheckAt: number,
  ): { row: TargetRow; created: boolean; linked: string[] } {
    let row = this.findTarget(ref);
    let created = false;
    if (!row) {
      const info = this.run(
        `INSERT INTO targets (platform, kind, native_id, url, first_seen_at, next_check_at) VALUES (?, ?, ?, ?, ?, ?)`,
        ref.platform,
        ref.kind,
        ref.id,
        url,
        now,
        nextCheckAt,
      );
      row = this.getTarget(Number(info.lastInsertRowid))!;
      created = true;
    }
    const linked: string[] = [];
    for (const w of watchIds) {
      const r = this.run(
        `INSERT OR IGNORE INTO target_watches (target_id, watch_id, via, added_at) VALUES (?, ?, ?, ?)`,
        row.rowId,
        w,
        via,
        now,
      );
      if (r.changes > 0) linked.push(w);
    }
    return { row, created, linked };
  }

  watchesOf(rowId: number): string[] {
    return this.query<{ watch_id: string }>(
      `SELECT watch_id FROM target_watches WHERE target_id = ? ORDER BY watch_id`,
      rowId,
    ).map((r) => r.watch_id);
  }

  /** Targets due at `now`, leased for `leaseMs` (to `owner` when given) so they are not dispatched twice. */
  takeDueTargets(now: number, limit: number, leaseMs: number, owner: string | null = null): TargetRow[] {
    return this.query(
      `UPDATE targets SET leased_until = ?, leased_by = ? WHERE id IN (
         SELECT id FROM targets WHERE next_check_at <= ? AND (leased_until IS NULL OR leased_until <= ?)
         ORDER BY next_check_at LIMIT ?) RETURNING *`,
      now + leaseMs,
      owner,
      now,
      now,
      limit,
    )
      .map(toTargetRow)
      .sort((a, b) => (a.nextCheckAt ?? 0) - (b.nextCheckAt ?? 0));
  }

  /** Moves a target's next check (never later than it already is when `onlyEarlier`). */
  scheduleTarget(rowId: number, at: number, onlyEarlier = false): void {
    if (onlyEarlier) {
      this.run(
        `UPDATE targets SET next_check_at = ? WHERE id = ? AND (next_check_at IS NULL OR next_check_at > ?)`,
        at,
        rowId,
        at,
      );
    } else {
      this.run(`UPDATE targets SET next_check_at = ?, leased_until = NULL WHERE id = ?`, at, rowId);
    }
  }

  /**
   * Tracks a post's presence on its author's timeline: `missing` records when it was first found
   * absent, `reported` that the event was emitted, `listed` clears both.
   */
  setUnlisted(rowId: number, change: { missing: number } | 'reported' | 'listed'): void {
    if (change === 'listed') {
      this.run(
        `UPDATE targets SET unlisted_at = NULL, unlisted_reported = 0 WHERE id = ? AND unlisted_at IS NOT NULL`,
        rowId,
      );
    } else if (change === 'reported') {
      this.run(`UPDATE targets SET unlisted_reported = 1 WHERE id = ?`, rowId);
    } else {
      this.run(
        `UPDATE targets SET unlisted_at = COALESCE(unlisted_at, ?) WHERE id = ?`,
        change.missing,
        rowId,
      );
    }
  }

  /** Returns a leased target to the schedule without an observation (e.g. its host is backing off). */
  deferTarget(rowId: number, at: number): void {
    this.run(`UPDATE targets SET next_check_at = ?, leased_until = NULL WHERE id = ?`, at, rowId);
  }

  saveTargetState(
    rowId: number,
    s: TargetState,
    extra: {
      lastOutcome: Outcome;
      lastCheckedAt: number;
      nextCheckAt: number | null;
      authorId?: string | null;
      authorName?: string | null;
      createdAt?: number | null;
      repostOf?: string | null;
      url?: string | null;
      /** New head of the observation chain. */
      chain: string;
    },
  ): void {
    this.run(
      `UPDATE targets SET verdict = ?, cause = ?, last_alive_at = ?, last_alive_hash = ?, last_alive_text = ?,
         gone_at = ?, final_streak = ?, last_final_at = ?, edit_count = ?, observations = ?,
         last_outcome = ?, last_checked_at = ?, next_check_at = ?, leased_until = NULL,
         author_id = COALESCE(?, author_id), author_name = COALESCE(?, author_name),
         created_at = COALESCE(?, created_at), repost_of = COALESCE(?, repost_of), url = COALESCE(?, url),
         chain = ?
       WHERE id = ?`,
      s.verdict,
      s.cause,
      s.lastAliveAt,
      s.lastAliveHash,
      s.lastAliveText,
      s.goneAt,
      s.finalStreak,
      s.lastFinalAt,
      s.editCount,
      s.observations,
      extra.lastOutcome,
      extra.lastCheckedAt,
      extra.nextCheckAt,
      extra.authorId ?? null,
      extra.authorName ?? null,
      extra.createdAt ?? null,
      extra.repostOf ?? null,
      extra.url ?? null,
      extra.chain,
      rowId,
    );
  }

  /** Earliest time any source or target is due, or null when nothing is scheduled. */
  nextDueAt(): number | null {
    const r = this.query<{ t: number | null }>(
      `SELECT MIN(t) AS t FROM (
         SELECT MIN(next_run_at) AS t FROM sources WHERE active = 1
         UNION ALL SELECT MIN(next_check_at) FROM targets)`,
    )[0];
    return r?.t ?? null;
  }

  // ---- observations and evidence -------------------------------------------------------------

  /** Stores a body once per content; returns its hash. */
  putBlob(body: Buffer): string {
    const hash = sha256Hex(body);
    this.run(
      `INSERT OR IGNORE INTO blobs (hash, size, gz) VALUES (?, ?, ?)`,
      hash,
      body.length,
      gzipSync(body),
    );
    return hash;
  }

  getBlob(hash: string): Buffer | undefined {
    const r = this.query<{ gz: Buffer }>(`SELECT gz FROM blobs WHERE hash = ?`, hash)[0];
    return r ? gunzipSync(r.gz) : undefined;
  }

  /**
   * Inserts an observation, extending its target's hash chain from `prevChain`. Returns the new
   * chain head, or null (and writes nothing) when an observation with the same dedupe key was
   * already recorded. The caller stores the head with the target's state.
   */
  insertObservation(o: NewObservation, prevChain: string): string | null {
    const bodyHash = o.body ? (o.keepBody ? this.putBlob(o.body) : sha256Hex(o.body)) : null;
    const chain = chainHash(prevChain, {
      target_id: o.targetRowId,
      at: o.at,
      endpoint: o.endpoint,
      outcome: o.outcome,
      message: o.message,
      content_hash: o.contentHash,
      body_hash: bodyHash,
    });
    const r = this.run(
      `INSERT OR IGNORE INTO observations (target_id, at, endpoint, outcome, message, http_status, url, final_url,
         content_hash, content, body_hash, body_kept, chain, dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      o.targetRowId,
      o.at,
      o.endpoint,
      o.outcome,
      o.message,
      o.httpStatus,
      o.url,
      o.finalUrl,
      o.contentHash,
      o.content ? JSON.stringify(o.content) : null,
      bodyHash,
      o.body && o.keepBody ? 1 : 0,
      chain,
      o.dedupeKey,
    );
    if (r.changes === 0) return null;
    const id = Number(r.lastInsertRowid);
    // The capture first: the log entry commits to its digest.
    if (o.exchanges && o.exchanges.length > 0) this.captures.put(id, o.exchanges);
    this.log.append(id);
    return chain;
  }

  observationsOf(rowId: number): Row[] {
    return this.query(`SELECT * FROM observations WHERE target_id = ? ORDER BY id`, rowId);
  }

  /** Last stored normalized content of a target (from its latest changed alive observation). */
  lastContent(rowId: number): Content | null {
    const r = this.query<{ content: string }>(
      `SELECT content FROM observations WHERE target_id = ? AND content IS NOT NULL ORDER BY id DESC LIMIT 1`,
      rowId,
    )[0];
    return r ? (JSON.parse(r.content) as Content) : null;
  }

  // ---- events --------------------------------------------------------------------------------

  /** Inserts an event unless one with the same dedupe key exists; returns its id or null. */
  insertEvent(e: NewEvent): number | null {
    const r = this.run(
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

  listEvents(f: EventFilter = {}): EventRow[] {
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
    return this.db
      .prepare(sql)
      .all(...params)
      .map((x) => {
        const r = x as Row;
        return {
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
        };
      });
  }

  // ---- reads for status, export and report ---------------------------------------------------

  listTargets(f: TargetFilter = {}): TargetSummary[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.watchId) {
      where.push('t.id IN (SELECT target_id FROM target_watches WHERE watch_id = ?)');
      params.push(f.watchId);
    }
    if (f.platform) {
      where.push('t.platform = ?');
      params.push(f.platform);
    }
    const rows = this.db
      .prepare(
        `SELECT t.*, (SELECT group_concat(watch_id, char(31)) FROM (SELECT watch_id FROM target_watches tw
           WHERE tw.target_id = t.id ORDER BY watch_id)) AS watch_ids
         FROM targets t ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY t.platform, t.first_seen_at, t.id`,
      )
      .all(...params) as Row[];
    return rows.map((r) => ({
      ...toTargetRow(r),
      watches: r.watch_ids ? (r.watch_ids as string).split('\u001f') : [],
    }));
  }

  countTargetsByVerdict(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.query<{ verdict: string; n: number }>(
      `SELECT verdict, COUNT(*) AS n FROM targets GROUP BY verdict`,
    )) {
      out[r.verdict] = r.n;
    }
    return out;
  }

  listWatches(): { id: string; name: string }[] {
    return this.query(`SELECT id, name FROM watches ORDER BY id`);
  }
}
