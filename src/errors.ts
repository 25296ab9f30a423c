/**
 * The one error hierarchy: real faults carry their retry policy in their type. Observed blocking (a
 * 418, a captcha page, a reset connection, a login wall) is never one of these: it is returned as
 * an Observation outcome. Modelled on Crawlee's packages/core/src/errors.ts (NonRetryableError,
 * CriticalError) and BullMQ's UnrecoverableError.
 *
 *   CensorwatchError
 *   ├── RetryableError                a passing infrastructure fault: try again later
 *   └── NonRetryableError             can never succeed as given: fail without retrying
 *       ├── WebhookConfigError, WebhookSecretError
 *       └── CriticalError             the process cannot go on: stop the worker
 *           └── ConfigError           bad config or usage: the CLI exits 2
 *               └── UsageError        a flag names nothing in the database (a watch, a target)
 *                   ├── UnknownWatchError       (report)
 *                   ├── UnknownClaimWatchError  (claim)
 *                   └── UnknownTargetError      (evidence)
 *
 * This module imports nothing of ours, so every layer may use it.
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

/** One problem found in a config, located by its path (`watches[1].weibo.keywords`). */
export interface ConfigIssue {
  /** `a.b[2].c` form; `(root)` for the document itself; `file:line:col` for YAML syntax errors. */
  readonly path: string;
  readonly message: string;
  /** 1-based line in the YAML file the path points at, when known. */
  readonly line?: number;
}

/** Formats one issue as `path: message`, adding the YAML line when known. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? '' : ` (line ${issue.line})`;
  return `${issue.path}: ${issue.message}${where}`;
}

/**
 * Bad config or bad usage: every problem found, one per line in `message`
 * (`watches[1].weibo.keywords: expected array, received string`). The CLI exits with `exitCode`;
 * a worker that meets it stops, since no job can succeed under an unusable config.
 */
export class ConfigError extends CriticalError {
  /** Exit code for bad usage or bad config, as the CLI contract fixes it. */
  readonly exitCode = 2;
  readonly issues: readonly ConfigIssue[];
  /** The config file (absolute) or `<embedded>`; null for usage errors not tied to a file. */
  readonly source: string | null;

  constructor(
    issues: readonly ConfigIssue[],
    source: string | null = null,
    options: CensorwatchErrorOptions = {},
  ) {
    super(issues.map(formatIssue).join('\n'), options);
    this.issues = issues;
    this.source = source;
  }
}

/**
 * A command-line flag whose value names nothing there is: a watch id the database has no data for,
 * a target it never tracked. Exit 2 with one line naming the flag, like any other usage error; the
 * library code that finds out (report, claim, evidence) need not know which command called it.
 */
export class UsageError extends ConfigError {
  /** The flag that named it, e.g. `--baseline`. */
  readonly option: string;

  constructor(option: string, message: string, options: CensorwatchErrorOptions = {}) {
    super([{ path: option, message }], null, options);
    this.option = option;
  }
}

/** Why a watch id has nothing to read: in the config, but not (yet) in the database. */
function noWatchData(watchId: string, database: string | undefined): string {
  return `watch ${JSON.stringify(watchId)} has no data in ${database ?? 'the database'} (no run has recorded it yet)`;
}

/** A watch id given to a report (`--watch`, `--baseline`) that the database does not hold. */
export class UnknownWatchError extends UsageError {
  constructor(
    readonly watchId: string,
    option: '--watch' | '--baseline' = '--watch',
    /** The database file, named in the message. */
    database?: string,
  ) {
    super(option, noWatchData(watchId, database));
  }
}

/** A watch id given to a claim (`--watch`, `--baseline`) that the database does not hold. */
export class UnknownClaimWatchError extends UsageError {
  constructor(
    readonly watchId: string,
    option: '--watch' | '--baseline',
    /** The database file, named in the message. */
    database?: string,
  ) {
    super(option, noWatchData(watchId, database));
  }
}

/** A `--target PLATFORM:ID` the database never tracked. */
export class UnknownTargetError extends UsageError {
  constructor(
    /** The target as given, `platform:id`. */
    readonly target: string,
    database?: string,
  ) {
    super('--target', `no target ${target} in ${database ?? 'the database'}`);
  }
}

/** A webhook name that is not configured, or configured twice. */
export class WebhookConfigError extends NonRetryableError {}

/** A webhook secret that cannot be used. Its message never contains the secret itself. */
export class WebhookSecretError extends NonRetryableError {}
