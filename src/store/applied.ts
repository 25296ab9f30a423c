import { sqlOf, type Sql, type SqlOwner } from './db';

/**
 * The `distributed_applied` table: keys of the work results the distributed recorder has applied,
 * so a result job delivered twice is applied once.
 */
export class AppliedResults {
  private readonly sql: Sql;

  /** @param owner - the store (or its connection) */
  constructor(owner: SqlOwner) {
    this.sql = sqlOf(owner);
  }

  /**
   * Notes `key` as applied at `at`; false when it already was. Call it inside the transaction that
   * applies the result: writing first takes the write lock at once, where a read first could be
   * invalidated by another process's commit (SQLITE_BUSY without waiting).
   */
  markApplied(key: string, at: number): boolean {
    return (
      this.sql.run(
        `INSERT INTO distributed_applied (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
        key,
        at,
      ).changes > 0
    );
  }

  /** Whether a result key has been applied. */
  isApplied(key: string): boolean {
    return this.sql.query(`SELECT 1 FROM distributed_applied WHERE key = ?`, key).length > 0;
  }

  /** Every applied key (tests and checks that nothing got lost). */
  keys(): string[] {
    return this.sql.query<{ key: string }>(`SELECT key FROM distributed_applied`).map((r) => r.key);
  }

  /** Forgets keys applied before `before`; returns how many. */
  forgetBefore(before: number): number {
    return this.sql.run(`DELETE FROM distributed_applied WHERE at < ?`, before).changes;
  }
}
