import { ajaxStatus } from './ajax';
import { placeholder, renderText, shortCreatedAt, textLength, TRUNCATE_AT, truncatedText } from './format';
import type { PlaceholderKind } from './format';
import type { PostRt, WeiboState } from './state';

/**
 * A post rendered as the API's mblog objects, as m.weibo.cn and weibo.com/ajax send them. Rendering
 * a post records it as served in the {@link WeiboState}, since what was shown is the ground truth.
 */

/** The listing/detail text of version `v` as HTML: a long post's opening with its 全文 link. */
export function shownText(p: PostRt, v: number): string {
  let s = p.shownHtml[v];
  if (s === undefined) {
    const plain = p.texts[v]!;
    s = p.post.isLongText ? truncatedText(plain, p.mid) : renderText(plain);
    p.shownHtml[v] = s;
  }
  return s;
}

/** The whole text of version `v` as HTML. */
export function fullText(p: PostRt, v: number): string {
  let s = p.fullHtml[v];
  if (s === undefined) p.fullHtml[v] = s = renderText(p.texts[v]!);
  return s;
}

/** An mblog object; records what it shows. `full` uses the detail endpoints' forms. */
export function mblog(
  state: WeiboState,
  p: PostRt,
  now: number,
  full: boolean,
  asRetweeted = false,
): Record<string, unknown> {
  state.servedAlive.add(p.mid);
  const v = state.versionAt(p, now);
  const plain = p.texts[v]!;
  const long = p.post.isLongText === true;
  // A repost's embedded original is not a check of that original; a long post's opening is not whole.
  if (!asRetweeted && (full || !long)) state.noteShown(p, v);
  const m: Record<string, unknown> = {
    created_at: full ? p.fullCreatedAt : shortCreatedAt(p.createdAt, now),
    id: p.mid,
    idstr: p.mid,
    mid: p.mid,
    can_edit: false,
    show_additional_indication: 0,
    text: shownText(p, v),
    textLength: textLength(plain),
    source: p.source,
    favorited: false,
    ...p.picFields,
    is_paid: false,
    mblog_vip_type: 0,
    user: p.account.user,
  };
  if (p.original && !asRetweeted) m.retweeted_status = embed(state, p.original, now, full);
  m.reposts_count = p.counts.reposts_count;
  m.comments_count = p.counts.comments_count;
  m.attitudes_count = p.counts.attitudes_count;
  m.pending_approval_count = 0;
  m.isLongText = long;
  if (long && full) m.longText = { longTextContent: fullText(p, v) };
  m.reward_exhibition_type = 0;
  m.hide_flag = 0;
  m.visible = { type: 0, list_id: 0 };
  m.mblogtype = 0;
  m.more_info_type = 0;
  m.content_auth = 0;
  if (v > 0) m.edit_count = v;
  m.edit_config = { edited: v > 0 };
  m.weibo_position = asRetweeted ? 2 : p.original ? 3 : 1;
  m.show_attitude_bar = 0;
  if (asRetweeted) m.retweeted = 1;
  if (p.original) m.raw_text = plain;
  m.region_name = p.region;
  m.bid = p.bid;
  return m;
}

/** A repost's `retweeted_status`: the original while it is up, else the placeholder. */
function embed(state: WeiboState, orig: PostRt, now: number, full: boolean): Record<string, unknown> {
  state.embedded.add(orig.mid);
  if (state.isAlive(orig, now)) return mblog(state, orig, now, full, true);
  const cause = orig.gone?.cause ?? 'gone_unspecified';
  let kind: PlaceholderKind = 'deleted_unstated';
  if (cause === 'deleted_by_author' || cause === 'removed_by_platform' || cause === 'restricted') {
    kind = cause;
    state.markStated(orig.mid, cause, now);
  }
  return placeholder(kind, orig.mid, orig.bid, shortCreatedAt(orig.createdAt, now));
}

/** A listing card (card_type 9) holding the post. */
export function card(
  state: WeiboState,
  p: PostRt,
  now: number,
  lfid: string,
  itemid: string,
): Record<string, unknown> {
  return {
    card_type: 9,
    itemid,
    scheme: `https://m.weibo.cn/status/${p.bid}?mblogid=${p.bid}&luicode=10000011&lfid=${encodeURIComponent(lfid)}`,
    mblog: mblog(state, p, now, false),
    show_type: 0,
  };
}

/** The plain text weibo.com shows as `text_raw`: a long post's opening only. */
function plainShown(state: WeiboState, mid: string, now: number): string | null {
  const p = state.posts.get(mid);
  if (!p) return null;
  const plain = p.texts[state.versionAt(p, now)]!;
  return p.post.isLongText ? Array.from(plain).slice(0, TRUNCATE_AT).join('') : plain;
}

/** The post as a weibo.com/ajax status. */
export function ajaxStatusOf(state: WeiboState, p: PostRt, now: number): Record<string, unknown> {
  return ajaxStatus(mblog(state, p, now, true), (mid) => plainShown(state, mid, now));
}
