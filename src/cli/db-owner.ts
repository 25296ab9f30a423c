/**
 * One writer per database: an embedded `run` and the recorder role both claim the file before they
 * write, and a second process refuses to start, naming the first.
 */
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Clock } from '../domain/clock';
import { CriticalError } from '../errors';
import { HEARTBEAT_MS, runIsGone, thisRun, type RunIdentity } from '../engine/run-owner';
import {
  DatabaseOwner,
  DatabaseTakenOverError,
  describeOwner,
  type OwnerRecord,
  type OwnerRole,
} from '../store/owner';
import type { Store } from '../store/store';

/**
 * Another live process owns the database. Exit 2, like a queue prefix in use: the operator stops
 * it or points this config elsewhere; retrying would not help.
 */
export class DatabaseInUseError extends CriticalError {
  /** Bad usage: a second writer on a database that has one. */
  readonly exitCode = 2;

  constructor(
    readonly database: string,
    readonly owner: OwnerRecord,
  ) {
    super(
      `database ${database} is in use by ${describeOwner(owner)}; ` +
        'stop that process first, or point this config at another database',
    );
  }
}

/** A claimed database: this process's run identity, and how to give the claim back. */
export interface DatabaseClaim {
  readonly self: RunIdentity;
  /** Stops the heartbeat and ends this process's row. */
  release(): void;
}

/** Options of {@link claimDatabase}. */
export interface ClaimOptions {
  readonly store: Store;
  readonly database: string;
  readonly role: OwnerRole;
  readonly clock: Clock;
  readonly logger: Logger;
  /**
   * Called once when a heartbeat finds the database taken over by another process: the caller
   * stops writing and ends with the error (one line naming the new owner).
   */
  readonly onLost: (err: DatabaseTakenOverError) => void;
}

/**
 * Claims the database for this process: refused while another owner lives (its pid exists on this
 * host and its heartbeat is recent, or, on another host, its heartbeat is recent); an owner that
 * no longer runs is taken over, with a log line naming it. Heartbeats every {@link HEARTBEAT_MS}.
 *
 * @throws DatabaseInUseError naming the live owner
 */
export function claimDatabase(o: ClaimOptions): DatabaseClaim {
  const owners = new DatabaseOwner(o.store);
  const self = thisRun(o.clock.now());
  const now = o.clock.now();
  const claim = owners.claim({ ...self, role: o.role }, (holder) => runIsGone(holder, self, now), now);
  const database = o.database === ':memory:' ? o.database : resolve(o.database);
  if (!claim.claimed) throw new DatabaseInUseError(database, claim.heldBy);
  for (const dead of claim.tookOver)
    o.logger.info(
      {
        database,
        previous: {
          pid: dead.pid,
          host: dead.hostname,
          role: dead.role,
          since: new Date(dead.startedAt).toISOString(),
          lastSeen: new Date(dead.seenAt).toISOString(),
        },
      },
      'took over the database from a process that no longer runs',
    );
  let lost = false;
  const heartbeat = setInterval(() => {
    if (lost || owners.heartbeat(self.id, o.clock.now())) return;
    lost = true;
    // No log line here: the caller ends with this error, said once.
    o.onLost(new DatabaseTakenOverError(database, owners.current()));
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    self,
    release() {
      clearInterval(heartbeat);
      if (!lost) owners.release(self.id, o.clock.now());
    },
  };
}
