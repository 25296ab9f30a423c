import type { Cause } from '../domain/glossary';
import {
  buildQuickNetease,
  buildUnVoteNetease,
  checkNeteaseScenario,
  QUICK_NETEASE_KEYWORD,
  UN_VOTE_NETEASE_KEYWORD,
} from './netease-scenario';
import type { SimNetease } from './netease-scenario';
import type { SimCommentPlan } from './comments';
import { ODDITY_KINDS, type SimOddity } from './weibo-oddities';

/**
 * Scenarios for the simulated Weibo: plain data saying which accounts and posts exist, when each
 * post appears, is edited and goes, and which searches are withheld when. The server derives every
 * answer from this data and its clock, so one scenario and one clock always give the same answers.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A simulated Weibo account. */
export interface SimAccount {
  /** Numeric uid as a string (10 digits, as today's accounts have). */
  readonly uid: string;
  readonly name: string;
  /** When the platform bans the account: from then on every post of it answers with the ban message. */
  readonly banAt?: number;
  /** When the user closes the account; answers like a ban, with the "closed by the user" message. */
  readonly closeAt?: number;
  /**
   * How its timeline pages: by `since_id` (the mid the next page starts at), or by number
   * (`page=`, with `cardlistInfo.page` naming the next page and no since_id). @defaultValue 'since_id'
   */
  readonly timelinePaging?: 'since_id' | 'page';
}

/** What finally happens to a post. */
export interface SimFate {
  /** Epoch ms. */
  readonly at: number;
  readonly cause: Cause;
  /**
   * `message`: a direct check states the cause. `ambiguous`: direct checks answer only the
   * "not found or no permission" errno 20101; the cause shows only in a repost's placeholder.
   */
  readonly reveal: 'message' | 'ambiguous';
}

/** One edit of a post: from `at` on, the post's text is `text`. */
export interface SimEdit {
  readonly at: number;
  readonly text: string;
}

/** A simulated post. Texts are plain: `#topic#`, `[emoji]`, `@name` and line breaks are rendered to Weibo's HTML by the server. */
export interface SimPost {
  /** 16-digit numeric post id. */
  readonly mid: string;
  readonly uid: string;
  /** The text as written; for a long post, its opening (`longText` holds the whole). */
  readonly text: string;
  /** Watch keywords whose search lists this post (exact keyword match). */
  readonly keywords: readonly string[];
  /** Epoch ms; the post does not exist before. */
  readonly createdAt: number;
  /** Listings and checks show a truncated text with a 全文 link; the full text is at /statuses/extend. */
  readonly isLongText?: boolean;
  readonly longText?: string;
  /** In time order. Each edit replaces the full text. */
  readonly edits?: readonly SimEdit[];
  readonly fate?: SimFate;
  /** mid of the original when this post is a repost. */
  readonly repostOf?: string;
  /** Number of pictures. @defaultValue 0 */
  readonly pics?: number;
  /** Its comment thread (hotflow); none when absent. */
  readonly comments?: SimCommentPlan;
  /** Answers that say nothing about the post, served for its direct checks in their time spans. */
  readonly oddities?: readonly SimOddity[];
}

/** A keyword whose search results are withheld from `from` until `to` (exclusive; open when absent). */
export interface SimSearchBlock {
  readonly keyword: string;
  readonly from: number;
  readonly to?: number;
  /** Show the results with the "部分搜索结果未予显示" notice instead of withholding them all. */
  readonly partial?: boolean;
}

/** A watch the scenario is meant to be monitored with (used for the generated crawler config). */
export interface SimWatch {
  readonly id: string;
  readonly name: string;
  readonly keywords: readonly string[];
  /** uids to follow through their timelines. */
  readonly accounts: readonly string[];
  /** NetEase searches and 网易号 (by T id) of the watch. */
  readonly netease?: { readonly keywords: readonly string[]; readonly accounts: readonly string[] };
  /** Track comment threads (`comments: true` on both platforms). @defaultValue false */
  readonly comments?: boolean;
}

/** Crawler timing that suits the scenario's time scale, as config duration strings. */
export interface SimTiming {
  readonly discoverEvery: string;
  readonly ladder: readonly string[];
  readonly confirmGone: number;
  readonly confirmAfter: string;
  readonly minInterval: string;
  readonly backoffBase: string;
  readonly backoffMax: string;
}

/** A complete scenario. */
export interface Scenario {
  readonly name: string;
  /** Epoch ms at which the scenario begins. */
  readonly start: number;
  /** How long the scenario is meant to run, in ms. */
  readonly duration: number;
  readonly weibo: {
    readonly accounts: readonly SimAccount[];
    readonly posts: readonly SimPost[];
    readonly searchBlocks: readonly SimSearchBlock[];
  };
  readonly netease: SimNetease;
  readonly watches: readonly SimWatch[];
  readonly timing: SimTiming;
}

/** Names accepted by {@link buildScenario}. */
export const SCENARIO_NAMES = ['un-vote', 'quick', 'quick-odd'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Options of {@link buildScenario}. */
export interface BuildScenarioOptions {
  /**
   * Epoch ms the scenario starts at.
   * @defaultValue 2023-04-27 00:00 China time for `un-vote` (the day after the vote); the current time for `quick`
   */
  readonly start?: number;
  /** PRNG seed: the same seed gives the same scenario. @defaultValue 1 */
  readonly seed?: number;
}

/** Topic keywords of the `un-vote` scenario. */
export const UN_VOTE_KEYWORDS = ['联合国 欧洲委员会 决议', '中国 投票 赞成 入侵乌克兰', 'A/77/L.65'] as const;
/** Baseline keyword of the `un-vote` scenario. */
export const UN_VOTE_BASELINE_KEYWORD = '天气预报';
/** Keywords of the `quick` scenario. */
export const QUICK_KEYWORDS = { topic: 'quick-topic', baseline: 'quick-baseline' } as const;
/** Keyword of the posts whose direct checks get odd answers in the `quick-odd` scenario. */
export const QUICK_ODD_KEYWORD = 'quick-odd';
/** When the `quick-odd` oddities begin, after the start: the posts are first seen alive before it. */
export const QUICK_ODD_FROM = 3_000;
/** Posts of the `quick-odd` account whose timeline pages by number. */
export const QUICK_ODD_PAGED_POSTS = 23;

/** A small seeded PRNG (mulberry32): deterministic, fast, good enough for test data. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  shuffle<T>(items: readonly T[]): T[];
}

/** Creates a {@link Rng} from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [out[i], out[j]] = [out[j] as T, out[i] as T];
      }
      return out;
    },
  };
}

// Weibo mids carry their creation second: (mid >> 22) + 515483463 is the Unix time (checked on the
// 2019 reference samples), so simulated mids are made the same way and sort by time like real ones.
const MID_EPOCH_OFFSET = 515_483_463n;

function makeMidFactory(rng: Rng): (createdAt: number) => string {
  const used = new Set<string>();
  return (createdAt) => {
    for (;;) {
      const sec = BigInt(Math.floor(createdAt / 1000)) - MID_EPOCH_OFFSET;
      const mid = ((sec << 22n) | BigInt(rng.int(0, (1 << 22) - 1))).toString();
      if (!used.has(mid)) {
        used.add(mid);
        return mid;
      }
    }
  };
}

/** A stable hash of a string, for scenario details that must not consume the PRNG. */
function hashOf(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function makeUidFactory(rng: Rng): () => string {
  const used = new Set<string>();
  return () => {
    for (;;) {
      const uid = String(rng.int(1_000_000_000, 7_999_999_999));
      if (!used.has(uid)) {
        used.add(uid);
        return uid;
      }
    }
  };
}

/**
 * Builds a named scenario. Throws a RangeError naming the known scenarios for any other name.
 */
export function buildScenario(name: string, options: BuildScenarioOptions = {}): Scenario {
  const seed = options.seed ?? 1;
  switch (name) {
    case 'un-vote':
      return buildUnVote(options.start ?? Date.UTC(2023, 3, 26, 16, 0, 0), seed);
    case 'quick':
      return buildQuick(options.start ?? Date.now(), seed);
    case 'quick-odd':
      return buildQuickOdd(options.start ?? Date.now(), seed);
    default:
      throw new RangeError(`unknown scenario "${name}"; known: ${SCENARIO_NAMES.join(', ')}`);
  }
}

/**
 * Checks a scenario's internal consistency (unique mids, known accounts, reposts of existing
 * earlier posts, edits and fates after creation); returns the problems found, empty when none.
 */
export function checkScenario(s: Scenario): string[] {
  const problems: string[] = [];
  const uids = new Set(s.weibo.accounts.map((a) => a.uid));
  const byMid = new Map<string, SimPost>();
  for (const p of s.weibo.posts) {
    if (byMid.has(p.mid)) problems.push(`duplicate mid ${p.mid}`);
    byMid.set(p.mid, p);
    if (!/^\d{16}$/.test(p.mid) || Number(p.mid) > Number.MAX_SAFE_INTEGER) problems.push(`bad mid ${p.mid}`);
    if (!uids.has(p.uid)) problems.push(`post ${p.mid}: unknown account ${p.uid}`);
    for (const e of p.edits ?? []) {
      if (e.at <= p.createdAt) problems.push(`post ${p.mid}: edit before creation`);
      if (p.fate && e.at >= p.fate.at) problems.push(`post ${p.mid}: edit after its fate`);
    }
    if (p.fate && p.fate.at <= p.createdAt) problems.push(`post ${p.mid}: fate before creation`);
  }
  for (const p of s.weibo.posts) {
    if (p.repostOf === undefined) continue;
    const orig = byMid.get(p.repostOf);
    if (!orig) problems.push(`post ${p.mid}: repost of unknown ${p.repostOf}`);
    else if (orig.createdAt >= p.createdAt) problems.push(`post ${p.mid}: repost older than its original`);
    else if (orig.repostOf !== undefined) problems.push(`post ${p.mid}: repost of a repost`);
  }
  problems.push(...checkNeteaseScenario(s.netease));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Texts. Plain Weibo-style text; `[xx]` are emoji names the server renders as icons.

const SCREEN_NAMES = [
  '江南烟雨2019',
  '老王看世界',
  '国际观察员小李',
  '北辰星河',
  '一只会飞的猫',
  '东海老渔夫',
  '半糖主义er',
  '时事评论张先生',
  '青青河边草_',
  '云上的日子',
  '外交观察',
  '小鹿乱撞的鹿',
  '山城雾都人',
  '风起时的少年',
  '历史的车轮123',
  '沉默的大多数',
  '长安十二时辰迷',
  '读书笔记本',
  '深夜食堂老板娘',
  '微光中的我们',
  '法学生日常',
  '冷眼看新闻',
  '西湖边的柳',
  '大海捞针记',
  '蓝色星球君',
  '秋名山车神',
  '夜空中最亮的星星',
  '西北风呼呼',
  '橘子海的夏天',
  '远方与诗',
  '金陵小散',
  '草原上的鹰',
  '静待花开1988',
  '南方周末读者',
] as const;

const TOPIC_BODIES: Readonly<Record<(typeof UN_VOTE_KEYWORDS)[number], readonly string[]>> = {
  '联合国 欧洲委员会 决议': [
    '联合国大会通过了关于联合国与欧洲委员会合作的决议，122票赞成，5票反对，18票弃权。',
    '联合国这份与欧洲委员会合作的决议，正文里明确写了俄罗斯联邦对乌克兰的侵略。',
    '联合国大会表决欧洲委员会合作决议，我国代表投了赞成票，这个信号值得琢磨。',
    '有人把联合国与欧洲委员会合作决议的全文翻出来了，序言部分的措辞非常直接。',
    '联合国关于欧洲委员会的决议本来是例行文件，这次却因为其中一段话引起了关注。',
    '联合国欧洲委员会合作决议的投票记录已经公布，可以去联合国官网查。',
    '外媒都在报道联合国大会这份欧洲委员会决议，国内几乎看不到相关消息。',
  ],
  '中国 投票 赞成 入侵乌克兰': [
    '中国这次投票居然是赞成，决议里明确提到了俄罗斯入侵乌克兰造成的后果。',
    '中国投了赞成票，等于认可了决议里“入侵乌克兰”的表述吗？',
    '外交部还没解释为什么投票赞成，决议里入侵乌克兰这几个字写得清清楚楚。',
    '中国在联大投票赞成一份提到入侵乌克兰的决议，国内媒体几乎没有报道。',
    '很多人不知道，中国这次投票是赞成，不是弃权。决议谈到了入侵乌克兰。',
    '中国投票赞成，俄罗斯投了反对。关于入侵乌克兰的那段文字大家自己看原文。',
  ],
  'A/77/L.65': [
    'A/77/L.65 决议草案原文：“……承认俄罗斯联邦对乌克兰的侵略所带来的前所未有的挑战……”',
    '大家可以自己去联合国网站搜 A/77/L.65，看看投票记录。',
    'A/77/L.65 表决记录：赞成122，反对5，弃权18。中国在赞成一栏。',
    '关于 A/77/L.65 的讨论怎么突然都看不到了？',
    'A/77/L.65 是联合国与欧洲委员会合作的决议草案，已经通过。',
  ],
};

const TOPIC_OPENERS = [
  '',
  '',
  '刚看到新闻，',
  '有人注意到吗？',
  '【关注】',
  '说实话，',
  '今天才知道，',
  '看外媒报道，',
  '朋友发给我的，',
];
const TOPIC_CLOSERS = [
  '',
  '大家怎么看？',
  '先存档。',
  '不知道这条能活多久。',
  '#联合国大会#',
  '[思考]',
  '转发留存。',
  '[允悲]',
  '#俄乌冲突#',
];

const CITIES = [
  '北京',
  '上海',
  '广州',
  '深圳',
  '成都',
  '杭州',
  '武汉',
  '西安',
  '南京',
  '重庆',
  '长沙',
  '郑州',
  '昆明',
  '哈尔滨',
  '厦门',
];
const WEATHER_BODIES = [
  '天气预报说明天{c}有雷阵雨，出门记得带伞。',
  '天气预报又不准，{c}说好的晴天下了一下午雨。',
  '中央气象台天气预报：{c}未来三天有强降雨，注意防范。',
  '看了天气预报，{c}周末适合去爬山[太开心]',
  '五一假期天气预报出来了，{c}多云转晴，最高气温26度。',
  '{c}今天降温了，天气预报说夜里只有8度，大家注意添衣。',
  '每天早上第一件事就是看天气预报，{c}的天气真是说变就变[允悲]',
  '{c}天气预报：今天白天晴，南风3级，空气质量良。',
  '据天气预报，{c}下周将迎来入夏以来第一次高温天气。',
];
const WEATHER_CLOSERS = ['', '', '#天气预报#', '[哈哈]', '晚安。', '出门的朋友注意安全。'];

const REPOST_COMMENTS = [
  '转发微博',
  '这条要转一下。',
  '说得对，大家都看看。',
  '存档，防止看不到了。',
  '[思考] 值得关注',
  '转一下，原文写得很清楚。',
];

const EDIT_NOTES = [
  '\n补充：投票记录以联合国官网为准。',
  '\n更正：弃权是18票，不是16票。',
  '（已修改措辞）',
  '\n补充：原文链接见评论区。',
];
const WEATHER_EDIT_NOTES = ['\n更正：是后天，不是明天。', '（更新：雨已经停了）', '\n补充：夜间有大风。'];

const LONG_EXTRA = [
  '我专门去看了投票记录，赞成的国家里有很多我们平时以为会弃权的。决议的正文主要讲联合国和欧洲委员会在人权、法治和民主方面的合作，但序言部分提到了俄罗斯联邦对乌克兰的侵略，以及由此给欧洲带来的挑战。',
  '按照以往的惯例，这类涉及俄罗斯的表述我们一般会投弃权票，或者在表决后发言解释立场。这次没有看到任何解释性发言，国内主要媒体也没有报道表决结果，只有少数自媒体提到。',
  '有网友说这只是一份程序性决议，不代表立场变化；也有人认为这是一个重要信号。不管怎么看，至少应该让大家知道发生了什么，而不是让相关讨论悄悄消失。',
  '我把决议原文、投票记录和外媒报道的链接都整理好了，需要的朋友可以私信我。希望这条能多留一段时间。',
];

function topicText(rng: Rng, keyword: (typeof UN_VOTE_KEYWORDS)[number]): string {
  return `${rng.pick(TOPIC_OPENERS)}${rng.pick(TOPIC_BODIES[keyword])}${rng.pick(TOPIC_CLOSERS)}`;
}

function weatherText(rng: Rng): string {
  return `${rng.pick(WEATHER_BODIES).replace('{c}', rng.pick(CITIES))}${rng.pick(WEATHER_CLOSERS)}`;
}

interface MutablePost {
  mid: string;
  uid: string;
  text: string;
  keywords: string[];
  createdAt: number;
  isLongText?: boolean;
  longText?: string;
  edits?: SimEdit[];
  fate?: SimFate;
  repostOf?: string;
  pics?: number;
  comments?: SimCommentPlan;
}

function delayWithin(rng: Rng, min: number, max: number, skew: number): number {
  return Math.round(min + (max - min) * Math.pow(rng.next(), skew));
}

/** Adds at most one edit, at least `margin` after creation and at least `margin` before the fate. */
function addEdit(rng: Rng, p: MutablePost, newText: string, margin: number, horizon: number): boolean {
  const latest = (p.fate ? p.fate.at : p.createdAt + horizon) - margin;
  const earliest = p.createdAt + margin;
  if (latest <= earliest || p.edits) return false;
  p.edits = [{ at: Math.round(earliest + rng.next() * (latest - earliest)), text: newText }];
  return true;
}

function fullText(p: MutablePost): string {
  return p.isLongText ? (p.longText ?? p.text) : p.text;
}

// ---------------------------------------------------------------------------------------------

function buildUnVote(start: number, seed: number): Scenario {
  const rng = createRng(seed);
  const newMid = makeMidFactory(rng);
  const newUid = makeUidFactory(rng);
  const names = rng.shuffle(SCREEN_NAMES).slice(0, 30);
  const accounts: SimAccount[] = names.map((name) => ({ uid: newUid(), name }));
  const bannedIndex = 7;
  const banned = { ...accounts[bannedIndex]!, banAt: start + 2.5 * DAY + rng.int(0, 3 * HOUR) };
  accounts[bannedIndex] = banned;
  const others = accounts.filter((a) => a.uid !== banned.uid);
  // A few prolific accounts, as on the real site: draw authors with a skew towards the first ones.
  const pickAuthor = (): SimAccount => others[Math.floor(others.length * Math.pow(rng.next(), 1.6))]!;
  const appearAt = (): number => start + Math.floor(4 * DAY * Math.pow(rng.next(), 1.4));

  const weights: Array<[(typeof UN_VOTE_KEYWORDS)[number], number]> = [
    ['联合国 欧洲委员会 决议', 0.45],
    ['中国 投票 赞成 入侵乌克兰', 0.35],
    ['A/77/L.65', 0.2],
  ];
  const pickKeyword = (): (typeof UN_VOTE_KEYWORDS)[number] => {
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
      .map((k, i) => (i === 0 ? topicText(rng, k as typeof kw) : rng.pick(TOPIC_BODIES[k as typeof kw])))
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
    p.longText = `${p.text}\n${rng.shuffle(LONG_EXTRA).slice(0, 3).join('\n')}`;
    p.text = p.longText.slice(0, 100);
  }

  // Edits: one per post at most, ≥ 1 h after creation and ≥ 1 h before the fate.
  let edits = 0;
  // The banned account's posts are left unedited: an edit after its ban would never be seen.
  for (const p of rng.shuffle(topic)) {
    if (edits >= 9) break;
    if (addEdit(rng, p, fullText(p) + rng.pick(EDIT_NOTES), HOUR, 2 * DAY)) edits++;
  }
  edits = 0;
  for (const p of bShuffled) {
    if (edits >= 3) break;
    if (addEdit(rng, p, fullText(p) + rng.pick(WEATHER_EDIT_NOTES), HOUR, 2 * DAY)) edits++;
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
    const comment = `${rng.pick(REPOST_COMMENTS)}${rng.pick(TOPIC_BODIES[keyword as (typeof UN_VOTE_KEYWORDS)[number]])}`;
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

function buildQuick(start: number, seed: number): Scenario {
  const rng = createRng(seed);
  const newMid = makeMidFactory(rng);
  const newUid = makeUidFactory(rng);
  const names = rng.shuffle(SCREEN_NAMES).slice(0, 6);
  const accounts: SimAccount[] = names.map((name) => ({ uid: newUid(), name }));
  const banned = { ...accounts[5]!, banAt: start + 8 * SECOND };
  accounts[5] = banned;
  const normal = accounts.slice(0, 5);
  const s = (sec: number): number => start + Math.round(sec * SECOND);
  const jitter = (): number => rng.int(0, 400) / 1000;
  const { topic: T, baseline: B } = QUICK_KEYWORDS;

  const topicText = (i: number): string =>
    `【${T}】${rng.pick(TOPIC_BODIES['联合国 欧洲委员会 决议'])}（${i + 1}）`;
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
  long.longText = `${long.text}\n${LONG_EXTRA.join('\n')}`;
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
    mk(author(4), `${rng.pick(REPOST_COMMENTS)} ${T}`, T, s(2.6 + jitter()), { repostOf: t[2]!.mid }),
    mk(author(0), `${rng.pick(REPOST_COMMENTS)} ${T}`, T, s(2.6 + jitter()), { repostOf: t[3]!.mid }),
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
      ladder: ['1s', '2s', '3s', '5s'],
      confirmGone: 2,
      confirmAfter: '500ms',
      minInterval: '5ms',
      backoffBase: '200ms',
      backoffMax: '2s',
    },
  };
}

/**
 * `quick` plus the answers that say nothing about a post: one alive post per {@link ODDITY_KINDS}
 * entry whose direct checks get that answer from {@link QUICK_ODD_FROM} on, found by the
 * {@link QUICK_ODD_KEYWORD} search; and an account whose timeline pages by number
 * (`cardlistInfo.page`, no since_id) with {@link QUICK_ODD_PAGED_POSTS} posts, three pages.
 * Nothing new ever goes, so the crawler must end with all of them alive.
 */
function buildQuickOdd(start: number, seed: number): Scenario {
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
    text: `【${QUICK_ODD_KEYWORD}】${rng.pick(TOPIC_BODIES['A/77/L.65'])}（${kind}）`,
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
