/**
 * weibo.com/ajax bodies in the shapes research §2.3 and §3.3 describe: the status follows the
 * literal example in stablog's `new_weibo_api_com.d.ts` (mid 4607741009594608, mblogid K3fnuEfZK)
 * and the fields of Chilfish's `RawPostSchema`; the refusals are the two forms found in public code.
 */

/** A weibo.com/ajax status with two pictures, HTML `text` and plain `text_raw`. */
export function ajaxStatusSample(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    visible: { type: 0, list_id: 0 },
    created_at: 'Tue Feb 23 12:28:47 +0800 2021',
    id: 4607741009594608,
    idstr: '4607741009594608',
    mid: '4607741009594608',
    mblogid: 'K3fnuEfZK',
    user: {
      id: 1645372340,
      idstr: '1645372340',
      pc_new: 0,
      screen_name: '于三羊鲜声',
      profile_url: '/u/1645372340',
      verified: false,
      verified_type: -1,
      mbrank: 4,
      mbtype: 12,
    },
    can_edit: false,
    text_raw: '//@南山林雪萍 :虽然欧洲版的“南泥湾计划”来的有点晚，但还是来了。[doge] http://t.cn/A6abcd12',
    text:
      '//<a href=/n/南山林雪萍>@南山林雪萍</a> :虽然欧洲版的“南泥湾计划”来的有点晚，但还是来了。' +
      '<img alt="[doge]" title="[doge]" src="https://face.t.sinajs.cn/t4/appstyle/expression/ext/normal/a1/2018new_doge02_org.png" /> ' +
      '<a target="_blank" href="http://t.cn/A6abcd12"><img class="icon-link" src="https://h5.sinaimg.cn/upload/2015/09/25/3/timeline_card_small_web_default.png"/>网页链接</a>',
    textLength: 120,
    source: 'iPhone客户端',
    favorited: false,
    pic_ids: ['621263b4ly1gnwyx2kpjfj20u01hcjwb', '621263b4ly1gnwyx2n0m4j20u01hcdkg'],
    pic_num: 2,
    pic_infos: {
      '621263b4ly1gnwyx2n0m4j20u01hcdkg': {
        thumbnail: {
          url: 'https://wx1.sinaimg.cn/wap180/621263b4ly1gnwyx2n0m4j20u01hcdkg.jpg',
          width: 180,
          height: 320,
        },
        large: {
          url: 'https://wx1.sinaimg.cn/orj1080/621263b4ly1gnwyx2n0m4j20u01hcdkg.jpg',
          width: 1080,
          height: 1920,
        },
        largest: {
          url: 'https://wx1.sinaimg.cn/large/621263b4ly1gnwyx2n0m4j20u01hcdkg.jpg',
          width: 1080,
          height: 1920,
        },
        pic_id: '621263b4ly1gnwyx2n0m4j20u01hcdkg',
        type: 'pic',
      },
      '621263b4ly1gnwyx2kpjfj20u01hcjwb': {
        thumbnail: {
          url: 'https://wx3.sinaimg.cn/wap180/621263b4ly1gnwyx2kpjfj20u01hcjwb.jpg',
          width: 180,
          height: 320,
        },
        large: {
          url: 'https://wx3.sinaimg.cn/orj1080/621263b4ly1gnwyx2kpjfj20u01hcjwb.jpg',
          width: 1080,
          height: 1920,
        },
        largest: {
          url: 'https://wx3.sinaimg.cn/large/621263b4ly1gnwyx2kpjfj20u01hcjwb.jpg',
          width: 1080,
          height: 1920,
        },
        pic_id: '621263b4ly1gnwyx2kpjfj20u01hcjwb',
        type: 'pic',
      },
    },
    region_name: '发布于 安徽',
    reposts_count: 3,
    comments_count: 12,
    attitudes_count: '1万+',
    isLongText: false,
    mblogtype: 0,
    content_auth: 0,
    is_show_bulletin: 2,
    comment_manage_info: { comment_permission_type: -1, approval_comment_type: 0 },
    ...over,
  };
}

/** `ajax/statuses/show` for a post that is up: the status itself, `ok:1` inside it. */
export function ajaxShowSample(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...ajaxStatusSample(over), ok: 1 };
}

/** The refusal form with `message` and a numeric `error_code`. */
export const AJAX_NOT_FOUND_MESSAGE_FORM = { ok: 0, message: '该微博不存在', error_code: 20101 };
/** The refusal form with `msg` and a string `errno`, as m.weibo.cn writes it. */
export const AJAX_NOT_FOUND_MSG_FORM = { ok: 0, errno: '20101', msg: '该微博不存在' };
