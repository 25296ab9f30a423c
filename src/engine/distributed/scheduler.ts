import type { Logger } from 'pino';
import { CriticalError } from '../../errors';
import type { DatabaseIdentity } from '../../store/identity';
import type { Scheduler } from '../scheduler';
import type { BullMQDispatcher, QueueRound } from './dispatcher';
import { PrefixInUseError } from './prefix';
import type { Consumer, Queues } from './queues';
import { startConsumer } from './queues';
import type { RedisHandle } from './redis';
import type { Role } from './shutdown';

/** Options of {@link SchedulerRole}. */
export interface SchedulerRoleOptions {
  readonly queues: Queues;
  /** Worker connection (`maxRetriesPerRequest: null`) for the tick consumer. */
  readonly connection: RedisHandle;
  /**
   * The scheduler over a store this role only reads (opened read-only, or shared with the recorder
   * in `run --redis`); null while the database does not exist yet (the recorder creates it). It
   * throws when the database cannot be read: a {@link CriticalError} (a folder, a file of another
   * kind, one this user may not read) stops the role; any other error is logged and tried again
   * at the next tick.
   */
  readonly scheduler: () => Scheduler | null;
  /** The queue dispatcher for the scheduler's work of one database, built once it is claimed. */
  readonly dispatcher: (scheduler: Scheduler, database: string) => BullMQDispatcher;
  /**
   * The identity of that database; null while it has none (no database yet, or one that no writer
   * of this version has opened). Work is enqueued only once the prefix is claimed for it.
   */
  readonly identity: () => DatabaseIdentity | null;
  readonly logger: Logger;
  /** Time between ticks (ms). @defaultValue 1000 */
  readonly tickEvery?: number;
  /** Lease the recorder writes for enqueued items (ms), for the log. */
  readonly leaseMs: number;
  /** See {@link ConsumerOptions.lockDuration}. */
  readonly lockDuration?: number;
}

/**
 * The scheduler role. A BullMQ job scheduler (`upsertJobScheduler`) fires a tick every `tickEvery`;
 * each tick is one round of the {@link BullMQDispatcher}: the due discoveries and checks read from
 * SQLite (read-only), enqueued with their deterministic keys as job ids, and leased by the
 * recorder. It never writes SQLite.
 *
 * A watchdog notices when Redis lost this deployment's state (FLUSHALL, a restart without
 * persistence): it reinstalls the tick, and the next tick ignores SQLite leases, so every due item
 * whose job went with Redis is enqueued again.
 *
 * The queue prefix must belong to the scheduler's database: it is claimed at start (or at the first
 * tick that finds the database) and again by the watchdog; a prefix held by another database stops
 * the role through {@link SchedulerRole.fatal}, before anything is enqueued.
 */
export class SchedulerRole implements Role {
  readonly name = 'scheduler';
  private consumer: Consumer | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private stateLost = false;
  private readonly log: Logger;
  /** The identity the prefix is claimed for; null until claimed. */
  private claimed: DatabaseIdentity | null = null;
  private dispatcher: BullMQDispatcher | null = null;
  private readonly failure = new AbortController();
  /**
   * Aborted with a {@link PrefixInUseError} when the prefix belongs to another database, or with
   * the {@link CriticalError} of a database that cannot ever be read as configured.
   */
  readonly fatal = this.failure.signal;
  /** Ticks in a row that could not read the database, and the last error logged for them. */
  private unreadable = { ticks: 0, logged: '' };
  private waitingLogged = false;

  constructor(private readonly o: SchedulerRoleOptions) {
    this.log = o.logger.child({ role: 'scheduler' });
  }

  private get tickEvery(): number {
    return this.o.tickEvery ?? 1000;
  }

  async start(): Promise<void> {
    // A database present at start is checked at once, so a wrong prefix refuses before any tick.
    await this.claim(true);
    this.stateLost = await this.o.queues.ensureTicker(this.tickEvery);
    this.consumer = startConsumer(
      'schedule',
      this.o.connection,
      this.o.queues.prefix,
      this.log,
      async () => {
        await this.tick();
      },
      { concurrency: 1, lockDuration: this.o.lockDuration },
    );
    this.watchdog = setInterval(() => void this.checkRedis(), Math.max(1000, this.tickEvery * 2));
    this.log.info({ tickEvery: this.tickEvery, leaseMs: this.o.leaseMs }, 'scheduler ready');
  }

  /**
   * Records the database under the prefix (again after Redis lost it). Returns whether the prefix
   * is this database's. With `rethrow`, a prefix of another database throws; otherwise it stops
   * the role through {@link fatal}.
   */
  private async claim(rethrow = false): Promise<boolean> {
    if (this.failure.signal.aborted) return false;
    const identity = this.claimed ?? this.reading(() => this.o.identity());
    if (!identity) return false;
    try {
      await this.o.queues.claim(identity, Date.now());
      this.claimed = identity;
      return true;
    } catch (err) {
      if (!(err instanceof PrefixInUseError) || rethrow) throw err;
      this.log.error({ prefix: err.prefix, owner: err.owner }, err.message);
      this.failure.abort(err);
      return false;
    }
  }

  private async checkRedis(): Promise<void> {
    try {
      if (await this.o.queues.ensureTicker(this.tickEvery)) {
        this.log.warn('redis lost its queues: rebuilding the work from SQLite');
        this.stateLost = true;
      }
      if (this.claimed) await this.claim();
    } catch (err) {
      this.log.debug({ err }, 'redis check failed; trying again');
    }
  }

  /**
   * Runs `read` against the database; null when it throws. An unreadable database is never taken
   * for one with nothing due: each error is logged (again when it changes, and after 10, 100, …
   * ticks in a row), and one that can never be read as configured stops the role.
   */
  private reading<T>(read: () => T | null): T | null {
    try {
      return read();
    } catch (err) {
      this.unreadableNow(
        err,
        'error',
        'cannot read the database: nothing is enqueued until it can be; trying again',
      );
      return null;
    }
  }

  /** Counts a tick that could not read the database and logs it as {@link reading} says. */
  private unreadableNow(err: unknown, level: 'error' | 'warn', msg: string): void {
    if (err instanceof CriticalError) {
      this.log.error(
        { err: { type: err.name, message: err.message } },
        `cannot read the database: ${err.message}`,
      );
      this.failure.abort(err);
      return;
    }
    const ticks = ++this.unreadable.ticks;
    const message = err instanceof Error ? err.message : String(err);
    if (message !== this.unreadable.logged || /^10*$/.test(String(ticks))) {
      this.log[level]({ err, ticks }, msg);
      this.unreadable.logged = message;
    }
  }

  /** After a tick that read the database: one line when it had been failing. */
  private readable(): void {
    if (this.unreadable.ticks === 0) return;
    this.log.info({ ticks: this.unreadable.ticks }, 'database readable again');
    this.unreadable = { ticks: 0, logged: '' };
  }

  /** One tick: due items from SQLite into the queues. Returns null while there is no database. */
  async tick(): Promise<QueueRound | null> {
    if (this.failure.signal.aborted) return null;
    let missing = false;
    const scheduler = this.reading(() => {
      const s = this.o.scheduler();
      missing = s === null;
      return s;
    });
    if (!scheduler) {
      if (missing) this.readable();
      if (missing && !this.waitingLogged) {
        this.log.info('no database yet: waiting for the recorder to create it');
        this.waitingLogged = true;
      }
      return null;
    }
    if (!this.claimed && !(await this.claim())) {
      if (!this.failure.signal.aborted)
        this.log.debug('database without an identity yet: waiting for the recorder to open it');
      return null;
    }
    this.dispatcher ??= this.o.dispatcher(scheduler, this.claimed!.id);
    if (this.stateLost) {
      this.dispatcher.requeueAll();
      this.stateLost = false;
    }
    let round: QueueRound;
    try {
      round = await this.dispatcher.dispatchDue();
    } catch (err) {
      // A read failing mid-tick (SQLITE_BUSY, the file briefly unreadable) is retried by the next
      // tick; thrown, BullMQ would log a failed job on every tick while it lasts.
      if (!isSqliteError(err)) throw err;
      this.unreadableNow(
        err,
        'warn',
        'reading the database failed mid-tick: nothing more is enqueued until it can be read; trying again each tick',
      );
      return null;
    }
    this.readable();
    if (round.enqueued || round.backingOff) this.log.debug({ ...round, keys: undefined }, 'tick');
    return round;
  }

  async drain(): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
    await this.consumer?.drain();
  }

  async force(reason: string): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
    await this.consumer?.force(reason);
  }
}

/** Whether `err` came from SQLite (better-sqlite3's errors carry a `SQLITE_…` code). */
function isSqliteError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}
