import type { Store } from './store';
import { sqlOf } from './db';

/** Who a database is: given once at creation, never changed, copied only with the file itself. */
export interface DatabaseIdentity {
  /** 32 hex digits (128 random bits). */
  readonly id: string;
  /** When the identity was given (epoch ms): the database's creation, or its first open by this version. */
  readonly createdAt: number;
  /** The file it was read from; not part of the identity (a copied file keeps its id). */
  readonly file: string;
}

/**
 * The database's identity, or null when it has none yet: a database opened read-only that no writer
 * of this version has opened (the writer's migration gives it one).
 */
export function databaseIdentity(store: Store): DatabaseIdentity | null {
  const table = sqlOf(store).query(
    `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'database_identity'`,
  );
  if (!table.length) return null;
  const row = sqlOf(store).query<{ id: string; created_at: number }>(
    `SELECT id, created_at FROM database_identity WHERE one = 1`,
  )[0];
  return row ? { id: row.id, createdAt: row.created_at, file: store.file } : null;
}
