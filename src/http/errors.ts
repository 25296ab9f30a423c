/**
 * Errors that carry their retry policy in their type. Observed blocking (a 418, a captcha page, a
 * reset connection) is never one of these: it is returned as data. These are for real faults.
 */

/** Options of every censorwatch error. */
export interface CensorwatchErrorOptions {
  /** The error this one wraps. */
  readonly cause?: unknown;
}

/** Base class; `name` is the concrete class name so logs and `instanceof` agree. */
export abstract class CensorwatchError extends Error {
  /** Whether the job that hit this error may be tried again. */
  abstract readonly retryable: boolean;

  constructor(message: string, options: CensorwatchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

/** A passing infrastructure fault (queue, disk busy, a dependency restarting): try the job again later. */
export class RetryableError extends CensorwatchError {
  override readonly retryable = true;
}

/** The job can never succeed as given (bad input, a missing target): fail it without retrying. */
export class NonRetryableError extends CensorwatchError {
  override readonly retryable: boolean = false;
}

/**
 * The process cannot go on (database corrupt or locked by another recorder, config unusable):
 * stop the worker instead of failing job after job.
 */
export class CriticalError extends NonRetryableError {}

/**
 * Whether a job that threw `err` may be retried: unknown errors count as retryable, since most
 * unexpected failures in a crawler are passing ones.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof CensorwatchError) return err.retryable;
  return true;
}

/** Whether `err` must stop the worker. */
export function isCritical(err: unknown): err is CriticalError {
  return err instanceof CriticalError;
}
