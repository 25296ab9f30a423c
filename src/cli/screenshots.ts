/**
 * The screenshot worker of a config (`evidence.screenshots`), composed for the process that owns
 * the database: embedded `run` and the distributed recorder role. One browser pool per process.
 */
import type { Logger } from 'pino';
import { BrowserPool } from '../browser/pool';
import type { BrowserCookie } from '../browser/remap';
import type { Config } from '../config/types';
import type { Clock } from '../domain/clock';
import type { Platform } from '../domain/glossary';
import { ScreenshotWorker, type PageOptions } from '../evidence/screenshot-worker';
import type { StoredCookie } from '../http/cookie-jar';
import { DEFAULT_WEIBO_USER_AGENT } from '../platforms/weibo/adapter';
import { ScreenshotStore } from '../store/screenshots';
import type { Store } from '../store/store';
import type { Platforms } from './compose';

/** Pages loaded at once: enough to keep two cores busy while pages wait on the network. */
const POOL_SIZE = 4;

/** A jar's cookie in the browser's shape. */
export function browserCookie(c: StoredCookie): BrowserCookie {
  return {
    name: c.name,
    value: c.value,
    domain: c.hostOnly ? c.domain : `.${c.domain}`,
    path: c.path,
    expires: c.expires === null ? -1 : Math.floor(c.expires / 1000),
    httpOnly: c.httpOnly,
    secure: c.secure,
  };
}

/** How each platform's pages are opened: m.weibo.cn is a phone site, NetEase's article a desktop page. */
export function pageOptions(config: Config): (platform: Platform) => PageOptions {
  return (platform) =>
    platform === 'weibo'
      ? {
          userAgent: config.platforms.weibo.userAgent ?? DEFAULT_WEIBO_USER_AGENT,
          viewport: { width: 390, height: 844 },
        }
      : { userAgent: config.platforms.netease.userAgent, viewport: { width: 1280, height: 900 } };
}

/** A running screenshot worker and how to stop it. */
export interface ScreenshotService {
  readonly worker: ScreenshotWorker;
  /** Runs rounds until `signal` aborts. */
  runUntil(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * The screenshot worker a config asks for, or null when `evidence.screenshots` is off. Pages are
 * loaded through the platforms' host remaps with the Weibo session's cookies.
 */
export function screenshotServiceFor(
  config: Config,
  store: Store,
  platforms: Pick<Platforms, 'weiboSession'>,
  clock: Clock,
  logger: Logger,
): ScreenshotService | null {
  if (!config.evidence.screenshots) return null;
  const pool = new BrowserPool({
    executablePath: config.browser.executablePath,
    headless: config.browser.headless,
    size: POOL_SIZE,
    hosts: { ...config.platforms.netease.hosts, ...config.platforms.weibo.hosts },
  });
  const screenshots = new ScreenshotStore(store);
  const limits = {
    perTarget: config.evidence.retention.screenshotsPerTarget,
    maxBytes: config.evidence.retention.maxBytes,
  };
  const log = logger.child({ module: 'screenshots' });
  const worker = new ScreenshotWorker({
    screenshots,
    shooter: pool,
    clock,
    logger,
    concurrency: POOL_SIZE,
    cookiesFor: (platform, url) =>
      platform === 'weibo' ? platforms.weiboSession.jar.cookiesFor(url).map(browserCookie) : [],
    pageFor: pageOptions(config),
    afterRound: () => {
      const r = screenshots.prune(limits);
      if (r.pruned > 0)
        log.info({ pruned: r.pruned, freed: r.freed }, 'screenshots pruned by evidence.retention');
      // Captures are never dropped: a limit below what they hold cannot be met by screenshots.
      if (r.overBy > 0)
        log.warn(
          { overBy: r.overBy, maxBytes: limits.maxBytes },
          'evidence over evidence.retention.maxBytes; only captures and protected screenshots are left',
        );
    },
  });
  return { worker, runUntil: (signal) => worker.runUntil(signal), close: () => pool.close() };
}
