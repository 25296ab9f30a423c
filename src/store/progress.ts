import { sqlOf } from './db';
import type { Store } from './store';

/** What `run`'s progress line reads from the database. */
export interface ProgressCounts {
  /** Targets and active sources due now. */
  readonly due: number;
  /** Targets whose verdict is gone, in all. */
  readonly gone: number;
}

/** Counts for the progress line: work due at `now` and gone targets. */
export function progressCounts(store: Store, now: number): ProgressCounts {
  const n = (sql: string, ...params: unknown[]): number =>
    sqlOf(store).query<{ n: number }>(sql, ...params)[0]?.n ?? 0;
  return {
    due:
      n(`SELECT COUNT(*) AS n FROM targets WHERE next_check_at <= ?`, now) +
      n(`SELECT COUNT(*) AS n FROM sources WHERE active = 1 AND next_run_at <= ?`, now),
    gone: n(`SELECT COUNT(*) AS n FROM targets WHERE verdict = 'gone'`),
  };
}
