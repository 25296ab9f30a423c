import { NETEASE_CORPUS as N, paragraphsFor, WEIBO_CORPUS as W } from './corpus';
import { makeDocidFactory, makeMidFactory, makeUidFactory } from './ids';
import { createRng, type Rng } from './rng';
import { SECOND } from './time';
import { weatherText, type MutablePost } from './weibo-posts';
import type { SimNetease, SimNeteaseAccount, SimNeteaseArticle } from './netease-types';
import type { Scenario, SimAccount } from './types';

/**
 * The `quick` scenario: the same kinds of events as `un-vote` within 15 seconds, in a fixed structure
 * tests can count on (the seed varies texts, names and jitter only).
 */

/** Keywords of the `quick` scenario. */
export const QUICK_KEYWORDS = { topic: 'quick-topic', baseline: 'quick-baseline' } as const;

/** Builds `quick` from its start (epoch ms) and PRNG seed. */
export function buildQuick(start: number, seed: number): Scenario {
  const rng = createRng(seed);
  const newMid = makeMidFactory(rng);
  const newUid = makeUidFactory(rng);
  const names = rng.shuffle(W.screenNames).slice(0, 6);
  const accounts: SimAccount[] = names.map((name) => ({ uid: newUid(), name }));
  const banned = { ...accounts[5]!, banAt: start + 8 * SECOND };
  accounts[5] = banned;
  const normal = accounts.slice(0, 5);
  const s = (sec: number): number => start + Math.round(sec * SECOND);
  const jitter = (): number => rng.int(0, 400) / 1000;
  const { topic: T, baseline: B } = QUICK_KEYWORDS;

  const topicText = (i: number): string =>
    `【${T}】${rng.pick(W.topicBodies['联合国 欧洲委员会 决议'])}（${i + 1}）`;
  const baseText = (i: number): string => `【${B}】${weatherText(rng)}（${i + 1}）`;
  const mk = (
    uid: string,
    text: string,
    kw: string,
    at: number,
    extra: Partial<MutablePost> = {},
  ): MutablePost => ({
    mid: '',
    uid,
    text,
    keywords: [kw],
    createdAt: at,
    ...extra,
  });
  const author = (i: number): string => normal[i % normal.length]!.uid;

  // Fixed structure (so tests can count on it); the seed varies texts, authors' names and jitter.
  const t: MutablePost[] = [
    mk(author(0), topicText(0), T, s(0.1 + jitter()), {
      fate: { at: s(5), cause: 'removed_by_platform', reveal: 'message' },
    }),
    mk(author(1), topicText(1), T, s(0.3 + jitter()), {
      fate: { at: s(7), cause: 'removed_by_platform', reveal: 'message' },
      pics: 2,
    }),
    mk(author(2), topicText(2), T, s(0.5 + jitter()), {
      fate: { at: s(6), cause: 'removed_by_platform', reveal: 'ambiguous' },
    }),
    mk(author(3), topicText(3), T, s(0.7 + jitter()), {
      fate: { at: s(8), cause: 'deleted_by_author', reveal: 'ambiguous' },
    }),
    mk(author(4), topicText(4), T, s(0.9 + jitter()), {
      fate: { at: s(6.5), cause: 'deleted_by_author', reveal: 'message' },
    }),
    mk(author(0), topicText(5), T, s(1.1 + jitter()), {
      fate: { at: s(10), cause: 'restricted', reveal: 'message' },
    }),
    mk(author(1), topicText(6), T, s(1.3 + jitter()), {
      fate: { at: s(11), cause: 'gone_unspecified', reveal: 'ambiguous' },
    }),
    mk(banned.uid, topicText(7), T, s(1.5 + jitter())),
    mk(banned.uid, topicText(8), T, s(1.7 + jitter())),
    mk(author(2), topicText(9), T, s(1.9 + jitter()), { pics: 1 }),
    mk(author(3), topicText(10), T, s(2.1 + jitter())),
    mk(author(4), topicText(11), T, s(2.3 + jitter())),
  ];
  const long = t[10]!;
  long.isLongText = true;
  long.longText = `${long.text}\n${W.longExtra.join('\n')}`;
  long.text = long.longText.slice(0, 100);
  const b: MutablePost[] = [
    mk(author(0), baseText(0), B, s(0.2 + jitter()), {
      fate: { at: s(9), cause: 'deleted_by_author', reveal: 'message' },
    }),
    mk(author(1), baseText(1), B, s(0.6 + jitter())),
    mk(author(2), baseText(2), B, s(1.0 + jitter()), {
      fate: { at: s(12), cause: 'removed_by_platform', reveal: 'message' },
    }),
    mk(author(3), baseText(3), B, s(1.4 + jitter())),
    mk(author(4), baseText(4), B, s(1.8 + jitter())),
    mk(author(0), baseText(5), B, s(2.2 + jitter())),
  ];
  // Edits between 4 s and 6 s, each at least 1 s before the post's fate.
  t[1]!.edits = [{ at: s(4 + jitter()), text: `${t[1]!.text}（已修改措辞）` }];
  t[9]!.edits = [{ at: s(4.5 + jitter()), text: `${t[9]!.text}\n补充：投票记录以联合国官网为准。` }];
  b[1]!.edits = [{ at: s(5 + jitter()), text: `${b[1]!.text}（更新：雨已经停了）` }];
  // Comment threads, fixed like the rest: one short and complete, one longer than the 3-page cap, one
  // on a post that goes. Deletions stay among the newest 60 so a capped check still covers them.
  t[9]!.comments = {
    count: 6,
    spread: 5 * SECOND,
    deletions: [
      { index: 1, at: s(7) },
      { index: 4, at: s(9.5) },
    ],
  };
  t[11]!.comments = {
    count: 70,
    spread: 8 * SECOND,
    deletions: [
      { index: 30, at: s(7.2) },
      { index: 60, at: s(11) },
    ],
  };
  t[1]!.comments = { count: 4, spread: 3 * SECOND };
  for (const p of [...t, ...b]) p.mid = newMid(p.createdAt);
  const reposts: MutablePost[] = [
    mk(author(4), `${rng.pick(W.repostComments)} ${T}`, T, s(2.6 + jitter()), { repostOf: t[2]!.mid }),
    mk(author(0), `${rng.pick(W.repostComments)} ${T}`, T, s(2.6 + jitter()), { repostOf: t[3]!.mid }),
  ];
  for (const p of reposts) p.mid = newMid(p.createdAt);
  const netease = buildQuickNetease(createRng(seed ^ 0x163163), start);

  return {
    name: 'quick',
    start,
    duration: 15 * SECOND,
    weibo: {
      accounts,
      posts: [...t, ...b, ...reposts].sort((x, y) => x.createdAt - y.createdAt),
      searchBlocks: [{ keyword: T, from: s(9.5), to: s(11.5) }],
    },
    netease,
    watches: [
      {
        id: 'quick-topic',
        name: 'Quick test topic',
        keywords: [T],
        accounts: [banned.uid],
        netease: { keywords: [QUICK_NETEASE_KEYWORD], accounts: netease.accounts.map((a) => a.tid) },
        comments: true,
      },
      { id: 'quick-baseline', name: 'Quick test baseline', keywords: [B], accounts: [] },
    ],
    timing: {
      discoverEvery: '1s',
      // A fixed cadence: the 2-second search block must fall inside a round on every run, so
      // runs in both modes see the same events; adaptive discovery is tested on its own.
      discoverMin: '1s',
      discoverMax: '1s',
      ladder: ['1s', '2s', '3s', '5s'],
      confirmGone: 2,
      confirmAfter: '500ms',
      minInterval: '5ms',
      backoffBase: '200ms',
      backoffMax: '2s',
    },
  };
}

export const QUICK_NETEASE_KEYWORD = 'quick-topic';

/** The 网易号 of `quick`, shared by the templates part so the same watches find its articles. */
export const QUICK_ACCOUNT: SimNeteaseAccount = {
  tid: 'T1700000000001',
  wemediaId: 'W1000000000000000001',
  name: '快速测试号',
  description: '模拟的网易号。',
};

/**
 * The NetEase part of `quick`: eight keyword articles (every removal form once or more, one edit,
 * three GBK pages) and a 网易号 with three articles (one redirected home, one edited), all within
 * 3 s of the start; edits and removals 4.5–9 s after it.
 */
export function buildQuickNetease(rng: Rng, start: number): SimNetease {
  const newDocid = makeDocidFactory();
  const s = (sec: number): number => start + Math.round(sec * SECOND);
  const account = QUICK_ACCOUNT;
  const news = (
    i: number,
    channel: string,
    at: number,
    extra: Partial<SimNeteaseArticle> = {},
  ): SimNeteaseArticle => {
    const paragraphs = paragraphsFor(rng, 3);
    return {
      docid: newDocid(at, `0001${channel === 'news' ? '89' : '87'}Q${i}`),
      channel,
      title: `【${QUICK_NETEASE_KEYWORD}】${N.newsTitles[i % N.newsTitles.length]!}`,
      paragraphs,
      images: i % 2,
      source: N.newsSources[i % N.newsSources.length]!,
      region: N.regions[i % N.regions.length]!,
      editor: N.editors[i % N.editors.length]!,
      createdAt: at,
      keywords: [QUICK_NETEASE_KEYWORD],
      comments: 5 + i * 7,
      ...extra,
    };
  };
  const keywordArticles: SimNeteaseArticle[] = [
    // Comment threads: one closed and with a comment marked isDel, one with two comments removed.
    news(0, 'news', s(0.2), {
      commentSpread: 6 * SECOND,
      commentDeletions: [{ index: 1, at: s(6), mode: 'marked' }],
      commentsClosedAt: s(10),
    }),
    news(1, 'news', s(0.5), { charset: 'gbk' }),
    news(2, 'world', s(0.8), {
      commentSpread: 8 * SECOND,
      commentDeletions: [
        { index: 10, at: s(8) },
        { index: 17, at: s(11) },
      ],
    }),
    news(3, 'news', s(1.1), { fate: { at: s(6), removal: 'http404' } }),
    news(4, 'news', s(1.4), { charset: 'gbk', fate: { at: s(6.5), removal: 'http410' } }),
    news(5, 'world', s(1.7), { fate: { at: s(7), removal: 'redirect_channel' } }),
    news(6, 'news', s(2.0), { fate: { at: s(8), removal: 'notice_deleted' } }),
    news(7, 'news', s(2.3), { charset: 'gbk', fate: { at: s(9), removal: 'soft404_notice' } }),
  ];
  const edited = keywordArticles[2]!;
  keywordArticles[2] = {
    ...edited,
    edits: [{ at: s(4.5), paragraphs: [...edited.paragraphs, N.newsEditNote] }],
  };
  const dy = (i: number, at: number, extra: Partial<SimNeteaseArticle> = {}): SimNeteaseArticle => ({
    docid: newDocid(at, '0553QUIK'),
    channel: 'dy',
    title: `${N.accountTitles[i]!}（${i + 1}）`,
    paragraphs: paragraphsFor(rng, 4),
    images: 1,
    source: account.name,
    region: '浙江',
    createdAt: at,
    keywords: [],
    account: account.tid,
    comments: 3,
    ...extra,
  });
  const own = [
    dy(0, s(0.3), { commentSpread: 5 * SECOND, commentDeletions: [{ index: 0, at: s(7) }] }),
    dy(1, s(0.9), { fate: { at: s(7.5), removal: 'redirect_home' } }),
    dy(2, s(1.5)),
  ];
  own[2] = { ...own[2]!, edits: [{ at: s(5), paragraphs: [...own[2]!.paragraphs, N.accountEditNote] }] };
  return {
    accounts: [account],
    articles: [...keywordArticles, ...own].sort((a, b) => a.createdAt - b.createdAt),
  };
}
