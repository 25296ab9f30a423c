import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Content, TargetRef } from '../domain/glossary';
import type { TargetState } from '../domain/verdict';
import { AppliedResults } from './applied';
import { CaptureStore } from './captures';
import { CommentStore } from './comments';
import { SQL, Sql, type Row, type SqlOwner } from './db';
import { EventRepository } from './events';
import { LeaseStore } from './leases';
import { ObservationLog } from './log';
import { ObservationRepository, type HostOutcomes } from './observations';
import { Outbox } from './outbox';
import type {
  EventFilter,
  EventRow,
  NewEvent,
  NewObservation,
  SourceRow,
  TargetFilter,
  TargetRow,
  TargetSummary,
} from './rows';
import { MIGRATIONS } from './schema';
import { SourceRepository, type SearchObservation, type SourceSpec } from './sources';
import { TargetRepository, type DueTarget, type TargetStateExtra } from './targets';
import { TimestampStore } from './timestamps';

export type {
  EventFilter,
  EventRow,
  NewEvent,
  NewObservation,
  SourceRow,
  TargetFilter,
  TargetRow,
  TargetSummary,
} from './rows';
export type { DueTarget } from './targets';
export { chainHash } from './observations';

/**
 * The SQLite store, the source of truth: one repository per aggregate (targets, observations,
 * sources and searches, events, the alert outbox, comments, leases, applied results, the log and
 * its captures and time-stamps), all sharing one connection. SQL stays inside src/store; callers
 * get semantic methods only. One process owns the file for writing; every write is a short
 * synchronous transaction, begun IMMEDIATE.
 *
 * The methods on the class itself are the targets', observations', sources' and events' most
 * used operations, kept here so callers need not know which repository holds them.
 */
export class Store implements SqlOwner {
  readonly [SQL]: Sql;
  readonly targets: TargetRepository;
  readonly observations: ObservationRepository;
  readonly sources: SourceRepository;
  readonly events: EventRepository;
  /** Webhook deliveries and the alerter's cursor over the events. */
  readonly outbox: Outbox;
  /** Comments of thread targets and the threads' status flags. */
  readonly comments: CommentStore;
  /** Embedded runs and who holds which lease. */
  readonly leases: LeaseStore;
  /** Keys of the distributed results already applied. */
  readonly applied: AppliedResults;
  /** The one log over all observations; every inserted observation is appended to it. */
  readonly log: ObservationLog;
  /** Each observation's request and response, content-addressed. */
  readonly captures: CaptureStore;
  /** RFC 3161 time-stamps of the log's head. */
  readonly timestamps: TimestampStore;

  private constructor(db: Database.Database) {
    const sql = new Sql(db);
    this[SQL] = sql;
    this.observations = new ObservationRepository(
      sql,
      () => this.log,
      () => this.captures,
    );
    const blobs = {
      putBlob: (body: Buffer, hash?: string) => this.observations.putBlob(body, hash),
      getBlob: (hash: string) => this.observations.getBlob(hash),
    };
    this.log = new ObservationLog(sql, (id) => this.captures.digestOf(id));
    this.captures = new CaptureStore({ query: sql.query.bind(sql), run: sql.run.bind(sql), ...blobs });
    this.timestamps = new TimestampStore(sql);
    this.targets = new TargetRepository(sql);
    this.sources = new SourceRepository(sql, blobs.putBlob);
    this.events = new EventRepository(sql);
    this.outbox = new Outbox(sql);
    this.comments = new CommentStore(sql);
    this.leases = new LeaseStore(sql);
    this.applied = new AppliedResults(sql);
  }

  /**
   * Opens (creating if missing) the database file and brings its schema up to date. Commands that
   * only read a database use `openExisting` (./open-existing) instead, which never creates one.
   * @param options.mustExist - fail instead of creating the file (implied by `readonly` and `reading`)
   * @param options.reading - for a command that only reads: the file is left as it was found, in
   *   its journal mode, at its schema version (one older than this censorwatch's is refused), and
   *   with no `-wal` or `-shm` file left behind
   */
  static open(
    file: string,
    options: { readonly?: boolean; mustExist?: boolean; reading?: boolean } = {},
  ): Store {
    const reading = options.reading ?? false;
    const mustExist = (options.readonly ?? false) || (options.mustExist ?? false) || reading;
    if (file !== ':memory:' && !mustExist) makeFolders(dirname(file));
    let db = new Database(file, {
      readonly: options.readonly ?? false,
      fileMustExist: mustExist,
    });
    db.pragma('busy_timeout = 5000');
    // A rollback-journal file is read through a read-only connection, which cannot write it; a WAL
    // one through this read-write one, which (unlike a read-only one) removes -wal and -shm as it closes.
    if (reading && !db.readonly && db.pragma('journal_mode', { simple: true }) !== 'wal') {
      db.close();
      db = new Database(file, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
    }
    if (!db.readonly && !reading) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // A checkpoint every 4,000 pages (16 MiB of write-ahead log) instead of SQLite's 1,000: a run
      // rewrites the same pages (target rows, index leaves) check after check, and a checkpoint
      // copies and syncs each page once however often it changed since the last, so a longer
      // interval copies fewer pages per check (on the writes of unchanged re-checks: a sixth less
      // CPU, and a third less time in COMMIT, where a checkpoint stalls the event loop). A crash of
      // the process still loses nothing committed; synchronous = NORMAL syncs the log only at
      // checkpoints, so a power cut may lose up to 4,000 pages of recent commits instead of 1,000
      // (never the database's consistency, and the kernel writes them back within seconds anyway).
      db.pragma('wal_autocheckpoint = 4000');
    }
    db.pragma('foreign_keys = ON');
    if (reading) {
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version !== MIGRATIONS.length) {
        db.close();
        if (version > MIGRATIONS.length) throw newerSchema(version);
        throw new Error(
          `the database's schema is version ${version}, older than this censorwatch's (${MIGRATIONS.length}), and a command that only reads does not upgrade it: \`censorwatch run\` upgrades it as it starts (its data is kept)`,
        );
      }
    }
    const store = new Store(db);
    if (!db.readonly && !reading) store.migrate();
    return store;
  }

  private migrate(): void {
    const { db } = this[SQL];
    const versionNow = (): number => db.pragma('user_version', { simple: true }) as number;
    const version = versionNow();
    if (version > MIGRATIONS.length) throw newerSchema(version);
    // Observations recorded before the log existed are logged once, as its migration runs.
    const logMigration = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE log_entries'));
    for (let v = version; v < MIGRATIONS.length; v++) {
      this[SQL].transaction(() => {
        // Read again under the write lock: another process opening the same new file (a `status`
        // beside the `run` that creates it) may have applied this step while we waited for it.
        if (versionNow() !== v) return;
        db.exec(MIGRATIONS[v]!);
        if (v === logMigration) this.log.backfill();
        db.pragma(`user_version = ${v + 1}`);
      });
    }
  }

  /** The database file as it was opened (`:memory:` for an in-memory one). */
  get file(): string {
    return this[SQL].db.name;
  }

  /** Closes the connection; closing twice is harmless. */
  close(): void {
    this[SQL].db.close();
  }

  /**
   * Runs `fn` in one write transaction (nested calls join the outer one). It begins IMMEDIATE, so
   * the write lock is taken before anything is read.
   */
  transaction<T>(fn: () => T): T {
    return this[SQL].transaction(fn);
  }

  /** Moves the write-ahead log into the main file, so the file's size is what it holds (benchmarks). */
  checkpoint(): void {
    this[SQL].db.pragma('wal_checkpoint(TRUNCATE)');
  }

  // ---- watches and sources ------------------------------------------------------------------

  /**
   * Makes the stored watches and sources match the config: new ones are added (due at once),
   * removed ones deactivated; their history stays.
   */
  syncWatches(
    watches: readonly { id: string; name: string }[],
    sources: readonly SourceSpec[],
    now: number,
  ): void {
    this.sources.syncWatches(watches, sources, now);
  }

  /**
   * Sources due at `now`, leased for `leaseMs` so no other dispatcher takes them meanwhile, to
   * `owner` (a run id) when given, so a later run can take them back if that run dies.
   */
  takeDueSources(now: number, limit: number, leaseMs: number, owner: string | null = null): SourceRow[] {
    return this.sources.takeDue(now, limit, leaseMs, owner);
  }

  getSource(id: number): SourceRow | undefined {
    return this.sources.get(id);
  }

  listSources(watchId?: string): SourceRow[] {
    return this.sources.list(watchId);
  }

  /** Records a finished discovery round and schedules the next. */
  finishSource(id: number, at: number, nextRunAt: number): void {
    this.sources.finish(id, at, nextRunAt);
  }

  /** Stores what a keyword search showed last: its state, whether it counts as blocked, when it last had results. */
  updateSearchState(id: number, state: string, blocked: boolean, lastResultsAt: number | null): void {
    this.sources.updateSearchState(id, state, blocked, lastResultsAt);
  }

  /** Postpones a source without running it (e.g. its host is backing off). */
  deferSource(id: number, nextRunAt: number): void {
    this.sources.defer(id, nextRunAt);
  }

  recordSearchObservation(o: Parameters<SourceRepository['recordSearchObservation']>[0]): void {
    this.sources.recordSearchObservation(o);
  }

  searchHistory(sourceId: number): SearchObservation[] {
    return this.sources.searchHistory(sourceId);
  }

  listWatches(): { id: string; name: string }[] {
    return this.sources.listWatches();
  }

  // ---- targets -------------------------------------------------------------------------------

  findTarget(ref: TargetRef): TargetRow | undefined {
    return this.targets.find(ref);
  }

  getTarget(rowId: number): TargetRow | undefined {
    return this.targets.get(rowId);
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
    return this.targets.ensure(ref, url, watchIds, via, now, nextCheckAt);
  }

  watchesOf(rowId: number): string[] {
    return this.targets.watchesOf(rowId);
  }

  /** Targets due at `now`, leased for `leaseMs` (to `owner` when given) so they are not dispatched twice. */
  takeDueTargets(now: number, limit: number, leaseMs: number, owner: string | null = null): DueTarget[] {
    return this.targets.takeDue(now, limit, leaseMs, owner);
  }

  /** Moves a target's next check (never later than it already is when `onlyEarlier`). */
  scheduleTarget(rowId: number, at: number, onlyEarlier = false): void {
    this.targets.schedule(rowId, at, onlyEarlier);
  }

  /**
   * Tracks a post's presence on its author's timeline: `missing` records when it was first found
   * absent, `reported` that the event was emitted, `listed` clears both.
   */
  setUnlisted(rowId: number, change: { missing: number } | 'reported' | 'listed'): void {
    this.targets.setUnlisted(rowId, change);
  }

  /** Returns a leased target to the schedule without an observation (e.g. its host is backing off). */
  deferTarget(rowId: number, at: number): void {
    this.targets.defer(rowId, at);
  }

  saveTargetState(rowId: number, s: TargetState, extra: TargetStateExtra): void {
    this.targets.saveState(rowId, s, extra, extra.chain);
  }

  /** Earliest time any source or target is due, or null when nothing is scheduled. */
  nextDueAt(): number | null {
    const times = [this.sources.nextDueAt(), this.targets.nextDueAt()].filter((t): t is number => t !== null);
    return times.length ? Math.min(...times) : null;
  }

  /** Checks and discovery rounds due at `now`, leased or not. */
  countDue(now: number): number {
    return this.targets.countDue(now) + this.sources.countDue(now);
  }

  // ---- observations and evidence -------------------------------------------------------------

  /** Stores a body once per content; returns its hash. */
  putBlob(body: Buffer): string {
    return this.observations.putBlob(body);
  }

  getBlob(hash: string): Buffer | undefined {
    return this.observations.getBlob(hash);
  }

  /**
   * Inserts an observation, extending its target's hash chain from `prevChain`. Returns the new
   * chain head, or null (and writes nothing) when an observation with the same dedupe key was
   * already recorded. The caller stores the head with the target's state.
   */
  insertObservation(o: NewObservation, prevChain: string): string | null {
    this.targets.forgetSnapshot(o.targetRowId);
    return this.observations.insert(o, o.targetRowId, prevChain)?.chain ?? null;
  }

  observationsOf(rowId: number): Row[] {
    return this.observations.of(rowId);
  }

  /** Last stored normalized content of a target (from its latest changed alive observation). */
  lastContent(rowId: number): Content | null {
    return this.observations.lastContent(rowId);
  }

  /** Per platform, the transient share of the latest `last` observations. */
  recentTransient(last = 200): HostOutcomes[] {
    return this.observations.recentTransient(last);
  }

  // ---- events --------------------------------------------------------------------------------

  /** Inserts an event unless one with the same dedupe key exists; returns its id or null. */
  insertEvent(e: NewEvent): number | null {
    return this.events.insert(e);
  }

  listEvents(f: EventFilter = {}): EventRow[] {
    return this.events.list(f);
  }

  // ---- reads for status, export and report ---------------------------------------------------

  listTargets(f: TargetFilter = {}): TargetSummary[] {
    return this.targets.list(f);
  }

  /** Targets by verdict, of one watch or of all. */
  countTargetsByVerdict(watchId?: string): Record<string, number> {
    return this.targets.countByVerdict(watchId);
  }
}

/** The error for a database whose schema is newer than this censorwatch knows. */
export function newerSchema(version: number): Error {
  return new Error(
    `the database's schema is version ${version}, newer than this censorwatch knows (${MIGRATIONS.length}): use the censorwatch that wrote it, or a newer one`,
  );
}

/**
 * Creates `dir` and the folders above it that are missing, one at a time: `mkdirSync` with
 * `recursive` never returns for a path under /proc (Node 20 retries the parent for ever), so a
 * `database` there would hang `run` instead of failing with the reason.
 */
function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !statSync(d, { throwIfNoEntry: false }); d = dirname(d)) {
    if (dirname(d) === d) break;
    missing.push(d);
  }
  for (let i = missing.length - 1; i >= 0; i--) mkdirSync(missing[i]!);
}
