import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock';
import type { Platform } from '../../domain/glossary';
import { RetryableError } from '../../errors';
import type { PlatformAdapter } from '../../platforms/platform';
import { performWork, type WorkItem } from '../work';
import type { Consumer, Queues } from './queues';
import { startConsumer } from './queues';
import type { RedisHandle } from './redis';
import type { Role } from './shutdown';

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
 */
export class FetcherRole implements Role {
  readonly name = 'fetcher';
  private consumers: Consumer[] = [];
  private readonly log: Logger;

  constructor(private readonly o: FetcherRoleOptions) {
    this.log = o.logger.child({ role: 'fetcher' });
  }

  async start(): Promise<void> {
    const concurrency = this.o.concurrency ?? 8;
    const handler = async (item: WorkItem, ctx: { signal: AbortSignal; id: string }): Promise<void> => {
      const result = await performWork(item, this.o.adapters, this.o.clock, ctx.signal);
      // A fetch cut short by a forced stop is not an observation of the platform: let another fetcher redo it.
      if (ctx.signal.aborted) throw new RetryableError(`stopped while fetching ${item.key}`);
      await this.o.queues.pushResult(result);
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
    this.log.info({ concurrency }, 'fetcher ready');
  }

  async drain(): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.drain()));
  }

  async force(reason: string): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.force(reason)));
  }
}
