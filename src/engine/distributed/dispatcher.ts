import type { Clock } from '../../domain/clock';
import type { BudgetGate } from '../budget-gate';
import type { DispatchRound, Dispatcher } from '../dispatcher';
import type { HostHealth } from '../host-health';
import type { DueWork, Scheduler } from '../scheduler';
import type { WorkItem } from '../work';
import type { ClaimSummary, Queues } from './queues';

/**
 * How long a key this dispatcher saw in the pipeline is passed over without asking Redis again
 * (at most the lease, after which the key would read as due anyway). Its SQLite lease normally
 * hides it well before then; past it, a key still due (its lease not yet written, or its job
 * failed) is looked up again.
 */
export const PIPELINE_RECHECK_MS = 5000;

/**
 * How often the scheduler's budget is read again from what the recorder stored. In between it
 * counts what it admitted at what it granted, which is never less than what the work spends.
 */
export const BUDGET_RESYNC_MS = 2000;

/** Options of {@link BullMQDispatcher}. */
export interface BullMQDispatcherOptions {
  readonly queues: Queues;
  /** Reads what is due and admits it; never writes (the recorder writes the leases). */
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
  /**
   * The scheduler's request budget, to count work found in the pipeline that it did not admit.
   * @defaultValue none
   */
  readonly budget?: BudgetGate;
  /** Most items read per round. @defaultValue 500 */
  readonly batch?: number;
}

/** What one round through the queue did. */
export interface QueueRound extends DispatchRound, ClaimSummary {
  /** Due items read from SQLite (keys known to be in the pipeline left out). */
  readonly due: number;
  /** Items the request budget held back, moved in the schedule to when they may go. */
  readonly held: number;
}

/**
 * The distributed dispatcher: reads the due work from SQLite through the scheduler (read-only),
 * admits it through the scheduler as embedded mode does (backoff, then the request budget),
 * enqueues it on BullMQ with deterministic job ids for the fetcher processes, and asks the
 * recorder to lease what is now in the pipeline, and to move what the budget refused to when it may go.
 *
 * Between a tick that enqueues an item and the recorder writing its lease, the item still reads as
 * due. The keys it put in the pipeline are remembered for {@link PIPELINE_RECHECK_MS}, so later
 * ticks pass over them (and read the rows behind them) instead of asking Redis about each again
 * and asking the recorder to lease it again.
 */
export class BullMQDispatcher implements Dispatcher<QueueRound> {
  private requeue = false;
  /** Keys seen in the pipeline, in the order they were last seen there, with when. */
  private readonly pipeline = new Map<string, number>();
  private resyncedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: BullMQDispatcherOptions) {}

  /**
   * The next round enqueues every due item, leased or not: Redis lost the jobs that held the
   * leases (FLUSHALL, a restart without persistence). Holds until a round gets through.
   */
  requeueAll(): void {
    this.requeue = true;
  }

  /** Keys remembered in the pipeline now (for tests and status). */
  get remembered(): number {
    return this.pipeline.size;
  }

  private forgetBefore(t: number): void {
    for (const [key, at] of this.pipeline) {
      if (at > t) break;
      this.pipeline.delete(key);
    }
  }

  async dispatchDue(): Promise<QueueRound> {
    const { queues, scheduler, health, database, clock } = this.o;
    await health.refresh();
    const ignoreLeases = this.requeue;
    const started = clock.now();
    if (ignoreLeases) this.pipeline.clear();
    else this.forgetBefore(started - Math.min(PIPELINE_RECHECK_MS, this.o.leaseMs));
    if (started - this.resyncedAt >= BUDGET_RESYNC_MS) {
      // The first round also counts what an earlier scheduler sent out that is not recorded yet
      // (its leases): without it a restart grants those requests a second time.
      scheduler.resyncBudget(this.resyncedAt === Number.NEGATIVE_INFINITY);
      this.resyncedAt = started;
    }
    const due = scheduler.peekDue(this.o.batch ?? 500, {
      ignoreLeases,
      skip: (key) => this.pipeline.has(key),
    });
    const byKey = new Map<string, DueWork>(due.map((w) => [w.item.key, w]));
    const now = clock.now();
    const holds: [string, number][] = [];
    const admit = (item: WorkItem): WorkItem | null => {
      const a = scheduler.admit(byKey.get(item.key)!, now);
      if (typeof a === 'number') {
        holds.push([item.key, a]);
        return null;
      }
      return a;
    };
    // Found in the pipeline without a lease (a scheduler before this one sent it, and stopped
    // before the recorder leased it): its requests count all the same, before anything more is
    // admitted.
    const foundOut = (item: WorkItem): void =>
      void this.o.budget?.carryOut([{ work: byKey.get(item.key)!, at: now }], now);
    const summary = await queues.enqueueWork(
      database,
      due.map((w) => w.item),
      this.o.retryAfter,
      now,
      admit,
      foundOut,
    );
    await queues.pushLeases(database, { keys: summary.keys, until: now + this.o.leaseMs, holds });
    for (const key of summary.keys) {
      this.pipeline.delete(key);
      this.pipeline.set(key, now);
    }
    if (ignoreLeases) this.requeue = false;
    return { ...summary, dispatched: summary.enqueued, due: due.length, held: holds.length };
  }
}
