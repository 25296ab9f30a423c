import type { Logger } from 'pino';
import { prefixKeys, type PrefixOwner } from './prefix';
import { Queues } from './queues';
import { connectRedis, maskRedisUrl, probeRedis } from './redis';

/** What a prefix holds, shown before it is cleared. */
export interface PrefixContents {
  readonly redis: string;
  readonly prefix: string;
  /** Keys that {@link clearQueuePrefix} would delete. */
  readonly keys: number;
  /** The database the prefix belongs to, null when none claimed it. */
  readonly owner: PrefixOwner | null;
}

/** What {@link clearQueuePrefix} did. */
export type ClearOutcome =
  | { readonly kind: 'cleared'; readonly contents: PrefixContents; readonly removed: number }
  /** Nothing to do: the prefix holds no keys. */
  | { readonly kind: 'empty'; readonly contents: PrefixContents }
  /** The confirmation said no. */
  | { readonly kind: 'declined'; readonly contents: PrefixContents }
  /** Consumers are still connected to the prefix's queues: stop them first. */
  | { readonly kind: 'busy'; readonly contents: PrefixContents; readonly consumers: readonly string[] };

/** Options of {@link clearQueuePrefix}. */
export interface ClearOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly logger: Logger;
  /** Asked with what the prefix holds; resolves to whether to go on. */
  readonly confirm: (contents: PrefixContents) => Promise<boolean>;
}

/**
 * `censorwatch queue clear`: deletes every key of one queue prefix (BullMQ's and ours) and nothing
 * else, after `confirm` agrees. Refuses while consumers are connected to the prefix: a running
 * scheduler or recorder would claim it again at once, and its jobs in flight would be lost.
 *
 * @throws RedisUnreachableError when Redis does not answer
 */
export async function clearQueuePrefix(o: ClearOptions): Promise<ClearOutcome> {
  await probeRedis(o.redisUrl);
  const redis = connectRedis(o.redisUrl, 'producer', o.logger);
  // Only looking: BullMQ writes no queue metadata, so an empty prefix stays empty.
  const queues = new Queues(redis, o.prefix, o.logger, { inspectOnly: true });
  try {
    await redis.ready();
    const contents: PrefixContents = {
      redis: maskRedisUrl(o.redisUrl),
      prefix: o.prefix,
      keys: (await prefixKeys(redis, o.prefix)).length,
      owner: await queues.owner(),
    };
    const consumers = await queues.consumers();
    if (consumers.length)
      return {
        kind: 'busy',
        contents,
        consumers: [...new Set(consumers.map((c) => `${c.queue} ${c.name}`))],
      };
    if (contents.keys === 0) return { kind: 'empty', contents };
    if (!(await o.confirm(contents))) return { kind: 'declined', contents };
    const removed = await queues.obliterate();
    o.logger.info({ prefix: o.prefix, removed }, 'queue prefix cleared');
    return { kind: 'cleared', contents, removed };
  } finally {
    await queues.close();
    await redis.close();
  }
}

/** One line on what a prefix holds, for the confirmation question and the report. */
export function describeContents(c: PrefixContents): string {
  const owner = c.owner
    ? `database ${c.owner.id} (created ${new Date(c.owner.createdAt).toISOString()}${c.owner.database ? `, ${c.owner.database}` : ''}${c.owner.host ? ` on ${c.owner.host}` : ''})`
    : 'no database';
  return `queue prefix ${c.prefix} on ${c.redis} holds ${c.keys} keys and belongs to ${owner}`;
}
