import { existsSync } from 'node:fs';
import { BrowserCookieSource, type CookieSource } from '../../../src/browser/cookies';
import { ManualClock } from '../../../src/domain/clock';
import type { TargetRef } from '../../../src/domain/glossary';
import { CookieJar } from '../../../src/http/cookie-jar';
import { Fetcher, type FetcherPlatformConfig } from '../../../src/http/fetcher';
import { DEFAULT_WEIBO_USER_AGENT, WeiboAdapter } from '../../../src/platforms/weibo/adapter';
import { WeiboSession } from '../../../src/platforms/weibo/session';
import { buildScenario, Simulator } from '../../../src/sim';
import type { Scenario, SimPost } from '../../../src/sim';
import type { SimSessionMode } from '../../../src/sim/weibo/session';

/** Debian's Chromium, which `.ci/run` installs; the browser tests need it. */
export const CHROMIUM = '/usr/bin/chromium';

/** A fixed start so the quick scenario's posts exist and are alive. */
export const START = Date.UTC(2024, 0, 10, 2, 0, 0);

/** The simulator on 127.0.0.1 port 0 with the Weibo hosts mapped onto it. */
export interface SimHarness {
  readonly sim: Simulator;
  readonly clock: ManualClock;
  readonly scenario: Scenario;
  readonly base: string;
  readonly hosts: Record<string, string>;
}

export async function startSim(session: SimSessionMode): Promise<SimHarness> {
  const scenario = buildScenario('quick', { start: START, seed: 11 });
  const clock = new ManualClock(START);
  const sim = new Simulator({ clock, scenario, session });
  const base = await sim.start(0);
  // Past every post's creation, before any fate: the quick scenario plays out over seconds.
  clock.advanceTo(START + 3_500);
  return {
    sim,
    clock,
    scenario,
    base,
    hosts: { 'm.weibo.cn': base, 'weibo.com': base, 'passport.weibo.com': base },
  };
}

/** Fetcher platform config pointing Weibo at the simulator, no politeness wait. */
export function platformsFor(
  hosts: Record<string, string>,
  minInterval = 0,
): Record<'weibo' | 'netease', FetcherPlatformConfig> {
  const base: FetcherPlatformConfig = {
    hosts: {},
    minInterval: 0,
    timeout: 10_000,
    proxies: [],
    userAgent: null,
  };
  return { weibo: { ...base, hosts, minInterval }, netease: base };
}

/** The real Fetcher with a Weibo jar, a session and an adapter, wired as compose does. */
export interface Client {
  readonly fetcher: Fetcher;
  readonly jar: CookieJar;
  readonly session: WeiboSession;
  readonly adapter: WeiboAdapter;
}

export function client(
  h: SimHarness,
  opts: { cookie?: string; browser?: CookieSource | null; refreshCooldown?: number } = {},
): Client {
  const jar = new CookieJar({ clock: h.clock });
  const fetcher = new Fetcher({ platforms: platformsFor(h.hosts), jars: { weibo: jar } });
  const session = new WeiboSession({
    http: fetcher,
    jar,
    clock: h.clock,
    hosts: h.hosts,
    userAgent: DEFAULT_WEIBO_USER_AGENT,
    ...(opts.cookie !== undefined ? { cookie: opts.cookie } : {}),
    ...(opts.browser !== undefined ? { browser: opts.browser } : {}),
    ...(opts.refreshCooldown !== undefined ? { refreshCooldown: opts.refreshCooldown } : {}),
  });
  const adapter = new WeiboAdapter({ http: fetcher, clock: h.clock }, { session });
  return { fetcher, jar, session, adapter };
}

/** Chromium from Debian, failing loudly (not skipping) when it is missing. */
export function chromiumSource(): BrowserCookieSource {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (as .ci/run does) to run the browser tests`,
    );
  }
  return new BrowserCookieSource({ executablePath: CHROMIUM, headless: true, settle: 2_000 });
}

/** Alive, plain posts of the scenario (no fate, no repost, no long text), as post targets. */
export function alivePosts(s: Scenario, n: number): TargetRef[] {
  const banned = new Set(
    s.weibo.accounts.filter((a) => a.banAt !== undefined || a.closeAt !== undefined).map((a) => a.uid),
  );
  const posts = s.weibo.posts.filter(
    (p: SimPost) =>
      p.fate === undefined &&
      p.repostOf === undefined &&
      !p.isLongText &&
      !banned.has(p.uid) &&
      p.createdAt <= START + 3_000,
  );
  if (posts.length < n) throw new Error(`the scenario has only ${posts.length} alive posts`);
  return posts.slice(0, n).map((p) => ({ platform: 'weibo', kind: 'post', id: p.mid }));
}
