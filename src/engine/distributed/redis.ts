import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CriticalError } from '../../errors';

/**
 * How a connection behaves while Redis is away:
 * - `worker`: commands wait for the reconnect (`maxRetriesPerRequest: null`), as BullMQ workers need;
 * - `producer`: commands fail at once while disconnected, so a tick or an enqueue fails and is tried
 *   again later instead of piling up in memory.
 */
export type ConnectionRole = 'worker' | 'producer';

/** A Redis connection owned by this module; nothing outside `distributed/` sees the client type. */
export interface RedisHandle {
  /** The URL with any password masked, for logs and errors. */
  readonly url: string;
  /** The client, for the queue seam and the rate limiter in this folder only. */
  readonly client: Redis;
  /** Resolves once connected (a producer's commands fail until then). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Redis could not be reached when a role started. Stops the process (exit 1). */
export class RedisUnreachableError extends CriticalError {}

/** The URL with its password replaced, so it can be shown in errors and logs. */
export function maskRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

/**
 * Opens a connection for `role` with an error listener attached (ioredis emits `error` on every
 * failed reconnect; without a listener Node would crash the process).
 */
export function connectRedis(url: string, role: ConnectionRole, logger: Logger): RedisHandle {
  const shown = maskRedisUrl(url);
  const client = new Redis(url, {
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    // Reconnect for ever, at most every 2 s: Redis restarts are expected and must not end a role.
    retryStrategy: (times) => Math.min(times * 100, 2000),
    connectionName: `censorwatch-${role}`,
  });
  let lastLogged = 0;
  client.on('error', (err: Error) => {
    // One line per 10 s is enough while Redis is down; every retry would flood the log.
    const now = Date.now();
    if (now - lastLogged < 10_000) return;
    lastLogged = now;
    logger.warn({ err, redis: shown, role }, 'redis connection error');
  });
  client.on('ready', () => logger.debug({ redis: shown, role }, 'redis ready'));
  return {
    url: shown,
    client,
    ready() {
      if (client.status === 'ready') return Promise.resolve();
      return new Promise((resolve) => client.once('ready', () => resolve()));
    },
    async close() {
      if (client.status === 'end') return;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}

/**
 * Checks once, within `timeoutMs`, that Redis answers PING at `url`. A role calls it first so an
 * unreachable Redis is one clear error naming the URL, not an endless reconnect loop.
 *
 * @throws RedisUnreachableError naming the (masked) URL and the reason
 */
export async function probeRedis(url: string, timeoutMs = 3000): Promise<void> {
  const shown = maskRedisUrl(url);
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let lastError: Error | null = null;
  client.on('error', (err: Error) => {
    lastError = err;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    const reason = (lastError ?? (err as Error)).message;
    throw new RedisUnreachableError(`cannot reach Redis at ${shown}: ${reason}`, { cause: err });
  } finally {
    client.disconnect();
  }
}
