/**
 * The queue seam: the only module that imports BullMQ. Everything else sees work items, results,
 * leases and counts, never a Queue, Job or Worker.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Platform } from '../../domain/glossary';
import { NonRetryableError, RetryableError, isCritical, isRetryable } from '../../errors';
import type { DatabaseIdentity } from '../../store/identity';
import type { HostState } from '../host-health';
import type { WorkItem, WorkResult } from '../work';
import { decodePayload, encodePayload } from './codec';
import { readHostStates } from './host-health';
import { OWN_KEYS, claimPrefix, clearPrefix, prefixKey, prefixOwner, type PrefixOwner } from './prefix';
import { QUEUE_NAMES, type QueueName } from './queue-names';
import type { RedisHandle } from './redis';

export { QUEUE_NAMES, type QueueName, type HostState };

/** Id of the job scheduler that drives the scheduler role's ticks. */
const TICK_SCHEDULER_ID = 'tick';

/** Job states that mean "still in the pipeline": leave the item alone. */
const IN_FLIGHT = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** Finished jobs kept for `status` and for the scheduler's claim check; older ones are dropped. */
const KEEP_COMPLETED = { age: 3600, count: 10_000 } as const;
/** Failed (dead) jobs are kept longer: they are what an operator looks at. */
const KEEP_FAILED = { age: 7 * 86_400, count: 10_000 } as const;

/**
 * A BullMQ job id from a work key and the identity of the database it came from. Work keys are
 * row numbers, which a new database starts again from 1: with the database in the id, a new
 * database's item can never be taken for a kept job of another one. ':' is not allowed in custom
 * ids and an all-digit id would clash with BullMQ's own counter, so ':' becomes '_' and a kind
 * prefix is always added.
 */
export function jobIdOf(kind: 'w' | 'r', database: string, key: string): string {
  return `${kind}-${database}-${key.replace(/:/g, '_')}`;
}

/** What every job of ours carries: the payload, and the database the work belongs to. */
interface JobData {
  readonly p: string;
  /** The database identity; absent on jobs queued before identities existed. */
  readonly db?: string;
}

/** A lease the recorder writes to SQLite for an item the scheduler enqueued. */
export interface LeaseBatch {
  /** Work keys enqueued (or found still in flight) by one tick. */
  readonly keys: readonly string[];
  /** Lease end, epoch ms. */
  readonly until: number;
  /**
   * Keys the request budget held back, each with when it may go: moved to then in the schedule
   * (not leased: a lease means sent out), so the rows behind them are read next tick instead.
   */
  readonly holds?: readonly (readonly [key: string, until: number])[];
}

/** What the record queue carries: a fetched result, or leases to write. */
export type RecordMessage =
  | { readonly kind: 'result'; readonly result: WorkResult }
  | { readonly kind: 'lease'; readonly leases: LeaseBatch };

/** Options of {@link Queues}. */
export interface QueuesOptions {
  /**
   * Only look (status, `queue clear`): BullMQ then writes none of its queue metadata, so looking at
   * a prefix creates no keys there. @defaultValue false
   */
  readonly inspectOnly?: boolean;
}

/** What one scheduler tick did with the due items it read. */
export interface ClaimSummary {
  /** Newly enqueued. */
  readonly enqueued: number;
  /** Already waiting, running, or their result waiting for the recorder. */
  readonly inFlight: number;
  /** Failed recently; left until the retry delay passes. */
  readonly backingOff: number;
  /** Keys now in the pipeline (enqueued or in flight): the ones to lease. */
  readonly keys: readonly string[];
  /** Items `admit` refused (not enqueued). */
  readonly refused: number;
}

/** Job counts of one queue. */
export interface QueueCounts {
  readonly waiting: number;
  readonly active: number;
  /** Waiting for their start time, or for a retry after an infrastructure error. */
  readonly delayed: number;
  readonly completed: number;
  /** Dead letters: every attempt used. */
  readonly failed: number;
}

/** A job that used all its attempts. */
export interface DeadJob {
  readonly queue: QueueName;
  readonly id: string;
  readonly attempts: number;
  readonly reason: string;
  readonly failedAt: number | null;
}

/** Retry policy of each queue's jobs: infrastructure errors only, with exponential backoff. */
const JOB_OPTIONS: Record<Exclude<QueueName, 'schedule'>, JobsOptions> = {
  discover: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  check: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
  record: { attempts: 10, backoff: { type: 'exponential', delay: 500 } },
  alert: { attempts: 1 },
};

/**
 * Producer side of every queue of one deployment (one `prefix`). Uses a fail-fast connection:
 * while Redis is away its calls reject at once and the caller tries again later.
 */
export class Queues {
  private readonly queues: Record<QueueName, Queue>;
  private readonly redis: RedisHandle;

  constructor(
    producer: RedisHandle,
    readonly prefix: string,
    private readonly logger: Logger,
    options: QueuesOptions = {},
  ) {
    this.redis = producer;
    const make = (name: QueueName): Queue => {
      const q = new Queue(name, {
        connection: producer.client,
        prefix,
        skipMetasUpdate: options.inspectOnly ?? false,
        defaultJobOptions: { removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED },
      });
      q.on('error', (err: Error) => logger.warn({ err, queue: name }, 'queue error'));
      return q;
    };
    this.queues = {
      schedule: make('schedule'),
      discover: make('discover'),
      check: make('check'),
      record: make('record'),
      alert: make('alert'),
    };
  }

  /**
   * Serves Bull Board for these queues under `basePath` as an Express router, so nothing outside
   * this file touches a BullMQ Queue.
   */
  dashboardRouter(basePath: string): ReturnType<ExpressAdapter['getRouter']> {
    const adapter = new ExpressAdapter();
    adapter.setBasePath(basePath);
    createBullBoard({
      queues: QUEUE_NAMES.map((n) => new BullMQAdapter(this.queues[n], { readOnlyMode: false })),
      serverAdapter: adapter,
      options: { uiConfig: { boardTitle: `censorwatch (${this.prefix})` } },
    });
    return adapter.getRouter();
  }

  private workQueue(item: WorkItem): Queue {
    return item.type === 'check' ? this.queues.check : this.queues.discover;
  }

  /**
   * Enqueues due items with their deterministic ids. An item whose job (or whose result's job) is
   * still in the pipeline is left alone; one whose job failed is tried again after `retryAfter`;
   * one whose job finished without its result reaching the recorder is enqueued afresh. Each item
   * about to be enqueued goes through `admit` first, which returns what to enqueue, or null to
   * leave it out; each found still in the pipeline, its result not recorded, goes to `foundOut`.
   *
   * Every item's state is looked up first, and `foundOut` hears of all that is out before `admit`
   * is asked about any (in the items' order): a budget then counts what is already going out
   * before it grants anything more.
   */
  async enqueueWork(
    database: string,
    items: readonly WorkItem[],
    retryAfter: number,
    now: number,
    admit: (item: WorkItem) => WorkItem | null = (item) => item,
    foundOut: (item: WorkItem) => void = () => undefined,
  ): Promise<ClaimSummary> {
    let enqueued = 0;
    let inFlight = 0;
    let backingOff = 0;
    let refused = 0;
    const keys: string[] = [];
    const looked = await Promise.all(
      items.map(async (item) => {
        const queue = this.workQueue(item);
        const wid = jobIdOf('w', database, item.key);
        const rid = jobIdOf('r', database, item.key);
        const [ws, rs] = await Promise.all([queue.getJobState(wid), this.queues.record.getJobState(rid)]);
        // A completed result job means the recorder has it; SQLite shows the next key soon.
        const out = IN_FLIGHT.has(ws) || IN_FLIGHT.has(rs) || rs === 'completed';
        let failedAt: number | null = null;
        if (!out && (ws === 'failed' || rs === 'failed')) {
          const failed = ws === 'failed' ? await queue.getJob(wid) : await this.queues.record.getJob(rid);
          failedAt = failed ? (failed.finishedOn ?? 0) : null;
        }
        return { item, queue, wid, rid, ws, rs, out, failedAt };
      }),
    );
    for (const l of looked) {
      if (!l.out) continue;
      inFlight++;
      keys.push(l.item.key);
      if (l.rs !== 'completed') foundOut(l.item);
    }
    const adds: Promise<void>[] = [];
    for (const l of looked) {
      if (l.out) continue;
      if (l.failedAt !== null && now - l.failedAt < retryAfter) {
        backingOff++;
        continue;
      }
      const item = admit(l.item);
      if (!item) {
        refused++;
        continue;
      }
      adds.push(
        (async () => {
          // Finished jobs block a new one with the same id: clear them first.
          if (l.ws === 'completed' || l.ws === 'failed') await l.queue.remove(l.wid);
          if (l.rs === 'failed') await this.queues.record.remove(l.rid);
          const data: JobData = { p: encodePayload(item), db: database };
          await l.queue.add(item.type, data, { ...JOB_OPTIONS[item.type], jobId: l.wid });
          enqueued++;
          keys.push(item.key);
        })(),
      );
    }
    await Promise.all(adds);
    return { enqueued, inFlight, backingOff, refused, keys };
  }

  /**
   * Hands a fetched result to the recorder of `database` (the one its work job came from); its id
   * follows from the database and the work key, so a re-push is a no-op.
   */
  async pushResult(database: string, result: WorkResult): Promise<void> {
    const message: RecordMessage = { kind: 'result', result };
    const data: JobData = { p: encodePayload(message), db: database };
    await this.queues.record.add('result', data, {
      ...JOB_OPTIONS.record,
      jobId: jobIdOf('r', database, result.item.key),
    });
  }

  /** Asks the recorder of `database` to lease the keys of one tick in SQLite. */
  async pushLeases(database: string, leases: LeaseBatch): Promise<void> {
    if (!leases.keys.length && !leases.holds?.length) return;
    const message: RecordMessage = { kind: 'lease', leases };
    const data: JobData = { p: encodePayload(message), db: database };
    await this.queues.record.add('lease', data, JOB_OPTIONS.record);
  }

  /** Wakes the alerter of `database`: its events up to `lastEventId` are recorded. */
  async notifyAlerts(database: string, lastEventId: number): Promise<void> {
    const data: JobData = { p: encodePayload({ lastEventId }), db: database };
    await this.queues.alert.add('events', data, {
      ...JOB_OPTIONS.alert,
      jobId: `a-${database}-${lastEventId}`,
      removeOnComplete: 100,
      removeOnFail: 100,
    });
  }

  /**
   * Records `identity` as the database this prefix belongs to, unless another one does.
   *
   * @throws PrefixInUseError when the prefix belongs to another database
   */
  claim(identity: DatabaseIdentity, now: number): Promise<PrefixOwner> {
    return claimPrefix(this.redis, this.prefix, identity, now);
  }

  /** The database this prefix belongs to, or null when none has claimed it. */
  owner(): Promise<PrefixOwner | null> {
    return prefixOwner(this.redis, this.prefix);
  }

  /**
   * Consumers connected to this prefix's queues, each with its queue and its name (host-pid), as
   * BullMQ names their connections.
   */
  async consumers(): Promise<{ queue: QueueName; name: string }[]> {
    const lists = await Promise.all(
      QUEUE_NAMES.map(async (queue) =>
        (await this.queues[queue].getWorkers()).map((w) => {
          // `rawname` ends in `:w:<consumer name>` (host-pid, see startConsumer); else the address.
          const raw = String(w.rawname ?? '');
          const at = raw.indexOf(':w:');
          return { queue, name: at >= 0 ? raw.slice(at + 3) : String(w.addr ?? 'unnamed') };
        }),
      ),
    );
    return lists.flat();
  }

  /**
   * Makes sure the tick job scheduler exists. Returns true when Redis had lost this deployment's
   * state (first start, FLUSHALL, a restart without persistence): the marker key was missing.
   */
  async ensureTicker(everyMs: number): Promise<boolean> {
    const marker = prefixKey(this.prefix, OWN_KEYS.epoch);
    const lost = (await this.redis.client.set(marker, String(Date.now()), 'NX')) === 'OK';
    const existing = lost ? undefined : await this.queues.schedule.getJobScheduler(TICK_SCHEDULER_ID);
    if (lost || !existing) {
      await this.queues.schedule.upsertJobScheduler(
        TICK_SCHEDULER_ID,
        { every: everyMs },
        { name: 'tick', data: { p: encodePayload({}) }, opts: { removeOnComplete: 50, removeOnFail: 50 } },
      );
      this.logger.info({ everyMs, redisStateLost: lost }, 'scheduler tick installed');
    }
    return lost;
  }

  /** Backoff states by platform as the recorder published them (empty when none was), for `status`. */
  hostStates(): Promise<Partial<Record<Platform, HostState>>> {
    return readHostStates(this.redis, this.prefix);
  }

  /** Job counts of every queue. */
  async counts(): Promise<Record<QueueName, QueueCounts>> {
    const entries = await Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const c = await this.queues[name].getJobCounts(
          'waiting',
          'active',
          'delayed',
          'prioritized',
          'completed',
          'failed',
        );
        const counts: QueueCounts = {
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          completed: c.completed ?? 0,
          failed: c.failed ?? 0,
        };
        return [name, counts] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<QueueName, QueueCounts>;
  }

  /** The most recent dead letters of the work and record queues. */
  async deadJobs(limit = 20): Promise<DeadJob[]> {
    const out: DeadJob[] = [];
    for (const name of ['discover', 'check', 'record', 'alert'] as const) {
      for (const job of await this.queues[name].getFailed(0, limit - 1)) {
        out.push({
          queue: name,
          id: job.id ?? '',
          attempts: job.attemptsMade,
          reason: job.failedReason,
          failedAt: job.finishedOn ?? null,
        });
      }
    }
    return out.sort((a, b) => (b.failedAt ?? 0) - (a.failedAt ?? 0)).slice(0, limit);
  }

  /** Ids of completed jobs of a queue (newest first), for checks that nothing got lost. */
  async completedIds(name: QueueName, limit = 10_000): Promise<string[]> {
    return (await this.completed(name, limit)).map((j) => j.id);
  }

  /** Completed jobs of a queue (newest first) with the consumer that processed each. */
  async completed(name: QueueName, limit = 10_000): Promise<{ id: string; processedBy: string | null }[]> {
    const jobs = await this.queues[name].getCompleted(0, limit - 1);
    return jobs.map((j) => ({ id: j.id ?? '', processedBy: j.processedBy ?? null }));
  }

  /**
   * Deletes every key of this prefix, BullMQ's and ours, and nothing else (tests, `queue clear`).
   * Returns how many keys went.
   */
  async obliterate(): Promise<number> {
    return clearPrefix(this.redis, this.prefix);
  }

  async close(): Promise<void> {
    await Promise.all(QUEUE_NAMES.map((n) => this.queues[n].close()));
  }
}

/** What a consumer's handler gets with each job. */
export interface JobContext {
  readonly id: string;
  /** The database the job's work belongs to; null on jobs queued before identities existed. */
  readonly database: string | null;
  /** Attempts made before this one. */
  readonly attemptsMade: number;
  /** Aborted when the process is forced to stop; pass it down to fetches and pages. */
  readonly signal: AbortSignal;
}

/** Options of {@link startConsumer}. */
export interface ConsumerOptions {
  /** Jobs processed at once by this process. @defaultValue 1 */
  readonly concurrency?: number;
  /**
   * How long a job stays owned by a consumer that stopped renewing it (a killed process) before
   * another consumer takes it over. @defaultValue 30 s
   */
  readonly lockDuration?: number;
  /** Called when a handler throws a critical error: the process should stop. */
  readonly onCritical?: (err: Error) => void;
}

/**
 * A job given back to its queue on purpose, for another consumer: a recorder taken over leaves
 * each result it receives to the one that owns the database now. Retried like any retryable
 * error, but logged in one line without a stack, since it is the hand-over working, not a fault.
 */
export class HandOverError extends RetryableError {}

/** A running consumer of one queue. */
export interface Consumer {
  readonly queue: QueueName;
  /** Stops taking jobs and waits for the ones running. */
  drain(): Promise<void>;
  /** Aborts the running jobs' signals and closes without waiting. */
  force(reason: string): Promise<void>;
}

/**
 * Consumes one queue with `handler`. Errors carry their retry policy: a non-retryable one fails the
 * job at once (BullMQ's UnrecoverableError), anything else is retried with the queue's backoff.
 * Uses a worker connection (`maxRetriesPerRequest: null`), so a Redis restart is waited out.
 */
export function startConsumer<T>(
  name: QueueName,
  connection: RedisHandle,
  prefix: string,
  logger: Logger,
  handler: (data: T, ctx: JobContext) => Promise<void>,
  options: ConsumerOptions = {},
): Consumer {
  const lockDuration = options.lockDuration ?? 30_000;
  const log = logger.child({ queue: name });
  const worker = new Worker(
    name,
    async (job: Job<JobData>, _token?: string, signal?: AbortSignal) => {
      try {
        if (typeof job.data?.p !== 'string') throw new NonRetryableError(`job ${job.id} has no payload`);
        const data = decodePayload<T>(job.data.p);
        await handler(data, {
          id: job.id ?? '',
          database: typeof job.data.db === 'string' ? job.data.db : null,
          attemptsMade: job.attemptsMade,
          signal: signal ?? new AbortController().signal,
        });
      } catch (err) {
        if (isCritical(err)) options.onCritical?.(err);
        if (!isRetryable(err)) throw new UnrecoverableError((err as Error).message);
        throw err;
      }
    },
    {
      // Names the process in each job's `processedBy`, so status and tests can see who did what.
      name: `${hostname()}-${process.pid}`,
      connection: connection.client,
      prefix,
      concurrency: options.concurrency ?? 1,
      lockDuration,
      // Look for jobs of dead consumers as often as a lock can expire.
      stalledInterval: lockDuration,
      // A job whose consumers keep dying (a crash it causes) ends as a dead letter, not in a loop.
      maxStalledCount: 3,
      // After a Redis outage the run loop retries in 1 s instead of BullMQ's 15 s default.
      runRetryDelay: 1000,
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    },
  );
  worker.on('error', (err: Error) => log.warn({ err }, 'worker error'));
  worker.on('failed', (job, err) => {
    if (err instanceof HandOverError)
      log.info({ job: job?.id, attempts: job?.attemptsMade, reason: err.message }, 'job handed over');
    else log.warn({ err, job: job?.id, attempts: job?.attemptsMade }, 'job failed');
  });
  return {
    queue: name,
    drain: () => worker.close(),
    async force(reason: string) {
      worker.cancelAllJobs(reason);
      await worker.close(true);
    },
  };
}
