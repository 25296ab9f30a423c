import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/types';
import { systemClock, type Clock } from '../domain/clock';
import { headLine } from '../store/log';
import type { Store } from '../store/store';
import type { TimestampRow } from '../store/timestamps';
import { parseTimestampReply, timestampRequest } from './rfc3161';

/** Sends a DER time-stamp query to a TSA and resolves with the DER reply; rejects on any failure. */
export type TsaPost = (url: string, query: Buffer, signal: AbortSignal) => Promise<Buffer>;

/** Options of {@link Timestamper}. */
export interface TimestamperOptions {
  readonly store: Store;
  /** The TSA's URL (`evidence.timestamp.url`). */
  readonly url: string;
  /** Time between stamps (`evidence.timestamp.every`), ms. */
  readonly every: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** @defaultValue an HTTP POST with fetch, 30 s timeout */
  readonly post?: TsaPost;
  /** First wait after a failure, doubled per failure up to `every`. @defaultValue 1 minute */
  readonly retryAfter?: number;
  /** @defaultValue crypto.randomBytes */
  readonly nonce?: () => Buffer;
}

/** The outcome of one stamping attempt. */
export type StampResult =
  | { readonly state: 'granted'; readonly row: TimestampRow }
  | { readonly state: 'failed'; readonly row: TimestampRow }
  | { readonly state: 'unchanged'; readonly row: TimestampRow };

/** POSTs `application/timestamp-query` and returns the body of a 200 `application/timestamp-reply`. */
export const httpTsaPost: TsaPost = async (url, query, signal) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
    body: query,
    signal: AbortSignal.any([signal, AbortSignal.timeout(30_000)]),
  });
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`HTTP ${res.status} from the TSA`);
  return body;
};

/**
 * Time-stamps the log's head with an RFC 3161 TSA, now (`stamp`) or every `every` while running
 * (`runUntil`). A TSA that fails or cannot be reached is recorded and retried with backoff; it
 * never throws into monitoring. A head already stamped is not stamped again.
 */
export class Timestamper {
  private readonly post: TsaPost;
  private readonly retryAfter: number;
  private readonly nonce: () => Buffer;
  private readonly log: Logger;

  constructor(private readonly o: TimestamperOptions) {
    this.post = o.post ?? httpTsaPost;
    this.retryAfter = o.retryAfter ?? 60_000;
    this.nonce = o.nonce ?? (() => randomBytes(8));
    this.log = o.logger.child({ module: 'timestamp' });
  }

  /** Stamps the current head. `force` stamps it even when that head was stamped already. */
  async stamp(force = false, signal: AbortSignal = new AbortController().signal): Promise<StampResult> {
    const { store, url, clock } = this.o;
    const head = store.log.head();
    const last = store.timestamps.lastGranted();
    if (!force && last && last.seq === head.seq && last.head === head.head)
      return { state: 'unchanged', row: last };
    const digest = createHash('sha256').update(headLine(head)).digest();
    const nonce = this.nonce();
    const requestedAt = clock.now();
    try {
      const reply = await this.post(url, timestampRequest(digest, nonce), signal);
      const parsed = parseTimestampReply(reply);
      if (parsed.status !== 0 && parsed.status !== 1)
        throw new Error(
          `the TSA refused (status ${parsed.status}${parsed.statusText ? `: ${parsed.statusText}` : ''})`,
        );
      if (!parsed.imprint?.equals(digest)) throw new Error('the reply stamps another digest');
      if (!parsed.nonce?.equals(stripZeros(nonce))) throw new Error('the reply carries another nonce');
      const row = this.record({
        seq: head.seq,
        head: head.head,
        requestedAt,
        tsaUrl: url,
        state: 'granted',
        reply,
        genTime: parsed.genTime?.getTime() ?? null,
        error: null,
      });
      this.log.info({ seq: head.seq, head: head.head, genTime: parsed.genTime }, 'log head time-stamped');
      return { state: 'granted', row };
    } catch (err) {
      const message = (err as Error).message || String(err);
      const row = this.record({
        seq: head.seq,
        head: head.head,
        requestedAt,
        tsaUrl: url,
        state: 'failed',
        reply: null,
        genTime: null,
        error: message,
      });
      this.log.warn({ err, url, seq: head.seq }, 'time-stamp failed; monitoring goes on, retried later');
      return { state: 'failed', row };
    }
  }

  /** When the next stamp is due: `every` after the last granted one, sooner retries after a failure. */
  nextDueAt(): number {
    const { store, every } = this.o;
    const last = store.timestamps.last();
    if (!last) return this.o.clock.now();
    if (last.state === 'granted') return last.requestedAt + every;
    const failures = store.timestamps.failuresSinceGrant();
    const wait = Math.min(every, this.retryAfter * 2 ** Math.max(0, failures - 1));
    return last.requestedAt + wait;
  }

  /** Stamps whenever due until `signal` aborts. Resolves, never rejects. */
  async runUntil(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const wait = Math.max(0, this.nextDueAt() - this.o.clock.now());
      if (wait > 0) {
        await sleep(Math.min(wait, 60_000), signal);
        continue;
      }
      try {
        const r = await this.stamp(false, signal);
        // Nothing new to stamp: look again after the interval, not in a busy loop.
        if (r.state === 'unchanged') await sleep(Math.min(this.o.every, 60_000), signal);
      } catch (err) {
        // Storing the attempt itself failed (e.g. the database is closing): try again later.
        this.log.error({ err }, 'time-stamping');
        await sleep(this.retryAfter, signal);
      }
    }
  }

  private record(row: Omit<TimestampRow, 'id'>): TimestampRow {
    const id = this.o.store.timestamps.add(row);
    return { id, ...row };
  }
}

function stripZeros(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The time-stamper a config asks for (`evidence.timestamp`), or null when time-stamping is off. */
export function timestamperFor(
  config: Pick<Config, 'evidence'>,
  store: Store,
  logger: Logger,
  clock: Clock = systemClock,
): Timestamper | null {
  const t = config.evidence.timestamp;
  return t ? new Timestamper({ store, url: t.url, every: t.every, clock, logger }) : null;
}
