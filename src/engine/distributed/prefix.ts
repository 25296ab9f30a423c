/**
 * A queue prefix belongs to one database. The roles that hold the database (scheduler, recorder,
 * alerter) record its identity under the prefix when they start, and refuse a prefix that another
 * database holds: its kept jobs would otherwise be taken for this database's and drop its work.
 */
import { hostname } from 'node:os';
import { CriticalError } from '../../errors';
import type { DatabaseIdentity } from '../../store/identity';
import { QUEUE_NAMES } from './queue-names';
import type { RedisHandle } from './redis';

/** The keys a deployment keeps beside BullMQ's, each `<prefix>:<name>`. */
export const OWN_KEYS = {
  /** Marker whose loss tells the scheduler that Redis lost this deployment's state. */
  epoch: 'epoch',
  /** Platform backoff states, published by the recorder. */
  hosts: 'hosts',
  /** The database this prefix belongs to ({@link PrefixOwner} as JSON). */
  owner: 'database',
  /** Per-host politeness slots: `<prefix>:rate:<host>`. */
  rate: 'rate',
} as const;

/** The Redis key `<prefix>:<name>`. */
export function prefixKey(prefix: string, name: string): string {
  return `${prefix}:${name}`;
}

/** What is recorded under a prefix about the database it belongs to. */
export interface PrefixOwner {
  /** The database identity. */
  readonly id: string;
  /** When that database got its identity (epoch ms). */
  readonly createdAt: number;
  /** The database file, as the claiming process named it. */
  readonly database: string;
  /** The machine that claimed the prefix. */
  readonly host: string;
  /** When the prefix was claimed (epoch ms). */
  readonly claimedAt: number;
}

/**
 * The prefix is in use by another database. Stops the process with exit code 2: a setting to
 * change (`queue.prefix`) or a prefix to clear, not a fault to retry.
 */
export class PrefixInUseError extends CriticalError {
  /** Bad usage: the operator picks another prefix or clears this one. */
  readonly exitCode = 2;

  constructor(
    readonly prefix: string,
    readonly owner: PrefixOwner | null,
  ) {
    super(
      `queue prefix ${prefix} is in use by another database (${describeOwner(owner)}); ` +
        'set queue.prefix or clear it with `censorwatch queue clear`',
    );
  }
}

function describeOwner(owner: PrefixOwner | null): string {
  if (!owner) return 'created at an unknown time';
  const created = Number.isFinite(owner.createdAt) ? new Date(owner.createdAt).toISOString() : 'unknown';
  const where = [owner.database, owner.host && `on ${owner.host}`].filter(Boolean).join(' ');
  return `created ${created}${where ? `, ${where}` : ''}`;
}

/** Sets the owner when there is none; returns the owner recorded before (null when none was). */
const CLAIM = `
local cur = redis.call('GET', KEYS[1])
if cur then return cur end
redis.call('SET', KEYS[1], ARGV[1])
return false
`;

function parseOwner(raw: string | null): PrefixOwner | null {
  if (raw === null) return null;
  try {
    const o = JSON.parse(raw) as Partial<PrefixOwner>;
    if (typeof o.id !== 'string') return null;
    return {
      id: o.id,
      createdAt: Number(o.createdAt),
      database: String(o.database ?? ''),
      host: String(o.host ?? ''),
      claimedAt: Number(o.claimedAt),
    };
  } catch {
    return null;
  }
}

/** The database a prefix belongs to, or null when none has claimed it (a new or cleared prefix). */
export async function prefixOwner(redis: RedisHandle, prefix: string): Promise<PrefixOwner | null> {
  const raw = await redis.client.get(prefixKey(prefix, OWN_KEYS.owner));
  if (raw === null) return null;
  // Something unreadable under our key still means "not ours": an empty id never matches.
  return parseOwner(raw) ?? { id: '', createdAt: NaN, database: '', host: '', claimedAt: NaN };
}

/**
 * Records `identity` as the owner of `prefix` unless another database owns it; atomic, so two
 * databases starting at once cannot both win.
 *
 * @throws PrefixInUseError when another database owns the prefix
 */
export async function claimPrefix(
  redis: RedisHandle,
  prefix: string,
  identity: DatabaseIdentity,
  now: number = Date.now(),
): Promise<PrefixOwner> {
  const mine: PrefixOwner = {
    id: identity.id,
    createdAt: identity.createdAt,
    database: identity.file,
    host: hostname(),
    claimedAt: now,
  };
  const before = (await redis.client.eval(
    CLAIM,
    1,
    prefixKey(prefix, OWN_KEYS.owner),
    JSON.stringify(mine),
  )) as string | null;
  if (before === null) return mine;
  const owner = parseOwner(before);
  if (owner?.id === identity.id) return owner;
  throw new PrefixInUseError(prefix, owner);
}

/** A Redis glob matching `text` literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\^]/g, (c) => `\\${c}`);
}

/**
 * Whether `key` is one of `prefix`'s keys: BullMQ's keys of our queues, or our own. Anything else
 * that merely starts with the prefix (another prefix such as `<prefix>-2`, or a key some other
 * program put there) is not.
 */
export function isPrefixKey(prefix: string, key: string): boolean {
  if (!key.startsWith(`${prefix}:`)) return false;
  const rest = key.slice(prefix.length + 1);
  const [head, ...tail] = rest.split(':');
  if (head === undefined) return false;
  if ((QUEUE_NAMES as readonly string[]).includes(head) || head === OWN_KEYS.rate) return tail.length > 0;
  return tail.length === 0 && (head === OWN_KEYS.epoch || head === OWN_KEYS.hosts || head === OWN_KEYS.owner);
}

/** Every key of `prefix` (SCAN with the prefix matched literally), in no particular order. */
export async function prefixKeys(redis: RedisHandle, prefix: string): Promise<string[]> {
  const out = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.client.scan(cursor, 'MATCH', `${escapeGlob(prefix)}:*`, 'COUNT', 1000);
    cursor = next;
    for (const k of batch) if (isPrefixKey(prefix, k)) out.add(k);
  } while (cursor !== '0');
  return [...out];
}

/** Deletes every key of `prefix`, and nothing else; returns how many were deleted. */
export async function clearPrefix(redis: RedisHandle, prefix: string): Promise<number> {
  let removed = 0;
  // Keys can appear while we delete (a consumer's last write); a second pass catches those.
  for (let pass = 0; pass < 2; pass++) {
    const keys = await prefixKeys(redis, prefix);
    for (let i = 0; i < keys.length; i += 500)
      removed += await redis.client.unlink(...keys.slice(i, i + 500));
  }
  return removed;
}
