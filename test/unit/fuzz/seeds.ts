import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  articlePage,
  commentJson,
  encodePage,
  errorIspPage,
  listDoItem,
  mediaHomePage,
  searchPage,
  softNotFoundPage,
  type ArticleView,
  type ListedView,
} from '../../../src/sim/netease/format';
import {
  ajaxErrorBody,
  ajaxLongTextBody,
  ajaxShowBody,
  ajaxStatus,
  mymblogBody,
} from '../../../src/sim/weibo/ajax';
import { hotflowComment } from '../../../src/sim/weibo/comments';
import { errorBody, MSG, NO_CONTENT_BODY, placeholder } from '../../../src/sim/weibo/format';
import { detailPage, errorPage } from '../../../src/sim/weibo/pages';
import {
  challengePage as neteaseChallengePage,
  cutOff,
  dyV2Page,
  legacyPage,
  maintenancePage as neteaseMaintenancePage,
  mobilePage,
  unknownTemplatePage as neteaseUnknownTemplatePage,
} from '../../../src/sim/netease/pages';
import {
  appShellPage,
  challengePage,
  maintenancePage,
  unknownTemplateJson,
  unknownTemplatePage,
} from '../../../src/sim/weibo/oddities';

/** Which parsers a seed's body is meant for. */
export type SeedKind =
  | 'weibo-show'
  | 'weibo-ajax-show'
  | 'weibo-detail'
  | 'weibo-extend'
  | 'weibo-ajax-longtext'
  | 'weibo-listing'
  | 'weibo-mymblog'
  | 'weibo-hotflow'
  | 'weibo-genvisitor'
  | 'netease-article'
  | 'netease-search'
  | 'netease-media-home'
  | 'netease-account-list'
  | 'netease-comments'
  | 'netease-thread';

/** One body the fuzzer mutates. */
export interface Seed {
  readonly name: string;
  readonly kind: SeedKind;
  readonly body: Buffer;
  readonly status: number;
  readonly contentType: string;
  /**
   * True for a page that states nothing about absence (a live post, a listing, a maintenance or
   * challenge page, an unknown template): no mutation of it may become final unless it brings a notice.
   */
  readonly statesNothing: boolean;
}

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'reference');
const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

function file(platform: string, name: string): Buffer {
  return readFileSync(join(FIXTURES, platform, name));
}

function json(v: unknown): Buffer {
  return Buffer.from(JSON.stringify(v), 'utf8');
}

function seed(
  name: string,
  kind: SeedKind,
  body: Buffer | string,
  statesNothing: boolean,
  status = 200,
  contentType = typeof body === 'string' && body.trimStart().startsWith('<') ? HTML_TYPE : JSON_TYPE,
): Seed {
  return {
    name,
    kind,
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    status,
    contentType,
    statesNothing,
  };
}

type Obj = Record<string, unknown>;

/** The Weibo seeds: every reference sample, and the simulator's formats. */
function weiboSeeds(): Seed[] {
  const show = file('weibo', 'm_statuses_show_repost_2019.json');
  const timeline = file('weibo', 'm_getIndex_timeline_107603_2019_first3cards.json');
  const status = (JSON.parse(show.toString('utf8')) as { data: Obj }).data;
  const cards = (JSON.parse(timeline.toString('utf8')) as { data: { cards: Array<{ mblog: Obj }> } }).data
    .cards;
  const mblog = cards[0]!.mblog;
  const plain = (mid: string): string | null => (mid === String(mblog['mid']) ? '文字' : null);
  const out: Seed[] = [
    seed('m_statuses_show_repost_2019', 'weibo-show', show, true),
    seed('m_getIndex_timeline_107603_2019', 'weibo-listing', timeline, true),
    seed(
      'm_statuses_extend_longtext_2019',
      'weibo-extend',
      file('weibo', 'm_statuses_extend_longtext_2019.json'),
      true,
    ),
    seed(
      'm_comments_hotflow_2019',
      'weibo-hotflow',
      file('weibo', 'm_comments_hotflow_2019_first3.json'),
      true,
    ),
    seed(
      'm_getIndex_profile_100505_2019',
      'weibo-listing',
      file('weibo', 'm_getIndex_profile_100505_2019.json'),
      true,
    ),
    seed(
      'weibo_cn_comment_page_2020',
      'weibo-detail',
      file('weibo', 'weibo_cn_comment_page_J5cVGuUNq_2020.html'),
      true,
    ),
    seed(
      'placeholder_deleted_by_author',
      'weibo-show',
      json({
        ok: 1,
        data: {
          ...status,
          retweeted_status: JSON.parse(
            file('weibo', 'm_retweet_placeholder_deleted_by_author_stablog.json').toString('utf8'),
          ),
        },
      }),
      false,
    ),
    seed(
      'placeholder_halfyear',
      'weibo-show',
      json({
        ok: 1,
        data: {
          ...status,
          retweeted_status: JSON.parse(
            file('weibo', 'm_retweet_placeholder_halfyear_hidden_stablog.json').toString('utf8'),
          ),
        },
      }),
      false,
    ),
    // The simulator's formats.
    seed('sim_detail_page', 'weibo-detail', detailPage(status), true),
    seed('sim_error_page_ambiguous', 'weibo-detail', errorPage(MSG.ambiguous), false),
    seed('sim_error_page_unknown', 'weibo-detail', errorPage(MSG.unknownError), false),
    seed('sim_errno_20101', 'weibo-show', json(errorBody('20101', MSG.ambiguous)), false),
    seed('sim_errno_removed', 'weibo-show', json(errorBody('20101', MSG.removed)), false),
    seed('sim_rate_limit_403', 'weibo-show', json(errorBody('100005', '请求过于频繁,歇歇吧')), false, 403),
    seed('sim_no_content', 'weibo-listing', json(NO_CONTENT_BODY), false),
    seed(
      'sim_repost_of_removed',
      'weibo-show',
      json({
        ok: 1,
        data: {
          ...status,
          retweeted_status: placeholder('removed_by_platform', '4383404751066167', 'HyZSk2ZOj', '06-15'),
        },
      }),
      false,
    ),
    seed(
      'sim_search_page',
      'weibo-listing',
      json({
        ok: 1,
        data: {
          cardlistInfo: { page: 2, total: 30 },
          cards: [
            { card_type: 9, mblog },
            { card_type: 11, card_group: [{ card_type: 9, mblog: cards[1]!.mblog }] },
          ],
        },
      }),
      true,
    ),
    seed('sim_ajax_show', 'weibo-ajax-show', json(ajaxShowBody(ajaxStatus(mblog, plain))), true),
    seed(
      'sim_ajax_refusal',
      'weibo-ajax-show',
      json(ajaxErrorBody('20101', MSG.deletedByAuthor, 'message')),
      false,
    ),
    seed(
      'sim_mymblog',
      'weibo-mymblog',
      json(
        mymblogBody(
          [ajaxStatus(mblog, plain), ajaxStatus(cards[2]!.mblog, plain)],
          '4383183661430868kp2',
          40,
        ),
      ),
      true,
    ),
    seed(
      'sim_ajax_longtext',
      'weibo-ajax-longtext',
      json(ajaxLongTextBody('一段很长的文字。\n第二段。')),
      true,
    ),
    seed(
      'sim_hotflow',
      'weibo-hotflow',
      json({
        ok: 1,
        data: {
          data: [0, 1, 2].map((i) =>
            hotflowComment({
              id: `438318366143${i}`,
              index: i,
              createdAt: Date.UTC(2024, 0, 10, 2, i),
              text: `评论${i}[哈哈]`,
              uid: 1000 + i,
              name: `网友${i}`,
              region: '北京',
              deletion: undefined,
            }),
          ),
          total_number: 3,
          max_id: 0,
          max_id_type: 0,
        },
      }),
      true,
    ),
    seed('sim_maintenance', 'weibo-show', maintenancePage(), true),
    seed('sim_challenge', 'weibo-show', challengePage('a1b2c3d4'), true),
    seed('sim_app_shell', 'weibo-show', appShellPage(), true),
    seed('sim_unknown_template_json', 'weibo-show', json(unknownTemplateJson('4383411844046171')), true),
    seed('sim_unknown_template_page', 'weibo-detail', unknownTemplatePage('4383411844046171'), true),
    seed(
      'genvisitor_jsonp',
      'weibo-genvisitor',
      'window.visitor_gray_callback && visitor_gray_callback({"retcode":20000000,"msg":"succ","data":{"tid":"01AbCdEf","new_tid":true,"sub":"_2AkM","subp":"0033Wr"}});',
      true,
      200,
      'application/javascript',
    ),
  ];
  const errors = JSON.parse(file('weibo', 'error_bodies_quoted_in_issues.json').toString('utf8')) as {
    cases: Array<{ case: string; http_status: number | null; body: unknown }>;
  };
  errors.cases.forEach((c, i) =>
    out.push(seed(`issue_body_${i}`, 'weibo-show', json(c.body), false, c.http_status ?? 200)),
  );
  return out;
}

const DOCID = 'KC12OUHK000189FH';

/** The NetEase seeds: every reference sample, and the simulator's formats. */
function neteaseSeeds(): Seed[] {
  const created = Date.UTC(2024, 0, 10, 2, 0, 0);
  const view: ArticleView = {
    docid: 'JK7P2Q3R0001899O',
    channel: 'news',
    title: '联合国大会通过决议',
    paragraphs: ['第一段文字，讲联合国。', '第二段文字，讲投票。', '第三段。'],
    images: 2,
    source: '网易新闻',
    region: '北京',
    editor: '王五',
    createdAt: created,
    charset: 'utf-8',
    productKey: 'a2869674571f77b5a0867c3d71db5856',
    account: null,
  };
  const listed: ListedView[] = [0, 1, 2].map((i) => ({
    docid: `JK7P2Q3R000189${i}O`,
    channel: 'dy',
    title: `标题${i}`,
    createdAt: created - i * 60_000,
    source: '网易号作者',
    image: i === 0 ? 'https://nimg.ws.126.net/x.jpg' : null,
  }));
  const comment = commentJson({
    commentId: 56424569,
    docid: 'JK7P2Q3R0001899O',
    productKey: 'a2869674571f77b5a0867c3d71db5856',
    content: '评论内容',
    createdAt: created,
    vote: 3,
    against: 0,
    buildLevel: 1,
    anonymous: false,
    location: '广东省',
    nickname: '网友',
    userId: 12345,
    device: 'iPhone',
    ip: '1.2.*.*',
  });
  return [
    seed(
      'article_news_KC12OUHK000189FH',
      'netease-article',
      file('netease', 'article_news_KC12OUHK000189FH.trimmed.html'),
      true,
      200,
      'text/html',
    ),
    seed(
      'comment_thread_info_CG212U73008535RB',
      'netease-thread',
      file('netease', 'comment_thread_info_CG212U73008535RB.json'),
      true,
    ),
    seed(
      'comments_app_hotList_EAUJCTQV05346RBY',
      'netease-comments',
      file('netease', 'comments_app_hotList_EAUJCTQV05346RBY.json'),
      true,
    ),
    seed('sim_article', 'netease-article', articlePage(view), true),
    seed(
      'sim_dy_article',
      'netease-article',
      articlePage({
        ...view,
        channel: 'dy',
        account: { tid: 'T1234567890123', wemediaId: 'W1234567890123456789', name: '网易号作者' },
      }),
      true,
    ),
    seed('sim_mobile_article', 'netease-article', mobilePage(view, 12), true),
    seed(
      'sim_dy_v2_article_gbk',
      'netease-article',
      encodePage(dyV2Page(view), 'gbk'),
      true,
      200,
      'text/html',
    ),
    seed('sim_legacy_article', 'netease-article', legacyPage(view, 330), true),
    seed('sim_netease_maintenance', 'netease-article', neteaseMaintenancePage(), true),
    seed('sim_netease_challenge', 'netease-article', neteaseChallengePage('f00dcafe'), true),
    seed('sim_netease_unknown_template', 'netease-article', neteaseUnknownTemplatePage(view), true),
    seed('sim_netease_cut_off', 'netease-article', cutOff(articlePage(view)), true),
    seed('sim_soft_not_found', 'netease-article', softNotFoundPage('not_found'), false),
    seed('sim_soft_deleted', 'netease-article', softNotFoundPage('deleted'), false),
    seed('sim_error_isp', 'netease-article', errorIspPage(), false),
    seed('sim_search', 'netease-search', searchPage('联合国', listed), true),
    seed(
      'sim_media_home',
      'netease-media-home',
      mediaHomePage(
        { tid: 'T1234567890123', wemediaId: 'W1234567890123456789', name: '网易号作者', description: '简介' },
        listed,
      ),
      true,
    ),
    seed('sim_list_do', 'netease-account-list', json({ data: { list: listed.map(listDoItem) } }), true),
    seed(
      'sim_comments',
      'netease-comments',
      json({ commentIds: ['56424569'], comments: { '56424569': comment } }),
      true,
    ),
  ];
}

/** Every seed, Weibo's then NetEase's. */
export function allSeeds(): Seed[] {
  return [...weiboSeeds(), ...neteaseSeeds()];
}

export { DOCID };
