/** Exponential backoff between attempts of one message, in milliseconds. */
export interface RetryPolicy {
  /** Delay before the second attempt, before jitter. @defaultValue 5s */
  readonly base: number;
  /** Longest delay between two attempts, before jitter. @defaultValue 1h */
  readonly max: number;
}

/** Defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY: RetryPolicy = { base: 5_000, max: 3_600_000 };

/** Longest Retry-After honoured; a receiver asking for more is retried after a day. */
export const MAX_RETRY_AFTER = 86_400_000;

/**
 * Delay after the `attempt`-th failed attempt (1-based): `base · 2^(attempt-1)` capped at `max`,
 * with "equal jitter" (half fixed, half random) so many failed messages do not retry in lockstep
 * yet never retry sooner than half the backoff.
 */
export function retryDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exp = Math.min(policy.max, policy.base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/**
 * The wait a `Retry-After` header asks for, in ms: delta-seconds or an HTTP date (relative to
 * `now`). Null when absent or unreadable; clamped to [0, {@link MAX_RETRY_AFTER}].
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | null {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!v) return null;
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    // Date.parse reads '-5' or '2023' as years; an HTTP date always names its day and month.
    if (!/[A-Za-z]{3}/.test(v)) return null;
    const t = Date.parse(v);
    if (!Number.isFinite(t)) return null;
    ms = t - now;
  }
  return Math.min(MAX_RETRY_AFTER, Math.max(0, ms));
}

/** What to do after one attempt. */
export type AttemptVerdict = 'delivered' | 'retry' | 'fail';

/**
 * Classifies an HTTP status: 2xx delivered; 5xx, 429 and 408 (the receiver's own timeout) are worth
 * retrying; anything else (other 4xx, redirects, which are not followed) will not improve by retrying.
 */
export function classifyStatus(status: number): AttemptVerdict {
  if (status >= 200 && status < 300) return 'delivered';
  if (status >= 500 || status === 429 || status === 408) return 'retry';
  return 'fail';
}
