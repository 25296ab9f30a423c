import type { Logger } from 'pino';
import type { Clock } from '../domain/clock';
import type { Platform } from '../domain/glossary';
import type { PlatformAdapter } from '../platforms/platform';
import type { DispatchOptions, DispatchRound, Dispatcher } from './dispatcher';
import type { ResultRecorder } from './result-recorder';
import type { Scheduler } from './scheduler';
import { performWork, type WorkItem, type WorkResult } from './work';
import { AbortFanout } from './abort-fanout';

/** What an {@link InProcessPool} works with. */
export interface InProcessPoolDeps {
  readonly scheduler: Scheduler;
  readonly recorder: ResultRecorder;
  readonly adapters: Partial<Record<Platform, PlatformAdapter>>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Items in flight at once. */
  readonly concurrency: number;
  /** How long an item whose fetch or record threw waits before it is due again (ms). */
  readonly retryAfter: number;
}

/**
 * How long a fetched result waits for others to share its commit (ms): the fixed cost of a commit
 * (beginning it, the log's head, the pages every result touches, SQLite's page-cache sweep) is
 * then shared by a few dozen results instead of the handful one turn of the event loop brings.
 * `censorwatch run` at 16 in flight against bench/weibo-server.ts: some 14% less CPU per unchanged
 * re-check and a fifth more checks per second (bench/engine.ts showed the throughput, but its CPU
 * per check moved less than its noise between rounds).
 */
export const GROUP_WINDOW_MS = 10;

/** The most results one commit holds: a full group is recorded at once, keeping each write short. */
export const GROUP_MAX = 64;

/**
 * The embedded dispatcher: fetches due work in this process with `concurrency` items in flight and
 * records the results in groups, one commit per group ({@link GROUP_WINDOW_MS}, {@link GROUP_MAX}).
 * A worker goes on to its next item as soon as its result is queued: the target stays leased until
 * the result is recorded, and the round records what is left before it returns.
 */
export class InProcessPool implements Dispatcher {
  private readonly log: Logger;
  private pending: { item: WorkItem; result: WorkResult }[] = [];
  /** Records {@link pending} when the first of them has waited {@link GROUP_WINDOW_MS}. */
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: InProcessPoolDeps) {
    this.log = deps.logger.child({ module: 'engine' });
  }

  /**
   * Everything due now, fetched and recorded, with `concurrency` items in flight all along (the
   * local queue is refilled from the scheduler as it runs low, so the pool never waits for the
   * slowest item of a batch). No more work is taken once the clock reaches `until`. Items taken
   * but not started when the round ends are given back.
   */
  async dispatchDue(opts: DispatchOptions = {}): Promise<DispatchRound> {
    const { signal, until } = opts;
    const { scheduler, clock } = this.deps;
    const width = this.deps.concurrency;
    const queue: WorkItem[] = [];
    let exhausted = false;
    let done = 0;
    // Each worker aborts through a signal of its own: the run's signal keeps one listener (see
    // AbortFanout). One per worker, not per item: a worker runs one item at a time, and each item's
    // waits take their listeners off again when they end, so a controller per item only cost time.
    const fanout = new AbortFanout(signal);
    const worker = async (own: AbortSignal | undefined): Promise<void> => {
      while (!signal?.aborted) {
        if (until !== undefined && clock.now() >= until) return;
        if (!exhausted && queue.length < width) {
          const more = scheduler.take(width * 4);
          if (more.length === 0) exhausted = true;
          queue.push(...more);
        }
        const item = queue.shift();
        if (!item) return;
        await this.runOne(item, own);
        done++;
      }
    };
    await Promise.all(Array.from({ length: width }, () => fanout.run(worker))).finally(() => {
      fanout.close();
      // Whatever was fetched is recorded before the round ends, aborted or not.
      this.recordPending();
    });
    // Taken but not started (the run ended or was aborted): due again at once for the next run.
    for (const item of queue.splice(0)) scheduler.release(item, true);
    return { dispatched: done };
  }

  /**
   * Fetches and records one item; a thrown error (a bug or broken infrastructure) defers the item
   * instead. An item the abort cut short is not recorded (an aborted fetch says nothing about the
   * target) and its lease is given back, so the next run takes it at once.
   */
  private async runOne(item: WorkItem, signal?: AbortSignal): Promise<void> {
    let result: WorkResult;
    try {
      result = await performWork(item, this.deps.adapters, this.deps.clock, signal);
    } catch (err) {
      if (signal?.aborted) this.deps.scheduler.release(item);
      else this.failed(item, err);
      return;
    }
    if (signal?.aborted) {
      this.deps.scheduler.release(item);
      return;
    }
    this.recordSoon(item, result);
  }

  private readonly failed = (item: WorkItem, err: unknown): void => {
    this.log.error({ err, item: item.key }, 'work item failed');
    this.deps.scheduler.defer(item, this.deps.clock.now() + this.deps.retryAfter);
  };

  /**
   * Queues a result for the next group commit. Its platform's health and the verdicts are noted as
   * it is recorded, so they lag its arrival by the window at most: too little to matter beside a
   * host's politeness interval, and its target cannot be taken again meanwhile (it is leased).
   */
  private recordSoon(item: WorkItem, result: WorkResult): void {
    this.pending.push({ item, result });
    if (this.pending.length >= GROUP_MAX) this.recordPending();
    else this.timer ??= setTimeout(() => this.recordPending(), GROUP_WINDOW_MS);
  }

  /** Records the queued results in one transaction; one that fails rolls back alone (see applyAll). */
  private recordPending(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) this.deps.recorder.applyAll(batch, this.failed);
  }
}
