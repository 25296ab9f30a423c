import weibo from './corpus/weibo.json';
import netease from './corpus/netease.json';
import type { Rng } from './rng';

/**
 * The texts the simulated world draws from, kept as data in corpus/*.json: screen names, post bodies,
 * the notes edits append and comments, for Weibo; article titles, paragraphs, outlets, editors and
 * comments, for NetEase. The builders and the platforms pick from these lists by index or by an id's
 * hash, so reordering or inserting entries changes every scenario a seed gives; append at the end.
 */

/** Topic keywords of the `un-vote` scenario, the keys of {@link WEIBO_CORPUS}.topicBodies. */
export const UN_VOTE_KEYWORDS = ['联合国 欧洲委员会 决议', '中国 投票 赞成 入侵乌克兰', 'A/77/L.65'] as const;
/** One of {@link UN_VOTE_KEYWORDS}. */
export type UnVoteKeyword = (typeof UN_VOTE_KEYWORDS)[number];

/** Weibo texts. `[xx]` are emoji names and `#xx#` topics, rendered to Weibo's HTML by weibo/. */
export interface WeiboCorpus {
  readonly screenNames: readonly string[];
  /** Post bodies per topic keyword; each mentions its keyword's words. */
  readonly topicBodies: Readonly<Record<UnVoteKeyword, readonly string[]>>;
  readonly topicOpeners: readonly string[];
  readonly topicClosers: readonly string[];
  readonly cities: readonly string[];
  /** Weather post bodies; `{c}` stands for a city. */
  readonly weatherBodies: readonly string[];
  readonly weatherClosers: readonly string[];
  readonly repostComments: readonly string[];
  /** Appended to a topic post by its edit. */
  readonly editNotes: readonly string[];
  readonly weatherEditNotes: readonly string[];
  /** Paragraphs that make a topic post long (全文). */
  readonly longExtra: readonly string[];
  /** Comment texts, screen names and locations of the simulated comment threads. */
  readonly commentTexts: readonly string[];
  readonly commenterNames: readonly string[];
  readonly commentRegions: readonly string[];
  /** Clients a post is sent from (`source`). */
  readonly sources: readonly string[];
  /** IP属地 of posts (`region_name`, 发布于 …). */
  readonly regions: readonly string[];
}

/** NetEase texts. */
export interface NeteaseCorpus {
  /** Titles of the 网易号's articles, one per article. */
  readonly accountTitles: readonly string[];
  readonly topicParagraphs: readonly string[];
  readonly newsTitles: readonly string[];
  readonly newsSources: readonly string[];
  /** 责任编辑 lines of news articles. */
  readonly editors: readonly string[];
  /** IP属地 values. */
  readonly regions: readonly string[];
  /** Appended to a 网易号 article by its edit. */
  readonly accountEditNote: string;
  /** Appended to a news article by its edit. */
  readonly newsEditNote: string;
  /** Comment texts, locations, nicknames and devices of the simulated comment threads. */
  readonly commentTexts: readonly string[];
  readonly commentLocations: readonly string[];
  readonly commentNicks: readonly string[];
  readonly commentDevices: readonly string[];
}

/** The Weibo corpus. */
export const WEIBO_CORPUS: WeiboCorpus = weibo;
/** The NetEase corpus. */
export const NETEASE_CORPUS: NeteaseCorpus = netease;

/** `n` different topic paragraphs in a random order. */
export function paragraphsFor(rng: Rng, n: number): string[] {
  return rng.shuffle(NETEASE_CORPUS.topicParagraphs).slice(0, n);
}
