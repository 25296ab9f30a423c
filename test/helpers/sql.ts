/**
 * Raw SQL on a test's store, for what no store method offers on purpose: tampering with stored
 * evidence to see `verify` catch it, reading the schema, counting rows a test wants to see grow.
 * Production code reaches the database only through the store's semantic methods.
 */
import { sqlOf } from '../../src/store/db';
import type { Store } from '../../src/store/store';

/** Runs SQL on the store's own connection (inside its transactions when called from one). */
export interface RawSql {
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  run(sql: string, ...params: unknown[]): { changes: number };
}

/** The raw connection behind `store`. */
export function rawSql(store: Store): RawSql {
  const sql = sqlOf(store);
  return {
    query: <T>(q: string, ...params: unknown[]) => sql.dynamic<T>(q, ...params),
    run: (q: string, ...params: unknown[]) => sql.runDynamic(q, ...params),
  };
}
