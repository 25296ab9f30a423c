/**
 * weibo.com/ajax wire formats as the simulator writes them (research §1.3, §2.3, §3.3): the status
 * object with `id` a number and `idstr`/`mid`/`mblogid` strings, `text` plus `text_raw`,
 * `pic_ids` + `pic_infos`, the `ok:0` refusals in both of their reported forms, and the mymblog page.
 */

import { midToBid } from '../../platforms/weibo/ids';

type Json = Record<string, unknown>;

/** The plain text weibo.com shows as `text_raw` for a post, or null when the simulator has none. */
export type PlainTextOf = (mid: string) => string | null;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `pic_infos` keyed by pid, in the sizes weibo.com sends, from m.weibo.cn `pics`. */
function picInfos(pics: unknown): Json {
  const out: Json = {};
  if (!Array.isArray(pics)) return out;
  for (const pic of pics) {
    if (!isObject(pic) || typeof pic['pid'] !== 'string') continue;
    const pid = pic['pid'];
    const large = isObject(pic['large']) ? pic['large'] : {};
    const largeUrl = typeof large['url'] === 'string' ? large['url'] : '';
    const geo = isObject(large['geo']) ? large['geo'] : {};
    const width = Number(geo['width']);
    const height = Number(geo['height']);
    const size = (name: string): Json => ({
      url: largeUrl.replace('/large/', `/${name}/`),
      width,
      height,
      cut_type: 1,
      type: null,
    });
    out[pid] = {
      thumbnail: size('wap180'),
      bmiddle: size('wap360'),
      large: size('large'),
      original: size('large'),
      largest: size('large'),
      mw2000: size('mw2000'),
      object_id: `1042018:${pid.slice(-16)}`,
      pic_id: pid,
      photo_tag: 0,
      type: 'pic',
      pic_status: 1,
    };
  }
  return out;
}

/** A repost placeholder (user null, state 7/8) in the ajax form: the same notice, ajax ids. */
function ajaxPlaceholder(m: Json): Json {
  const mid = String(m['mid'] ?? m['id']);
  return { ...m, id: Number(mid), idstr: mid, mid, mblogid: midToBid(mid) };
}

/**
 * A weibo.com/ajax status from the simulator's m.weibo.cn detail-form mblog: ids, `text_raw`,
 * `pic_infos`, `continue_tag` on long posts (their full text is only at `ajax/statuses/longtext`),
 * the user with `idstr` and a relative `profile_url`; a `retweeted_status` is converted the same way.
 */
export function ajaxStatus(m: Json, plainOf: PlainTextOf): Json {
  if (m['user'] === null || m['user'] === undefined) return ajaxPlaceholder(m);
  const mid = String(m['mid']);
  const bid = typeof m['bid'] === 'string' ? m['bid'] : midToBid(mid);
  const user = isObject(m['user']) ? m['user'] : {};
  const uid = String(user['id']);
  const long = m['isLongText'] === true;
  const html = typeof m['text'] === 'string' ? m['text'] : '';
  const out: Json = {
    visible: m['visible'] ?? { type: 0, list_id: 0 },
    created_at: m['created_at'],
    id: Number(mid),
    idstr: mid,
    mid,
    mblogid: bid,
    user: {
      id: Number(uid),
      idstr: uid,
      pc_new: 0,
      screen_name: user['screen_name'],
      profile_image_url: user['profile_image_url'],
      profile_url: `/u/${uid}`,
      verified: user['verified'],
      verified_type: user['verified_type'],
      domain: '',
      weihao: '',
      avatar_large: user['profile_image_url'],
      avatar_hd: user['avatar_hd'],
      follow_me: false,
      following: false,
      mbrank: user['mbrank'],
      mbtype: user['mbtype'],
      icon_list: [],
    },
    can_edit: false,
    textLength: m['textLength'],
    source: m['source'],
    favorited: false,
    // The desktop front end ends a long post's opening with an 展开 control, not a 全文 link.
    text: long
      ? html.replace(/<a href="\/status\/[^"]*">全文<\/a>$/, '<span class="expand">展开</span>')
      : html,
    text_raw: plainOf(mid) ?? '',
    region_name: m['region_name'],
    pic_ids: Array.isArray(m['pic_ids']) ? m['pic_ids'] : [],
    pic_num: m['pic_num'] ?? 0,
    pic_infos: picInfos(m['pics']),
    is_paid: false,
    mblog_vip_type: 0,
    reposts_count: m['reposts_count'],
    comments_count: m['comments_count'],
    attitudes_count: m['attitudes_count'],
    attitudes_status: 0,
    isLongText: long,
    mlevel: 0,
    mblogtype: m['mblogtype'] ?? 0,
    showFeedRepost: false,
    showFeedComment: false,
    pictureViewerSign: false,
    showPictureViewer: false,
    content_auth: m['content_auth'] ?? 0,
    is_show_bulletin: 2,
    comment_manage_info: { comment_permission_type: -1, approval_comment_type: 0, comment_sort_type: 0 },
    url_struct: [],
    topic_struct: [],
  };
  if (typeof m['edit_count'] === 'number') out['edit_count'] = m['edit_count'];
  if (long) {
    out['continue_tag'] = {
      title: '全文',
      pic: 'http://h5.sinaimg.cn/upload/2015/09/25/3/timeline_card_small_article.png',
      scheme: `sinaweibo://detail?mblogid=${mid}&id=${mid}&next_fid=232532_mblog`,
      cleaned: true,
    };
  }
  const rt = m['retweeted_status'];
  if (isObject(rt)) out['retweeted_status'] = ajaxStatus(rt, plainOf);
  return out;
}

/** The answer of `ajax/statuses/show` for a post that is up: the status with `ok:1` inside it. */
export function ajaxShowBody(status: Json): Json {
  return { ...status, ok: 1 };
}

/**
 * A refusal of weibo.com/ajax. The two forms found in public code (research §3.3) both occur:
 * `{ok:0, message, error_code}` with a numeric code, and `{ok:0, errno, msg}` with a string one.
 */
export function ajaxErrorBody(errno: string, msg: string, form: 'message' | 'msg'): Json {
  return form === 'message' ? { ok: 0, message: msg, error_code: Number(errno) } : { ok: 0, errno, msg };
}

/** `ajax/statuses/longtext`: the plain full text; `data: {}` for a post that is not long. */
export function ajaxLongTextBody(longText: string | null): Json {
  return longText === null
    ? { ok: 1, http_code: 200, data: {} }
    : { ok: 1, http_code: 200, data: { longTextContent: longText, url_struct: [], topic_struct: [] } };
}

/** One page of `ajax/statuses/mymblog`; `sinceId` empty on the last page. */
export function mymblogBody(list: readonly Json[], sinceId: string, total: number): Json {
  return {
    ok: 1,
    data: {
      since_id: sinceId,
      list,
      status_visible: 0,
      bottom_tips_visible: false,
      bottom_tips_text: '',
      topicList: [],
      total,
    },
  };
}
