import type { Clock } from '../../domain/clock';
import type { DispatchRound, Dispatcher } from '../dispatcher';
import type { HostHealth } from '../host-health';
import type { Scheduler } from '../scheduler';
import type { ClaimSummary, Queues } from './queues';

/** Options of {@link BullMQDispatcher}. */
export interface BullMQDispatcherOptions {
  readonly queues: Queues;
  /** Reads what is due; never writes (the recorder writes the leases). */
  readonly scheduler: Scheduler;
  /** The deployment's shared host health, refreshed before each round. */
  readonly health: HostHealth;
  /** The identity of the database the work belongs to (the prefix is claimed for it). */
  readonly database: string;
  readonly clock: Clock;
  /** Lease the recorder writes for enqueued items (ms). */
  readonly leaseMs: number;
  /** Wait before an item whose job failed is enqueued again (ms). */
  readonly retryAfter: number;
  /** Most items read per round. @defaultValue 500 */
  readonly batch?: number;
}

/** What one round through the queue did. */
export interface QueueRound extends DispatchRound, ClaimSummary {
  /** Due items read from SQLite. */
  readonly due: number;
}

/**
 * The distributed dispatcher: reads the due work from SQLite through the scheduler (read-only),
 * enqueues it on BullMQ with deterministic job ids for the fetcher processes, and asks the
 * recorder to lease what is now in the pipeline.
 */
export class BullMQDispatcher implements Dispatcher<QueueRound> {
  private requeue = false;

  constructor(private readonly o: BullMQDispatcherOptions) {}

  /**
   * The next round enqueues every due item, leased or not: Redis lost the jobs that held the
   * leases (FLUSHALL, a restart without persistence). Holds until a round gets through.
   */
  requeueAll(): void {
    this.requeue = true;
  }

  async dispatchDue(): Promise<QueueRound> {
    const { queues, scheduler, health, database, clock } = this.o;
    await health.refresh();
    const ignoreLeases = this.requeue;
    const items = scheduler.peek(this.o.batch ?? 500, { ignoreLeases });
    const now = clock.now();
    const summary = await queues.enqueueWork(database, items, this.o.retryAfter, now);
    await queues.pushLeases(database, { keys: summary.keys, until: now + this.o.leaseMs });
    if (ignoreLeases) this.requeue = false;
    return { ...summary, dispatched: summary.enqueued, due: items.length };
  }
}
