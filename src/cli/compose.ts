import type { Logger } from 'pino';
import type { Config } from '../config/types';
import type { Clock } from '../domain/clock';
import type { Platform } from '../domain/glossary';
import { BrowserCookieSource } from '../browser/cookies';
import { CookieJar } from '../http/cookie-jar';
import { Fetcher, type FetcherOptions } from '../http/fetcher';
import type { PlatformAdapter } from '../platforms/platform';
import { DEFAULT_WEIBO_USER_AGENT, WeiboAdapter } from '../platforms/weibo/adapter';
import { WeiboSession } from '../platforms/weibo/session';
import { NeteaseAdapter } from '../platforms/netease/adapter';
import { BudgetGate } from '../engine/budget-gate';
import { Engine, type EngineDeps } from '../engine/engine';
import { LocalHostHealth } from '../engine/host-health';
import { InProcessPool } from '../engine/in-process-pool';
import { ResultRecorder } from '../engine/result-recorder';
import { Scheduler } from '../engine/scheduler';

/** The platform adapters and the HTTP client they share, built from config. */
export interface Platforms {
  readonly adapters: Readonly<Record<Platform, PlatformAdapter>>;
  readonly http: Fetcher;
  /** The Weibo session: its cookie jar, visitor refreshes and whether a login is needed. */
  readonly weiboSession: WeiboSession;
  close(): Promise<void>;
}

/**
 * Builds the HTTP client and the adapters for a config. `fetcher` overrides fetcher options; the
 * demo passes a `sleep` that returns at once, since on a simulated clock real waits mean nothing.
 */
export function createPlatforms(
  config: Config,
  clock: Clock,
  logger: Logger,
  fetcher: Partial<Omit<FetcherOptions, 'platforms' | 'logger'>> = {},
): Platforms {
  const weiboJar = new CookieJar({ clock });
  const http = new Fetcher({
    ...fetcher,
    jars: { ...fetcher.jars, weibo: weiboJar },
    platforms: config.platforms,
    logger,
    clock,
  });
  const ctx = { http, clock };
  const weiboSession = createWeiboSession(config, clock, logger, http, weiboJar);
  const adapters = {
    weibo: new WeiboAdapter(ctx, {
      userAgent: config.platforms.weibo.userAgent,
      session: weiboSession,
      timeline: config.platforms.weibo.timeline,
    }),
    netease: new NeteaseAdapter(ctx, { userAgent: config.platforms.netease.userAgent }),
  };
  return { adapters, http, weiboSession, close: () => http.close() };
}

/**
 * The Weibo session for a config: seeded from `platforms.weibo.cookie`, visitor cookies over
 * `http` (which must store cookies in `jar`), Chromium at `browser.executablePath` as the fallback.
 */
export function createWeiboSession(
  config: Config,
  clock: Clock,
  logger: Logger,
  http: Fetcher,
  jar: CookieJar,
): WeiboSession {
  const userAgent = config.platforms.weibo.userAgent ?? DEFAULT_WEIBO_USER_AGENT;
  return new WeiboSession({
    http,
    jar,
    clock,
    cookie: config.platforms.weibo.cookie,
    hosts: config.platforms.weibo.hosts,
    browser: new BrowserCookieSource({
      executablePath: config.browser.executablePath,
      headless: config.browser.headless,
      userAgent,
    }),
    userAgent,
    logger,
  });
}

/**
 * The embedded engine: the scheduler and recorder over one store, sharing host health kept in
 * this process and the request budget, and the in-process pool as the dispatcher. `run`, the demo, tests and benchmarks all
 * build it here.
 */
export function createEngine(deps: EngineDeps): Engine {
  const { config, store, clock, logger } = deps;
  const health = new LocalHostHealth((p) => config.platforms[p].backoff);
  // Admitted where work is taken, settled where its result is recorded: one gate for both here.
  const budget = new BudgetGate(config, store, clock.now());
  const scheduler = new Scheduler({
    config,
    store,
    clock,
    logger,
    health,
    budget,
    leaseMs: deps.leaseMs,
    leaseOwner: deps.leaseOwner,
  });
  const results = new ResultRecorder({
    config,
    store,
    clock,
    logger,
    health,
    budget,
    random: deps.random,
    onEvents: deps.onEvents,
    onResult: deps.onResult,
  });
  const dispatcher = new InProcessPool({
    scheduler,
    recorder: results,
    adapters: deps.adapters,
    clock,
    logger,
    concurrency: config.concurrency,
    retryAfter: config.schedule.confirmAfter,
  });
  return new Engine({ config, adapters: deps.adapters, clock, scheduler, results, dispatcher });
}
