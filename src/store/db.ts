import type Database from 'better-sqlite3';

/** A row as better-sqlite3 returns it, before a repository maps it to its own type. */
export type Row = Record<string, unknown>;

/** The key under which a store holds its connection; only src/store imports it. */
export const SQL: unique symbol = Symbol('censorwatch.sql');

/** Anything holding a store's connection: the Store itself, or the connection. */
export interface SqlOwner {
  readonly [SQL]: Sql;
}

/**
 * The one connection of a store and its prepared statements, shared by the store's repositories.
 * Internal to src/store (the layering rules forbid importing it from elsewhere): everything outside
 * reaches the database through the repositories' semantic methods.
 */
export class Sql implements SqlOwner {
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  get [SQL](): Sql {
    return this;
  }

  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** Every row of a cached prepared statement. */
  query<T = Row>(sql: string, ...params: unknown[]): T[] {
    return this.stmt(sql).all(...params) as T[];
  }

  /** The rows of a cached prepared statement, one at a time; the connection is busy until the end. */
  iterate<T = Row>(sql: string, ...params: unknown[]): IterableIterator<T> {
    return this.stmt(sql).iterate(...params) as IterableIterator<T>;
  }

  /** The first row, or undefined. */
  get<T = Row>(sql: string, ...params: unknown[]): T | undefined {
    return this.stmt(sql).get(...params) as T | undefined;
  }

  run(sql: string, ...params: unknown[]): Database.RunResult {
    return this.stmt(sql).run(...params);
  }

  /** A statement built at run time (variable IN lists, optional filters): prepared, not cached. */
  dynamic<T = Row>(sql: string, ...params: unknown[]): T[] {
    return this.db.prepare(sql).all(...params) as T[];
  }

  /** `run` for a statement built at run time; it may write rows a cache holds (see {@link staleness}). */
  runDynamic(sql: string, ...params: unknown[]): Database.RunResult {
    this.stale++;
    return this.db.prepare(sql).run(...params);
  }

  exec(sql: string): void {
    this.stale++;
    this.db.exec(sql);
  }

  /**
   * Changes whenever rows a cache of this connection holds may have changed behind the methods
   * that keep it: something was rolled back, SQL was run through {@link exec} or
   * {@link runDynamic}, or another connection committed (PRAGMA data_version, read once per
   * transaction that asks). Meaningful inside a write transaction only, where no other connection
   * can commit until it ends.
   */
  get staleness(): number {
    if (this.versionEpoch !== this.epochs && this.db.inTransaction) {
      this.versionEpoch = this.epochs;
      this.dataVersion ??= this.db.prepare('PRAGMA data_version').pluck(true);
      const v = this.dataVersion.get() as number;
      if (v !== this.version) {
        this.version = v;
        this.stale++;
      }
    }
    return this.stale;
  }

  private stale = 0;
  private version: number | undefined;
  private versionEpoch = -1;
  private dataVersion: Database.Statement | undefined;

  /**
   * Runs `fn` in one transaction; nested calls join the outer one (as a savepoint). A writer's
   * transaction begins IMMEDIATE, taking the write lock up front: a deferred one that read first
   * could find its snapshot invalidated by another process's commit and fail with SQLITE_BUSY
   * without waiting for the busy timeout.
   *
   * The statements are run here rather than through better-sqlite3's `db.transaction(fn)`, which
   * builds four wrapper functions for every call: with a savepoint or two per recorded check, that
   * was about a tenth of the CPU of recording one.
   */
  transaction<T>(fn: () => T): T {
    const { db } = this;
    const nested = db.inTransaction;
    if (!nested) this.epochs++;
    const c = (this.control ??= this.controlStatements());
    if (nested) c.savepoint.run();
    else c.begin.run();
    this.undos.push([]);
    try {
      const result = fn();
      if (isThenable(result)) throw new TypeError('a transaction cannot run asynchronous work');
      if (nested) {
        c.release.run();
        // Released into the enclosing level: a rollback of that one undoes this one's writes too.
        const done = this.undos.pop()!;
        this.undos[this.undos.length - 1]!.push(...done);
      } else {
        this.flushDeferred();
        c.commit.run();
        this.undos.pop();
      }
      return result;
    } catch (err) {
      this.epochs++;
      this.stale++;
      // A failed COMMIT, or an error SQLite rolled back itself, may have ended the transaction.
      if (db.inTransaction) {
        if (nested) {
          c.rollbackTo.run();
          c.release.run();
        } else c.rollback.run();
      }
      const undone = this.undos.pop() ?? [];
      for (let i = undone.length - 1; i >= 0; i--) undone[i]!();
      if (!nested) this.deferred.clear();
      throw err;
    }
  }

  /**
   * Runs `flush` once, just before the outermost transaction open now commits (at once when none
   * is open): for writes that add up over a transaction, such as counters, so a group of results
   * writes each row once instead of once per result. The writes it does are part of the commit.
   */
  beforeCommit(key: object, flush: () => void): void {
    if (!this.db.inTransaction) flush();
    else if (!this.deferred.has(key)) this.deferred.set(key, flush);
  }

  /**
   * Runs `undo` if the innermost transaction or savepoint open now rolls back (or an enclosing one
   * does after it was released): what a caller holds in memory for {@link beforeCommit} is then
   * taken back with the rows that were rolled back. Nothing happens outside a transaction.
   */
  onRollback(undo: () => void): void {
    this.undos[this.undos.length - 1]?.push(undo);
  }

  /** Runs the {@link beforeCommit} writes now (they may register more), e.g. before a read of their rows. */
  flushDeferred(): void {
    while (this.deferred.size > 0) {
      const [key, flush] = this.deferred.entries().next().value as [object, () => void];
      this.deferred.delete(key);
      flush();
    }
  }

  /** The statements that open and end transactions, run once or twice per recorded result. */
  private control: ControlStatements | undefined;

  private controlStatements(): ControlStatements {
    return {
      begin: this.stmt(this.db.readonly ? 'BEGIN' : 'BEGIN IMMEDIATE'),
      commit: this.stmt('COMMIT'),
      rollback: this.stmt('ROLLBACK'),
      savepoint: this.stmt(SAVEPOINT),
      release: this.stmt(RELEASE),
      rollbackTo: this.stmt(ROLLBACK_TO),
    };
  }

  private readonly deferred = new Map<object, () => void>();
  /** Per open transaction level, outermost first: what to undo in memory if it rolls back. */
  private readonly undos: (() => void)[][] = [];

  /**
   * Changes whenever a transaction begins or anything is rolled back: what a caller remembers of
   * the database inside one transaction (e.g. the log's head) holds while the epoch and
   * {@link inTransaction} say it is the same one.
   */
  get epoch(): number {
    return this.epochs;
  }

  /** Whether a transaction is open on the connection. */
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  private epochs = 0;
}

interface ControlStatements {
  readonly begin: Database.Statement;
  readonly commit: Database.Statement;
  readonly rollback: Database.Statement;
  readonly savepoint: Database.Statement;
  readonly release: Database.Statement;
  readonly rollbackTo: Database.Statement;
}

/** The savepoint a nested {@link Sql.transaction} opens; SQLite pairs each RELEASE with the latest one. */
const SAVEPOINT = 'SAVEPOINT cw_nested';
const RELEASE = 'RELEASE cw_nested';
const ROLLBACK_TO = 'ROLLBACK TO cw_nested';

function isThenable(v: unknown): boolean {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** The connection behind a store (src/store only). */
export function sqlOf(owner: SqlOwner): Sql {
  return owner[SQL];
}
