import { sqlOf, type Sql, type SqlOwner } from './db';

/** An embedded run as the `runs` table keeps it: who may hold leases on sources and targets. */
export interface RunRecord {
  /** Unique per process start; what `leased_by` holds (of `sources` and `target_leases`). */
  readonly id: string;
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: number;
  /** Last heartbeat. */
  readonly seenAt: number;
  /** Set when the run stopped cleanly, or when a later run found it dead. */
  readonly endedAt: number | null;
}

/** Leases a run gave back, by kind. */
export interface ReleasedLeases {
  readonly sources: number;
  readonly targets: number;
}

/** A `runs` row as SQLite returns it. */
export interface RunRow {
  id: string;
  pid: number;
  hostname: string;
  started_at: number;
  seen_at: number;
  ended_at: number | null;
}

/** A `runs` row as a {@link RunRecord}. */
export function toRun(r: RunRow): RunRecord {
  return {
    id: r.id,
    pid: r.pid,
    hostname: r.hostname,
    startedAt: r.started_at,
    seenAt: r.seen_at,
    endedAt: r.ended_at,
  };
}

/**
 * The `runs` table and the owner columns of leases (`sources.leased_by`, `target_leases.leased_by`):
 * which embedded run holds what, so a run that starts after a crash takes back the dead run's work
 * at once instead of waiting for its leases to expire. Leases without an owner (a distributed
 * scheduler's) are never touched here.
 */
export class LeaseStore {
  private readonly sql: Sql;

  /** @param owner - the store (or its connection) */
  constructor(owner: SqlOwner) {
    this.sql = sqlOf(owner);
  }

  /** Records a run that is about to take leases. */
  startRun(run: Pick<RunRecord, 'id' | 'pid' | 'hostname' | 'startedAt'>): void {
    this.sql.run(
      `INSERT INTO runs (id, pid, hostname, started_at, seen_at) VALUES (?, ?, ?, ?, ?)`,
      run.id,
      run.pid,
      run.hostname,
      run.startedAt,
      run.startedAt,
    );
  }

  /** A run's sign of life, for runs on other hosts to judge it by. */
  heartbeat(id: string, at: number): void {
    this.sql.run(`UPDATE runs SET seen_at = MAX(seen_at, ?) WHERE id = ?`, at, id);
  }

  /** Runs (other than `except`) that still hold a lease on a source or a target. */
  holders(except?: string): RunRecord[] {
    return this.sql
      .query<RunRow>(
        `SELECT * FROM runs WHERE id <> ? AND (
           EXISTS (SELECT 1 FROM sources WHERE leased_by = runs.id AND leased_until IS NOT NULL) OR
           EXISTS (SELECT 1 FROM target_leases WHERE leased_by = runs.id))
         ORDER BY started_at`,
        except ?? '',
      )
      .map(toRun);
  }

  /**
   * Gives back every lease `runId` holds (its work is due again at once, at its own next time) and
   * marks the run ended at `at` unless it already was.
   */
  release(runId: string, at: number): ReleasedLeases {
    return this.sql.transaction(() => {
      const sources = this.sql.run(
        `UPDATE sources SET leased_until = NULL, leased_by = NULL WHERE leased_by = ?`,
        runId,
      ).changes;
      const targets = this.sql.run(`DELETE FROM target_leases WHERE leased_by = ?`, runId).changes;
      this.sql.run(`UPDATE runs SET ended_at = COALESCE(ended_at, ?) WHERE id = ?`, at, runId);
      return { sources, targets };
    });
  }

  /** Gives back one target's lease if `owner` still holds it (an item dropped at shutdown). */
  releaseTarget(rowId: number, owner: string | null): void {
    this.sql.run(`DELETE FROM target_leases WHERE target_id = ? AND leased_by IS ?`, rowId, owner);
  }

  /** Gives back one source's lease if `owner` still holds it. */
  releaseSource(id: number, owner: string | null): void {
    this.sql.run(
      `UPDATE sources SET leased_until = NULL, leased_by = NULL WHERE id = ? AND leased_by IS ?`,
      id,
      owner,
    );
  }

  /** Row ids of the targets and sources `owner` holds a lease on now. */
  leasedBy(owner: string, now: number): { targets: number[]; sources: number[] } {
    const ids = (sql: string): number[] => this.sql.query<{ id: number }>(sql, owner, now).map((r) => r.id);
    return {
      targets: ids(
        `SELECT target_id AS id FROM target_leases WHERE leased_by = ? AND leased_until > ? ORDER BY target_id`,
      ),
      sources: ids(`SELECT id FROM sources WHERE leased_by = ? AND leased_until > ? ORDER BY id`),
    };
  }

  /** Every run recorded, oldest first. */
  runs(): RunRecord[] {
    return this.sql.query<RunRow>(`SELECT * FROM runs ORDER BY started_at, id`).map(toRun);
  }

  /** Leases held now, by owner (null: a lease without one), for status and tests. */
  countLeases(now: number): { owner: string | null; sources: number; targets: number }[] {
    return this.sql.query<{ owner: string | null; sources: number; targets: number }>(
      `SELECT owner, SUM(kind = 's') AS sources, SUM(kind = 't') AS targets FROM (
         SELECT leased_by AS owner, 's' AS kind FROM sources WHERE leased_until > ?
         UNION ALL SELECT leased_by, 't' FROM target_leases WHERE leased_until > ?)
       GROUP BY owner ORDER BY owner`,
      now,
      now,
    );
  }
}
