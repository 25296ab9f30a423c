import type Database from 'better-sqlite3';
import type { Cause, Outcome, Platform, TargetKind, TargetRef, Verdict } from '../domain/glossary';
import type { TargetState } from '../domain/verdict';
import type { Row, Sql } from './db';
import { LATEST_COLUMNS, LATEST_JOINS, type Latest } from './observations';
import { toTargetRow, type TargetFilter, type TargetRow, type TargetSummary } from './rows';

/** What a check adds to a target's verdict state when it is saved. */
export interface TargetStateExtra {
  readonly lastOutcome: Outcome;
  readonly lastCheckedAt: number;
  readonly nextCheckAt: number | null;
  readonly authorId?: string | null;
  readonly authorName?: string | null;
  readonly createdAt?: number | null;
  readonly repostOf?: string | null;
  readonly url?: string | null;
  /** New head of the observation chain. */
  readonly chain: string;
}

/** A target found by a listing-side query: its row id and platform id. */
export interface TargetId {
  readonly rowId: number;
  readonly nativeId: string;
}

/**
 * What picking due work needs of a target: enough to build its check and to class it for the
 * request budget. Read instead of the whole row: at a million targets, decoding the wide rows
 * (texts, hashes) was most of the time of a pick.
 */
export interface DueTarget extends TargetRef {
  readonly rowId: number;
  readonly url: string;
  readonly nextCheckAt: number | null;
  readonly state: Pick<TargetState, 'verdict' | 'firstSeenAt' | 'observations'>;
}

/** The columns of a due target, in the order {@link toDueTarget} reads them. */
const DUE_COLUMNS =
  't.id, t.platform, t.kind, t.native_id, t.url, t.next_check_at, t.verdict, t.first_seen_at, t.observations';

/**
 * A target (`t`) without a live lease. A lease is a row of `target_leases`: narrow, and few at a
 * time (the work out in the pipeline), so taking and giving back leases never rewrites the wide
 * target rows, and this probe is one look-up in a small table.
 */
const UNLEASED = `NOT EXISTS (SELECT 1 FROM target_leases l WHERE l.target_id = t.id AND l.leased_until > ?)`;

/** Leases the targets whose row ids are in a JSON array, replacing any lease they had. */
const LEASE_IDS = `INSERT OR REPLACE INTO target_leases (target_id, leased_until, leased_by)
  SELECT value, ?, ? FROM json_each(?)`;

/** A due target from a raw row of {@link DUE_COLUMNS}. */
function toDueTarget(r: unknown[]): DueTarget {
  return {
    rowId: r[0] as number,
    platform: r[1] as Platform,
    kind: r[2] as TargetKind,
    id: r[3] as string,
    url: r[4] as string,
    nextCheckAt: r[5] as number | null,
    state: {
      verdict: r[6] as TargetState['verdict'],
      firstSeenAt: r[7] as number,
      observations: r[8] as number,
    },
  };
}

/**
 * The targets columns of a snapshot, in the order {@link toSnapshot} reads them: the row as
 * {@link toTargetRow} maps it, without the lease columns nothing in a decision reads.
 */
const SNAPSHOT_TARGET = `t.id, t.platform, t.kind, t.native_id, t.url, t.first_seen_at, t.verdict, t.cause,
  t.last_alive_at, t.last_alive_hash, t.last_alive_text, t.gone_at, t.final_streak, t.last_final_at, t.edit_count,
  t.observations, t.author_id, t.author_name, t.created_at, t.repost_of, t.last_outcome, t.last_checked_at,
  t.next_check_at, t.chain, t.unlisted_at, t.unlisted_reported, t.last_content_at`;
const SNAPSHOT_TARGET_COLUMNS = SNAPSHOT_TARGET.split(',').length;

/**
 * A target with its watches, and its latest observation and capture: a recorder's snapshot in one
 * read. The watches come sorted in one string, each joined as a configured post (`via = 'post'`,
 * what the problem rules look at) marked by a leading U+001E; watch ids are `[A-Za-z0-9_-]+`
 * (src/config/schema.ts), so neither separator can be part of one, and SQLite's byte order is
 * JavaScript's.
 */
const SNAPSHOT = `SELECT ${SNAPSHOT_TARGET},
  (SELECT group_concat(CASE tw.via WHEN 'post' THEN char(30) || tw.watch_id ELSE tw.watch_id END, char(31)
    ORDER BY tw.watch_id) FROM target_watches tw WHERE tw.target_id = t.id) AS watch_ids,
  ${LATEST_COLUMNS} FROM targets t ${LATEST_JOINS}`;

/** A target's row, its watches (sorted) and what its next observation extends. */
export interface TargetSnapshot {
  readonly row: TargetRow;
  readonly watches: string[];
  /** Of {@link watches}, those it is in as a configured post (the problem rules' subjects), sorted. */
  readonly configuredIn: string[];
  /** The target's latest observation and capture, as read with the row (see ObservationRepository.insert). */
  readonly latest: Latest;
}

/**
 * A snapshot statement, in raw mode: a row as an array is about a third cheaper to read than one
 * as an object of some forty properties, and this read is made once per recorded check. The
 * {@link Latest} columns are mapped by the names the statement reports, so they follow
 * LATEST_COLUMNS whatever it holds.
 */
class SnapshotRead {
  private readonly stmt: Database.Statement;
  private readonly latestColumns: readonly (readonly [keyof Latest, number])[];

  constructor(db: Database.Database, where: string) {
    this.stmt = db.prepare(`${SNAPSHOT} ${where}`).raw(true);
    this.latestColumns = this.stmt
      .columns()
      .map((c, i) => [c.name as keyof Latest, i] as const)
      .slice(SNAPSHOT_TARGET_COLUMNS + 1);
  }

  get(...params: unknown[]): TargetSnapshot | undefined {
    const r = this.stmt.get(...params) as unknown[] | undefined;
    return r ? this.toSnapshot(r) : undefined;
  }

  private toSnapshot(r: unknown[]): TargetSnapshot {
    const platform = r[1] as Platform;
    const kind = r[2] as TargetKind;
    const nativeId = r[3] as string;
    const row: TargetRow = {
      rowId: r[0] as number,
      platform,
      kind,
      id: nativeId,
      url: r[4] as string,
      state: {
        verdict: r[6] as Verdict,
        cause: (r[7] as Cause | null) ?? null,
        firstSeenAt: r[5] as number,
        lastAliveAt: (r[8] as number | null) ?? null,
        lastAliveHash: (r[9] as string | null) ?? null,
        lastAliveText: (r[10] as string | null) ?? null,
        lastContentAt: (r[26] as number | null) ?? null,
        goneAt: (r[11] as number | null) ?? null,
        finalStreak: r[12] as number,
        lastFinalAt: (r[13] as number | null) ?? null,
        editCount: r[14] as number,
        observations: r[15] as number,
      },
      authorId: (r[16] as string | null) ?? null,
      authorName: (r[17] as string | null) ?? null,
      createdAt: (r[18] as number | null) ?? null,
      repostOf: (r[19] as string | null) ?? null,
      lastOutcome: (r[20] as Outcome | null) ?? null,
      lastCheckedAt: (r[21] as number | null) ?? null,
      nextCheckAt: (r[22] as number | null) ?? null,
      chain: (r[23] as string | null) ?? '',
      unlistedAt: (r[24] as number | null) ?? null,
      unlistedReported: r[25] === 1,
    };
    const watches: string[] = [];
    const configuredIn: string[] = [];
    const joined = r[SNAPSHOT_TARGET_COLUMNS] as string | null;
    if (joined)
      for (const w of joined.split('\u001f')) {
        if (w.charCodeAt(0) === 0x1e) {
          const id = w.slice(1);
          watches.push(id);
          configuredIn.push(id);
        } else watches.push(w);
      }
    const latest = { platform, kind, native_id: nativeId } as Latest;
    const out = latest as unknown as Record<string, unknown>;
    for (const [name, i] of this.latestColumns) out[name] = r[i];
    return { row, watches, configuredIn, latest };
  }
}

/**
 * Snapshots kept of targets recently recorded. A million targets do not fit, and need not: the
 * cache spares a read for the targets re-checked while they are still in it.
 */
export const RECENT_SNAPSHOTS = 4096;

/** A time as a column holding it reads back. */
function time(t: number | null | undefined): number | null {
  return t === undefined || t === null || Number.isNaN(t) ? null : t;
}

/** The columns {@link TargetRepository.saveState} writes when they change, in its order. */
const STATE_COLUMNS = [
  'verdict',
  'cause',
  'last_alive_at',
  'last_alive_hash',
  'last_alive_text',
  'last_content_at',
  'gone_at',
  'final_streak',
  'last_final_at',
  'edit_count',
  'last_outcome',
  'author_id',
  'author_name',
  'created_at',
  'repost_of',
  'url',
] as const;
/** Of {@link STATE_COLUMNS}, the first that a null leaves as stored. */
const KEEP_FROM = 11;
/** The bit of a write not made against the row as read: those columns are COALESCEd. */
const FULL_WRITE = 1 << STATE_COLUMNS.length;

/** The UPDATE of the columns whose bits are set in `written` (and of {@link FULL_WRITE}). */
function stateUpdateSql(written: number): string {
  const full = (written & FULL_WRITE) !== 0;
  let sets = '';
  STATE_COLUMNS.forEach((column, i) => {
    if ((written & (1 << i)) === 0) return;
    sets += full && i >= KEEP_FROM ? `${column} = COALESCE(?, ${column}), ` : `${column} = ?, `;
  });
  return `UPDATE targets SET ${sets}observations = ?, last_checked_at = ?,
         next_check_at = ?, chain = ?, last_observation = COALESCE(?, last_observation) WHERE id = ?`;
}

/** What {@link TargetRepository.saveState} writes beside the state, but for the chain. */
export type TargetSave = Omit<TargetStateExtra, 'chain'>;

/**
 * A target's row as {@link TargetRepository.saveState} leaves it, from the row it was read as.
 * Built field by field: spreading the row and the state, on every recorded result, was a few µs.
 */
function savedRow(before: TargetRow, s: TargetState, extra: TargetSave, chain: string): TargetRow {
  return {
    rowId: before.rowId,
    platform: before.platform,
    kind: before.kind,
    id: before.id,
    url: extra.url ?? before.url,
    // Nullable values as a read gives them back: null, never undefined (nor NaN, which SQLite stores as NULL).
    state: {
      verdict: s.verdict,
      cause: s.cause ?? null,
      firstSeenAt: s.firstSeenAt,
      lastAliveAt: time(s.lastAliveAt),
      lastAliveHash: s.lastAliveHash ?? null,
      lastAliveText: s.lastAliveText ?? null,
      lastContentAt: s.lastContentAt,
      goneAt: time(s.goneAt),
      finalStreak: s.finalStreak,
      lastFinalAt: time(s.lastFinalAt),
      editCount: s.editCount,
      observations: s.observations,
    },
    authorId: extra.authorId ?? before.authorId,
    authorName: extra.authorName ?? before.authorName,
    // A NaN is written (no COALESCE keeps the old value for it) and read back as null.
    createdAt:
      extra.createdAt === null || extra.createdAt === undefined ? before.createdAt : time(extra.createdAt),
    repostOf: extra.repostOf ?? before.repostOf,
    lastOutcome: extra.lastOutcome,
    lastCheckedAt: extra.lastCheckedAt,
    nextCheckAt: time(extra.nextCheckAt),
    chain,
    unlistedAt: before.unlistedAt,
    unlistedReported: before.unlistedReported,
  };
}

/** Targets (`targets`) and the watches they belong to (`target_watches`). */
export class TargetRepository {
  private byId: SnapshotRead | undefined;
  private byRef: SnapshotRead | undefined;

  /**
   * Each recently recorded target's snapshot as its commit left it, oldest first, so that its next
   * check need not read it back: this connection writes those rows only through the methods here,
   * each of which forgets what it changes; whatever else may have changed them (a rollback,
   * another connection's commit) empties the whole map (see Sql.staleness).
   */
  private readonly recent = new Map<number, TargetSnapshot>();
  /** The connection's staleness {@link recent} holds for. */
  private recentStale = -1;
  /** Counts forgotten snapshots: a snapshot read before a write to its target may not be kept. */
  private forgets = 0;
  /** Per snapshot row handed out in a transaction: {@link forgets} and the transaction's epoch then. */
  private readonly handedOut = new WeakMap<
    TargetRow,
    { snap: TargetSnapshot; forgets: number; epoch: number }
  >();

  private readonly rawStatements = new Map<string, Database.Statement>();

  /** {@link saveState}'s statements, by the columns they write (see stateUpdateSql). */
  private readonly stateUpdates = new Map<number, Database.Statement>();

  constructor(private readonly sql: Sql) {}

  /**
   * A cached statement in raw mode (rows as arrays): a pick reads 1,000 due rows, and reading one
   * as an array of nine values costs about half of reading it as an object of nine properties.
   */
  private raw(sql: string): Database.Statement {
    let s = this.rawStatements.get(sql);
    if (!s) {
      s = this.sql.db.prepare(sql).raw(true);
      this.rawStatements.set(sql, s);
    }
    return s;
  }

  find(ref: TargetRef): TargetRow | undefined {
    const r = this.sql.get(
      `SELECT * FROM targets WHERE platform = ? AND kind = ? AND native_id = ?`,
      ref.platform,
      ref.kind,
      ref.id,
    );
    return r ? toTargetRow(r) : undefined;
  }

  get(rowId: number): TargetRow | undefined {
    const r = this.sql.get(`SELECT * FROM targets WHERE id = ?`, rowId);
    return r ? toTargetRow(r) : undefined;
  }

  /**
   * A target, the watches it is in (sorted) and its latest observation and capture, in one read;
   * inside a transaction, from the snapshots kept of recent commits when it is one of them.
   */
  getWithWatches(rowId: number): TargetSnapshot | undefined {
    if (!this.sql.inTransaction) return this.readById(rowId);
    const snap = this.recentOnes().get(rowId) ?? this.readById(rowId);
    if (snap) this.handOut(snap);
    return snap;
  }

  /** {@link getWithWatches} by platform id, always read. */
  findWithWatches(ref: TargetRef): TargetSnapshot | undefined {
    this.byRef ??= new SnapshotRead(this.sql.db, 'WHERE t.platform = ? AND t.kind = ? AND t.native_id = ?');
    const snap = this.byRef.get(ref.platform, ref.kind, ref.id);
    if (snap && this.sql.inTransaction) this.handOut(snap);
    return snap;
  }

  private readById(rowId: number): TargetSnapshot | undefined {
    this.byId ??= new SnapshotRead(this.sql.db, 'WHERE t.id = ?');
    return this.byId.get(rowId);
  }

  /** {@link recent}, emptied first if the rows behind it may have changed. */
  private recentOnes(): Map<number, TargetSnapshot> {
    const stale = this.sql.staleness;
    if (stale !== this.recentStale) {
      this.recent.clear();
      this.recentStale = stale;
    }
    return this.recent;
  }

  private handOut(snap: TargetSnapshot): void {
    this.handedOut.set(snap.row, { snap, forgets: this.forgets, epoch: this.sql.epoch });
  }

  /** Drops a target's kept snapshot: its row, its watches or its latest observation changes. */
  private forget(rowId: number): void {
    this.forgets++;
    this.recent.delete(rowId);
  }

  /** {@link forget} for an observation stored other than through a recorded snapshot. */
  forgetSnapshot(rowId: number): void {
    this.forget(rowId);
  }

  /** Stores a new target, first seen at `now` and due at `nextCheckAt`; returns its row id. */
  create(ref: TargetRef, url: string, now: number, nextCheckAt: number): number {
    const info = this.sql.run(
      `INSERT INTO targets (platform, kind, native_id, url, first_seen_at, next_check_at) VALUES (?, ?, ?, ?, ?, ?)`,
      ref.platform,
      ref.kind,
      ref.id,
      url,
      now,
      nextCheckAt,
    );
    return Number(info.lastInsertRowid);
  }

  /** Creation times (as their own checks recorded them) of the posts among `ids` that have one. */
  createdTimesOf(platform: Platform, ids: readonly string[]): number[] {
    if (ids.length === 0) return [];
    return this.sql
      .query<{ created_at: number }>(
        `SELECT created_at FROM targets WHERE platform = ? AND kind = 'post' AND created_at IS NOT NULL
           AND native_id IN (SELECT value FROM json_each(?))`,
        platform,
        JSON.stringify(ids),
      )
      .map((r) => r.created_at);
  }

  /**
   * Returns the target, creating it (due at `nextCheckAt`) if new, and links it to the watches.
   * `created` tells whether it was new; `linked` lists the watches it was newly linked to.
   */
  ensure(
    ref: TargetRef,
    url: string,
    watchIds: readonly string[],
    via: string,
    now: number,
    nextCheckAt: number,
  ): { row: TargetRow; created: boolean; linked: string[] } {
    let row = this.find(ref);
    let created = false;
    if (!row) {
      row = this.get(this.create(ref, url, now, nextCheckAt))!;
      created = true;
    }
    return { row, created, linked: this.link(row.rowId, watchIds, via, now) };
  }

  /** Links a target to watches; returns the ones it was not linked to before. */
  link(rowId: number, watchIds: readonly string[], via: string, now: number): string[] {
    const linked: string[] = [];
    for (const w of watchIds) {
      const r = this.sql.run(
        `INSERT OR IGNORE INTO target_watches (target_id, watch_id, via, added_at) VALUES (?, ?, ?, ?)`,
        rowId,
        w,
        via,
        now,
      );
      if (r.changes > 0) linked.push(w);
    }
    if (linked.length > 0) this.forget(rowId);
    return linked;
  }

  watchesOf(rowId: number): string[] {
    return this.sql
      .query<{ watch_id: string }>(
        `SELECT watch_id FROM target_watches WHERE target_id = ? ORDER BY watch_id`,
        rowId,
      )
      .map((r) => r.watch_id);
  }

  /** How a target joined each of its watches (`keyword:…`, `check`, `thread-of:…`). */
  linksOf(rowId: number): { watchId: string; via: string }[] {
    return this.sql.query(
      `SELECT watch_id AS watchId, via FROM target_watches WHERE target_id = ? ORDER BY watch_id`,
      rowId,
    );
  }

  /**
   * Targets due at `now` and not leased, earliest first, leased for `leaseMs` (to `owner`) so they
   * are not dispatched twice: read, then leased in one statement, in one write transaction.
   */
  takeDue(now: number, limit: number, leaseMs: number, owner: string | null): DueTarget[] {
    return this.sql.transaction(() => {
      const rows = this.raw(
        `SELECT ${DUE_COLUMNS} FROM targets t WHERE next_check_at <= ? AND ${UNLEASED}
         ORDER BY next_check_at LIMIT ?`,
      ).all(now, now, limit) as unknown[][];
      if (rows.length > 0)
        this.sql.run(LEASE_IDS, now + leaseMs, owner, JSON.stringify(rows.map((r) => r[0])));
      return rows.map(toDueTarget);
    });
  }

  /**
   * Targets due at `now`, earliest first, without leasing them (leased ones too when
   * `ignoreLeases`), read lazily so a caller that skips some stops as soon as it has enough; at
   * most `limit` rows are read. Nothing else may use the connection until the iteration ends.
   */
  *peekDue(now: number, limit: number, ignoreLeases: boolean): Generator<DueTarget, void, undefined> {
    for (const r of this.raw(
      `SELECT ${DUE_COLUMNS} FROM targets t WHERE next_check_at <= ? AND (? = 1 OR ${UNLEASED})
       ORDER BY next_check_at LIMIT ?`,
    ).iterate(now, ignoreLeases ? 1 : 0, now, limit) as IterableIterator<unknown[]>)
      yield toDueTarget(r);
  }

  /** Leases a target until `until` unless a result moved it on (its observation count is no longer `guard`). */
  leaseIfObservedTimes(rowId: number, guard: number, until: number): boolean {
    return (
      this.sql.run(
        `INSERT OR REPLACE INTO target_leases (target_id, leased_until, leased_by)
         SELECT id, ?, NULL FROM targets WHERE id = ? AND observations = ?`,
        until,
        rowId,
        guard,
      ).changes > 0
    );
  }

  /**
   * Moves a target's next check to `at` unless a result moved it on (its observation count is no
   * longer `guard`) or it is leased beyond `now` (in the pipeline): work the request budget held
   * back, returned to the schedule without a lease, as embedded mode does.
   */
  deferIfObservedTimes(rowId: number, guard: number, at: number, now: number): boolean {
    return this.sql.transaction(() => {
      const moved =
        this.sql.run(
          `UPDATE targets AS t SET next_check_at = ? WHERE id = ? AND observations = ? AND ${UNLEASED}`,
          at,
          rowId,
          guard,
          now,
        ).changes > 0;
      if (moved) this.forget(rowId);
      // What is left is a lease that ran out: gone with the move, as a lease is with a result.
      if (moved) this.release(rowId);
      return moved;
    });
  }

  /**
   * Due targets leased without an owner beyond `now` — a distributed scheduler's work the recorder
   * leased and has not recorded a result for — with their lease ends. Read lazily.
   */
  *leasedOut(now: number): Generator<{ target: DueTarget; leasedUntil: number }, void, undefined> {
    for (const r of this.raw(
      `SELECT ${DUE_COLUMNS}, l.leased_until FROM target_leases l JOIN targets t ON t.id = l.target_id
       WHERE t.next_check_at <= ? AND l.leased_until > ? AND l.leased_by IS NULL`,
    ).iterate(now, now) as IterableIterator<unknown[]>)
      yield { target: toDueTarget(r), leasedUntil: r[9] as number };
  }

  /** Targets due at `now`, leased or not. */
  countDue(now: number): number {
    return this.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM targets WHERE next_check_at <= ?`, now)!.n;
  }

  /** Earliest next check of any target. */
  nextDueAt(): number | null {
    // ORDER BY rather than MIN(): the partial index targets_due serves it, where MIN() scans the table.
    return (
      this.sql.get<{ t: number }>(
        `SELECT next_check_at AS t FROM targets WHERE next_check_at IS NOT NULL ORDER BY next_check_at LIMIT 1`,
      )?.t ?? null
    );
  }

  /** Moves a target's next check (never later than it already is when `onlyEarlier`). */
  schedule(rowId: number, at: number, onlyEarlier = false): void {
    this.forget(rowId);
    if (onlyEarlier) {
      this.sql.run(
        `UPDATE targets SET next_check_at = ? WHERE id = ? AND (next_check_at IS NULL OR next_check_at > ?)`,
        at,
        rowId,
        at,
      );
    } else {
      this.sql.run(`UPDATE targets SET next_check_at = ? WHERE id = ?`, at, rowId);
      this.release(rowId);
    }
  }

  /** Makes every target due at `at` and gives back every lease (benchmarks that re-check one set). */
  scheduleAll(at: number): void {
    this.forgets++;
    this.recent.clear();
    this.sql.run(`UPDATE targets SET next_check_at = ?`, at);
    this.sql.run(`DELETE FROM target_leases`);
  }

  /** Gives back a target's lease, whoever holds it. */
  release(rowId: number): void {
    this.sql.run(`DELETE FROM target_leases WHERE target_id = ?`, rowId);
  }

  /**
   * Tracks a post's presence on its author's timeline: `missing` records when it was first found
   * absent, `reported` that the event was emitted, `listed` clears both.
   */
  setUnlisted(rowId: number, change: { missing: number } | 'reported' | 'listed'): void {
    this.forget(rowId);
    if (change === 'listed') {
      this.sql.run(
        `UPDATE targets SET unlisted_at = NULL, unlisted_reported = 0 WHERE id = ? AND unlisted_at IS NOT NULL`,
        rowId,
      );
    } else if (change === 'reported') {
      this.sql.run(`UPDATE targets SET unlisted_reported = 1 WHERE id = ?`, rowId);
    } else {
      this.sql.run(
        `UPDATE targets SET unlisted_at = COALESCE(unlisted_at, ?) WHERE id = ?`,
        change.missing,
        rowId,
      );
    }
  }

  /** Returns a leased target to the schedule without an observation (e.g. its host is backing off). */
  defer(rowId: number, at: number): void {
    this.forget(rowId);
    this.sql.run(`UPDATE targets SET next_check_at = ? WHERE id = ?`, at, rowId);
    this.release(rowId);
  }

  /**
   * Saves a target's verdict state after a check, and gives back its lease. With `before`, the
   * row as read in this same transaction, only the columns whose values change are set: an
   * unchanged re-check moves its count, times and chain, and binds 6 values instead of 20. With
   * `latest` too (the target's latest observation and capture now), the snapshot `before` came
   * with is kept as this leaves it, for the target's next check, unless anything else wrote the
   * target since it was read. `lastObservation`, when given, is the observation just inserted for
   * this state (ObservationRepository.insert left the target's pointer to it to this write).
   */
  saveState(
    rowId: number,
    s: TargetState,
    extra: TargetSave,
    chain: string,
    before?: TargetRow,
    latest?: Latest,
    lastObservation?: number,
  ): void {
    const b = before?.state;
    const values = [
      s.verdict,
      s.cause,
      s.lastAliveAt,
      s.lastAliveHash,
      s.lastAliveText,
      s.lastContentAt,
      s.goneAt,
      s.finalStreak,
      s.lastFinalAt,
      s.editCount,
      extra.lastOutcome,
      extra.authorId,
      extra.authorName,
      extra.createdAt,
      extra.repostOf,
      extra.url,
    ];
    const olds = before
      ? [
          b!.verdict,
          b!.cause,
          b!.lastAliveAt,
          b!.lastAliveHash,
          b!.lastAliveText,
          b!.lastContentAt,
          b!.goneAt,
          b!.finalStreak,
          b!.lastFinalAt,
          b!.editCount,
          before.lastOutcome,
          before.authorId,
          before.authorName,
          before.createdAt,
          before.repostOf,
          before.url,
        ]
      : undefined;
    const params: unknown[] = [];
    // Which columns are written, and whether as a full write: the statement for them, prepared once.
    let written = before ? 0 : FULL_WRITE;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      // From KEEP_FROM on, a null value leaves the stored one (the COALESCE of a full write).
      if (i >= KEEP_FROM && (value === null || value === undefined)) continue;
      if (olds && value === olds[i]) continue;
      written |= 1 << i;
      params.push(value ?? null);
    }
    let update = this.stateUpdates.get(written);
    if (!update) {
      update = this.sql.db.prepare(stateUpdateSql(written));
      this.stateUpdates.set(written, update);
    }
    update.run(
      ...params,
      s.observations,
      extra.lastCheckedAt,
      extra.nextCheckAt,
      chain,
      lastObservation ?? null,
      rowId,
    );
    this.releaseAtCommit(rowId);
    const read = before && latest ? this.handedOut.get(before) : undefined;
    if (read && read.forgets === this.forgets && read.epoch === this.sql.epoch && before!.rowId === rowId)
      this.remember({
        row: savedRow(before!, s, extra, chain),
        watches: read.snap.watches,
        configuredIn: read.snap.configuredIn,
        latest: latest!,
      });
    else this.forget(rowId);
  }

  /**
   * Gives back a target's lease when the transaction open now commits (at once outside one), in
   * one statement for all the targets it saved: a group of results then deletes its leases
   * together instead of one statement per result. Nothing reads a lease in between: work is taken
   * in transactions of its own.
   */
  private releaseAtCommit(rowId: number): void {
    const ids = this.releasing;
    const before = ids.length;
    ids.push(rowId);
    this.sql.onRollback(() => {
      ids.length = Math.min(ids.length, before);
    });
    this.sql.beforeCommit(ids, this.flushReleases);
  }

  private readonly releasing: number[] = [];

  private readonly flushReleases = (): void => {
    const ids = this.releasing;
    if (ids.length === 1) this.release(ids[0]!);
    else if (ids.length > 1)
      this.sql.run(
        `DELETE FROM target_leases WHERE target_id IN (SELECT value FROM json_each(?))`,
        JSON.stringify(ids),
      );
    ids.length = 0;
  };

  private remember(snap: TargetSnapshot): void {
    const recent = this.recentOnes();
    recent.delete(snap.row.rowId);
    recent.set(snap.row.rowId, snap);
    if (recent.size > RECENT_SNAPSHOTS) recent.delete(recent.keys().next().value as number);
  }

  // ---- what listings imply ---------------------------------------------------------------------

  /** Posts of a watch on a platform, not gone, that have no thread target in that watch yet. */
  postsWithoutThread(watchId: string, platform: Platform): string[] {
    return this.sql
      .query<{ native_id: string }>(
        `SELECT t.native_id FROM targets t JOIN target_watches tw ON tw.target_id = t.id
         WHERE tw.watch_id = ? AND t.platform = ? AND t.kind = 'post' AND t.verdict <> 'gone'
           AND NOT EXISTS (SELECT 1 FROM targets th JOIN target_watches tw2 ON tw2.target_id = th.id
             WHERE th.platform = t.platform AND th.kind = 'thread' AND th.native_id = t.native_id
               AND tw2.watch_id = tw.watch_id)`,
        watchId,
        platform,
      )
      .map((r) => r.native_id);
  }

  /** Targets of a watch on a platform, found `via` (e.g. `keyword:联合国`), whose verdict is alive. */
  countAliveFoundBy(watchId: string, via: string, platform: Platform): number {
    return this.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM targets t JOIN target_watches tw ON tw.target_id = t.id
       WHERE tw.watch_id = ? AND tw.via = ? AND t.verdict = 'alive' AND t.platform = ?`,
      watchId,
      via,
      platform,
    )!.n;
  }

  /**
   * Alive posts of a watch found `via` (or, when `author` is given, written by that account),
   * created after `from` and, unless `to` is null (an open top), before `to`.
   */
  aliveMissingFrom(
    watchId: string,
    via: string,
    author: string | null,
    platform: Platform,
    from: number,
    to: number | null,
  ): TargetId[] {
    return this.sql.query(
      `SELECT DISTINCT t.id AS rowId, t.native_id AS nativeId FROM targets t JOIN target_watches tw ON tw.target_id = t.id
       WHERE tw.watch_id = ? AND (tw.via = ? OR (? = 1 AND t.author_id = ?)) AND t.platform = ?
         AND t.kind = 'post' AND t.verdict = 'alive' AND t.created_at > ? AND (? = 1 OR t.created_at < ?)`,
      watchId,
      via,
      author === null ? 0 : 1,
      author,
      platform,
      from,
      to === null ? 1 : 0,
      to ?? 0,
    );
  }

  /** Alive posts of a watch found `via` an account's timeline or written by that account. */
  alivePostsOfAccount(watchId: string, via: string, account: string, platform: Platform): number[] {
    return this.sql
      .query<{ id: number }>(
        `SELECT t.id FROM targets t JOIN target_watches tw ON tw.target_id = t.id
         WHERE tw.watch_id = ? AND (tw.via = ? OR t.author_id = ?) AND t.platform = ? AND t.kind = 'post'
           AND t.verdict = 'alive'`,
        watchId,
        via,
        account,
        platform,
      )
      .map((r) => r.id);
  }

  // ---- reads for status, export and report -----------------------------------------------------

  list(f: TargetFilter = {}): TargetSummary[] {
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
    const rows = this.sql.dynamic<Row>(
      `SELECT t.*, (SELECT group_concat(watch_id, char(31)) FROM (SELECT watch_id FROM target_watches tw
         WHERE tw.target_id = t.id ORDER BY watch_id)) AS watch_ids
       FROM targets t ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY t.platform, t.first_seen_at, t.id`,
      ...params,
    );
    return rows.map((r) => ({
      ...toTargetRow(r),
      watches: r.watch_ids ? (r.watch_ids as string).split('\u001f') : [],
    }));
  }

  /** Targets by verdict, of one watch or of all. */
  countByVerdict(watchId?: string): Record<string, number> {
    const out: Record<string, number> = {};
    const rows =
      watchId === undefined
        ? this.sql.query<{ verdict: string; n: number }>(
            `SELECT verdict, COUNT(*) AS n FROM targets GROUP BY verdict`,
          )
        : this.sql.query<{ verdict: string; n: number }>(
            `SELECT t.verdict, COUNT(*) AS n FROM targets t JOIN target_watches tw ON tw.target_id = t.id
             WHERE tw.watch_id = ? GROUP BY t.verdict`,
            watchId,
          );
    for (const r of rows) out[r.verdict] = r.n;
    return out;
  }
}
