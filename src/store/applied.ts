import type { Store } from './store';

/**
 * The `distributed_applied` table: keys of the work results the distributed recorder has applied,
 * so a result job delivered twice is applied once.
 */
export class AppliedResults {
  constructor(private readonly store: Store) {}

  /**
   * Notes `key` as applied at `at`; false when it already was. Call it inside the transaction that
   * applies the result: writing first takes the write lock at once, where a read first could be
   * invalidated by another process's commit (SQLITE_BUSY without waiting).
   */
  markApplied(key: string, at: number): boolean {
    return (
      this.store.run(
        `INSERT INTO distributed_applied (key, at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
        key,
        at,
      ).changes > 0
    );
  }

  /** Whether a result key has been applied. */
  isApplied(key: string): boolean {
    return this.store.query(`SELECT 1 FROM distributed_applied WHERE key = ?`, key).length > 0;
  }

  /** Every applied key (tests and checks that nothing got lost). */
  keys(): string[] {
    return this.store.query<{ key: string }>(`SELECT key FROM distributed_applied`).map((r) => r.key);
  }

  /** Forgets keys applied before `before`; returns how many. */
  forgetBefore(before: number): number {
    return this.store.run(`DELETE FROM distributed_applied WHERE at < ?`, before).changes;
  }
}
