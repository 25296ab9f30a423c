import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { PolitenessUnavailableError, type Politeness } from '../../http/politeness';
import { OWN_KEYS, prefixKey } from './prefix';
import type { RedisHandle } from './redis';

/**
 * Reserves the next free slot of a host atomically, on Redis's own clock (so fetchers on machines
 * whose clocks disagree still space their requests): the slot is max(now, next free), and the next
 * free moves `interval` past it. Returns [wait in ms, slot in ms since the epoch].
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local interval = tonumber(ARGV[1])
local slot = math.max(now, nextFree)
redis.call('SET', KEYS[1], slot + interval, 'PX', slot - now + interval + 60000)
return {slot - now, slot}
`;

/** One reserved request slot. */
export interface Reservation {
  /** When the request may go, in Redis time (epoch ms). */
  readonly slot: number;
  /** How long this caller waits for it (ms). */
  readonly wait: number;
}

/**
 * Per-host politeness shared by every fetcher on every machine: at most one request per interval
 * to one real host, whichever fetcher sends it. The fetcher's politeness in distributed mode.
 */
export class RedisPoliteness implements Politeness {
  private readonly redis: Redis;
  private readonly log: Logger | undefined;

  /** @param logger - at debug level, each slot reserved is logged (host, slot), to audit the spacing */
  constructor(
    handle: RedisHandle,
    private readonly prefix: string,
    logger?: Logger,
  ) {
    this.redis = handle.client;
    this.log = logger?.child({ module: 'politeness' });
  }

  /** Redis key of a host's next free slot. */
  keyOf(host: string): string {
    return prefixKey(this.prefix, `${OWN_KEYS.rate}:${host}`);
  }

  /** Reserves the next slot of `host` without waiting for it. */
  async reserve(host: string, interval: number): Promise<Reservation> {
    const r = (await this.redis.eval(RESERVE, 1, this.keyOf(host), Math.max(0, Math.round(interval)))) as [
      number,
      number,
    ];
    return { wait: Number(r[0]), slot: Number(r[1]) };
  }

  /**
   * Reserves the next slot of `host` and waits for it (abortable).
   *
   * @throws PolitenessUnavailableError when Redis does not answer the reservation
   */
  async wait(host: string, interval: number, signal?: AbortSignal): Promise<void> {
    // No spacing asked: nothing to share, and no round trip to pay for it.
    if (interval <= 0) return;
    let r: Reservation;
    try {
      r = await this.reserve(host, interval);
    } catch (err) {
      throw new PolitenessUnavailableError(`cannot reserve a request slot for ${host} in Redis`, {
        cause: err,
      });
    }
    this.log?.debug({ host, slot: r.slot, wait: r.wait, interval }, 'request slot');
    if (r.wait > 0) await abortableDelay(r.wait, signal);
  }
}

function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const t = setTimeout(done, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
