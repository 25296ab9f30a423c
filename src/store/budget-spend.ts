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
  /** Spending added in the open transaction and not written yet, by platform, class and minute. */
  private readonly pending = new Map<
    string,
    { platform: Platform; cls: string; minute: number; requests: number }
  >();

  /** @param owner - the store (or its connection) */
  constructor(owner: SqlOwner) {
    this.sql = sqlOf(owner);
  }

  /**
   * Adds `requests` spent at `at` by `platform` in class `cls`. Inside a transaction the sum is
   * written as it commits, one upsert per platform, class and minute: a group of results that
   * each spent a request writes one row, not one per result. A savepoint that rolls back takes its
   * share back with it.
   */
  add(platform: Platform, cls: string, at: number, requests: number): void {
    if (requests <= 0) return;
    const minute = Math.floor(at / MINUTE) * MINUTE;
    const key = `${platform}\u001f${cls}\u001f${minute}`;
    const p = this.pending.get(key);
    if (p) p.requests += requests;
    else this.pending.set(key, { platform, cls, minute, requests });
    this.sql.onRollback(() => {
      const q = this.pending.get(key);
      if (q) q.requests -= requests;
    });
    this.sql.beforeCommit(this, this.flush);
  }

  /** Writes the spending added since the last write. */
  private readonly flush = (): void => {
    for (const p of this.pending.values()) {
      if (p.requests <= 0) continue;
      this.sql.run(
        `INSERT INTO budget_spend (platform, class, minute, requests) VALUES (?, ?, ?, ?)
         ON CONFLICT (platform, class, minute) DO UPDATE SET requests = requests + excluded.requests`,
        p.platform,
        p.cls,
        p.minute,
        p.requests,
      );
      // Once a minute at most: a delete per result would cost more than the insert.
      if (p.minute > this.prunedMinute) {
        this.prunedMinute = p.minute;
        this.sql.run(`DELETE FROM budget_spend WHERE minute < ?`, p.minute - KEEP_MS);
      }
    }
    this.pending.clear();
  };

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
    const rows = this.sql
      .query<{ platform: Platform; class: string; minute: number; requests: number }>(
        `SELECT platform, class, minute, requests FROM budget_spend WHERE minute >= ? AND minute <= ?
         ORDER BY minute`,
        from,
        now,
      )
      .map((r) => ({ platform: r.platform, cls: r.class, minute: r.minute, requests: r.requests }));
    // What this transaction added and will write as it commits counts already.
    for (const p of this.pending.values()) {
      if (p.requests <= 0 || p.minute < from || p.minute > now) continue;
      const i = rows.findIndex((r) => r.platform === p.platform && r.cls === p.cls && r.minute === p.minute);
      if (i >= 0) rows[i] = { ...rows[i]!, requests: rows[i]!.requests + p.requests };
      else rows.push({ platform: p.platform, cls: p.cls, minute: p.minute, requests: p.requests });
    }
    return rows.sort((a, b) => a.minute - b.minute);
  }
}
