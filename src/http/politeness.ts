/**
 * The politeness seam: how far apart requests to one real host start. The fetcher asks it before
 * every attempt of every hop. {@link LocalPoliteness} spaces the requests of this process; a
 * distributed deployment spaces those of every fetcher process through Redis
 * (src/engine/distributed/politeness.ts), so adding fetchers never adds load on a host.
 */
import { performance } from 'node:perf_hooks';
import { RetryableError } from '../errors';

/** Spaces the starts of requests to one host. */
export interface Politeness {
  /**
   * Resolves when a request to `host` may start, at least `interval` ms after the previous one
   * this politeness let go to that host. Rejects with a {@link PolitenessUnavailableError} when
   * the shared slots cannot be reached (a request sent without its slot would break the promise to
   * the host); any other rejection is taken for an abort, as when `signal` aborts first.
   */
  wait(host: string, interval: number, signal?: AbortSignal): Promise<void>;
  /**
   * Takes the slot of `host` at once when it is free and nobody waits for it, as `wait` would;
   * false when the caller must `wait`. Optional: a politeness without it is always waited for.
   */
  tryNow?(host: string, interval: number): boolean;
}

/**
 * The slots that spread requests over several processes could not be reached (Redis away). An
 * infrastructure fault, not an answer of the platform: the work is tried again later, never
 * recorded as a failed fetch of its target.
 */
export class PolitenessUnavailableError extends RetryableError {}

/** Waits `ms` milliseconds; rejects when `signal` aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Per-host politeness in this process: one gate per host, in arrival order, across any number of
 * concurrent callers. A caller that aborts leaves at once without taking a slot. A start is the
 * moment the request is handed to undici; one that must open a connection first reaches the server
 * later by the handshake time.
 */
export class LocalPoliteness implements Politeness {
  private readonly gates = new Map<string, HostGate>();

  /**
   * @param now - the monotonic clock slots are spaced on, in ms
   * @defaultValue performance.now
   */
  constructor(
    private readonly sleep: Sleep,
    private readonly now: () => number = () => performance.now(),
  ) {}

  wait(host: string, interval: number, signal?: AbortSignal): Promise<void> {
    let gate = this.gates.get(host);
    if (!gate) {
      gate = new HostGate(this.sleep, this.now);
      this.gates.set(host, gate);
    }
    return gate.wait(interval, signal);
  }

  tryNow(host: string, interval: number): boolean {
    return this.gates.get(host)?.tryNow(interval) ?? false;
  }
}

/** Rejected when a wait for a slot is aborted. */
function aborted(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new Error('aborted');
}

class HostGate {
  private last = Number.NEGATIVE_INFINITY;
  private tail: Promise<unknown> = Promise.resolve();
  /** Turns on the chain that have not finished. */
  private queued = 0;

  constructor(
    private readonly sleep: Sleep,
    private readonly now: () => number,
  ) {}

  /** The fast path of {@link wait} without its promise: the slot taken when free and unqueued. */
  tryNow(interval: number): boolean {
    if (this.queued !== 0) return false;
    const now = this.now();
    if (this.last + interval - now > 0) return false;
    this.last = now;
    return true;
  }

  async wait(interval: number, signal: AbortSignal | undefined): Promise<void> {
    // With no turn queued and the slot already free, the slot is granted here: a turn on the chain
    // would grant it the same, a few promises and an abort listener later.
    if (this.queued === 0) {
      if (signal?.aborted) throw aborted(signal);
      const now = this.now();
      if (this.last + interval - now <= 0) {
        this.last = now;
        return;
      }
    }
    this.queued++;
    // Each turn runs only after the previous one finished, so no two waiters sleep on the same slot.
    const turn = this.tail.then(async () => {
      try {
        if (signal?.aborted) return false;
        const remaining = this.last + interval - this.now();
        if (remaining > 0) {
          try {
            await this.sleep(remaining, signal);
          } catch {
            return false;
          }
        }
        if (signal?.aborted) return false;
        this.last = this.now();
        return true;
      } finally {
        this.queued--;
      }
    });
    this.tail = turn.catch(() => false);
    const granted = await raceAbort(turn, signal);
    if (!granted) throw aborted(signal);
  }
}

/** Resolves with `p`, or with false as soon as `signal` aborts. */
function raceAbort(p: Promise<boolean>, signal: AbortSignal | undefined): Promise<boolean> {
  if (!signal) return p;
  if (signal.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve, reject) => {
    const onAbort = (): void => resolve(false);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
