/**
 * What several commands share: argument parsers that reject bad values as usage errors, the
 * output of data commands, shutdown signals, and a store opened for one command.
 */
import { accessSync, constants, createWriteStream, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { InvalidArgumentError } from 'commander';
import type { Logger } from 'pino';
import { durationSuggestion, expandHome, LIMITS, redisUrlProblem } from '../config';
import { LOG_LEVELS } from '../logger';
import type { Config } from '../config/types';
import { parseDuration } from '../domain/duration';
import { UsageError } from '../errors';
import { openExisting } from '../store/open-existing';
import type { Store } from '../store/store';
import { DEFAULT_TIMING, type DistributedTiming, type RoleName } from './roles/context';

/**
 * How every command describes `--config`. Relative paths in the file resolve against the working
 * directory, not the file's folder (the quick start and existing setups rely on it), so the help
 * says so: run from elsewhere, a relative `database` is another, new database. `~/` is expanded
 * as a shell would, since the shell never sees the file.
 */
export const CONFIG_OPTION_HELP =
  'watch config (YAML); relative paths in it (database, cookieFile, secretFile) resolve against the working directory, and ~/ is your home folder';

/**
 * The level `CENSORWATCH_LOG` asks for, `info` when it is unset or empty (as for every override).
 * @throws UsageError naming the variable, for a level pino does not know
 */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.CENSORWATCH_LOG?.trim().toLowerCase();
  if (!value) return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new UsageError(
      'CENSORWATCH_LOG',
      `expected one of ${LOG_LEVELS.join(', ')}, received ${JSON.stringify(env.CENSORWATCH_LOG)}`,
    );
  }
  return value;
}

/** What every command module gets from the program. */
export interface CliContext {
  /** The process's root logger (JSON to stderr). */
  readonly logger: Logger;
}

/**
 * Parses a flag that is a file or folder: a leading `~` or `~/` is the home folder, as in the
 * config, since `--db=~/x.db` and a quoted `"~/x.db"` reach us without the shell's expansion.
 */
export function pathArg(value: string): string {
  const expanded = expandHome(value, homedir());
  if (!expanded.ok) throw new InvalidArgumentError(expanded.message);
  return expanded.path;
}

/** Parses a duration flag such as `30s` or `2h` into ms, within what a timer can wait. */
export function durationArg(value: string): number {
  const ms = parseDuration(value);
  if (ms === null)
    throw new InvalidArgumentError(`expected a duration like 30s, 10m, 2h or 7d${durationSuggestion(value)}`);
  // Durations become timers; a longer one would fire at once instead of never.
  if (ms > LIMITS.timerMs)
    throw new InvalidArgumentError('expected at most 24d (the longest a timer can wait)');
  return ms;
}

/**
 * Parses a duration flag that must be more than zero (`--duration`, `--tick`, `--lease`, `login
 * --timeout`): `0s` would stop a run before it checked anything, tick without pause or lease nothing.
 */
export function positiveDurationArg(value: string): number {
  if (value.trim().startsWith('-'))
    throw new InvalidArgumentError('expected a duration above zero, e.g. 30s');
  const ms = durationArg(value);
  if (ms <= 0) throw new InvalidArgumentError('expected a duration above zero, e.g. 30s');
  return ms;
}

/**
 * Parses `--drain-timeout`, which must be more than zero: 0 would abort the jobs in flight at the
 * first signal, so it would never drain, which is what a second signal is for.
 */
export function drainTimeoutArg(value: string): number {
  try {
    return positiveDurationArg(value);
  } catch (err) {
    if (!(err instanceof InvalidArgumentError)) throw err;
    throw new InvalidArgumentError(
      `${err.message} (at 0 the first signal would abort the jobs in flight instead of draining them; a second signal does that)`,
    );
  }
}

/**
 * Parses a run's `--duration`: above zero, and as long as a study needs (a month, a year). The
 * run waits a duration past a timer's limit in steps (see afterLong in ./timers).
 */
export function runDurationArg(value: string): number {
  if (value.trim().startsWith('-'))
    throw new InvalidArgumentError('expected a duration above zero, e.g. 30s');
  const ms = parseDuration(value);
  if (ms === null)
    throw new InvalidArgumentError(`expected a duration like 30s, 10m, 2h or 7d${durationSuggestion(value)}`);
  if (ms <= 0) throw new InvalidArgumentError('expected a duration above zero, e.g. 30s');
  return ms;
}

/** Parses a Redis URL flag (`--redis`): it needs a host, as `queue.redis` does. */
export function redisArg(value: string): string {
  const problem = redisUrlProblem(value);
  if (problem !== null) throw new InvalidArgumentError(problem);
  return value;
}

/** A parser for a whole-number flag from `min` to `max`. */
export function boundedIntArg(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/** Parses an ISO 8601 time flag into epoch ms. */
export function timeArg(value: string): number {
  const t = parseIsoTime(value.trim());
  if (t === null)
    throw new InvalidArgumentError(
      'expected an ISO 8601 time like 2023-04-27 or 2023-04-27T08:00:00Z (UTC unless it has an offset such as +08:00)',
    );
  return t;
}

/**
 * An ISO 8601 date or date-time (`T` or a space between), in UTC unless it carries `Z` or an offset.
 * Stricter than Date.parse, which reads `1` as 2001, `March 7` as a date, rolls 2023-02-30 over
 * to March and reads a time without offset in the machine's own zone.
 */
function parseIsoTime(s: string): number | null {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(
      s,
    );
  if (!m) return null;
  const [y, mo, d, h = 0, mi = 0, sec = 0] = m
    .slice(1, 7)
    .map((x) => (x === undefined ? undefined : Number(x)));
  const ms = m[7] ? Number(m[7].padEnd(3, '0')) : 0;
  if (y === undefined || mo === undefined || d === undefined) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi, sec, ms);
  const back = new Date(utc);
  // A day, hour or minute out of range would roll over; the round trip catches it.
  if (
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi ||
    back.getUTCSeconds() !== sec
  )
    return null;
  const zone = m[8];
  if (!zone || zone.toUpperCase() === 'Z') return utc;
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!z || Number(z[2]) > 14 || Number(z[3]) > 59) return null;
  const offset = (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  return z[1] === '+' ? utc - offset : utc + offset;
}

/** Throws a usage error naming --until unless it is after --since (when both are given). */
export function checkTimeRange(since: number | undefined, until: number | undefined): void {
  if (since !== undefined && until !== undefined && until <= since)
    throw new UsageError(
      '--until',
      `${new Date(until).toISOString()} is not after --since ${new Date(since).toISOString()}: nothing can be first seen in that range`,
    );
}

/** Parses a non-negative whole number flag. */
export function intArg(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

/** Parses a flag that is a number from 0 to 1. */
export function fractionArg(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}

/**
 * Throws a usage error naming `option` unless `out` can be written as a file: its folder exists
 * and is writable, and it is not itself a folder. Checked before anything is written.
 */
export function checkOutFile(out: string, option = '--out'): void {
  const file = resolve(out);
  const dir = dirname(file);
  const isDir = (p: string): boolean | null => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return null;
    }
  };
  const dirIs = isDir(dir);
  if (dirIs === null) throw new UsageError(option, `cannot write ${file}: the folder ${dir} does not exist`);
  if (!dirIs) throw new UsageError(option, `cannot write ${file}: ${dir} is not a folder`);
  if (isDir(file)) throw new UsageError(option, `cannot write ${file}: it is a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(option, `cannot write ${file}: the folder ${dir} is not writable`);
  }
}

/**
 * {@link checkOutFile} for a file that is a zip (an evidence bundle): a name without `.zip` would
 * be a bundle that neither the user nor the zip tools recognise as one.
 */
export function checkZipOut(out: string, option = '--out'): void {
  if (!/\.zip$/i.test(out.trim()))
    throw new UsageError(option, `expected a file name ending in .zip, got ${JSON.stringify(out)}`);
  checkOutFile(out, option);
}

/**
 * Makes `out` the folder a command writes files into (`evidence --watch`), or throws a usage error
 * naming `option`: an existing file there, or a folder that cannot be made or written, is bad
 * usage told in one line before any bundle is built, not a stack trace from mkdir.
 */
export function prepareOutDir(out: string, option = '--out'): void {
  const dir = resolve(out);
  let st: ReturnType<typeof statSync> | null;
  try {
    st = statSync(dir);
  } catch {
    st = null;
  }
  if (st && !st.isDirectory())
    throw new UsageError(
      option,
      `cannot write bundles into ${dir}: it is a file, and --watch needs a folder`,
    );
  if (!st) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      const why =
        (err as { code?: unknown }).code === 'ENOTDIR'
          ? 'a part of that path is a file'
          : (err as Error).message;
      throw new UsageError(option, `cannot make the folder ${dir}: ${why}`);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(option, `cannot write bundles into ${dir}: the folder is not writable`);
  }
}

/** Where a data command writes: --out FILE or stdout. */
export function output(out: string | undefined): { stream: Writable; done: () => Promise<void> } {
  if (!out) return { stream: process.stdout, done: async () => {} };
  checkOutFile(out);
  const stream = createWriteStream(out);
  // A write error that still happens (disk full) fails the command instead of crashing the process.
  let failed: Error | null = null;
  stream.on('error', (err) => (failed = err));
  return {
    stream,
    done: () =>
      new Promise<void>((resolve, reject) => {
        if (failed || stream.destroyed) return reject(failed ?? new Error(`cannot write ${out}`));
        stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
      }),
  };
}

/** A signal that aborts on the first SIGINT/SIGTERM; a second one exits at once. */
export function shutdownSignal(logger: Logger): AbortSignal {
  const ac = new AbortController();
  const onSignal = (sig: string): void => {
    if (ac.signal.aborted) {
      logger.warn({ signal: sig }, 'second signal: exiting now');
      process.exit(130);
    }
    logger.info({ signal: sig }, 'stopping: finishing work in flight (send again to force)');
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return ac.signal;
}

/** Distributed timing flags shared by `run --redis` and `worker`. */
export interface TimingOptions {
  tick?: number;
  lease?: number;
  drainTimeout?: number;
}

/** The distributed timing the flags ask for, defaults filled in. */
export function buildTiming(o: TimingOptions): DistributedTiming {
  return {
    tickEvery: o.tick ?? DEFAULT_TIMING.tickEvery,
    leaseMs: o.lease ?? DEFAULT_TIMING.leaseMs,
    drainTimeout: o.drainTimeout ?? DEFAULT_TIMING.drainTimeout,
  };
}

/**
 * Opens the configured database for a command that reads it, runs `fn` and closes it. The file
 * must exist (see `openExisting`): a mistyped path is exit 2 naming `database`, never a new file.
 */
export function withStore<T>(config: Config, fn: (store: Store) => T): T {
  const store = openExisting(config.database, { source: config.source });
  try {
    return fn(store);
  } finally {
    store.close();
  }
}

/** Runs distributed roles until the two-stage shutdown (or the duration) ends them. */
export async function runRoles(
  logger: Logger,
  config: Config,
  redisUrl: string,
  roles: RoleName[],
  timing: TimingOptions,
  duration: number | null,
  concurrency?: number,
): Promise<void> {
  // Loaded here, not with the program: BullMQ, ioredis and the dashboard are some 35 MB of RSS
  // that an embedded run, or any command without Redis, never uses.
  const { runDistributed, twoStageSignals } = await import('./distributed');
  const signals = twoStageSignals(logger);
  try {
    const outcome = await runDistributed({
      config,
      logger,
      redisUrl,
      roles,
      timing: buildTiming(timing),
      duration,
      concurrency,
      signals,
    });
    if (outcome === 'forced') process.exitCode = 130;
  } finally {
    signals.dispose();
  }
}
