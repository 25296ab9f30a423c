import { WEIBO_CORPUS as W } from './corpus';
import { makeMidFactory, makeUidFactory } from './ids';
import { buildQuick } from './quick';
import { createRng } from './rng';
import { SECOND } from './time';
import { weatherText } from './weibo-posts';
import { ODDITY_KINDS, type Scenario, type SimAccount, type SimPost } from './types';

/** Keyword of the posts whose direct checks get odd answers in the `quick-odd` scenario. */
export const QUICK_ODD_KEYWORD = 'quick-odd';
/** When the `quick-odd` oddities begin, after the start: the posts are first seen alive before it. */
export const QUICK_ODD_FROM = 3_000;
/** Posts of the `quick-odd` account whose timeline pages by number. */
export const QUICK_ODD_PAGED_POSTS = 23;
/**
 * `quick` plus the answers that say nothing about a post: one alive post per {@link ODDITY_KINDS}
 * entry whose direct checks get that answer from {@link QUICK_ODD_FROM} on, found by the
 * {@link QUICK_ODD_KEYWORD} search; and an account whose timeline pages by number
 * (`cardlistInfo.page`, no since_id) with {@link QUICK_ODD_PAGED_POSTS} posts, three pages.
 * Nothing new ever goes, so the crawler must end with all of them alive.
 */
export function buildQuickOdd(start: number, seed: number): Scenario {
  const base = buildQuick(start, seed);
  const rng = createRng(seed ^ 0x0dd0dd);
  const usedMids = new Set(base.weibo.posts.map((p) => p.mid));
  const usedUids = new Set(base.weibo.accounts.map((a) => a.uid));
  const midOf = makeMidFactory(rng);
  const uidOf = makeUidFactory(rng);
  const freshMid = (at: number): string => {
    for (;;) {
      const mid = midOf(at);
      if (!usedMids.has(mid)) return mid;
    }
  };
  const freshUid = (): string => {
    for (;;) {
      const uid = uidOf();
      if (!usedUids.has(uid)) return uid;
    }
  };
  const s = (sec: number): number => start + Math.round(sec * SECOND);
  const odd: SimAccount = { uid: freshUid(), name: '奇怪的页面' };
  const paged: SimAccount = { uid: freshUid(), name: '翻页测试号', timelinePaging: 'page' };
  const oddPosts: SimPost[] = ODDITY_KINDS.map((kind, i) => ({
    mid: freshMid(s(0.2 + i * 0.1)),
    uid: odd.uid,
    text: `【${QUICK_ODD_KEYWORD}】${rng.pick(W.topicBodies['A/77/L.65'])}（${kind}）`,
    keywords: [QUICK_ODD_KEYWORD],
    createdAt: s(0.2 + i * 0.1),
    oddities: [{ kind, from: start + QUICK_ODD_FROM }],
  }));
  const pagedPosts: SimPost[] = Array.from({ length: QUICK_ODD_PAGED_POSTS }, (_, i) => ({
    mid: freshMid(s(0.05 + i * 0.02)),
    uid: paged.uid,
    text: `${weatherText(rng)}（第${i + 1}条）`,
    keywords: [],
    createdAt: s(0.05 + i * 0.02),
  }));
  return {
    ...base,
    name: 'quick-odd',
    // Its odd answers come from the direct endpoints, so every check goes there: a listing that
    // shows an odd post alive must not stand in for the check that meets the oddity.
    timing: { ...base.timing, listingChecks: false },
    weibo: {
      ...base.weibo,
      accounts: [...base.weibo.accounts, odd, paged],
      posts: [...base.weibo.posts, ...oddPosts, ...pagedPosts].sort((x, y) => x.createdAt - y.createdAt),
    },
    watches: [
      ...base.watches,
      {
        id: 'quick-odd',
        name: 'Odd answers and numbered timelines',
        keywords: [QUICK_ODD_KEYWORD],
        accounts: [paged.uid],
      },
    ],
  };
}
