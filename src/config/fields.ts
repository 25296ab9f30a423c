import * as path from 'node:path';
import { z } from 'zod';
import { parseDuration } from '../domain/duration';
import { expandHome } from './paths';

/**
 * Upper bounds on numbers in the config, each with its reason. A value past them is a mistake
 * (a unit slip, an extra zero) that would otherwise show up much later as a crash or a silent
 * change of behaviour.
 */
export const LIMITS = {
  /**
   * Milliseconds: Node's timers hold at most 2^31−1 ms (about 24.8 days); a longer wait fires at
   * once, so a `minInterval` past it would turn politeness off. Every duration but ladder rungs.
   */
  timerMs: 2 ** 31 - 1,
  /** Milliseconds: ladder rungs are stored as due times, never as timers; a year is past any use. */
  ladderRungMs: 365 * 86_400_000,
  /** Checks in flight at once in one process; each holds a connection and a body in memory. */
  concurrency: 1_000,
  /** Listing pages per keyword or account per round; the platforms stop serving well before. */
  maxPages: 100,
  /** Consecutive final outcomes before gone; more would keep a deletion unconfirmed for weeks. */
  confirmGone: 100,
  /** Delivery attempts per webhook message. */
  maxAttempts: 100,
  /** Requests per hour per platform: a million is ~280 a second, far past any platform's tolerance. */
  budget: 1_000_000,
} as const;

/** `null`, `array`, or the `typeof` of a value, for messages. */
export function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'array';
  return typeof input;
}

/** A scalar as JSON, anything else by its type, for messages. */
export function show(input: unknown): string {
  if (typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean') {
    return JSON.stringify(input);
  }
  return describe(input);
}

/** Why reading a file failed, in a few words. */
export function reason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? err.message : String(err);
}

const DURATION_HINT = 'use a duration such as 500ms, 30s, 5m, 2h, 7d';

/** Unit words people write, by the unit a duration takes. */
const UNIT_WORDS: Readonly<Record<string, string>> = Object.fromEntries(
  (
    [
      ['ms', ['ms', 'msec', 'msecs', 'millisecond', 'milliseconds']],
      ['s', ['s', 'sec', 'secs', 'second', 'seconds']],
      ['m', ['m', 'min', 'mins', 'minute', 'minutes']],
      ['h', ['h', 'hr', 'hrs', 'hour', 'hours']],
      ['d', ['d', 'day', 'days']],
      ['w', ['w', 'wk', 'wks', 'week', 'weeks']],
    ] as const
  ).flatMap(([unit, words]) => words.map((w) => [w, unit])),
);

/**
 * The way to write a duration that was written as people write it (`90 min`, `15mins`, `2 hours`,
 * `1h 30m`, `1 hour and 30 minutes`), or null when it is not one: the refusal can then say what to
 * write instead. An upper-case `M` alone is left alone, since it may mean months.
 */
export function durationSpelling(input: string): string | null {
  const s = input.trim();
  if (!/^(?:\d+(?:\.\d+)?\s*[a-zA-Z]+[\s,]*(?:and\s+)?)+$/.test(s)) return null;
  let out = '';
  for (const m of s.matchAll(/(\d+(?:\.\d+)?)\s*([a-zA-Z]+)/g)) {
    const word = m[2] ?? '';
    if (word === 'M') return null;
    const unit = UNIT_WORDS[word.toLowerCase()];
    if (unit === undefined) return null;
    out += `${m[1] ?? ''}${unit}`;
  }
  return out !== s && parseDuration(out) !== null ? out : null;
}

/** ` (did you mean 90m?)` for a duration {@link durationSpelling} can respell, else nothing. */
export function durationSuggestion(input: unknown): string {
  const better = typeof input === 'string' ? durationSpelling(input) : null;
  return better === null ? '' : ` (did you mean ${better}?)`;
}

function maxText(max: number): string {
  return max === LIMITS.timerMs
    ? `${max} ms (about 24.8 days, the longest a timer can wait)`
    : `${Math.round(max / 86_400_000)}d`;
}

/**
 * A duration as ms, from a string for `parseDuration` (`500ms`, `30s`, `5m`, …). A bare number
 * other than 0 is refused: `minInterval: 2` reads as two seconds to most people and would be two
 * milliseconds, a politeness disaster, so the unit must be written.
 * @param max - @defaultValue {@link LIMITS.timerMs}
 */
export function duration(min: 'zero' | 'positive', max: number = LIMITS.timerMs) {
  return z
    .union([z.number(), z.string()], {
      error: (iss) =>
        iss.input === undefined
          ? 'required'
          : `expected a duration, received ${describe(iss.input)}: ${DURATION_HINT}`,
    })
    .transform((value, ctx) => {
      const fail = (message: string): never => {
        ctx.addIssue({ code: 'custom', input: value, message });
        return z.NEVER;
      };
      if (typeof value === 'number' && value !== 0) {
        return fail(
          Number.isFinite(value) && value > 0
            ? `a bare number has no unit: write ${value}s for seconds or ${value}ms for milliseconds`
            : `invalid duration ${show(value)}: ${DURATION_HINT}`,
        );
      }
      const ms = typeof value === 'number' ? 0 : parseDuration(value);
      if (ms === null || ms < 0)
        return fail(`invalid duration ${show(value)}${durationSuggestion(value)}: ${DURATION_HINT}`);
      if (min === 'positive' && ms === 0) return fail(`expected a duration > 0, received ${show(value)}`);
      if (ms > max) return fail(`expected a duration of at most ${maxText(max)}, received ${show(value)}`);
      return ms;
    });
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};
const SIZE_HINT = 'use a number of bytes or a size such as 500MB, 2GB, 10GiB';

/** A size in bytes: a number, or a string such as `500MB` or `10GiB` (decimal and binary units). */
export function byteSize() {
  return z
    .union([z.number(), z.string()], {
      error: (iss) => `expected a size, received ${describe(iss.input)}: ${SIZE_HINT}`,
    })
    .transform((value, ctx) => {
      let bytes: number | null = null;
      if (typeof value === 'number') bytes = Number.isFinite(value) ? Math.round(value) : null;
      else {
        const m = /^(\d+(?:\.\d+)?)\s*([a-z]+)?$/i.exec(value.trim());
        const unit = SIZE_UNITS[(m?.[2] ?? 'b').toLowerCase()];
        if (m && unit !== undefined) bytes = Math.round(Number(m[1]) * unit);
      }
      if (bytes === null || bytes <= 0) {
        ctx.addIssue({ code: 'custom', input: value, message: `invalid size ${show(value)}: ${SIZE_HINT}` });
        return z.NEVER;
      }
      return bytes;
    });
}

/**
 * A file path: a leading `~` or `~/` expanded to `home` ({@link expandHome}), then resolved
 * against `cwd`, or left relative when `cwd` is null (an executable looked up on the PATH).
 * `~alice/…` is refused with the field's path. `keep` is a value taken as it is (`:memory:`).
 */
export function filePath(home: string, cwd: string | null, keep?: string) {
  return z
    .string()
    .trim()
    .min(1)
    .transform((value, ctx) => {
      if (value === keep) return value;
      const expanded = expandHome(value, home);
      if (!expanded.ok) {
        ctx.addIssue({ code: 'custom', input: value, message: expanded.message });
        return z.NEVER;
      }
      return cwd === null ? expanded.path : path.resolve(cwd, expanded.path);
    });
}

/** A whole number from `min` to `max`. */
export function boundedInt(min: number, max: number) {
  return z.number().int().min(min).max(max);
}

/** Null when `value` is an http(s) URL with no query or fragment (a host's base URL), else why not. */
export function baseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `expected an http(s) base URL, received ${JSON.stringify(value)}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `expected an http(s) base URL, received ${JSON.stringify(value)}`;
  }
  if (url.search !== '' || url.hash !== '')
    return `a base URL takes no query or fragment: ${JSON.stringify(value)}`;
  return null;
}

/**
 * Null when `value` is an http(s) URL a webhook can be posted to, else why not. A query is kept
 * (receivers put tokens and options there); a fragment is refused because it is never sent.
 */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `expected an http(s) URL, received ${JSON.stringify(value)}`;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    return `expected an http(s) URL, received ${JSON.stringify(value)}`;
  }
  if (url.hash !== '') return 'a fragment (#…) is never sent to the receiver: leave it out';
  return null;
}

/**
 * Null when `value` is a usable `redis://` or `rediss://` URL, else why not. The host is required:
 * the client would otherwise connect to 127.0.0.1 without a word, which for `rediss://` means
 * a TLS deployment quietly talking to whatever listens locally.
 */
export function redisUrlProblem(value: string): string | null {
  const expected = `expected a redis://HOST[:PORT][/DB] or rediss://… URL, received ${JSON.stringify(value)}`;
  const noHost = /^(rediss?):\/\/(?:[^@/]*@)?(?:[/:]|$)/i.exec(value);
  if (noHost) {
    const scheme = (noHost[1] ?? 'redis').toLowerCase();
    return `${scheme}:// needs a host, e.g. ${scheme}://redis.example.org:6379`;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return expected;
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '') return expected;
  if (!/^\/?(\d+)?$/.test(url.pathname))
    return `the path is a database number (/0 to /15), received ${JSON.stringify(url.pathname)}`;
  return null;
}

/** A string that goes into a request header or a URL verbatim: one line, no control characters. */
export function oneLine(what: string) {
  return z
    .string()
    .trim()
    .min(1)
    .refine((s) => ![...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f), {
      error: `${what} must be one line without control characters`,
    });
}
