import type { Platform } from '../domain/glossary';

/** Settings for one platform, durations in milliseconds. */
export interface PlatformConfig {
  /** Real host → base URL it is served from (e.g. `"m.weibo.cn": "http://127.0.0.1:8081"`). */
  readonly hosts: Readonly<Record<string, string>>;
  /** Logged-in cookie string, from `cookie` or read from `cookieFile`; empty when none. */
  readonly cookie: string;
  readonly cookieFile: string | null;
  /** Minimum time between two requests to one host. @defaultValue 2s (weibo), 1s (netease) */
  readonly minInterval: number;
  /**
   * Most requests per hour to the platform, shared by discovery, confirmations and re-checks by
   * priority (src/engine/budget.ts); null is unlimited. @defaultValue what `minInterval` allows one
   * host in an hour (1,800 at 2s), unlimited when `minInterval` is 0
   */
  readonly budget: number | null;
  /** Per-host backoff after rate limits. @defaultValue base 5s, max 10m */
  readonly backoff: { readonly base: number; readonly max: number };
  /** Request timeout. @defaultValue 20s */
  readonly timeout: number;
  /** Proxy URLs used round-robin; empty for direct. */
  readonly proxies: readonly string[];
  /** User-Agent override; null keeps the adapter's own. */
  readonly userAgent: string | null;
  /**
   * Weibo only: account timelines are paged through m.weibo.cn getIndex `107603<uid>` (`mobile`)
   * or weibo.com `ajax/statuses/mymblog` (`desktop`). Always `mobile` for NetEase, which has no
   * such choice. @defaultValue 'mobile'
   */
  readonly timeline: 'mobile' | 'desktop';
}

export interface WeiboWatchConfig {
  readonly keywords: readonly string[];
  readonly accounts: readonly string[];
  /** URLs or bare mid/bid. */
  readonly posts: readonly string[];
  /** 1 综合, 61 实时, 60 热门. @defaultValue 1 */
  readonly searchType: 1 | 60 | 61;
  /** Pages per keyword or account per discovery round. @defaultValue 3 */
  readonly maxPages: number;
  /** Track comment threads of this watch's posts. @defaultValue false */
  readonly comments: boolean;
}

export interface NeteaseWatchConfig {
  readonly keywords: readonly string[];
  readonly accounts: readonly string[];
  /** Article URLs or bare DOCIDs. */
  readonly articles: readonly string[];
  /** @defaultValue 3 */
  readonly maxPages: number;
  /** @defaultValue false */
  readonly comments: boolean;
}

export interface WatchConfig {
  readonly id: string;
  readonly name: string;
  readonly weibo: WeiboWatchConfig;
  readonly netease: NeteaseWatchConfig;
}

export interface ScheduleConfig {
  /**
   * How often a keyword or account is polled at first; each then adapts between `discoverMin` and
   * `discoverMax` to how often its rounds find new posts (src/domain/discovery-cadence.ts).
   * @defaultValue 2m (chosen by bench/capture.ts)
   */
  readonly discoverEvery: number;
  /**
   * Shortest interval between a source's rounds; always set by the loader, absent only in
   * hand-built schedules. @defaultValue half of `discoverEvery`
   */
  readonly discoverMin?: number;
  /** Longest interval between a source's rounds (as `discoverMin`). @defaultValue 5 × `discoverEvery` */
  readonly discoverMax?: number;
  /** Re-check intervals by target age; after the last, checks go on at the last interval. */
  readonly ladder: readonly number[];
  /**
   * A listing that shows a target alive late in its next check's rung stands in for that check
   * (src/domain/sighting.ts); false checks every rung directly. Always set by the loader.
   * @defaultValue true
   */
  readonly listingChecks?: boolean;
  /** Consecutive final outcomes needed for `gone`. @defaultValue 2 */
  readonly confirmGone: number;
  /** Minimum time between those observations. @defaultValue 1m */
  readonly confirmAfter: number;
  /** Random spread of each check time, as a fraction of its interval. @defaultValue 0.1 */
  readonly jitter: number;
}

export interface WebhookConfig {
  readonly name: string;
  readonly url: string;
  /** The `whsec_…` secret, resolved from `secretEnv` or `secretFile`; null only with `unsigned: true`. */
  readonly secret: string | null;
  /** Event types wanted; empty for all. */
  readonly events: readonly string[];
  /** Watch ids wanted; empty for all. */
  readonly watches: readonly string[];
  readonly format: 'standard' | 'slack';
  /** Batch events per interval (ms); null sends each at once. */
  readonly digest: number | null;
  /** @defaultValue 10s */
  readonly timeout: number;
  /** @defaultValue 8 */
  readonly maxAttempts: number;
}

export interface Config {
  /** Path of the config file it came from (absolute), or `<embedded>`. */
  readonly source: string;
  /** SQLite file, relative paths resolved against the working directory. */
  readonly database: string;
  readonly platforms: Readonly<Record<Platform, PlatformConfig>>;
  readonly schedule: ScheduleConfig;
  readonly watches: readonly WatchConfig[];
  readonly alerts: { readonly webhooks: readonly WebhookConfig[] };
  /** `redis` null means embedded mode. */
  readonly queue: { readonly redis: string | null; readonly prefix: string };
  /** Checks in flight at once in one process. @defaultValue 8 */
  readonly concurrency: number;
  readonly browser: { readonly executablePath: string | null; readonly headless: boolean };
  /**
   * `screenshots`: take them on a target's first capture, each edit and its first gone observation
   * (needs a browser). `timestamp`: RFC 3161 time-stamping of the log's head, null when off.
   * `retention`: screenshots kept per target, and bytes of stored evidence (bodies, captures and
   * screenshots, as stored) past which the oldest screenshots go; a target's last alive and first
   * gone screenshots are never dropped. Null: no limit.
   */
  readonly evidence: {
    readonly screenshots: boolean;
    readonly timestamp: { readonly url: string; readonly every: number } | null;
    readonly retention: {
      readonly screenshotsPerTarget: number | null;
      readonly maxBytes: number | null;
    };
  };
  /**
   * `pseudonymKey`: the HMAC-SHA256 key that replaces author ids and names in `--pseudonymize`
   * exports and reports (`CENSORWATCH_PSEUDONYM_KEY` takes precedence). @defaultValue null
   */
  readonly privacy: { readonly pseudonymKey: string | null };
}
