import type { Cause } from '../../domain/glossary';
import type { SimCommentPlan } from './comments';
import type { SimNetease } from './netease-types';

/**
 * What a simulated world is made of: plain data saying which accounts and posts exist, when each
 * post appears, is edited and goes, and which searches are withheld when. The platforms derive every
 * answer from this data and the clock, so one scenario and one clock always give the same answers.
 */

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
  /** Bounds of the adaptive discovery interval; absent: the config's defaults. */
  readonly discoverMin?: string;
  readonly discoverMax?: string;
  /** `schedule.listingChecks`; absent: the config's default. */
  readonly listingChecks?: boolean;
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

/**
 * Kinds of answers to a post's direct checks that say nothing about the post (rendered by
 * weibo/oddities.ts): none is a deletion.
 */
export const ODDITY_KINDS = [
  'maintenance',
  'challenge',
  'truncated',
  'unknown_template',
  'html_for_json',
  'hidden_notice',
  'comments_closed',
] as const;
export type OddityKind = (typeof ODDITY_KINDS)[number];

/** From `from` until `to` (exclusive; open when absent), a post's direct checks get this answer. */
export interface SimOddity {
  readonly kind: OddityKind;
  readonly from: number;
  readonly to?: number;
}
