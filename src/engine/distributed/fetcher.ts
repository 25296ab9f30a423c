import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock';
import type { Platform } from '../../domain/glossary';
import { NonRetryableError, RetryableError } from '../../errors';
import type { PlatformAdapter } from '../../platforms/platform';
import { performWork, type WorkItem } from '../work';
import type { PrefixOwner } from './prefix';
import type { Consumer, JobContext, Queues } from './queues';
import { startConsumer } from './queues';
import type { RedisHandle } from './redis';
import type { Role } from './shutdown';

/**
 * How long the prefix's owner, once read, is taken as known. It changes only when the prefix is
 * cleared and claimed for another database, and the recorder refuses a foreign result anyway; read
 * per job, it was one more Redis round trip in the way of every check.
 */
const OWNER_FRESH_MS = 1000;

/** Options of {@link FetcherRole}. */
export interface FetcherRoleOptions {
  readonly queues: Queues;
  /** Worker connection (`maxRetriesPerRequest: null`). */
  readonly connection: RedisHandle;
  /** Adapters whose HTTP client already takes the shared per-host slots. */
  readonly adapters: Partial<Record<Platform, PlatformAdapter>>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Checks in flight at once in this process. @defaultValue 8 */
  readonly concurrency?: number;
  /** See {@link ConsumerOptions.lockDuration}. */
  readonly lockDuration?: number;
}

/**
 * The fetcher role: stateless, needs only Redis and the config. Takes discover and check jobs,
 * fetches through the adapters (blocking and errors come back as outcomes, so they complete the
 * job), and hands each result to the recorder. Run as many as wanted, on any machines.
 *
 * It has no database, so it takes the database from each job (the id the scheduler put there) and
 * gives it to the result; and it fetches nothing for a job whose database is not the one the prefix
 * now belongs to (work left from before a `queue clear`), nor for a job that names none.
 */
export class FetcherRole implements Role {
  readonly name = 'fetcher';
  private consumers: Consumer[] = [];
  private readonly log: Logger;
  private ownerRead: { at: number; owner: Promise<PrefixOwner | null> } | null = null;

  constructor(private readonly o: FetcherRoleOptions) {
    this.log = o.logger.child({ role: 'fetcher' });
  }

  /** The prefix's owner, read again once {@link OWNER_FRESH_MS} have passed (or the read failed). */
  private owner(): Promise<PrefixOwner | null> {
    const now = Date.now();
    if (!this.ownerRead || now - this.ownerRead.at >= OWNER_FRESH_MS) {
      const owner = this.o.queues.owner();
      const read = { at: now, owner };
      this.ownerRead = read;
      owner.catch(() => {
        if (this.ownerRead === read) this.ownerRead = null;
      });
    }
    return this.ownerRead.owner;
  }

  async start(): Promise<void> {
    const concurrency = this.o.concurrency ?? 8;
    const handler = async (item: WorkItem, ctx: JobContext): Promise<void> => {
      const database = ctx.database;
      if (database === null)
        throw new NonRetryableError(`job ${ctx.id} names no database (queued by an older version)`);
      const owner = await this.owner();
      // No owner: Redis lost its state a moment ago; the recorder still refuses a foreign result.
      if (owner && owner.id !== database)
        throw new NonRetryableError(
          `job ${ctx.id} belongs to database ${database}, but prefix ${this.o.queues.prefix} now belongs to ${owner.id}`,
        );
      const result = await performWork(item, this.o.adapters, this.o.clock, ctx.signal);
      // A fetch cut short by a forced stop is not an observation of the platform: let another fetcher redo it.
      if (ctx.signal.aborted) throw new RetryableError(`stopped while fetching ${item.key}`);
      await this.o.queues.pushResult(database, result);
    };
    const common = { lockDuration: this.o.lockDuration };
    this.consumers = [
      startConsumer('check', this.o.connection, this.o.queues.prefix, this.log, handler, {
        ...common,
        concurrency,
      }),
      // Discoveries page through listings one request after another: a quarter of the slots is plenty.
      startConsumer('discover', this.o.connection, this.o.queues.prefix, this.log, handler, {
        ...common,
        concurrency: Math.max(1, Math.ceil(concurrency / 4)),
      }),
    ];
    const owner = await this.o.queues.owner();
    this.log.info({ concurrency, database: owner?.id ?? null }, 'fetcher ready');
  }

  async drain(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.drain()));
  }

  async force(reason: string): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.force(reason)));
  }
}
