import type { Platform } from '../domain/glossary';
import { sqlOf, type Sql, type SqlOwner } from './db';

/** Requests spent by one platform in one class during one minute. */
export interface SpendRow {
  readonly platform: Platform;
  readonly cls: string;
  /** Start of the minute (epoch ms). */
  readonly minute: number;
  readonly requests: number;
}

const MINUTE = 60_000;
/** How long spending is kept: the budget looks back an hour; a day leaves room to look at a bad night. */
const KEEP_MS = 86_400_000;

/**
 * The `budget_spend` table: requests spent per platform, budget class and minute. Only the
 * recorder writes it; `status`, metrics and a starting engine read the last hour of it.
 */
export class BudgetSpendStore {
  private prunedMinute = 0;
  private readonly sql: Sql;

  /** @param owner - the store (or its connection) */
  constructor(owner: SqlOwner) {
    this.sql = sqlOf(owner);
  }

  /** Adds `requests` spent at `at` by `platform` in class `cls`. */
  add(platform: Platform, cls: string, at: number, requests: number): void {
    if (requests <= 0) return;
    const minute = Math.floor(at / MINUTE) * MINUTE;
    this.sql.run(
      `INSERT INTO budget_spend (platform, class, minute, requests) VALUES (?, ?, ?, ?)
       ON CONFLICT (platform, class, minute) DO UPDATE SET requests = requests + excluded.requests`,
      platform,
      cls,
      minute,
      requests,
    );
    // Once a minute at most: a delete per result would cost more than the insert.
    if (minute !== this.prunedMinute) {
      this.prunedMinute = minute;
      this.sql.run(`DELETE FROM budget_spend WHERE minute < ?`, minute - KEEP_MS);
    }
  }

  /**
   * Spending of the minutes that overlap the `windowMs` up to `now`, oldest first; none from a
   * database opened read-only before its schema knew the table.
   */
  since(now: number, windowMs: number): SpendRow[] {
    const known = this.sql.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'budget_spend'`,
    )[0]!.n;
    if (known === 0) return [];
    const from = Math.floor((now - windowMs) / MINUTE) * MINUTE;
    return this.sql
      .query<{ platform: Platform; class: string; minute: number; requests: number }>(
        `SELECT platform, class, minute, requests FROM budget_spend WHERE minute >= ? AND minute <= ?
         ORDER BY minute`,
        from,
        now,
      )
      .map((r) => ({ platform: r.platform, cls: r.class, minute: r.minute, requests: r.requests }));
  }
}
