import { sqlOf, type Sql, type SqlOwner } from './db';

/** A source's adaptive discovery interval as stored. */
export interface SourceCadence {
  readonly intervalMs: number;
  /** New targets its last round found. */
  readonly lastNew: number;
  readonly updatedAt: number;
}

/**
 * The `source_cadence` table: each discovery source's current interval between rounds. The
 * recorder writes it as it finishes a round; nothing else does.
 */
export class SourceCadenceStore {
  private readonly sql: Sql;

  /** @param owner - the store (or its connection) */
  constructor(owner: SqlOwner) {
    this.sql = sqlOf(owner);
  }

  /** Every source's stored cadence, by source id (empty on a database from before the table). */
  all(): Map<number, SourceCadence> {
    const present =
      this.sql.query(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'source_cadence'`).length >
      0;
    if (!present) return new Map();
    const rows = this.sql.query<{
      source_id: number;
      interval_ms: number;
      last_new: number;
      updated_at: number;
    }>(`SELECT source_id, interval_ms, last_new, updated_at FROM source_cadence`);
    return new Map(
      rows.map((r) => [
        r.source_id,
        { intervalMs: r.interval_ms, lastNew: r.last_new, updatedAt: r.updated_at },
      ]),
    );
  }

  get(sourceId: number): SourceCadence | null {
    const r = this.sql.query<{ interval_ms: number; last_new: number; updated_at: number }>(
      `SELECT interval_ms, last_new, updated_at FROM source_cadence WHERE source_id = ?`,
      sourceId,
    )[0];
    return r ? { intervalMs: r.interval_ms, lastNew: r.last_new, updatedAt: r.updated_at } : null;
  }

  set(sourceId: number, c: SourceCadence): void {
    this.sql.run(
      `INSERT INTO source_cadence (source_id, interval_ms, last_new, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (source_id) DO UPDATE SET interval_ms = excluded.interval_ms,
         last_new = excluded.last_new, updated_at = excluded.updated_at`,
      sourceId,
      c.intervalMs,
      c.lastNew,
      c.updatedAt,
    );
  }
}
