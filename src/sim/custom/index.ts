/**
 * A simulated world built from a researcher's own config, for `demo --config`: posts for each
 * watched keyword and account on both platforms and every explicit post or article, which go,
 * are edited or stay in the proportions of {@link ./fates}. Plain scenario data; the simulator
 * serves it like any other scenario, so the crawler meets these watches exactly as it would meet
 * the real platforms, and what cannot be simulated (a Weibo account given by screen name) shows
 * up as the same watch problem it would be live.
 */
import type { Config } from '../../config/types';
import { parseNeteaseAccount, resolveNeteaseTarget } from '../../platforms/netease/urls';
import { resolveWeiboTarget, resolveWeiboUid } from '../../platforms/weibo/urls';
import { createRng, type Scenario } from '../index';
import { watchRole, type WatchRole } from './fates';
import { buildNeteasePart, type NeteaseWants } from './netease';
import { buildWeiboPart, type WeiboWants } from './weibo';

export { watchRole, fateCounts, type WatchRole, type FateCounts } from './fates';
export { listSize, midTime } from './weibo';

/** Options of {@link buildCustomWorld}. */
export interface CustomWorldOptions {
  /** Epoch ms the run starts at. */
  readonly start: number;
  /** Length of the run, ms. */
  readonly duration: number;
  /** The same seed and config give the same world. @defaultValue 1 */
  readonly seed?: number;
}

/** A world and what in the config it could not give posts to, one sentence each. */
export interface CustomWorld {
  readonly scenario: Scenario;
  readonly notes: readonly string[];
}

const ms = (n: number): string => `${n}ms`;

/** Builds the world a config's watches are tried against. */
export function buildCustomWorld(config: Config, o: CustomWorldOptions): CustomWorld {
  const seed = o.seed ?? 1;
  const span = { start: o.start, end: o.start + o.duration };
  const notes: string[] = [];
  const weibo = { keywords: new Map(), accounts: new Map(), posts: new Map() } as {
    [K in keyof WeiboWants]: Map<string, WeiboWants[K][number]>;
  };
  const netease = { keywords: new Map(), accounts: new Map(), articles: new Map() } as {
    [K in keyof NeteaseWants]: Map<string, NeteaseWants[K][number]>;
  };
  const add = <T>(m: Map<string, T>, key: string, value: T): void => {
    if (!m.has(key)) m.set(key, value);
  };
  for (const [i, w] of config.watches.entries()) {
    const role: WatchRole = watchRole(w);
    const wc = w.weibo.comments;
    for (const keyword of w.weibo.keywords) add(weibo.keywords, keyword, { keyword, role, comments: wc });
    for (const input of w.weibo.accounts) {
      const uid = resolveWeiboUid(input);
      if (uid) add(weibo.accounts, uid, { uid, role, comments: wc });
      else
        notes.push(
          `watches[${i}].weibo.accounts: "${input}" is not a uid or profile URL, so the world has no timeline for it (screen names are not resolved)`,
        );
    }
    for (const input of w.weibo.posts) {
      const mid = resolveWeiboTarget(input)?.id;
      if (mid && /^\d{16}$/.test(mid) && Number(mid) <= Number.MAX_SAFE_INTEGER)
        add(weibo.posts, mid, { mid, role, comments: wc });
      else notes.push(`watches[${i}].weibo.posts: "${input}" has no post in the world (not a 16-digit mid)`);
    }
    const nc = w.netease.comments;
    for (const keyword of w.netease.keywords) add(netease.keywords, keyword, { keyword, role, comments: nc });
    for (const input of w.netease.accounts) {
      const ref = parseNeteaseAccount(input);
      add(netease.accounts, JSON.stringify(ref), { ref, role, comments: nc });
    }
    for (const input of w.netease.articles) {
      const docid = resolveNeteaseTarget(input)?.id;
      if (!docid) continue; // the config loader has already refused it
      const channel =
        /\/\/(?:www\.)?163\.com\/([a-z0-9]+)\/article\//i.exec(input)?.[1]?.toLowerCase() ?? 'news';
      add(netease.articles, docid, { docid, channel, role, comments: nc });
    }
  }
  // One PRNG per platform, so adding a NetEase watch leaves a config's Weibo world as it was.
  const weiboPart = buildWeiboPart(
    {
      keywords: [...weibo.keywords.values()],
      accounts: [...weibo.accounts.values()],
      posts: [...weibo.posts.values()],
    },
    createRng(seed),
    span,
  );
  const neteasePart = buildNeteasePart(
    {
      keywords: [...netease.keywords.values()],
      accounts: [...netease.accounts.values()],
      articles: [...netease.articles.values()],
    },
    createRng(seed ^ 0x163163),
    span,
  );
  const s = config.schedule;
  const p = config.platforms.weibo;
  const scenario: Scenario = {
    name: 'custom',
    start: o.start,
    duration: o.duration,
    weibo: weiboPart,
    netease: neteasePart,
    watches: config.watches.map((w) => ({
      id: w.id,
      name: w.name,
      keywords: [...w.weibo.keywords],
      accounts: w.weibo.accounts.map((a) => resolveWeiboUid(a) ?? a),
      netease: { keywords: [...w.netease.keywords], accounts: [...w.netease.accounts] },
      comments: w.weibo.comments || w.netease.comments,
    })),
    timing: {
      discoverEvery: ms(s.discoverEvery),
      ladder: s.ladder.map(ms),
      confirmGone: s.confirmGone,
      confirmAfter: ms(s.confirmAfter),
      minInterval: ms(p.minInterval),
      backoffBase: ms(p.backoff.base),
      backoffMax: ms(p.backoff.max),
    },
  };
  return { scenario, notes };
}
