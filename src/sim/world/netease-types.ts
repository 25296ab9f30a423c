/**
 * The NetEase (163.com) part of a world: 网易号 accounts and articles, when each article appears, is
 * edited and is removed, and how its removal looks on the wire. Plain data; netease/ derives every
 * answer from it and the clock.
 */

import type { SimCommentDeletion } from './comments';

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
