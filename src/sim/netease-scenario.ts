/**
 * The NetEase (163.com) part of a simulator scenario: 网易号 accounts and articles, when each article
 * appears, is edited and is removed, and how its removal looks on the wire. Plain data; the server
 * derives every answer from it and its clock.
 */

import type { SimCommentDeletion } from './comments';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How a removed article answers (research/netease.md §4: no capture of a removed article exists,
 * so each behaviour the research names as a gone signal is served):
 * - `http404` / `http410`: that status
 * - `redirect_channel`: 302 to the article's channel page on www.163.com (followed, 200)
 * - `redirect_home`: 302 to the portal's home page (`https://www.163.com/index.html`, followed, 200)
 * - `notice_deleted`: 200 page of site furniture with a short "该文章已被删除" notice
 * - `soft404_notice`: the same with a short "页面不存在" notice
 * A 200 page without a notice is never a removal (the absence rule): pages like that are served as
 * {@link SimNeteasePage} windows of a live article instead.
 */
export const NETEASE_REMOVALS = [
  'http404',
  'http410',
  'redirect_channel',
  'redirect_home',
  'notice_deleted',
  'soft404_notice',
] as const;
export type NeteaseRemoval = (typeof NETEASE_REMOVALS)[number];

/**
 * The template an article is served in. `post2020` is served at its www URL; the others are where
 * the www URL redirects (research/netease.md §1.2–1.3):
 * - `mobile`: 302 to m.163.com/touch/article.html?docid=… (what mobile clients are sent to)
 * - `dy-v2`: 302 to dy.163.com/v2/article/detail/….html, GB2312 declared only in `<meta>` (网易号 only)
 * - `legacy`: 302 to the dated news.163.com (money.163.com for `money`) URL, GBK, with a share bar
 *   that shows the thread's live comment count
 */
export const NETEASE_TEMPLATES = ['post2020', 'mobile', 'dy-v2', 'legacy'] as const;
export type SimNeteaseTemplate = (typeof NETEASE_TEMPLATES)[number];

/**
 * Pages a live article's URL may answer for a while that are neither the article nor a notice of
 * absence; the article stays alive in the ground truth:
 * - `maintenance`: 200, 系统维护中
 * - `challenge`: 200, a script-only page that sets a cookie and reloads
 * - `truncated`: 200, the article page cut off inside its body
 * - `unknown_template`: 200, the article under class names no parser selector knows
 */
export const NETEASE_PAGE_KINDS = ['maintenance', 'challenge', 'truncated', 'unknown_template'] as const;
export type SimNeteasePageKind = (typeof NETEASE_PAGE_KINDS)[number];

/** From `from` until before `until` (epoch ms), the article's URL answers with this page. */
export interface SimNeteasePage {
  readonly from: number;
  readonly until: number;
  readonly kind: SimNeteasePageKind;
}

/** When an article is removed and how the removal is served. NetEase states no cause. */
export interface SimNeteaseFate {
  /** Epoch ms. */
  readonly at: number;
  readonly removal: NeteaseRemoval;
}

/** One edit: from `at` on, the article's body (and title, when given) is this. */
export interface SimNeteaseEdit {
  readonly at: number;
  readonly paragraphs: readonly string[];
  readonly title?: string;
}

/** A simulated 网易号 (NetEase account). */
export interface SimNeteaseAccount {
  /** Home page id, `T` + 13 digits (`www.163.com/dy/media/<tid>.html`). */
  readonly tid: string;
  /** List API id, `W` + 19 digits (`dy.163.com/v2/article/list.do?wemediaId=…`). */
  readonly wemediaId: string;
  readonly name: string;
  readonly description: string;
}

/** A simulated article. */
export interface SimNeteaseArticle {
  /** 16 upper-case letters and digits. */
  readonly docid: string;
  /** Path channel: `dy` for 网易号 articles, else a news channel such as `news` or `world`. */
  readonly channel: string;
  readonly title: string;
  /** Body paragraphs as plain text. */
  readonly paragraphs: readonly string[];
  /** Images in the body, after the first paragraph and then every other one. @defaultValue 0 */
  readonly images?: number;
  /** 来源: the publishing outlet, or the account name for 网易号 articles. */
  readonly source: string;
  /** IP属地 shown next to the time. */
  readonly region: string;
  /** 责任编辑 line of news articles, e.g. `王丽_NB12345`; 网易号 articles have none. */
  readonly editor?: string;
  /** Epoch ms; the article does not exist before. */
  readonly createdAt: number;
  /** Keywords whose search page lists the article (exact keyword match). */
  readonly keywords: readonly string[];
  /** The 网易号 (`tid`) that wrote it; absent for news articles. */
  readonly account?: string;
  /** Page encoding: GBK pages declare it in Content-Type and `<meta charset>`. @defaultValue 'utf-8' */
  readonly charset?: 'utf-8' | 'gbk';
  /** In time order. */
  readonly edits?: readonly SimNeteaseEdit[];
  readonly fate?: SimNeteaseFate;
  /** The template it is served in. @defaultValue 'post2020' */
  readonly template?: SimNeteaseTemplate;
  /** Windows in which its URL answers with a page that is neither the article nor a notice. */
  readonly pages?: readonly SimNeteasePage[];
  /** Comments its thread ends up with, spread over the first day. @defaultValue 0 */
  readonly comments?: number;
  /** Time over which the comments arrive, in ms; they come evenly when set. @defaultValue the first day, front-loaded */
  readonly commentSpread?: number;
  /** Comments deleted (removed from lists, or listed with `isDel`), by index, oldest 0. */
  readonly commentDeletions?: readonly SimCommentDeletion[];
  /** From then on the thread's `status.web` and `status.app` are `off` (comments closed). */
  readonly commentsClosedAt?: number;
}

/** Everything NetEase in a scenario. */
export interface SimNetease {
  readonly accounts: readonly SimNeteaseAccount[];
  readonly articles: readonly SimNeteaseArticle[];
}

/** Keyword of the `un-vote` scenario's NetEase search. */
export const UN_VOTE_NETEASE_KEYWORD = '联合国 决议 投票';
/** The 网易号 of the `un-vote` scenario, where the claim started. */
export const UN_VOTE_NETEASE_ACCOUNT = '张佳栋看世界';

/** Checks a NetEase scenario part; returns the problems found, empty when none. */
export function checkNeteaseScenario(n: SimNetease): string[] {
  const problems: string[] = [];
  const tids = new Set(n.accounts.map((a) => a.tid));
  for (const a of n.accounts) {
    if (!/^T\d{13}$/.test(a.tid)) problems.push(`bad account tid ${a.tid}`);
    if (!/^W\d{19}$/.test(a.wemediaId)) problems.push(`bad wemediaId ${a.wemediaId}`);
  }
  const seen = new Set<string>();
  for (const p of n.articles) {
    if (seen.has(p.docid)) problems.push(`duplicate docid ${p.docid}`);
    seen.add(p.docid);
    if (!/^[A-Z0-9]{16}$/.test(p.docid) || !/[A-Z]/.test(p.docid)) problems.push(`bad docid ${p.docid}`);
    if (!/^[a-z0-9]+$/.test(p.channel)) problems.push(`article ${p.docid}: bad channel ${p.channel}`);
    if (p.account !== undefined && !tids.has(p.account))
      problems.push(`article ${p.docid}: unknown account ${p.account}`);
    if ((p.channel === 'dy') !== (p.account !== undefined))
      problems.push(`article ${p.docid}: only 网易号 articles are in the dy channel`);
    let last = p.createdAt;
    for (const e of p.edits ?? []) {
      if (e.at <= last) problems.push(`article ${p.docid}: edit out of order or before creation`);
      if (p.fate && e.at >= p.fate.at) problems.push(`article ${p.docid}: edit after its removal`);
      last = e.at;
    }
    if (p.fate && p.fate.at <= p.createdAt) problems.push(`article ${p.docid}: removal before creation`);
    if (p.template === 'dy-v2' && p.channel !== 'dy')
      problems.push(`article ${p.docid}: the dy-v2 template is for 网易号 articles`);
    if (p.template === 'legacy' && p.channel === 'dy')
      problems.push(`article ${p.docid}: the legacy template is for news articles`);
    for (const w of p.pages ?? []) {
      if (!(w.from < w.until)) problems.push(`article ${p.docid}: page window ends before it starts`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Ids. A DOCID's first 8 characters grow with time and its last 8 name the channel or account
// (research §1.1), so simulated ones are made the same way.

const B32 = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

function base32(n: number, width: number): string {
  let s = '';
  let v = Math.max(0, Math.floor(n));
  for (let i = 0; i < width; i++) {
    s = B32[v % 32]! + s;
    v = Math.floor(v / 32);
  }
  return s;
}

/** Makes unique DOCIDs: `I` + 7 time characters + the 8-character channel or account suffix. */
export function makeDocidFactory(): (createdAt: number, suffix: string) => string {
  const used = new Set<string>();
  return (createdAt, suffix) => {
    for (let n = Math.floor(createdAt / SECOND); ; n++) {
      const id = `I${base32(n, 7)}${suffix}`;
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
}

/** Minimal seeded PRNG interface (the scenario module's {@link Rng} satisfies it). */
interface Rand {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
}

// ---------------------------------------------------------------------------------------------
// Texts.

const ACCOUNT_TITLES = [
  '联合国大会通过与欧洲委员会合作决议，中国投了赞成票',
  '决议序言写明俄罗斯对乌克兰的侵略，这一票意味着什么',
  '122票赞成、5票反对、18票弃权：联大表决全记录',
  '为什么这次中国没有弃权？',
  '逐段读A/77/L.65：序言那一段到底说了什么',
  '单独表决的那一段：81票赞成，10票反对，48票弃权',
  '外媒如何报道中国的这一票',
  '联合国与欧洲委员会的合作由来已久',
  '国内为何鲜有报道这次表决',
  '从投票记录看各国立场',
  '投反对票的是哪五个国家',
  '欧洲委员会是什么机构？和欧盟有什么不同',
  '联大决议有没有约束力',
  '表决之后，外交部怎么说',
  '一周回顾：联大决议的前前后后',
] as const;

const TOPIC_PARAGRAPHS = [
  '4月26日，第77届联合国大会以122票赞成、5票反对、18票弃权，通过了题为《联合国与欧洲委员会之间的合作》的决议，文件编号A/77/L.65。',
  '决议序言提到，欧洲委员会正面临俄罗斯联邦对乌克兰的侵略、以及此前对格鲁吉亚的侵略所带来的前所未有的挑战。',
  '应俄罗斯要求，大会对这一序言段落进行了单独记录表决，结果为81票赞成、10票反对、48票弃权，段落得以保留。',
  '在对决议整体的表决中，中国投了赞成票。投反对票的是白俄罗斯、朝鲜、尼加拉瓜、俄罗斯和叙利亚。',
  '俄罗斯代表在表决前发言，称有关段落“具有政治化色彩”，要求将其删除，但没有得到多数支持。',
  '按照以往的做法，涉及俄乌冲突定性的决议，中国通常投弃权票，或在表决后作解释性发言。',
  '这份决议本身是联合国与区域组织合作的例行文件，每两年审议一次，以往很少引起关注。',
  '联合国官网公布了完整的投票记录，每个会员国的投票情况都可以查到。',
  '多家外国媒体报道了中国的赞成票，并将其解读为一个值得注意的信号。',
  '截至发稿，国内主要媒体对表决结果的报道仍然很少。',
  '也有观点认为，这只是一份程序性决议，不能据此推断立场发生了变化。',
  '无论如何理解，投票记录本身是公开的事实，值得每个关心国际事务的人去看一看。',
] as const;

const NEWS_TITLES = [
  '联合国大会表决通过与欧洲委员会合作决议',
  '联大就联合国与欧洲委员会合作决议进行投票',
  '外媒关注联大决议投票结果',
  '联合国决议投票结果公布：122票赞成',
  '俄方代表反对决议中有关乌克兰的表述',
  '联大通过多项决议 涉及与区域组织合作',
  '联合国决议投票：18国弃权',
  '专家解读联合国大会决议投票',
  '联合国秘书长发言人就决议投票答问',
  '联合国大会一周要闻',
] as const;

const NEWS_SOURCES = ['新京报', '澎湃新闻', '环球网', '中国新闻网', '参考消息', '央视新闻客户端'] as const;
const EDITORS = ['王丽_NB12345', '张晓_NN4521', '李明_NBJ1102', '赵宁_NS1987', '陈思_NQ3301'] as const;
const REGIONS = ['北京', '上海', '广东', '浙江', '江苏', '海外'] as const;

const ACCOUNT_EDIT_NOTE = '（更正：单独表决的弃权票为48票，此前误写为46票。）';
const NEWS_EDIT_NOTE = '（本文已更新：补充了俄罗斯代表的表决前发言。）';

/** 网易号 account suffix of DOCIDs (research: dy articles end in account-specific suffixes such as `05346RBY`). */
const ACCOUNT_SUFFIX = '0553ZJDK';

function paragraphsFor(rng: Rand, n: number): string[] {
  return rng.shuffle(TOPIC_PARAGRAPHS).slice(0, n);
}

function delayWithin(rng: Rand, min: number, max: number): number {
  return Math.round(min + (max - min) * Math.pow(rng.next(), 1.5));
}

/**
 * The NetEase part of `un-vote`: the 网易号 张佳栋看世界 with 15 articles over the week (5 removed,
 * one edited, two also found by the keyword) and 10 news articles for the keyword
 * {@link UN_VOTE_NETEASE_KEYWORD} over the first four days (3 removed, one edited, 3 served as GBK).
 * Removals happen 1–20 h after publication; counts are fixed, the seed picks which articles.
 */
export function buildUnVoteNetease(rng: Rand, start: number): SimNetease {
  const newDocid = makeDocidFactory();
  const account: SimNeteaseAccount = {
    tid: 'T1603594732083',
    wemediaId: 'W8281459043258375633',
    name: UN_VOTE_NETEASE_ACCOUNT,
    description: '国际时事观察，只讲事实和原文。',
  };
  const articles: SimNeteaseArticle[] = [];

  // The account: one article roughly every 10 hours over six days.
  const own: SimNeteaseArticle[] = ACCOUNT_TITLES.map((title, i) => {
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
    own[i] = { ...a, fate: { at: a.createdAt + delayWithin(rng, HOUR, 20 * HOUR), removal } };
  });
  const editable = removable.slice(removals.length);
  const ei = editable[0]!;
  const edited = own[ei]!;
  own[ei] = {
    ...edited,
    edits: [
      {
        at: edited.createdAt + rng.int(2 * 60, 6 * 60) * MINUTE,
        paragraphs: [...edited.paragraphs, ACCOUNT_EDIT_NOTE],
      },
    ],
  };
  // Two of the account's articles also show up in the keyword search.
  for (const i of editable.slice(1, 3)) own[i] = { ...own[i]!, keywords: [UN_VOTE_NETEASE_KEYWORD] };
  articles.push(...own);

  // News articles for the keyword, over the first four days.
  const news: SimNeteaseArticle[] = NEWS_TITLES.map((title, i) => {
    const createdAt = start + Math.round(i * 9 * HOUR + rng.int(0, 120) * MINUTE);
    const channel = i % 3 === 1 ? 'world' : 'news';
    return {
      docid: newDocid(createdAt, `0001${channel === 'news' ? '89' : '87'}${base32(rng.int(0, 1023), 2)}`),
      channel,
      title,
      paragraphs: paragraphsFor(rng, rng.int(3, 5)),
      images: rng.int(0, 1),
      source: rng.pick(NEWS_SOURCES),
      region: rng.pick(REGIONS),
      editor: rng.pick(EDITORS),
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
    news[i] = { ...a, fate: { at: a.createdAt + delayWithin(rng, HOUR, 20 * HOUR), removal } };
  });
  const ni = order[newsRemovals.length]!;
  const n = news[ni]!;
  news[ni] = {
    ...n,
    edits: [{ at: n.createdAt + rng.int(90, 300) * MINUTE, paragraphs: [...n.paragraphs, NEWS_EDIT_NOTE] }],
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

/** Keyword of the `quick` scenario's NetEase search (the topic watch's keyword). */
export const QUICK_NETEASE_KEYWORD = 'quick-topic';

/** The 网易号 of `quick`, shared by the templates part so the same watches find its articles. */
const QUICK_ACCOUNT: SimNeteaseAccount = {
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
export function buildQuickNetease(rng: Rand, start: number): SimNetease {
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
      title: `【${QUICK_NETEASE_KEYWORD}】${NEWS_TITLES[i % NEWS_TITLES.length]!}`,
      paragraphs,
      images: i % 2,
      source: NEWS_SOURCES[i % NEWS_SOURCES.length]!,
      region: REGIONS[i % REGIONS.length]!,
      editor: EDITORS[i % EDITORS.length]!,
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
    edits: [{ at: s(4.5), paragraphs: [...edited.paragraphs, NEWS_EDIT_NOTE] }],
  };
  const dy = (i: number, at: number, extra: Partial<SimNeteaseArticle> = {}): SimNeteaseArticle => ({
    docid: newDocid(at, '0553QUIK'),
    channel: 'dy',
    title: `${ACCOUNT_TITLES[i]!}（${i + 1}）`,
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
  own[2] = { ...own[2]!, edits: [{ at: s(5), paragraphs: [...own[2]!.paragraphs, ACCOUNT_EDIT_NOTE] }] };
  return {
    accounts: [account],
    articles: [...keywordArticles, ...own].sort((a, b) => a.createdAt - b.createdAt),
  };
}

/**
 * A NetEase part for exercising templates and odd pages, on the `quick` scenario's keyword and
 * 网易号 (so its watches find them): one article per non-default template, one per odd page kind
 * (each served from 4 s to 9 s after the start, alive before and after), a legacy article whose
 * comments arrive while it is checked, and one mobile article removed by HTTP 404.
 */
export function buildTemplatesNetease(start: number): SimNetease {
  const newDocid = makeDocidFactory();
  const s = (sec: number): number => start + Math.round(sec * SECOND);
  const account = QUICK_ACCOUNT;
  const news = (
    i: number,
    channel: string,
    at: number,
    extra: Partial<SimNeteaseArticle>,
  ): SimNeteaseArticle => ({
    docid: newDocid(at, `0001${channel === 'news' ? '89' : '87'}T${i}`),
    channel,
    title: `【${QUICK_NETEASE_KEYWORD}】${NEWS_TITLES[i % NEWS_TITLES.length]!}`,
    paragraphs: [...TOPIC_PARAGRAPHS.slice(i % 4, (i % 4) + 3)],
    images: 1,
    source: NEWS_SOURCES[i % NEWS_SOURCES.length]!,
    region: REGIONS[i % REGIONS.length]!,
    editor: EDITORS[i % EDITORS.length]!,
    createdAt: at,
    keywords: [QUICK_NETEASE_KEYWORD],
    ...extra,
  });
  const articles: SimNeteaseArticle[] = [
    news(0, 'news', s(0.2), { template: 'mobile', comments: 6, commentSpread: 9 * SECOND }),
    news(1, 'money', s(0.4), {
      template: 'legacy',
      charset: 'gbk',
      comments: 20,
      commentSpread: 12 * SECOND,
    }),
    news(2, 'news', s(0.6), { template: 'legacy', comments: 8, commentSpread: 10 * SECOND }),
    news(3, 'news', s(0.8), { template: 'mobile', fate: { at: s(6), removal: 'http404' } }),
    ...NETEASE_PAGE_KINDS.map((kind, k) =>
      news(4 + k, k % 2 === 0 ? 'news' : 'world', s(1 + k * 0.2), {
        pages: [{ from: s(4), until: s(9), kind }],
      }),
    ),
    {
      docid: newDocid(s(0.3), '0553QUIK'),
      channel: 'dy',
      title: `${ACCOUNT_TITLES[0]!}（v2）`,
      paragraphs: [...TOPIC_PARAGRAPHS.slice(0, 4)],
      images: 1,
      source: account.name,
      region: '浙江',
      createdAt: s(0.3),
      keywords: [],
      account: account.tid,
      template: 'dy-v2',
    },
  ];
  return { accounts: [account], articles: articles.sort((a, b) => a.createdAt - b.createdAt) };
}

/** Scenario scales, exported for tests that build their own NetEase parts. */
export const NETEASE_TIME = { SECOND, MINUTE, HOUR, DAY } as const;
