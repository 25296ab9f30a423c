import { CriticalError } from '../errors';
import { sqlOf, type Sql, type SqlOwner } from './db';
import { toRun, type RunRecord, type RunRow } from './leases';

/** Which kind of process owns a database: an embedded `run`, or the distributed recorder role. */
export type OwnerRole = 'run' | 'recorder';

/** A process that owns, or owned, a database, as the `runs` table keeps it. */
export interface OwnerRecord extends RunRecord {
  readonly role: OwnerRole;
}

/** What {@link DatabaseOwner.claim} found. */
export type OwnerClaim =
  | {
      readonly claimed: true;
      /** Owners found dead and ended by this claim. */ readonly tookOver: readonly OwnerRecord[];
    }
  | { readonly claimed: false; /** The live owner. */ readonly heldBy: OwnerRecord };

/** How a process that owns, or owned, a database is named in messages. */
export function describeOwner(o: OwnerRecord): string {
  const what = o.role === 'recorder' ? 'the recorder role' : '`censorwatch run`';
  return (
    `${what} (pid ${o.pid} on ${o.hostname}, since ${new Date(o.startedAt).toISOString()}, ` +
    `last heartbeat ${new Date(o.seenAt).toISOString()})`
  );
}

/**
 * Another process took the database over while this one owned it (it judged this one dead:
 * suspended, or its heartbeats stopped). Ends the process with exit 1 after it stopped writing:
 * two writers would interleave their observations and events.
 */
export class DatabaseTakenOverError extends CriticalError {
  /** A fault of the deployment, not bad usage. */
  readonly exitCode = 1;

  constructor(
    readonly database: string,
    /** The owner now recorded, when there is one. */
    readonly by: OwnerRecord | null,
  ) {
    super(
      `database ${database} was taken over by ${by ? describeOwner(by) : 'another process'}, ` +
        'which found this one not running; this process stopped writing to it',
    );
  }
}

interface OwnerRow extends RunRow {
  role: string;
}

function toOwner(r: OwnerRow): OwnerRecord {
  return { ...toRun(r), role: r.role === 'recorder' ? 'recorder' : 'run' };
}

/**
 * Exactly one writer per database file: an embedded run or the recorder role records itself in
 * `runs` only when no other live one is there, in one IMMEDIATE transaction, so two processes
 * starting at once cannot both win. Whether a recorded owner still lives is the caller's to judge
 * (pid on this host, heartbeat elsewhere); an owner judged dead is ended here and replaced.
 */
export class DatabaseOwner {
  private readonly sql: Sql;

  /** @param owner - the store (or its connection) */
  constructor(owner: SqlOwner) {
    this.sql = sqlOf(owner);
  }

  /**
   * Records `self` as the owner unless a live one is recorded.
   *
   * @param isGone - whether a recorded owner no longer runs
   */
  claim(
    self: Pick<RunRecord, 'id' | 'pid' | 'hostname' | 'startedAt'> & { readonly role: OwnerRole },
    isGone: (owner: OwnerRecord) => boolean,
    now: number,
  ): OwnerClaim {
    return this.sql.transaction(() => {
      const open = this.sql
        .query<OwnerRow>(
          `SELECT * FROM runs WHERE ended_at IS NULL AND id <> ? ORDER BY started_at, id`,
          self.id,
        )
        .map(toOwner);
      const live = open.find((o) => !isGone(o));
      if (live) return { claimed: false, heldBy: live };
      for (const o of open) this.sql.run(`UPDATE runs SET ended_at = ? WHERE id = ?`, now, o.id);
      this.sql.run(
        `INSERT INTO runs (id, pid, hostname, started_at, seen_at, role) VALUES (?, ?, ?, ?, ?, ?)`,
        self.id,
        self.pid,
        self.hostname,
        self.startedAt,
        self.startedAt,
        self.role,
      );
      return { claimed: true, tookOver: open };
    });
  }

  /** The owner now recorded (the open row started last), or null when none is. */
  current(): OwnerRecord | null {
    const row = this.sql.get<OwnerRow>(
      `SELECT * FROM runs WHERE ended_at IS NULL ORDER BY started_at DESC, id DESC LIMIT 1`,
    );
    return row ? toOwner(row) : null;
  }

  /**
   * The owner's sign of life. False when its row was ended by another process that took the
   * database over (this one looked dead: suspended, or its heartbeats stopped): it must stop writing.
   */
  heartbeat(id: string, at: number): boolean {
    return this.sql.transaction(() => {
      this.sql.run(`UPDATE runs SET seen_at = MAX(seen_at, ?) WHERE id = ? AND ended_at IS NULL`, at, id);
      return this.sql.get(`SELECT 1 AS x FROM runs WHERE id = ? AND ended_at IS NULL`, id) !== undefined;
    });
  }

  /** Ends the owner's row (a clean stop), so the next process need not judge it. */
  release(id: string, at: number): void {
    this.sql.run(`UPDATE runs SET ended_at = COALESCE(ended_at, ?) WHERE id = ?`, at, id);
  }
}
