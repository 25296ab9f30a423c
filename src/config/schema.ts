/**
 * The config contract in one file: every key with its default, unit and check, read top to bottom
 * (DESIGN.md "Config file"); its length is the number of keys, which is why it is not split.
 */
import { secretKey } from '../alerts/sign';
import { z } from 'zod';
import { EVENT_TYPES } from '../domain/glossary';
import type { Platform } from '../domain/glossary';
import { NETEASE_HOSTS } from '../platforms/netease/hosts';
import { parseNeteaseAccount, resolveNeteaseTarget } from '../platforms/netease/urls';
import { resolveWeiboTarget, resolveWeiboUid } from '../platforms/weibo/urls';
import { cadenceOptions } from '../domain/discovery-cadence';
import { formatDuration } from '../domain/duration';
import { defaultBudget } from '../engine/budget';
import { formatPath } from './errors';
import {
  baseUrlProblem,
  boundedInt,
  byteSize,
  describe,
  duration,
  filePath,
  LIMITS,
  oneLine,
  reason,
  redisUrlProblem,
  show,
  webhookUrlProblem,
} from './fields';
import type { ConfigIssue } from '../errors';
import type { Config } from './types';
import { WEIBO_HOSTS } from '../platforms/weibo/hosts';

/** Hosts the Weibo adapter talks to; the list lives with the platform. */
export { WEIBO_HOSTS };

export { NETEASE_HOSTS };

/** Known hosts per platform. */
export const KNOWN_HOSTS: Readonly<Record<Platform, readonly string[]>> = {
  weibo: WEIBO_HOSTS,
  netease: NETEASE_HOSTS,
};

/**
 * Every default, in one place, with its unit. Durations are written as in the config file and go
 * through the same parser as user values.
 */
export const DEFAULTS = {
  platforms: {
    /** `timeline`: which front end pages account timelines, `mobile` (m.weibo.cn) or `desktop` (weibo.com). */
    weibo: { minInterval: '2s', backoff: { base: '5s', max: '10m' }, timeout: '20s', timeline: 'mobile' },
    netease: { minInterval: '1s', backoff: { base: '5s', max: '10m' }, timeout: '20s' },
  },
  schedule: {
    discoverEvery: '2m',
    ladder: [
      '2m',
      '5m',
      '10m',
      '15m',
      '30m',
      '45m',
      '1h',
      '2h',
      '4h',
      '8h',
      '12h',
      '24h',
      '2d',
      '3d',
      '7d',
      '14d',
      '30d',
    ],
    confirmGone: 2,
    confirmAfter: '1m',
    /** Fraction of each interval. */
    jitter: 0.1,
    /** Listings stand in for direct checks late in a rung. */
    listingChecks: true,
  },
  watch: { searchType: 1, maxPages: 3, comments: false },
  webhook: { format: 'standard', timeout: '10s', maxAttempts: 8 },
  queue: { prefix: 'censorwatch' },
  /** Checks in flight at once in one process. */
  concurrency: 8,
  /** `executablePath` applies only when that file exists; otherwise null (Playwright's own lookup). */
  browser: { executablePath: '/usr/bin/chromium', headless: true },
  /** Screenshots need a browser; time-stamps need a TSA URL and are off without one. */
  evidence: { screenshots: false, timestampEvery: '1h' },
} as const;

/** What validation needs from the outside world: injected so tests and the demo control it. */
export interface ConfigEnvironment {
  /** Variables for webhook `secretEnv`. */
  readonly env: NodeJS.ProcessEnv;
  /** Base for relative paths (`database`, `cookieFile`, `secretFile`). */
  readonly cwd: string;
  /** What a leading `~` in those paths and in `browser.executablePath` stands for. */
  readonly home: string;
  /** Reads a UTF-8 file; throws when it cannot. */
  readFile(file: string): string;
  fileExists(file: string): boolean;
}

/** A valid config before it is frozen, without its `source`. */
export type ValidConfig = Omit<Config, 'source'>;

export type ValidationResult =
  { readonly ok: true; readonly value: ValidConfig } | { readonly ok: false; readonly issues: ConfigIssue[] };

const nonEmpty = z.string().trim().min(1);

/**
 * An id or URL entry. YAML reads a bare `4895123456789012` as a number; safe integers are kept
 * as their digits, larger ones have already lost digits and must be quoted.
 */
const idString = z
  .union([z.string().trim().min(1), z.number()], {
    error: (iss) => `expected a URL or an id (string or number), received ${describe(iss.input)}`,
  })
  .transform((value, ctx) => {
    if (typeof value === 'string') return value;
    if (Number.isSafeInteger(value) && value >= 0) return String(value);
    ctx.addIssue({
      code: 'custom',
      input: value,
      // Not "${value}" in quotes: that is the rounded number, and copying it would watch another post.
      message: `quote this id so every digit is kept: unquoted, YAML reads it as the number ${value}, which has lost digits`,
    });
    return z.NEVER;
  });

const strings = z.array(nonEmpty).prefault([]);
const ids = z.array(idString).prefault([]);

/**
 * Explicit posts or articles: each must be a URL or id the platform's parser resolves, checked
 * here so a bad one is reported with every other problem, not after the rest is fixed.
 */
function targets(platform: Platform, resolve: (input: string) => unknown) {
  return z
    .array(
      idString.refine((input) => resolve(input) !== null, {
        error: (iss) => `not a ${platform} URL or id: ${show(iss.input)}`,
      }),
    )
    .prefault([]);
}

function hostsSchema(platform: Platform) {
  const known = KNOWN_HOSTS[platform];
  return z
    .record(z.string(), z.unknown())
    .prefault({})
    .transform((given, ctx) => {
      // Every known host is present in the result, so a lookup never has to fall back.
      const hosts: Record<string, string> = Object.fromEntries(known.map((h) => [h, `https://${h}`]));
      for (const [host, base] of Object.entries(given)) {
        if (!known.includes(host)) {
          ctx.addIssue({
            code: 'custom',
            path: [host],
            input: host,
            message: `unknown ${platform} host (known: ${known.join(', ')})`,
          });
          continue;
        }
        const problem =
          typeof base === 'string' ? baseUrlProblem(base) : `expected string, received ${describe(base)}`;
        if (problem !== null) {
          ctx.addIssue({ code: 'custom', path: [host], input: base, message: problem });
          continue;
        }
        // Paths are appended to the base as-is, so a trailing slash would double up.
        hosts[host] = (base as string).replace(/\/+$/, '');
      }
      return hosts;
    });
}

function platformSchema(platform: Platform, io: ConfigEnvironment) {
  const d = DEFAULTS.platforms[platform];
  return z
    .strictObject({
      hosts: hostsSchema(platform),
      cookie: z.string().optional(),
      cookieFile: filePath(io.home, io.cwd).optional(),
      minInterval: duration('zero').prefault(d.minInterval),
      budget: boundedInt(1, LIMITS.budget).optional(),
      backoff: z
        .strictObject({
          base: duration('positive').prefault(d.backoff.base),
          max: duration('positive').prefault(d.backoff.max),
        })
        .prefault({})
        .transform((b, ctx) => {
          if (b.max < b.base) {
            ctx.addIssue({
              code: 'custom',
              path: ['max'],
              input: b.max,
              message: 'must be at least backoff.base',
            });
          }
          return b;
        }),
      timeout: duration('positive').prefault(d.timeout),
      proxies: z
        .array(
          z.string().refine((s) => /^(https?|socks[45]h?):\/\/[^\s]+$/.test(s), {
            error: (iss) => `expected an http(s) or socks proxy URL, received ${show(iss.input)}`,
          }),
        )
        .prefault([]),
      userAgent: oneLine('a User-Agent').nullable().prefault(null),
      timeline: z.enum(['mobile', 'desktop']).optional(),
    })
    .prefault({})
    .transform((p, ctx) => {
      if (platform !== 'weibo' && p.timeline !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['timeline'],
          input: p.timeline,
          message: 'only platforms.weibo has a timeline setting',
        });
      }
      let cookie = p.cookie ?? '';
      let cookieFile: string | null = null;
      if (p.cookie !== undefined && p.cookieFile !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['cookieFile'],
          input: p.cookieFile,
          message: 'give cookie or cookieFile, not both',
        });
      } else if (p.cookieFile !== undefined) {
        cookieFile = p.cookieFile;
        try {
          cookie = io.readFile(cookieFile).trim();
        } catch (err) {
          ctx.addIssue({
            code: 'custom',
            path: ['cookieFile'],
            input: p.cookieFile,
            message: `cannot read ${cookieFile}: ${reason(err)}`,
          });
        }
      }
      cookie = cookie.trim();
      // The cookie goes into a request header verbatim; a line break would split the request.
      if (/[\r\n]/.test(cookie)) {
        ctx.addIssue({
          code: 'custom',
          path: [cookieFile === null ? 'cookie' : 'cookieFile'],
          input: cookie,
          message: 'a cookie string must be one line',
        });
      }
      return {
        hosts: p.hosts,
        cookie,
        cookieFile,
        minInterval: p.minInterval,
        budget: p.budget ?? defaultBudget(p.minInterval),
        backoff: p.backoff,
        timeout: p.timeout,
        proxies: p.proxies,
        userAgent: p.userAgent,
        timeline: p.timeline ?? DEFAULTS.platforms.weibo.timeline,
      };
    });
}

const W = DEFAULTS.watch;
const maxPages = boundedInt(1, LIMITS.maxPages).prefault(W.maxPages);
const comments = z.boolean().prefault(W.comments);

const watchSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, {
      error: (iss) =>
        iss.input === undefined
          ? 'required'
          : `expected an id of ASCII letters A-Z a-z, digits 0-9, "-" and "_" only (no spaces or ` +
            `Chinese characters: put the topic's own words in name), received ${show(iss.input)}`,
    }),
    name: nonEmpty.optional(),
    weibo: z
      .strictObject({
        keywords: strings,
        accounts: ids,
        posts: targets('weibo', resolveWeiboTarget),
        searchType: z.literal([1, 60, 61]).prefault(W.searchType),
        maxPages,
        comments,
      })
      .prefault({}),
    netease: z
      .strictObject({
        keywords: strings,
        accounts: ids,
        articles: targets('netease', resolveNeteaseTarget),
        maxPages,
        comments,
      })
      .prefault({}),
  })
  .transform((w) => ({ ...w, name: w.name ?? w.id }));

function webhookSchema(io: ConfigEnvironment) {
  const d = DEFAULTS.webhook;
  return z
    .strictObject({
      name: nonEmpty,
      url: z.string().refine((s) => webhookUrlProblem(s) === null, {
        error: (iss) => webhookUrlProblem(String(iss.input)) ?? 'expected an http(s) URL',
      }),
      secret: nonEmpty.optional(),
      secretEnv: nonEmpty.optional(),
      secretFile: filePath(io.home, io.cwd).optional(),
      events: z.array(z.enum(EVENT_TYPES)).prefault([]),
      watches: z.array(nonEmpty).prefault([]),
      format: z.enum(['standard', 'slack']).prefault(d.format),
      digest: duration('positive').nullable().prefault(null),
      timeout: duration('positive').prefault(d.timeout),
      maxAttempts: boundedInt(1, LIMITS.maxAttempts).prefault(d.maxAttempts),
      unsigned: z.boolean().optional(),
    })
    .transform((h, ctx) => {
      const given = (['secret', 'secretEnv', 'secretFile'] as const).filter((k) => h[k] !== undefined);
      let secret: string | null = h.secret ?? null;
      // Unsigned deliveries can be forged by anyone who learns the URL: only on request.
      if (given.length === 0 && h.unsigned !== true) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          input: undefined,
          message:
            'no secret: give secretEnv, secretFile or secret (whsec_…), or unsigned: true to send deliveries without a signature',
        });
      } else if (given.length > 0 && h.unsigned === true) {
        ctx.addIssue({
          code: 'custom',
          path: ['unsigned'],
          input: true,
          message: `a webhook with a ${given[0] ?? 'secret'} is signed: drop unsigned: true or the secret`,
        });
      }
      if (given.length > 1) {
        ctx.addIssue({
          code: 'custom',
          path: [given[1] ?? 'secret'],
          input: undefined,
          message: 'give one of secret, secretEnv, secretFile',
        });
      } else if (h.secretEnv !== undefined) {
        secret = io.env[h.secretEnv]?.trim() || null;
        if (secret === null) {
          ctx.addIssue({
            code: 'custom',
            path: ['secretEnv'],
            input: h.secretEnv,
            message: `environment variable ${h.secretEnv} is not set`,
          });
        }
      } else if (h.secretFile !== undefined) {
        const file = h.secretFile;
        try {
          secret = io.readFile(file).trim() || null;
          if (secret === null)
            ctx.addIssue({
              code: 'custom',
              path: ['secretFile'],
              input: h.secretFile,
              message: `${file} is empty`,
            });
        } catch (err) {
          ctx.addIssue({
            code: 'custom',
            path: ['secretFile'],
            input: h.secretFile,
            message: `cannot read ${file}: ${reason(err)}`,
          });
        }
      }
      if (secret !== null) {
        try {
          secretKey(secret);
        } catch (err) {
          // The message names the problem, never the secret.
          ctx.addIssue({
            code: 'custom',
            path: [given[0] ?? 'secret'],
            input: undefined,
            message: reason(err),
          });
        }
      }
      return {
        name: h.name,
        url: h.url,
        secret,
        events: h.events,
        watches: h.watches,
        format: h.format,
        digest: h.digest,
        timeout: h.timeout,
        maxAttempts: h.maxAttempts,
      };
    });
}

/**
 * The zod schema for the config file. A factory because resolving `cookieFile`, `secretEnv` and
 * `secretFile` belongs to validation: a missing file is reported with every other problem.
 */
export function createConfigSchema(io: ConfigEnvironment) {
  const s = DEFAULTS.schedule;
  return z
    .strictObject({
      database: filePath(io.home, io.cwd, ':memory:'),
      platforms: z
        .strictObject({ weibo: platformSchema('weibo', io), netease: platformSchema('netease', io) })
        .prefault({}),
      schedule: z
        .strictObject({
          discoverEvery: duration('positive').prefault(s.discoverEvery),
          discoverMin: duration('positive').optional(),
          discoverMax: duration('positive').optional(),
          ladder: z
            .array(duration('positive', LIMITS.ladderRungMs))
            .min(1)
            .prefault([...s.ladder])
            .transform((ladder, ctx) => {
              // Dense early, sparse late: a shorter rung after a longer one is a slip (a swapped pair,
              // a missing unit), and would check old targets more often than new ones.
              ladder.forEach((ms, i) => {
                const before = ladder[i - 1];
                if (before !== undefined && ms < before)
                  ctx.addIssue({
                    code: 'custom',
                    path: [i],
                    input: ms,
                    message: `${formatDuration(ms)} is shorter than the rung before it (${formatDuration(before)}): the ladder goes from dense to sparse, each interval at least as long as the one before`,
                  });
              });
              return ladder;
            }),
          confirmGone: boundedInt(1, LIMITS.confirmGone).prefault(s.confirmGone),
          confirmAfter: duration('zero').prefault(s.confirmAfter),
          jitter: z.number().min(0).max(1).prefault(s.jitter),
          listingChecks: z.boolean().prefault(s.listingChecks),
        })
        .prefault({})
        .transform((sc, ctx) => {
          const { min: discoverMin, max: discoverMax } = cadenceOptions(sc);
          if (discoverMin > sc.discoverEvery)
            ctx.addIssue({
              code: 'custom',
              path: ['discoverMin'],
              input: sc.discoverMin,
              message: 'must be at most discoverEvery',
            });
          if (discoverMax < sc.discoverEvery)
            ctx.addIssue({
              code: 'custom',
              path: ['discoverMax'],
              input: sc.discoverMax,
              message: 'must be at least discoverEvery',
            });
          return { ...sc, discoverMin, discoverMax };
        }),
      watches: z.array(watchSchema).min(1),
      alerts: z.strictObject({ webhooks: z.array(webhookSchema(io)).prefault([]) }).prefault({}),
      queue: z
        .strictObject({
          redis: z
            .string()
            .refine((u) => redisUrlProblem(u) === null, {
              error: (iss) =>
                typeof iss.input === 'string'
                  ? (redisUrlProblem(iss.input) ?? '')
                  : `expected string, received ${describe(iss.input)}`,
            })
            .nullable()
            .prefault(null),
          prefix: nonEmpty.prefault(DEFAULTS.queue.prefix),
        })
        .prefault({}),
      concurrency: boundedInt(1, LIMITS.concurrency).prefault(DEFAULTS.concurrency),
      // Key of the keyed hash that replaces author ids and names in --pseudonymize output.
      privacy: z
        .strictObject({
          pseudonymKey: z
            .string()
            .min(16, { error: 'expected a secret of at least 16 characters' })
            .nullable()
            .prefault(null),
        })
        .prefault({}),
      evidence: z
        .strictObject({
          screenshots: z.boolean().prefault(DEFAULTS.evidence.screenshots),
          timestamp: z
            .strictObject({
              url: z.url({
                protocol: /^https?$/,
                error: 'expected an http(s) URL of an RFC 3161 time-stamp authority',
              }),
              every: duration('positive').prefault(DEFAULTS.evidence.timestampEvery),
            })
            .nullable()
            .prefault(null),
          retention: z
            .strictObject({
              // Two: a target's last alive and first gone screenshots are never dropped.
              screenshotsPerTarget: boundedInt(2, 1_000_000).nullable().prefault(null),
              maxBytes: byteSize().nullable().prefault(null),
            })
            .prefault({}),
        })
        .prefault({}),
      browser: z
        .strictObject({
          // Not resolved: a bare name (`chromium`) is looked up on the PATH.
          executablePath: filePath(io.home, null).nullable().optional(),
          headless: z.boolean().prefault(DEFAULTS.browser.headless),
        })
        .prefault({})
        .transform((b) => ({
          executablePath:
            b.executablePath !== undefined
              ? b.executablePath
              : io.fileExists(DEFAULTS.browser.executablePath)
                ? DEFAULTS.browser.executablePath
                : null,
          headless: b.headless,
        })),
    })
    .superRefine((c, ctx) => {
      // Screenshots are taken in Chromium: without one each would fail and be retried for nothing.
      if (c.evidence.screenshots && c.browser.executablePath === null)
        ctx.addIssue({
          code: 'custom',
          path: ['evidence', 'screenshots'],
          input: true,
          message: `needs Chromium: set browser.executablePath (there is none at ${DEFAULTS.browser.executablePath})`,
        });
    });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, sub));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

function didYouMean(key: string, known: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = k.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(key.length / 3))
    ? ` (did you mean "${best}"?)`
    : '';
}

/** Messages in the config's own words, for the issues that carry no custom message. */
function makeErrorMap(knownKeys: Map<string, readonly string[]>): z.core.$ZodErrorMap {
  return (iss) => {
    switch (iss.code) {
      case 'invalid_type':
        if (iss.input === undefined) return 'required';
        if (iss.expected === 'int') return `expected an integer, received ${show(iss.input)}`;
        return `expected ${iss.expected}, received ${describe(iss.input)}`;
      case 'invalid_value':
        return `expected one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}, received ${show(iss.input)}`;
      case 'too_small':
        if (iss.origin === 'array') return `expected at least ${String(iss.minimum)} item(s)`;
        if (iss.origin === 'string') return 'expected a non-empty string';
        return `expected a number ${iss.inclusive ? '>=' : '>'} ${String(iss.minimum)}, received ${show(iss.input)}`;
      case 'too_big':
        return `expected a number ${iss.inclusive ? '<=' : '<'} ${String(iss.maximum)}, received ${show(iss.input)}`;
      case 'unrecognized_keys': {
        const shape = (iss.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
        knownKeys.set(formatPath(iss.path ?? []), shape ? Object.keys(shape) : []);
        return 'unknown key';
      }
      default:
        return undefined;
    }
  };
}

/** A raw id entry as the schema reads it (YAML gives a bare mid as a number). */
function rawId(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
}

/** What an entry of each list of a watch is, for telling two entries apart: null for a bad one. */
const ENTRY_KEYS: readonly {
  readonly platform: Platform;
  readonly list: string;
  readonly noun: string;
  readonly key: (value: unknown) => string | null;
  /** How the key is shown when two differently written entries turn out the same. */
  readonly shown?: (key: string) => string;
}[] = [
  {
    platform: 'weibo',
    list: 'keywords',
    noun: 'keyword',
    // Searches that differ only in spacing find the same posts.
    key: (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().replace(/\s+/g, ' ') : null),
  },
  {
    platform: 'weibo',
    list: 'accounts',
    noun: 'account',
    key: (v) => {
      const s = rawId(v);
      return s === null ? null : (resolveWeiboUid(s) ?? s);
    },
    shown: (k) => `uid ${k}`,
  },
  {
    platform: 'weibo',
    list: 'posts',
    noun: 'post',
    key: (v) => {
      const s = rawId(v);
      return s === null ? null : (resolveWeiboTarget(s)?.id ?? null);
    },
    shown: (k) => `mid ${k}`,
  },
  {
    platform: 'netease',
    list: 'keywords',
    noun: 'keyword',
    key: (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().replace(/\s+/g, ' ') : null),
  },
  {
    platform: 'netease',
    list: 'accounts',
    noun: 'account',
    key: (v) => {
      const s = rawId(v);
      if (s === null) return null;
      const a = parseNeteaseAccount(s);
      return a.kind === 'tid'
        ? a.tid
        : a.kind === 'wemedia'
          ? a.wemediaId
          : a.kind === 'article'
            ? `article ${a.docid}`
            : a.name;
    },
  },
  {
    platform: 'netease',
    list: 'articles',
    noun: 'article',
    key: (v) => {
      const s = rawId(v);
      return s === null ? null : (resolveNeteaseTarget(s)?.id ?? null);
    },
    shown: (k) => `DOCID ${k}`,
  },
];

/**
 * The same keyword, account or post twice in one watch: almost always a paste twice, or one post
 * given as a URL and as its mid, which would be one target counted as two entries of the watch.
 * The same entry in two watches is fine (a target belongs to each watch that names it).
 */
function duplicateEntries(w: Record<string, unknown>, i: number): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const { platform, list, noun, key, shown } of ENTRY_KEYS) {
    const section = w[platform];
    if (!isRecord(section) || !Array.isArray(section[list])) continue;
    const first = new Map<string, number>();
    (section[list] as unknown[]).forEach((value, j) => {
      const k = key(value);
      if (k === null) return;
      const at = first.get(k);
      if (at === undefined) return void first.set(k, j);
      const base = `watches[${i}].${platform}.${list}`;
      const same = rawId((section[list] as unknown[])[at]) === rawId(value);
      issues.push({
        path: `${base}[${j}]`,
        message: `same ${noun} as ${base}[${at}]${same || !shown ? '' : ` (both are ${shown(k)})`}; remove one`,
      });
    });
  }
  return issues;
}

/** Problems that span entries, found on the raw data so they are reported alongside the rest. */
function crossIssues(raw: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (!isRecord(raw) || !Array.isArray(raw.watches)) return issues;
  const firstIndex = new Map<string, number>();
  raw.watches.forEach((w: unknown, i) => {
    if (!isRecord(w)) return;
    if (typeof w.id === 'string') {
      const first = firstIndex.get(w.id);
      if (first === undefined) firstIndex.set(w.id, i);
      else
        issues.push({
          path: `watches[${i}].id`,
          message: `duplicate watch id ${JSON.stringify(w.id)} (also watches[${first}])`,
        });
    }
    issues.push(...duplicateEntries(w, i));
    const lists: [string, string][] = [
      ['weibo', 'keywords'],
      ['weibo', 'accounts'],
      ['weibo', 'posts'],
      ['netease', 'keywords'],
      ['netease', 'accounts'],
      ['netease', 'articles'],
    ];
    let entries = 0;
    let malformed = false;
    for (const [platform, key] of lists) {
      const section = w[platform];
      if (section === undefined) continue;
      if (!isRecord(section)) malformed = true;
      else if (Array.isArray(section[key])) entries += section[key].length;
      else if (section[key] !== undefined) malformed = true;
    }
    // A malformed list has its own issue; claiming "nothing to watch" on top would mislead.
    if (entries === 0 && !malformed) {
      issues.push({
        path: `watches[${i}]`,
        message: `nothing to watch: give ${lists.map(([p, k]) => `${p}.${k}`).join(', ')} (at least one)`,
      });
    }
  });
  const webhooks = isRecord(raw.alerts) && Array.isArray(raw.alerts.webhooks) ? raw.alerts.webhooks : [];
  const names = new Map<string, number>();
  webhooks.forEach((h: unknown, i) => {
    if (!isRecord(h)) return;
    if (typeof h.name === 'string') {
      const first = names.get(h.name);
      if (first === undefined) names.set(h.name, i);
      else
        issues.push({
          path: `alerts.webhooks[${i}].name`,
          message: `duplicate webhook name ${JSON.stringify(h.name)} (also alerts.webhooks[${first}])`,
        });
    }
    if (!Array.isArray(h.watches)) return;
    h.watches.forEach((id: unknown, j) => {
      if (typeof id === 'string' && !firstIndex.has(id)) {
        const known = [...firstIndex.keys()].join(', ');
        issues.push({
          path: `alerts.webhooks[${i}].watches[${j}]`,
          message: `unknown watch id ${JSON.stringify(id)} (known: ${known})`,
        });
      }
    });
  });
  return issues;
}

/**
 * Validates already-parsed config data, collecting every problem. Paths are in `a.b[2].c` form;
 * an unknown key is reported at its own path with the nearest known key as a hint.
 */
export function validateConfig(raw: unknown, io: ConfigEnvironment): ValidationResult {
  const knownKeys = new Map<string, readonly string[]>();
  const result = createConfigSchema(io).safeParse(raw, { error: makeErrorMap(knownKeys), reportInput: true });
  const issues: ConfigIssue[] = [];
  if (!result.success) {
    // zod goes on checking a value of the wrong type (`database: []` is also "too short"): the
    // type is the whole story, so other issues at that path are dropped.
    const wrongType = new Set(
      result.error.issues.filter((i) => i.code === 'invalid_type').map((i) => formatPath(i.path)),
    );
    for (const iss of result.error.issues) {
      if (iss.code !== 'invalid_type' && wrongType.has(formatPath(iss.path))) continue;
      if (iss.code === 'unrecognized_keys') {
        const known = knownKeys.get(formatPath(iss.path)) ?? [];
        for (const key of iss.keys) {
          issues.push({
            path: formatPath([...iss.path, key]),
            message: `unknown key${didYouMean(key, known)}`,
          });
        }
      } else {
        issues.push({ path: formatPath(iss.path), message: iss.message });
      }
    }
  }
  issues.push(...crossIssues(raw));
  if (issues.length > 0 || !result.success) return { ok: false, issues };
  return { ok: true, value: result.data };
}
