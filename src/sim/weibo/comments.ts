import type { ServedComments } from '../truth';
import { fullCreatedAt, renderText } from './format';
import {
  hashOf,
  MID_EPOCH_OFFSET,
  WEIBO_CORPUS as W,
  type SimCommentDeletion,
  type SimCommentPlan,
} from '../world';

/**
 * Weibo comment threads of the simulator: `m.weibo.cn/comments/hotflow` answers in the shape of
 * the reference sample `m_comments_hotflow_2019_first3.json`, built from a post's
 * {@link SimCommentPlan} and the clock.
 */

/** Comments per hotflow page, as the H5 client gets them. */
export const HOTFLOW_PAGE_SIZE = 20;

/** One simulated comment at a point in time. */
export interface WeiboCommentView {
  readonly id: string;
  readonly index: number;
  readonly createdAt: number;
  readonly text: string;
  readonly uid: number;
  readonly name: string;
  readonly region: string;
  readonly deletion: SimCommentDeletion | undefined;
}

/**
 * The comments of a post visible at `now`, newest first. Comment `i` of `count` arrives at
 * `createdAt + (i + 1) / (count + 1) * spread`. Ids are made like mids (creation second in the high
 * bits) with the index in the low bits, so id order is index order and `max_id` paging is stable
 * while comments go.
 */
export function weiboCommentsAt(
  mid: string,
  postCreatedAt: number,
  plan: SimCommentPlan,
  now: number,
): WeiboCommentView[] {
  const out: WeiboCommentView[] = [];
  const salt = BigInt(hashOf(mid) % 4096) << 10n;
  for (let i = 0; i < Math.min(plan.count, 1024); i++) {
    const createdAt = postCreatedAt + Math.round(((i + 1) / (plan.count + 1)) * plan.spread);
    if (createdAt > now) break;
    const deletion = plan.deletions?.find((d) => d.index === i);
    if (deletion && deletion.at <= now) continue;
    // Comment ids are made like mids: (id >> 22) + MID_EPOCH_OFFSET is the creation second.
    const sec = BigInt(Math.floor(createdAt / 1000)) - MID_EPOCH_OFFSET;
    const h = hashOf(`${mid}:${i}`);
    out.push({
      id: ((sec << 22n) | salt | BigInt(i)).toString(),
      index: i,
      createdAt,
      text: W.commentTexts[h % W.commentTexts.length]!,
      uid: 5_000_000_000 + (h % 900_000_000),
      name: `${W.commenterNames[(h >>> 4) % W.commenterNames.length]!}${(h >>> 12) % 100}`,
      region: W.commentRegions[(h >>> 8) % W.commentRegions.length]!,
      deletion,
    });
  }
  return out.reverse();
}

/** A hotflow comment object, with the fields of the reference sample. */
export function hotflowComment(c: WeiboCommentView): Record<string, unknown> {
  const avatar = `https://tvax1.sinaimg.cn/crop.0.0.512.512.180/${c.uid.toString(16)}ly8g0sim.jpg`;
  return {
    created_at: fullCreatedAt(c.createdAt),
    id: c.id,
    rootid: c.id,
    floor_number: c.index + 1,
    text: renderText(c.text),
    disable_reply: 0,
    user: {
      id: c.uid,
      screen_name: c.name,
      profile_image_url: avatar,
      profile_url: `https://m.weibo.cn/u/${c.uid}?uid=${c.uid}`,
      statuses_count: 10 + (c.uid % 5000),
      verified: false,
      verified_type: -1,
      close_blue_v: false,
      description: '',
      gender: c.uid % 2 === 0 ? 'm' : 'f',
      mbtype: 0,
      urank: 4 + (c.uid % 30),
      mbrank: 0,
      follow_me: false,
      following: false,
      followers_count: 20 + (c.uid % 900),
      follow_count: 50 + (c.uid % 300),
      avatar_hd: avatar,
      like: false,
      like_me: false,
    },
    mid: c.id,
    readtimetype: 'comment',
    comments: false,
    max_id: 0,
    total_number: 0,
    isLikedByMblogAuthor: false,
    more_info_type: 0,
    bid: '',
    source: `来自${c.region}`,
    like_count: c.uid % 40,
    liked: false,
  };
}

/**
 * The hotflow answer for a post that is up: one page from `max_id` (the id the page starts at; all
 * when absent), newest first, with the next page's `max_id` or 0 on the last page. Records each
 * comment served.
 */
export function hotflowBody(
  post: { readonly mid: string; readonly createdAt: number; readonly comments?: SimCommentPlan },
  maxIdParam: string | null,
  now: number,
  served: ServedComments,
): Record<string, unknown> {
  const all = post.comments ? weiboCommentsAt(post.mid, post.createdAt, post.comments, now) : [];
  const from = maxIdParam && /^\d+$/.test(maxIdParam) && maxIdParam !== '0' ? BigInt(maxIdParam) : null;
  const rest = from === null ? all : all.filter((c) => BigInt(c.id) <= from);
  const page = rest.slice(0, HOTFLOW_PAGE_SIZE);
  const next = rest[HOTFLOW_PAGE_SIZE];
  for (const c of page) served.served('weibo', post.mid, c.id, now, c.deletion);
  return {
    ok: 1,
    data: {
      data: page.map(hotflowComment),
      total_number: all.length,
      max_id: next ? Number(next.id) : 0,
      max: Math.ceil(all.length / HOTFLOW_PAGE_SIZE),
      max_id_type: 0,
      status: { comment_manage_info: { comment_permission_type: -1, approval_comment_type: 0 } },
    },
  };
}
