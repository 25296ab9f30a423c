import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock';
import type { Engine } from '../engine';
import type { ClaimSummary, Consumer, Queues } from './queues';
import { startConsumer } from './queues';
import type { RedisHandle } from './redis';
import type { Role } from './shutdown';

/** Options of {@link SchedulerRole}. */
export interface SchedulerRoleOptions {
  readonly queues: Queues;
  /** Worker connection (`maxRetriesPerRequest: null`) for the tick consumer. */
  readonly connection: RedisHandle;
  /**
   * An engine over a store this role only reads (opened read-only, or shared with the recorder in
   * `run --redis`); null while the database does not exist yet (the recorder creates it).
   */
  readonly engine: () => Engine | null;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Time between ticks (ms). @defaultValue 1000 */
  readonly tickEvery?: number;
  /** Lease the recorder writes for enqueued items (ms). */
  readonly leaseMs: number;
  /** Wait before an item whose job failed is enqueued again (ms). */
  readonly retryAfter: number;
  /** Most items read per tick. @defaultValue 500 */
  readonly batch?: number;
  /** See {@link ConsumerOptions.lockDuration}. */
  readonly lockDuration?: number;
}

/**
 * The scheduler role. A BullMQ job scheduler (`upsertJobScheduler`) fires a tick every `tickEvery`;
 * each tick reads the due discoveries and checks from SQLite (read-only), enqueues them with their
 * deterministic keys as job ids, and asks the recorder to lease them. It never writes SQLite.
 *
 * A watchdog notices when Redis lost this deployment's state (FLUSHALL, a restart without
 * persistence): it reinstalls the tick, and the next tick ignores SQLite leases, so every due item
 * whose job went with Redis is enqueued again.
 */
export class SchedulerRole implements Role {
  readonly name = 'scheduler';
  private consumer: Consumer | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private stateLost = false;
  private readonly log: Logger;

  constructor(private readonly o: SchedulerRoleOptions) {
    this.log = o.logger.child({ role: 'scheduler' });
  }

  private get tickEvery(): number {
    return this.o.tickEvery ?? 1000;
  }

  async start(): Promise<void> {
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

  private async checkRedis(): Promise<void> {
    try {
      if (await this.o.queues.ensureTicker(this.tickEvery)) {
        this.log.warn('redis lost its queues: rebuilding the work from SQLite');
        this.stateLost = true;
      }
    } catch (err) {
      this.log.debug({ err }, 'redis check failed; trying again');
    }
  }

  /** One tick: due items from SQLite into the queues. Returns null while there is no database. */
  async tick(): Promise<ClaimSummary | null> {
    const engine = this.o.engine();
    if (!engine) {
      this.log.debug('no database yet: waiting for the recorder to create it');
      return null;
    }
    const hosts = await this.o.queues.hostStates();
    const ignoreLeases = this.stateLost;
    const items = engine.peekDue(this.o.batch ?? 500, {
      ignoreLeases,
      pausedUntil: (p) => hosts[p]?.pausedUntil ?? 0,
    });
    const now = this.o.clock.now();
    const summary = await this.o.queues.enqueueWork(items, this.o.retryAfter, now);
    await this.o.queues.pushLeases({ keys: summary.keys, until: now + this.o.leaseMs });
    if (ignoreLeases) this.stateLost = false;
    if (summary.enqueued || summary.backingOff)
      this.log.debug({ ...summary, keys: undefined, due: items.length }, 'tick');
    return summary;
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
