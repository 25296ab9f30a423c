import { isFinalOutcome } from '../../../src/domain/glossary';
import { parseAjaxStatusShow } from '../../../src/platforms/weibo/ajax';
import { parseHotflow } from '../../../src/platforms/weibo/comments';
import {
  parseDetailPage,
  parseExtend,
  parseSearchPage,
  parseStatusShow,
  parseTimelinePage,
} from '../../../src/platforms/weibo/parse';
import { AT_2019, response, sample, sampleJson } from './helpers';

/**
 * Answers the other tests do not cover, on every endpoint the Weibo client calls
 * (statuses/show, the detail page, weibo.com ajax/statuses/show, statuses/extend, comments/hotflow).
 * Each case says where its shape comes from: documented (research/weibo.md, the reference samples)
 * or invented, and why it is plausible. The rule checked throughout: no final outcome without a
 * positive statement of absence, and the known notices still classify as before.
 */

const MID = '4383411844046171';
const SHOW_URL = `https://m.weibo.cn/statuses/show?id=${MID}`;
const DETAIL_URL = `https://m.weibo.cn/detail/${MID}`;
const AJAX_URL = `https://weibo.com/ajax/statuses/show?id=${MID}`;
const HOTFLOW_URL = `https://m.weibo.cn/comments/hotflow?id=${MID}&mid=${MID}&max_id_type=0`;
const USER = { id: 1669879400, screen_name: 'sample' };
const showSample = sampleJson<{ ok: number; data: Record<string, unknown> }>(
  'm_statuses_show_repost_2019.json',
);

function show(body: string | Buffer | object, opts: Parameters<typeof response>[1] = {}) {
  return parseStatusShow(response(body, { url: SHOW_URL, ...opts }), AT_2019, MID);
}
function detail(html: string, opts: Parameters<typeof response>[1] = {}) {
  return parseDetailPage(
    response(html, { url: DETAIL_URL, contentType: 'text/html', ...opts }),
    AT_2019,
    MID,
  );
}
function renderDataPage(script: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>微博</title></head><body><div id="app"></div><script>${script}</script></body></html>`;
}

describe('statuses/show: envelopes never seen in a capture are unparseable, never gone', () => {
  const cases: Array<[string, string | object]> = [
    // Invented: an API that answers "ok" with nothing in it, as m.weibo.cn does for ids it cannot serve yet.
    ['ok:1 with data: null', { ok: 1, data: null }],
    // Invented: the status wrapped one level deeper, a plausible front-end refactor.
    ['ok:1 with the status under data.status', { ok: 1, data: { status: showSample.data } }],
    // Invented: an error envelope inside the data wrapper (weibo.com uses nested ok in statuses/extend).
    ['ok:1 whose data is itself an error envelope', { ok: 1, data: { ok: 0, msg: '该微博不存在' } }],
    // Documented envelope (research §2.1: ok:0 with msg and errno), with a code and message never listed.
    ['ok:0 with an unknown errno and message', { ok: 0, errno: '20999', msg: '服务暂不可达，请稍后' }],
    // Documented envelope with neither message nor code.
    ['ok:0 with no message and no code', { ok: 0 }],
    // Invented: ok:0 whose message says the content "expired", a wording that states no cause.
    ['ok:0 该内容已失效', { ok: 0, msg: '该内容已失效' }],
    // MediaCrawler treats any ok other than 0/1 as unknown (research §2.1).
    ['ok:-1 with a parameter error', { ok: -1, msg: '参数错误' }],
    // Invented: an empty JSON array, as a misrouted list endpoint would send.
    ['a JSON array', []],
    // Invented: JSONP where JSON was asked for (NetEase does this with ?callback; a proxy could add it).
    ['JSONP-wrapped live answer', 'jsonp_cb({"ok":1,"data":{"mid":"4383411844046171","text":"x"}})'],
    // Invented: a bare reverse-proxy answer in plain text at 200.
    ['"404 page not found" as plain text at 200', '404 page not found'],
  ];
  test.each(cases)('%s → unparseable, body kept', (_name, body) => {
    const res = response(body, { url: SHOW_URL });
    const obs = parseStatusShow(res, AT_2019, MID);
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({ outcome: 'unparseable', target: { id: MID } });
    expect(obs[0]?.evidence?.body).toEqual(res.body);
  });

  test('an empty 200 body and a 204 are unparseable (documented: MediaCrawler treats non-JSON as a 432-style failure)', () => {
    expect(show('')[0]?.outcome).toBe('unparseable');
    expect(show('  \r\n')[0]?.outcome).toBe('unparseable');
    expect(show('', { status: 204 })[0]?.outcome).toBe('unparseable');
  });

  test('a JSONP-wrapped refusal still carries the documented notice, so it keeps its meaning', () => {
    const obs = show('jsonp_cb({"ok":0,"errno":"20101","msg":"微博不存在或暂无查看权限"})');
    expect(obs[0]?.outcome).toBe('gone_unspecified');
  });

  test('ok as "1" or true still reads the post (invented: loosely typed envelopes)', () => {
    const post = { mid: MID, text: '还在', user: USER };
    expect(show({ ok: '1', data: post })[0]?.outcome).toBe('alive');
    expect(show({ ok: true, data: post })[0]?.outcome).toBe('alive');
  });

  test('a UTF-8 BOM before a refusal and before a live answer changes nothing', () => {
    const refusal = '\uFEFF' + JSON.stringify({ ok: 0, errno: '20101', msg: '微博不存在或暂无查看权限!' });
    expect(show(refusal)[0]?.outcome).toBe('gone_unspecified');
    const live = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), sample('m_statuses_show_repost_2019.json')]);
    expect(show(live)[0]?.outcome).toBe('alive');
  });

  test('known codes still classify in new spellings: errno as a number, traditional characters, full-width marks', () => {
    expect(show({ ok: 0, errno: 20101 })[0]?.outcome).toBe('gone_unspecified');
    expect(show({ ok: 0, msg: '該微博因被多人投訴，根據《微博社區公約》，已被刪除。' })[0]?.outcome).toBe(
      'removed_by_platform',
    );
    expect(show({ ok: 0, errno: '100005', msg: '请求过于频繁，歇歇吧' })[0]?.outcome).toBe('rate_limited');
  });
});

describe('statuses/show: pages served at 200 where JSON was expected', () => {
  test('a login page without a redirect (invented: passport.weibo.cn/signin served in place) → not final', () => {
    const page =
      '<!DOCTYPE html><html><head><title>登录 - 新浪微博</title></head><body><form><input name="username"><button>登录</button></form></body></html>';
    const obs = show(page, { contentType: 'text/html' });
    expect(isFinalOutcome(obs[0]!.outcome)).toBe(false);
  });

  test('the visitor-system page at 200 (documented: <title>Sina Visitor System</title>, research §1.5) → login_required', () => {
    const page =
      '<html><head><title>Sina Visitor System</title></head><body><script>var a=1</script></body></html>';
    expect(show(page, { contentType: 'text/html' })[0]?.outcome).toBe('login_required');
  });

  test('a post page (invented: a server-rendered template) that quotes 微博不存在或暂无查看权限 → unparseable', () => {
    // People write the notice into their own posts when complaining about deletions; a page carrying a
    // post's text is not the not-found page, however it words things.
    const page =
      '<html><head><title>微博正文</title></head><body><div class="weibo-text">又被删了，点进去只显示' +
      '“微博不存在或暂无查看权限！”我们一条条记下来。' +
      '截图和原文都存好了，欢迎补充。'.repeat(10) +
      '</div></body></html>';
    const obs = show(page, { contentType: 'text/html' });
    expect(obs[0]?.outcome).toBe('unparseable');
  });

  test('the documented not-found page without its error box class still counts (notice-sized page)', () => {
    const page =
      '<html><head><title>微博-出错了</title></head><body><p>微博不存在或暂无查看权限!</p></body></html>';
    expect(show(page, { contentType: 'text/html' })[0]?.outcome).toBe('gone_unspecified');
  });
});

describe('statuses/show: redirects to hosts nobody listed', () => {
  const asked = [SHOW_URL];
  test.each([
    // Invented: an unfollowed 302 to weibo.cn's "sorry" page (weibo.cn is a real Weibo front end, research §1.4).
    [
      'an unfollowed 302 to weibo.cn/sorry',
      { status: 302, headers: { location: 'https://weibo.cn/sorry?pagenotfound' } },
    ],
    // Invented: an account-security wall (security.weibo.com exists; frozen accounts are sent to verify).
    [
      'a followed redirect to security.weibo.com',
      { finalUrl: 'https://security.weibo.com/account/unfreeze', redirects: asked, contentType: 'text/html' },
    ],
    // Invented: the desktop home page after a cross-site redirect (research §1.1: visibility differs between hosts).
    [
      'a followed redirect to weibo.com/',
      { finalUrl: 'https://weibo.com/', redirects: asked, contentType: 'text/html' },
    ],
    // Invented: a 404 from a host other than the one asked (research §3.4's redirect loops end on other hosts).
    [
      'a 404 from weibo.cn after a redirect',
      { status: 404, finalUrl: 'https://weibo.cn/pub/', redirects: asked, contentType: 'text/html' },
    ],
  ] as const)('%s → not final', (_name, opts) => {
    const obs = show('<html><head><title>微博</title></head><body>随时随地发现新鲜事</body></html>', opts);
    expect(obs).toHaveLength(1);
    expect(isFinalOutcome(obs[0]!.outcome)).toBe(false);
  });
});

describe('placeholders: only a notice-shaped text in an mblog without author states a cause', () => {
  test('a short text without author that is someone speaking, not a notice (invented: user moved out of the mblog) → unparseable', () => {
    const obs = show({ ok: 1, data: { mid: MID, text: '我的上一条微博已被删除了，转发这条' } });
    expect(obs[0]?.outcome).toBe('unparseable');
  });

  test('the documented placeholder texts (research §3.1) still state their causes without a state field', () => {
    const cases: Array<[string, string]> = [
      ['抱歉，此微博已被作者删除。查看帮助：http://t.cn/Rfd3rQV', 'deleted_by_author'],
      ['该微博因被多人投诉，根据《微博社区公约》，已被删除。', 'removed_by_platform'],
      ['抱歉，由于作者设置，你暂时没有这条微博的查看权限哦。查看帮助：http://t.cn/RfdBWwP', 'restricted'],
      ['抱歉，此微博已被删除。', 'gone_unspecified'],
      ['由于博主设置，目前内容暂不可见。', 'restricted'],
    ];
    for (const [text, outcome] of cases) {
      const obs = show({ ok: 1, data: { mid: MID, text, user: null } });
      expect([text, obs[0]?.outcome]).toEqual([text, outcome]);
    }
  });

  test("a notice inside the quoted repost is the original's; the repost itself stays alive", () => {
    const data = {
      ...showSample.data,
      retweeted_status: {
        mid: '4383404751066167',
        text: '该微博因被多人投诉，根据《微博社区公约》，已被删除。查看帮助：http://t.cn/Rfd14WY',
        user: null,
        state: 8,
      },
    };
    const obs = show({ ok: 1, data });
    expect(obs.map((o) => [o.target.id, o.outcome])).toEqual([
      [MID, 'alive'],
      ['4383404751066167', 'removed_by_platform'],
    ]);
  });

  test("a repost whose own words are a notice keeps its author, so it is alive (invented, a user's joke)", () => {
    const data = { ...showSample.data, text: '抱歉，此微博已被作者删除。', retweeted_status: undefined };
    expect(show({ ok: 1, data })[0]?.outcome).toBe('alive');
  });
});

describe('the detail page: $render_data in shapes never captured', () => {
  const status = { mid: MID, text: '正文还在', user: USER };
  test.each([
    // Invented: $render_data assigned an object instead of the one-element array.
    ['an object literal instead of an array', `var $render_data = ${JSON.stringify({ status })};`],
    // Invented: the status moved under data (a plausible refactor of the H5 front end).
    [
      'the status under data.status',
      `var $render_data = ${JSON.stringify([{ data: { status } }])}[0] || {};`,
    ],
    // Invented: status null, as a page rendered for a post the server could not load.
    ['status: null', `var $render_data = ${JSON.stringify([{ status: null, call: 'x' }])}[0] || {};`],
    ['an empty array', 'var $render_data = [][0] || {};'],
    // Invented: a different state variable altogether.
    ['window.__INITIAL_STATE__ instead', `window.__INITIAL_STATE__ = ${JSON.stringify({ status })};`],
  ])('%s → unparseable', (_name, script) => {
    const obs = detail(renderDataPage(script));
    expect(obs).toHaveLength(1);
    expect(obs[0]?.outcome).toBe('unparseable');
  });

  test('a server-rendered detail page of a live post quoting the not-found notice → unparseable', () => {
    const page =
      '<html><head><title>微博正文 - 微博</title></head><body><article class="weibo-main">' +
      '<p>又被删了，原微博显示微博不存在或暂无查看权限，截图为证。</p>' +
      '<p>这是第三次了，每次转发都被吞掉，大家帮忙存档。</p>'.repeat(8) +
      '</article><script>window.__INITIAL_STATE__={}</script></body></html>';
    expect(detail(page)[0]?.outcome).toBe('unparseable');
  });

  test('the documented error box still states the cause (research §3.1: h5-4con)', () => {
    const page =
      '<html><head><title>微博-出错了</title></head><body><div class="h5-4box"><p class="h5-4con">由于作者隐私设置，你没有权限查看此微博</p></div></body></html>';
    expect(detail(page)[0]?.outcome).toBe('restricted');
  });
});

describe('weibo.com ajax/statuses/show and statuses/extend: unseen answers', () => {
  const ajax = (body: object | string) =>
    parseAjaxStatusShow(response(body, { url: AJAX_URL }), AT_2019, MID)[0]?.outcome;
  test('ok:1 with nothing at the top level, or an m.weibo.cn data wrapper (invented) → unparseable', () => {
    expect(ajax({ ok: 1 })).toBe('unparseable');
    expect(ajax({ ok: 1, data: { mid: MID, text: 'x', user: USER } })).toBe('unparseable');
    expect(ajax({ ok: 1, mid: MID, visible: { type: 1 } })).toBe('unparseable');
  });
  test('the documented refusals (research §3.3: message/error_code or msg/errno, string or number) still classify', () => {
    expect(ajax({ ok: 0, message: '该微博不存在', error_code: 20101 })).toBe('gone_unspecified');
    expect(ajax({ ok: 0, errno: '20101', msg: '该微博不存在' })).toBe('gone_unspecified');
    expect(ajax({ ok: 0 })).toBe('unparseable');
  });
  test('statuses/extend: a nested error or a bare page never becomes a final answer about the post', () => {
    const nested = parseExtend(response({ ok: 1, data: { ok: 0, msg: '未知错误' } }));
    expect(nested).toMatchObject({ kind: 'outcome', outcome: 'unparseable' });
    const page = parseExtend(response('<html><body>加载中…</body></html>', { contentType: 'text/html' }));
    expect(page).toMatchObject({ kind: 'outcome', outcome: 'unparseable' });
  });
});

describe('comments/hotflow: errors nobody captured', () => {
  const hotflow = (body: object | string, opts: Parameters<typeof response>[1] = {}) =>
    parseHotflow(response(body, { url: HOTFLOW_URL, ...opts }), AT_2019);
  test.each([
    // Invented: "no comments yet" as a refusal instead of an empty list.
    ['ok:0 暂无评论', { ok: 0, msg: '暂无评论' }],
    ['ok:1 with data: null', { ok: 1, data: null }],
    // Invented: data.data as an object keyed by id (RSSHub notes pics can be either, research §2.2).
    ['data.data as an object', { ok: 1, data: { data: { a: 1 }, max_id: 0 } }],
  ])('%s → unparseable', (_name, body) => {
    expect(hotflow(body)).toMatchObject({ kind: 'outcome', outcome: 'unparseable' });
  });
  test('403 on an old post (documented: weibo-crawler notes hotflow 403s for older posts) → rate_limited, not gone', () => {
    expect(hotflow('', { status: 403 })).toMatchObject({ kind: 'outcome', outcome: 'rate_limited' });
  });
});

describe('a deletion said of something other than the post', () => {
  // Invented but plausible: the comment and reply endpoints answer with the comment's own notice,
  // and a misrouted request can bring one to statuses/show. A comment or picture deleted says nothing
  // about the post; 该微博 / 此微博 notices keep their meaning.
  test.each([
    ['该评论已被删除', { ok: 0, msg: '该评论已被删除' }],
    ['此回复已被删除', { ok: 0, msg: '此回复已被删除' }],
    ['图片已被删除', { ok: 0, msg: '抱歉，图片已被删除' }],
    ['评论已删除 with errno 20101', { ok: 0, msg: '评论已删除', errno: '20101' }],
  ])('%s → unparseable on statuses/show, the detail page and hotflow', (_name, body) => {
    expect(show(body)[0]?.outcome).toBe('unparseable');
    const res = response(body, { url: DETAIL_URL, contentType: 'application/json' });
    expect(parseDetailPage(res, AT_2019, MID)[0]?.outcome).toBe('unparseable');
    expect(parseHotflow(response(body, { url: HOTFLOW_URL }), AT_2019)).toMatchObject({
      kind: 'outcome',
      outcome: 'unparseable',
    });
  });

  test('post notices that mention comments still state their cause', () => {
    expect(show({ ok: 0, msg: '抱歉，此微博已被删除。' })[0]?.outcome).toBe('gone_unspecified');
    expect(show({ ok: 0, msg: '该微博及其评论已被删除' })[0]?.outcome).toBe('gone_unspecified');
    expect(show({ ok: 0, msg: '该微博因被多人投诉，根据《微博社区公约》，已被删除。' })[0]?.outcome).toBe(
      'removed_by_platform',
    );
  });
});

describe('the detail page answered in the API shape with an error status', () => {
  // Invented but plausible: the detail URL served the JSON API's refusal with the status of its gateway.
  const detailJson = (body: object, status: number) =>
    parseDetailPage(
      response(body, { url: DETAIL_URL, status, contentType: 'application/json' }),
      AT_2019,
      MID,
    )[0]?.outcome;
  test('a rate-limit or login refusal at 404 says what it says, as on statuses/show', () => {
    const throttled = { ok: 0, errno: '100005', msg: '请求过于频繁，歇歇吧' };
    expect(detailJson(throttled, 404)).toBe('rate_limited');
    expect(show(throttled, { status: 404 })[0]?.outcome).toBe('rate_limited');
    expect(detailJson({ ok: -100, url: 'https://passport.weibo.cn/signin/welcome' }, 404)).toBe(
      'login_required',
    );
  });
  test('ok:1 with 410 contradicts itself → unparseable; an unknown refusal at 404 from the own host stays a 404', () => {
    expect(detailJson({ ok: 1, data: {} }, 410)).toBe('unparseable');
    expect(detailJson({ ok: 0, msg: '哎呀，出错了' }, 404)).toBe('gone_unspecified');
  });
});

describe('keyword search: a not-found answer is not "zero results"', () => {
  // Invented but plausible: a gateway 404 during a deploy, or a post's refusal misrouted to the search
  // API. Read as an empty search, either would make a keyword whose earlier results are alive look
  // withheld (search.blocked). On an account's timeline the same answer still reads as empty.
  const SEARCH_URL =
    'https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3D%E8%81%94%E5%90%88%E5%9B%BD&page_type=searchall';
  const TIMELINE_URL = 'https://m.weibo.cn/api/container/getIndex?containerid=1076031669879400';
  test.each([
    ['HTTP 404 with an empty body', '', 404],
    ['HTTP 410', '', 410],
    ['ok:0 该微博不存在', { ok: 0, msg: '该微博不存在' }, 200],
    ['ok:0 errno 20101', { ok: 0, errno: '20101' }, 200],
  ] as const)('%s → unparseable on a search, empty on a timeline', (_name, body, status) => {
    const search = parseSearchPage(response(body, { url: SEARCH_URL, status }), AT_2019, '联合国');
    expect(search.outcome).toBe('unparseable');
    expect(parseTimelinePage(response(body, { url: TIMELINE_URL, status }), AT_2019).outcome).toBe('empty');
  });
  test('the documented empty form stays empty (ok:0 这里还没有内容); ok:1 without cards says nothing', () => {
    const search = (body: object) =>
      parseSearchPage(response(body, { url: SEARCH_URL }), AT_2019, '联合国').outcome;
    expect(search({ ok: 0, msg: '这里还没有内容' })).toBe('empty');
    // No wording: an empty card list of a template not known is no "zero results" (it would read as withholding).
    expect(search({ ok: 1, data: { cards: [] } })).toBe('unparseable');
    // The words with more around them, or beside ok:1, are not Weibo's empty container.
    expect(search({ ok: 0, msg: '网友：这里还没有内容吗' })).toBe('unparseable');
    expect(search({ msg: '这里还没有内容', data: { cards: [] } })).toBe('unparseable');
  });
});

describe('a login wall served with 404 is a missing session, not a deletion', () => {
  // Invented but plausible: a gateway answering an unauthenticated request for a post with its login
  // page and the status of the page it could not show. The page states no absence of the post.
  const wall =
    '<html><head><title>微博-随时随地发现新鲜事</title></head><body><div class="login">请先登录后查看更多内容</div><a href="https://passport.weibo.cn/signin/login">登录</a></body></html>';
  test('on the detail page and on statuses/show', () => {
    expect(
      parseDetailPage(
        response(wall, { url: DETAIL_URL, status: 404, contentType: 'text/html' }),
        AT_2019,
        MID,
      )[0]?.outcome,
    ).toBe('login_required');
    expect(show(wall, { status: 404, contentType: 'text/html' })[0]?.outcome).toBe('login_required');
  });
  test('a 404 page with only a login link in its bar is still a 404 from the own host', () => {
    const notFound =
      '<html><head><title>404</title></head><body><a href="/login">登录</a><p>页面不存在</p></body></html>';
    expect(show(notFound, { status: 404, contentType: 'text/html' })[0]?.outcome).toBe('gone_unspecified');
  });
});
