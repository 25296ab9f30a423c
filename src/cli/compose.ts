import type { Logger } from 'pino';
import type { Config } from '../config/types';
import type { Clock } from '../domain/clock';
import type { Platform } from '../domain/glossary';
import { Fetcher, type FetcherOptions } from '../http/fetcher';
import type { PlatformAdapter } from '../platforms/platform';
import { WeiboAdapter } from '../platforms/weibo/adapter';
import { NeteaseAdapter } from '../platforms/netease/adapter';

/** The platform adapters and the HTTP client they share, built from config. */
export interface Platforms {
  readonly adapters: Readonly<Record<Platform, PlatformAdapter>>;
  readonly http: Fetcher;
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
  const http = new Fetcher({ ...fetcher, platforms: config.platforms, logger });
  const ctx = { http, clock };
  const adapters = {
    weibo: new WeiboAdapter(ctx, {
      cookie: config.platforms.weibo.cookie,
      userAgent: config.platforms.weibo.userAgent,
    }),
    netease: new NeteaseAdapter(ctx, { userAgent: config.platforms.netease.userAgent }),
  };
  return { adapters, http, close: () => http.close() };
}
