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
 * The embedded dispatcher: fetches due work in this process with `concurrency` items in flight and
 * records each result as it comes, grouping the results that arrive together into one commit.
 */
export class InProcessPool implements Dispatcher {
  private readonly log: Logger;
  private pending: { item: WorkItem; result: WorkResult }[] = [];
  private flush: Promise<void> | null = null;

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
    await Promise.all(Array.from({ length: width }, () => fanout.run(worker))).finally(() => fanout.close());
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
    await this.recordSoon(item, result);
  }

  private readonly failed = (item: WorkItem, err: unknown): void => {
    this.log.error({ err, item: item.key }, 'work item failed');
    this.deps.scheduler.defer(item, this.deps.clock.now() + this.deps.retryAfter);
  };

  /** Results that arrive while the event loop is busy are recorded together in one transaction. */
  private recordSoon(item: WorkItem, result: WorkResult): Promise<void> {
    this.pending.push({ item, result });
    this.flush ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        const batch = this.pending;
        this.pending = [];
        this.flush = null;
        this.deps.recorder.applyAll(batch, this.failed);
        resolve();
      }),
    );
    return this.flush;
  }
}
