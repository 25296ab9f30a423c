import type { Cause } from '../../domain/glossary';
import {
  NETEASE_CORPUS as N,
  paragraphsFor,
  UN_VOTE_KEYWORDS,
  WEIBO_CORPUS as W,
  type UnVoteKeyword,
} from './corpus';
import { base32, makeDocidFactory, makeMidFactory, makeUidFactory } from './ids';
import { createRng, hashOf, type Rng } from './rng';
import { DAY, HOUR, MINUTE } from './time';
import { addEdit, delayWithin, fullText, topicText, weatherText, type MutablePost } from './weibo-posts';
import type { SimCommentDeletion } from './comments';
import type { NeteaseRemoval, SimNetease, SimNeteaseAccount, SimNeteaseArticle } from './netease-types';
import type { Scenario, SimAccount, SimFate } from './types';

/**
 * The `un-vote` scenario: a week after the UN General Assembly's vote on resolution A/77/L.65, on
 * Weibo (108 topic posts and their reposts, a baseline of weather posts, a banned account, a
 * withheld search) and on NetEase (a 网易号 and news articles for one keyword).
 */

/** Baseline keyword of the `un-vote` scenario. */
export const UN_VOTE_BASELINE_KEYWORD = '天气预报';
/** Keyword of the `un-vote` scenario's NetEase search. */
export const UN_VOTE_NETEASE_KEYWORD = '联合国 决议 投票';
/** The 网易号 of the `un-vote` scenario, where the claim started. */
export const UN_VOTE_NETEASE_ACCOUNT = '张佳栋看世界';

/** 网易号 account suffix of DOCIDs (research: dy articles end in account-specific suffixes such as `05346RBY`). */
const ACCOUNT_SUFFIX = '0553ZJDK';

/** Builds `un-vote` from its start (epoch ms) and PRNG seed. */
export function buildUnVote(start: number, seed: number): Scenario {
  const rng = createRng(seed);
  const newMid = makeMidFactory(rng);
  const newUid = makeUidFactory(rng);
  const names = rng.shuffle(W.screenNames).slice(0, 30);
  const accounts: SimAccount[] = names.map((name) => ({ uid: newUid(), name }));
  const bannedIndex = 7;
  const banned = { ...accounts[bannedIndex]!, banAt: start + 2.5 * DAY + rng.int(0, 3 * HOUR) };
  accounts[bannedIndex] = banned;
  const others = accounts.filter((a) => a.uid !== banned.uid);
  // A few prolific accounts, as on the real site: draw authors with a skew towards the first ones.
  const pickAuthor = (): SimAccount => others[Math.floor(others.length * Math.pow(rng.next(), 1.6))]!;
  const appearAt = (): number => start + Math.floor(4 * DAY * Math.pow(rng.next(), 1.4));

  const weights: Array<[UnVoteKeyword, number]> = [
    ['联合国 欧洲委员会 决议', 0.45],
    ['中国 投票 赞成 入侵乌克兰', 0.35],
    ['A/77/L.65', 0.2],
  ];
  const pickKeyword = (): UnVoteKeyword => {
    let u = rng.next();
    for (const [k, w] of weights) {
      if ((u -= w) < 0) return k;
    }
    return weights[0]![0];
  };
  const topicPost = (uid: string, createdAt: number): MutablePost => {
    const kw = pickKeyword();
    const keywords: string[] = [kw];
    if (rng.chance(0.2)) {
      const extra = pickKeyword();
      if (extra !== kw) keywords.push(extra);
    }
    const text = keywords
      .map((k, i) => (i === 0 ? topicText(rng, k as typeof kw) : rng.pick(W.topicBodies[k as typeof kw])))
      .join('');
    const p: MutablePost = { mid: '', uid, text, keywords, createdAt };
    if (rng.chance(0.3)) p.pics = rng.int(1, 4);
    return p;
  };

  // Topic originals: 103 from ordinary accounts plus 5 from the account that gets banned.
  const topic: MutablePost[] = [];
  for (let i = 0; i < 103; i++) topic.push(topicPost(pickAuthor().uid, appearAt()));
  const bannedPosts: MutablePost[] = [];
  for (let i = 0; i < 5; i++) {
    bannedPosts.push(topicPost(banned.uid, start + Math.floor(rng.next() * (banned.banAt - start - HOUR))));
  }

  // Fates by fixed counts so the totals do not depend on the seed; which posts get them does.
  // Posts to be reposted need a removal late enough after creation for the repost to come first.
  const shuffled = rng.shuffle(topic);
  let cursor = 0;
  const take = (n: number): MutablePost[] => shuffled.slice(cursor, (cursor += n));
  const removedAmbiguous = take(14);
  const removedMessage = take(28);
  const deletedAmbiguous = take(3);
  const deletedMessage = take(7);
  const restricted = take(5);
  const unspecified = take(5);
  const setFate = (p: MutablePost, cause: Cause, reveal: SimFate['reveal'], delay: number): void => {
    p.fate = { at: p.createdAt + delay, cause, reveal };
  };
  // Censorship is fast (most within a day, heavy in the first hours); author deletions are spread out.
  for (const p of removedAmbiguous)
    setFate(p, 'removed_by_platform', 'ambiguous', delayWithin(rng, 2 * HOUR, 2 * DAY, 2.5));
  for (const p of removedMessage)
    setFate(p, 'removed_by_platform', 'message', delayWithin(rng, 10 * MINUTE, 2 * DAY, 2.5));
  for (const p of deletedAmbiguous)
    setFate(p, 'deleted_by_author', 'ambiguous', delayWithin(rng, 2 * HOUR, 2 * DAY, 1));
  for (const p of deletedMessage)
    setFate(p, 'deleted_by_author', 'message', delayWithin(rng, 20 * MINUTE, 2 * DAY, 1));
  for (const p of restricted) setFate(p, 'restricted', 'message', delayWithin(rng, HOUR, 2 * DAY, 1));
  for (const p of unspecified)
    setFate(p, 'gone_unspecified', 'ambiguous', delayWithin(rng, 10 * MINUTE, 2 * DAY, 2));

  // Baseline: 38 weather posts, few of them gone and only one removed by the platform.
  const baseline: MutablePost[] = [];
  for (let i = 0; i < 38; i++) {
    const p: MutablePost = {
      mid: '',
      uid: pickAuthor().uid,
      text: weatherText(rng),
      keywords: [UN_VOTE_BASELINE_KEYWORD],
      createdAt: appearAt(),
    };
    if (rng.chance(0.25)) p.pics = rng.int(1, 3);
    baseline.push(p);
  }
  const bShuffled = rng.shuffle(baseline);
  bShuffled
    .slice(0, 4)
    .forEach((p) => setFate(p, 'deleted_by_author', 'message', delayWithin(rng, 20 * MINUTE, 2 * DAY, 1)));
  setFate(bShuffled[4]!, 'removed_by_platform', 'message', delayWithin(rng, HOUR, 2 * DAY, 2));
  setFate(bShuffled[5]!, 'restricted', 'message', delayWithin(rng, HOUR, 2 * DAY, 1));
  setFate(bShuffled[6]!, 'gone_unspecified', 'ambiguous', delayWithin(rng, HOUR, 2 * DAY, 1));

  // Long texts: a few topic posts that were not picked for anything ambiguous.
  for (const p of rng.shuffle(removedMessage.concat(shuffled.slice(cursor))).slice(0, 6)) {
    p.isLongText = true;
    p.longText = `${p.text}\n${rng.shuffle(W.longExtra).slice(0, 3).join('\n')}`;
    p.text = p.longText.slice(0, 100);
  }

  // Edits: one per post at most, ≥ 1 h after creation and ≥ 1 h before the fate.
  let edits = 0;
  // The banned account's posts are left unedited: an edit after its ban would never be seen.
  for (const p of rng.shuffle(topic)) {
    if (edits >= 9) break;
    if (addEdit(rng, p, fullText(p) + rng.pick(W.editNotes), HOUR, 2 * DAY)) edits++;
  }
  edits = 0;
  for (const p of bShuffled) {
    if (edits >= 3) break;
    if (addEdit(rng, p, fullText(p) + rng.pick(W.weatherEditNotes), HOUR, 2 * DAY)) edits++;
  }

  for (const p of [...topic, ...bannedPosts, ...baseline]) p.mid = newMid(p.createdAt);

  // Reposts: of ambiguous removals and deletions (so their cause is learnable only through the
  // repost's placeholder) and of a few posts that stay up (so a full original is embedded).
  const reposts: MutablePost[] = [];
  const repost = (orig: MutablePost, until: number): void => {
    let author = pickAuthor();
    while (author.uid === orig.uid) author = pickAuthor();
    const from = orig.createdAt + 5 * MINUTE;
    const createdAt = Math.round(from + (until - from) * (0.1 + 0.7 * rng.next()));
    const keyword = orig.keywords[0]!;
    const comment = `${rng.pick(W.repostComments)}${rng.pick(W.topicBodies[keyword as UnVoteKeyword])}`;
    reposts.push({
      mid: newMid(createdAt),
      uid: author.uid,
      text: comment,
      keywords: [keyword],
      createdAt,
      repostOf: orig.mid,
    });
  };
  const fourDays = start + 4 * DAY;
  const removedByTime = removedAmbiguous.slice().sort((a, b) => a.createdAt - b.createdAt);
  removedByTime.slice(0, 7).forEach((p, i) => {
    const until = Math.min(p.fate!.at, fourDays);
    repost(p, until);
    if (i % 2 === 0) repost(p, until);
  });
  for (const p of deletedAmbiguous.slice(0, 2)) repost(p, Math.min(p.fate!.at, fourDays));
  for (const p of shuffled.slice(cursor, cursor + 3))
    repost(p, Math.min(p.createdAt + 12 * HOUR, fourDays + HOUR));

  // Comment threads on every fifth topic original, derived from the mid (not the PRNG, so the rest of
  // a seed's scenario is unchanged); one comment in three of those threads deleted 1–3 h after posting.
  for (const p of topic) {
    const h = hashOf(p.mid);
    if (h % 5 !== 0) continue;
    const count = 5 + (h % 40);
    const spread = (6 + (h % 30)) * HOUR;
    const deletions = [];
    for (let i = h % 3; i < count; i += 3) {
      const commentAt = p.createdAt + Math.round(((i + 1) / (count + 1)) * spread);
      const at = commentAt + HOUR + (hashOf(`${p.mid}:${i}`) % (2 * HOUR));
      if (!p.fate || at < p.fate.at) deletions.push({ index: i, at });
    }
    p.comments = { count, spread, deletions };
  }
  const posts = [...topic, ...bannedPosts, ...baseline, ...reposts].sort((a, b) => a.createdAt - b.createdAt);
  const prolific = others[0]!.uid;
  // A PRNG of its own, so adding NetEase leaves the Weibo part of a seed unchanged.
  const netease = buildUnVoteNetease(createRng(seed ^ 0x163163), start);
  return {
    name: 'un-vote',
    start,
    duration: 7 * DAY,
    weibo: {
      accounts,
      posts,
      searchBlocks: [{ keyword: '中国 投票 赞成 入侵乌克兰', from: start + 2 * DAY }],
    },
    netease,
    watches: [
      {
        id: 'un-vote-2023',
        name: 'CCP vote on UN resolution A/77/L.65',
        keywords: [...UN_VOTE_KEYWORDS],
        accounts: [prolific, banned.uid],
        netease: { keywords: [UN_VOTE_NETEASE_KEYWORD], accounts: netease.accounts.map((a) => a.tid) },
        comments: true,
      },
      {
        id: 'baseline-weather',
        name: 'Baseline: weather forecasts',
        keywords: [UN_VOTE_BASELINE_KEYWORD],
        accounts: [],
      },
    ],
    timing: {
      discoverEvery: '10m',
      ladder: ['2m', '5m', '10m', '15m', '30m', '45m', '1h', '2h', '4h', '8h', '12h', '24h', '2d', '3d'],
      confirmGone: 2,
      confirmAfter: '1m',
      minInterval: '10ms',
      backoffBase: '1s',
      backoffMax: '1m',
    },
  };
}

/**
 * The NetEase part of `un-vote`: the 网易号 张佳栋看世界 with 15 articles over the week (5 removed,
 * one edited, two also found by the keyword) and 10 news articles for the keyword
 * {@link UN_VOTE_NETEASE_KEYWORD} over the first four days (3 removed, one edited, 3 served as GBK).
 * Removals happen 1–20 h after publication; counts are fixed, the seed picks which articles.
 */
export function buildUnVoteNetease(rng: Rng, start: number): SimNetease {
  const newDocid = makeDocidFactory();
  const account: SimNeteaseAccount = {
    tid: 'T1603594732083',
    wemediaId: 'W8281459043258375633',
    name: UN_VOTE_NETEASE_ACCOUNT,
    description: '国际时事观察，只讲事实和原文。',
  };
  const articles: SimNeteaseArticle[] = [];

  // The account: one article roughly every 10 hours over six days.
  const own: SimNeteaseArticle[] = N.accountTitles.map((title, i) => {
    const createdAt = start + Math.round(i * 9.6 * HOUR + rng.int(0, 90) * MINUTE);
    return {
      docid: newDocid(createdAt, ACCOUNT_SUFFIX),
      channel: 'dy',
      title,
      paragraphs: paragraphsFor(rng, rng.int(4, 6)),
      images: rng.int(0, 2),
      source: account.name,
      region: '上海',
      createdAt,
      keywords: [],
      account: account.tid,
      comments: rng.int(0, 400),
    };
  });
  // Removals only among articles published in the first five days, so each is seen before and after.
  const removable = rng.shuffle(own.slice(0, 12).map((_, i) => i));
  const removals: NeteaseRemoval[] = [
    'http404',
    'redirect_home',
    'notice_deleted',
    'http410',
    'soft404_notice',
  ];
  removals.forEach((removal, k) => {
    const i = removable[k]!;
    const a = own[i]!;
    own[i] = { ...a, fate: { at: a.createdAt + delayWithin(rng, HOUR, 20 * HOUR, 1.5), removal } };
  });
  const editable = removable.slice(removals.length);
  const ei = editable[0]!;
  const edited = own[ei]!;
  own[ei] = {
    ...edited,
    edits: [
      {
        at: edited.createdAt + rng.int(2 * 60, 6 * 60) * MINUTE,
        paragraphs: [...edited.paragraphs, N.accountEditNote],
      },
    ],
  };
  // Two of the account's articles also show up in the keyword search.
  for (const i of editable.slice(1, 3)) own[i] = { ...own[i]!, keywords: [UN_VOTE_NETEASE_KEYWORD] };
  articles.push(...own);

  // News articles for the keyword, over the first four days.
  const news: SimNeteaseArticle[] = N.newsTitles.map((title, i) => {
    const createdAt = start + Math.round(i * 9 * HOUR + rng.int(0, 120) * MINUTE);
    const channel = i % 3 === 1 ? 'world' : 'news';
    return {
      docid: newDocid(createdAt, `0001${channel === 'news' ? '89' : '87'}${base32(rng.int(0, 1023), 2)}`),
      channel,
      title,
      paragraphs: paragraphsFor(rng, rng.int(3, 5)),
      images: rng.int(0, 1),
      source: rng.pick(N.newsSources),
      region: rng.pick(N.regions),
      editor: rng.pick(N.editors),
      createdAt,
      keywords: [UN_VOTE_NETEASE_KEYWORD],
      charset: i % 3 === 2 ? 'gbk' : 'utf-8',
      comments: rng.int(0, 800),
    };
  });
  const order = rng.shuffle(news.map((_, i) => i));
  const newsRemovals: NeteaseRemoval[] = ['redirect_channel', 'http404', 'soft404_notice'];
  newsRemovals.forEach((removal, k) => {
    const i = order[k]!;
    const a = news[i]!;
    news[i] = { ...a, fate: { at: a.createdAt + delayWithin(rng, HOUR, 20 * HOUR, 1.5), removal } };
  });
  const ni = order[newsRemovals.length]!;
  const n = news[ni]!;
  news[ni] = {
    ...n,
    edits: [{ at: n.createdAt + rng.int(90, 300) * MINUTE, paragraphs: [...n.paragraphs, N.newsEditNote] }],
  };
  articles.push(...news);

  // Some comments deleted in every other thread, an hour or two after they were posted; derived from
  // the docid so the PRNG sequence (and with it the rest of a seed's scenario) stays as it was.
  const withDeletions = articles.map((a, k): SimNeteaseArticle => {
    const n = a.comments ?? 0;
    if (k % 2 === 1 || n < 10) return a;
    const deletions: SimCommentDeletion[] = [];
    for (let i = 3; i < n; i += Math.max(7, Math.floor(n / 6))) {
      const commentAt = a.createdAt + Math.round(((i + 1) / (n + 1)) ** 2 * DAY);
      const at = commentAt + HOUR + (i % 60) * MINUTE;
      if (!a.fate || at < a.fate.at)
        deletions.push({ index: i, at, mode: i % 2 === 0 ? 'marked' : 'removed' });
    }
    return { ...a, commentDeletions: deletions };
  });

  return { accounts: [account], articles: withDeletions.sort((a, b) => a.createdAt - b.createdAt) };
}
