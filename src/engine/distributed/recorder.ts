import type { Logger } from 'pino';
import type { Clock } from '../../domain/clock';
import { NonRetryableError } from '../../errors';
import { AppliedResults } from '../../store/applied';
import { databaseIdentity, type DatabaseIdentity } from '../../store/identity';
import type { Store } from '../../store/store';
import type { RecordedEvent } from '../recorder';
import type { ResultRecorder } from '../result-recorder';
import type { Scheduler } from '../scheduler';
import type { WorkResult } from '../work';
import type { Consumer, Queues, RecordMessage } from './queues';
import { startConsumer } from './queues';
import type { RedisHandle } from './redis';
import type { Role } from './shutdown';

/** Applied keys older than this are forgotten (a redelivery comes within minutes, not weeks). */
const APPLIED_KEEP_MS = 7 * 86_400_000;

/** Options of {@link RecorderRole}. */
export interface RecorderRoleOptions {
  readonly queues: Queues;
  /** Worker connection (`maxRetriesPerRequest: null`). */
  readonly connection: RedisHandle;
  /**
   * The recorder over the read-write store: the only writer of targets, observations and events.
   * Its host health is published after each result.
   */
  readonly results: ResultRecorder;
  /** The scheduler over the same store, for the leases the scheduler role asks for. */
  readonly scheduler: Scheduler;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** See {@link ConsumerOptions.lockDuration}. */
  readonly lockDuration?: number;
}

/**
 * The recorder role, the single SQLite writer: applies fetched results with the same
 * {@link ResultRecorder} as embedded mode and writes the leases the scheduler asks for. Idempotent
 * twice over: each result's key is stored with it in one transaction (a redelivered job is skipped
 * whole), and observations and events carry their own dedupe keys.
 *
 * It takes only messages of its own database: the queue prefix is claimed for it at start (a prefix
 * of another database refuses the start with {@link PrefixInUseError}), and a message that names
 * another database, or none, fails without touching SQLite.
 */
export class RecorderRole implements Role {
  readonly name = 'recorder';
  private consumer: Consumer | null = null;
  private readonly log: Logger;
  private pending: RecordedEvent[] = [];
  private readonly applied: AppliedResults;
  private identity: DatabaseIdentity | null = null;

  constructor(private readonly o: RecorderRoleOptions) {
    this.log = o.logger.child({ role: 'recorder' });
    this.applied = new AppliedResults(o.store);
  }

  async start(): Promise<void> {
    const { store, clock, queues } = this.o;
    const identity = databaseIdentity(store);
    // A writable store has run every migration, the identity's included.
    if (!identity) throw new NonRetryableError(`database ${store.file} has no identity`);
    await queues.claim(identity, Date.now());
    this.identity = identity;
    this.applied.forgetBefore(clock.now() - APPLIED_KEEP_MS);
    this.consumer = startConsumer<RecordMessage>(
      'record',
      this.o.connection,
      queues.prefix,
      this.log,
      async (message, ctx) => {
        if (ctx.database !== identity.id)
          throw new NonRetryableError(
            ctx.database === null
              ? `job ${ctx.id} names no database (queued by an older version); its lease ends and it is enqueued again`
              : `job ${ctx.id} belongs to database ${ctx.database}, not to this one (${identity.id})`,
          );
        if (message.kind === 'lease') {
          const { keys, until, holds } = message.leases;
          this.o.scheduler.applyLeases(keys, until);
          if (holds?.length) this.o.scheduler.applyHolds(holds);
          return;
        }
        const events = this.apply(message.result);
        await this.afterRecord(events);
      },
      { concurrency: 1, lockDuration: this.o.lockDuration },
    );
    this.log.info('recorder ready');
  }

  /**
   * Applies one result unless its key was applied before. Returns the events it produced (none for
   * a repeat).
   */
  apply(result: WorkResult): RecordedEvent[] {
    const { store, results, clock } = this.o;
    return store.transaction(() => {
      // Writing first takes the write lock at once; a read first could be invalidated by the
      // alerter's commits (SQLITE_BUSY without waiting).
      if (!this.applied.markApplied(result.item.key, clock.now())) return [];
      return results.apply(result);
    });
  }

  /** Whether a result key has been applied. */
  isApplied(key: string): boolean {
    return this.applied.isApplied(key);
  }

  /** Publishes changed platform health and wakes the alerter; Redis trouble here loses nothing. */
  private async afterRecord(events: readonly RecordedEvent[]): Promise<void> {
    const { queues, results } = this.o;
    this.pending.push(...events);
    try {
      await results.health.publish();
      if (this.pending.length) {
        if (this.identity)
          await queues.notifyAlerts(this.identity.id, Math.max(...this.pending.map((e) => e.id)));
        this.pending = [];
      }
    } catch (err) {
      // The alerter polls SQLite anyway and the scheduler re-reads host state next tick.
      this.log.warn({ err }, 'could not publish host state or wake the alerter');
    }
  }

  async drain(): Promise<void> {
    await this.consumer?.drain();
  }

  async force(reason: string): Promise<void> {
    await this.consumer?.force(reason);
  }
}
