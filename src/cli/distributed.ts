/**
 * Composition of distributed mode: connections, queues, the stores and adapters each role needs,
 * and the two-stage shutdown. `censorwatch worker --role …` runs one role; `censorwatch run --redis`
 * runs all four in one process.
 */
import type { Logger } from 'pino';
import { createPlatforms, type Platforms } from './compose';
import type { Config } from '../config/types';
import { systemClock } from '../domain/clock';
import {
  Queues,
  RedisPoliteness,
  connectRedis,
  gatherQueueStatus,
  unreachableStatus,
  type PrefixOwner,
  type QueueStatus,
  maskRedisUrl,
  probeRedis,
  RedisUnreachableError,
  superviseRoles,
  type Role,
  type ShutdownSignals,
  type StopOutcome,
} from '../engine/distributed';
import type { DatabaseIdentity } from '../store/identity';
import type { Store } from '../store/store';
import { openRecordingStore } from './recording-store';
import { serveDashboard } from './dashboard';
import { assertMetricsAccess } from './metrics-server';
import { afterLong } from './timers';
import { createAlerterRole } from './roles/alerter';
import { DEFAULT_TIMING, type DistributedTiming, type RoleContext, type RoleName } from './roles/context';
import { createFetcherRole } from './roles/fetcher';
import { createRecorderRole } from './roles/recorder';
import { createSchedulerRole } from './roles/scheduler';

export {
  DEFAULT_TIMING,
  ROLE_NAMES,
  type DistributedTiming,
  type RoleContext,
  type RoleName,
} from './roles/context';

/** Options of {@link runDistributed}. */
export interface DistributedRunOptions {
  readonly config: Config;
  readonly logger: Logger;
  readonly redisUrl: string;
  readonly roles: readonly RoleName[];
  readonly timing?: Partial<DistributedTiming>;
  /** Checks in flight per fetcher process. @defaultValue `config.concurrency` */
  readonly concurrency?: number;
  /** Stop (drain) after this long; null runs until a signal. */
  readonly duration?: number | null;
  readonly signals: ShutdownSignals;
}

/**
 * Runs roles until the drain signal (or the duration): probes Redis first (an unreachable Redis is
 * one clear error naming the URL), starts consumers before producers, and stops producers first.
 *
 * @throws RedisUnreachableError when Redis does not answer at start
 */
export async function runDistributed(o: DistributedRunOptions): Promise<StopOutcome> {
  const { config, logger } = o;
  const timing = { ...DEFAULT_TIMING, ...o.timing };
  await probeRedis(o.redisUrl);
  const closers: (() => Promise<void> | void)[] = [];
  const producer = connectRedis(o.redisUrl, 'producer', logger);
  const connection = connectRedis(o.redisUrl, 'worker', logger);
  closers.push(
    () => producer.close(),
    () => connection.close(),
  );
  await Promise.all([producer.ready(), connection.ready()]);
  const queues = new Queues(producer, config.queue.prefix, logger);
  closers.push(() => queues.close());

  let store: Store | null = null;
  let platforms: Platforms | null = null;
  const ctx: RoleContext = {
    config,
    logger,
    clock: systemClock,
    queues,
    connection,
    producer,
    timing,
    // Long enough to ride out a busy event loop, short enough that a dead fetcher's job moves on.
    lockDuration: Math.min(30_000, Math.max(2000, timing.leaseMs)),
    concurrency: o.concurrency ?? config.concurrency,
    recorderRuns: false,
    writableStore() {
      if (!store) {
        // Checked as `run` checks it: another program's SQLite file, a directory or a read-only file is exit 2.
        const s = openRecordingStore(config.database, config.source);
        store = s;
        closers.push(() => s.close());
      }
      return store;
    },
    platforms() {
      if (!platforms) {
        // Every request of this process, Weibo session refreshes included, takes its host's shared slot.
        const p = createPlatforms(config, systemClock, logger, {
          politeness: new RedisPoliteness(connection, config.queue.prefix, logger),
        });
        platforms = p;
        closers.push(() => p.close());
      }
      return platforms;
    },
    onClose(fn) {
      closers.push(fn);
    },
  };

  const factories: Record<RoleName, (c: RoleContext) => Role> = {
    recorder: createRecorderRole,
    alerter: createAlerterRole,
    fetcher: createFetcherRole,
    scheduler: createSchedulerRole,
  };
  // Consumers first, so the first tick's work has somewhere to go; producers stop first.
  const startOrder: RoleName[] = ['recorder', 'alerter', 'fetcher', 'scheduler'];
  const roles: Role[] = [];
  let cancelDuration: (() => void) | null = null;
  try {
    for (const name of startOrder) {
      if (!o.roles.includes(name)) continue;
      const role = factories[name](ctx);
      await role.start();
      roles.push(role);
    }
    logger.info(
      { roles: roles.map((r) => r.name), redis: maskRedisUrl(o.redisUrl), prefix: config.queue.prefix },
      'distributed roles running',
    );
    let signals = o.signals;
    if (o.duration != null) {
      const stop = new AbortController();
      cancelDuration = afterLong(o.duration, () => stop.abort());
      signals = { drain: AbortSignal.any([o.signals.drain, stop.signal]), force: o.signals.force };
    }
    const outcome = await superviseRoles([...roles].reverse(), signals, timing.drainTimeout, logger);
    logger.info({ outcome }, 'stopped');
    return outcome;
  } finally {
    cancelDuration?.();
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (err) {
        logger.warn({ err }, 'error while closing');
      }
    }
  }
}

/**
 * Process signals as the two shutdown stages: the first SIGINT/SIGTERM drains, the second forces.
 * `dispose` removes the listeners.
 */
export function twoStageSignals(logger: Logger): ShutdownSignals & { dispose(): void } {
  const drain = new AbortController();
  const force = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (!drain.signal.aborted) {
      logger.info({ signal: sig }, 'stopping: draining jobs in flight (send again to force)');
      drain.abort();
    } else if (!force.signal.aborted) {
      logger.warn({ signal: sig }, 'second signal: aborting jobs in flight');
      force.abort();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    drain: drain.signal,
    force: force.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * The queue part of `status` for a config with `queue.redis`: depths, dead letters, per-host
 * state. An unreachable Redis is reported, not thrown.
 */
export async function queueStatusFor(
  config: Config,
  logger: Logger,
  identity: DatabaseIdentity | null,
): Promise<StatusQueue | null> {
  const url = config.queue.redis;
  if (!url) return null;
  const shown = maskRedisUrl(url);
  try {
    await probeRedis(url, 2000);
  } catch (err) {
    return { ...unreachableStatus(shown, config.queue.prefix, (err as Error).message), owner: null };
  }
  const producer = connectRedis(url, 'producer', logger);
  const queues = new Queues(producer, config.queue.prefix, logger);
  try {
    await producer.ready();
    // Read only: `status` never claims the prefix, so it cannot take one from a running deployment.
    const [status, owner] = await Promise.all([gatherQueueStatus(queues, shown), queues.owner()]);
    return { ...status, owner: owner === null ? null : prefixOwnerStatus(owner, identity) };
  } finally {
    await queues.close();
    await producer.close();
  }
}

/** Which database owns the queue prefix (`<prefix>:database`), as `status` shows it. */
export interface PrefixOwnerStatus {
  /** The owner's database identity. */
  readonly id: string;
  /** Its file and machine, as the process that claimed the prefix named them. */
  readonly database: string;
  readonly host: string;
  readonly claimedAt: string | null;
  /** Whether it is this database; false means this database's roles refuse the prefix. */
  readonly thisDatabase: boolean;
}

/** The queue status with the prefix's owner: null when no database has claimed it (or Redis is unreachable). */
export type StatusQueue = QueueStatus & { readonly owner: PrefixOwnerStatus | null };

function prefixOwnerStatus(owner: PrefixOwner, identity: DatabaseIdentity | null): PrefixOwnerStatus {
  return {
    id: owner.id,
    database: owner.database,
    host: owner.host,
    claimedAt: Number.isFinite(owner.claimedAt) ? new Date(owner.claimedAt).toISOString() : null,
    thisDatabase: identity !== null && owner.id === identity.id,
  };
}

/** The prefix owner line of `status`, below the queue counts. */
export function renderPrefixOwner(q: StatusQueue): string {
  if (!q.reachable) return '';
  const o = q.owner;
  if (o === null)
    return `  prefix ${q.prefix}: not claimed by any database yet (the first role to start claims it)\n`;
  const where = [o.database || 'an unnamed file', o.host && `on ${o.host}`].filter(Boolean).join(' ');
  const when = o.claimedAt ? `, claimed ${o.claimedAt}` : '';
  return o.thisDatabase
    ? `  prefix ${q.prefix}: owned by this database (${where}${when})\n`
    : `  prefix ${q.prefix}: owned by ANOTHER database, id ${o.id || 'unreadable'} (${where}${when}): ` +
        "this database's roles refuse it; set queue.prefix, or `censorwatch queue clear` it\n";
}

/**
 * `censorwatch dashboard`: Bull Board for a deployment's queues until the signal aborts. Redis
 * unreachable is a clear error naming the URL.
 */
export async function runDashboard(
  config: Config,
  redisUrl: string,
  listen: { host: string; port: number; token: string | null },
  logger: Logger,
  signal: AbortSignal,
): Promise<void> {
  assertMetricsAccess(listen.host, listen.token, '--listen', '--token or CENSORWATCH_DASHBOARD_TOKEN');
  try {
    await probeRedis(redisUrl, 3000);
  } catch (err) {
    throw new RedisUnreachableError(
      `cannot reach Redis at ${maskRedisUrl(redisUrl)}: ${(err as Error).message}`,
    );
  }
  const producer = connectRedis(redisUrl, 'producer', logger);
  const queues = new Queues(producer, config.queue.prefix, logger);
  try {
    const server = await serveDashboard({ queues, ...listen });
    process.stderr.write(`dashboard for queues "${config.queue.prefix}" at ${server.url}\n`);
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await server.close();
  } finally {
    await queues.close();
    await producer.close();
  }
}
