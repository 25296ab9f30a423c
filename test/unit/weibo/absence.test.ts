import { isFinalOutcome } from '../../../src/domain/glossary';
import { parseAjaxStatusShow, parseMymblogPage } from '../../../src/platforms/weibo/ajax';
import { classifyJsonResponse } from '../../../src/platforms/weibo/classify';
import { parseHotflow } from '../../../src/platforms/weibo/comments';
import {
  parseDetailPage,
  parseSearchPage,
  parseStatusShow,
  parseTimelinePage,
  placeholderCause,
} from '../../../src/platforms/weibo/parse';
import { AT_2019, response, sample, sampleJson } from './helpers';

/**
 * The absence rule on every Weibo path that can end in a final outcome: only a known notice or
 * code, a 404/410 from the host asked, or a documented not-found page says a post is gone.
 * Maintenance pages, script challenges, cut-off bodies and unknown shapes are `unparseable`, with
 * the body kept as evidence.
 */

const MID = '4383411844046171';
const SHOW_URL = `https://m.weibo.cn/statuses/show?id=${MID}`;
const DETAIL_URL = `https://m.weibo.cn/detail/${MID}`;
const AJAX_URL = `https://weibo.com/ajax/statuses/show?id=${MID}`;
const TIMELINE_URL = 'https://m.weibo.cn/api/container/getIndex?containerid=1076031669879400';

const MAINTENANCE_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>系统维护中</title></head>' +
  '<body><div class="main"><h2>系统维护中，请稍后再试</h2><p>给您带来的不便，敬请谅解。</p></div></body></html>';
const CHALLENGE_PAGE =
  '<!DOCTYPE html><html><head><meta charset="utf-8">' +
  '<script>var t="a1b2c3";document.cookie="__cw_c="+t+"; path=/";location.reload();</script>' +
  '</head><body><noscript></noscript></body></html>';
const HOME_PAGE =
  '<!DOCTYPE html><html><head><title>微博</title></head><body><div id="app" class="m-container-max"></div></body></html>';
const showBody = sample('m_statuses_show_repost_2019.json');

function firstOutcome(obs: ReturnType<typeof parseStatusShow>): string | undefined {
  return obs[0]?.outcome;
}

describe('statuses/show: pages that say nothing about absence are unparseable, body kept', () => {
  const cases: Array<[string, string | Buffer, number?]> = [
    ['a maintenance page', MAINTENANCE_PAGE],
    ['a script-only challenge', CHALLENGE_PAGE],
    ['the home page where JSON was expected', HOME_PAGE],
    ['a live answer cut off half-way', showBody.subarray(0, Math.floor(showBody.length / 2))],
    ['a refusal cut off inside its notice', '{"ok":0,"errno":"20101","msg":"微博不存在或暂无查看权'],
    ['an unknown JSON shape with ok:1', JSON.stringify({ ok: 1, data: { weibo: { content: 'x' } } })],
    ['an unknown JSON shape without ok', JSON.stringify({ result: { status: 'ok' } })],
    ['ok:0 with an unknown message', JSON.stringify({ ok: 0, msg: '网络开小差了' })],
    ['a maintenance page at HTTP 404', MAINTENANCE_PAGE, 404],
    ['a script challenge at HTTP 404', CHALLENGE_PAGE, 404],
    ['an ok:1 body at HTTP 404', showBody, 404],
  ];
  test.each(cases)('%s → unparseable', (_name, body, status = 200) => {
    const res = response(body, { url: SHOW_URL, status });
    const obs = parseStatusShow(res, AT_2019, MID);
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({ outcome: 'unparseable', target: { id: MID } });
    expect(obs[0]?.evidence?.body).toEqual(res.body);
    // weibo.com/ajax reads the same answers the same way.
    const web = parseAjaxStatusShow(response(body, { url: AJAX_URL, status }), AT_2019, MID);
    expect(web[0]?.outcome).toBe('unparseable');
  });

  test('the maintenance and challenge pages are named as such', () => {
    expect(parseStatusShow(response(MAINTENANCE_PAGE), AT_2019, MID)[0]?.message).toMatch(
      /^maintenance page/,
    );
    expect(parseStatusShow(response(CHALLENGE_PAGE), AT_2019, MID)[0]?.message).toMatch(/script-only page/);
    expect(parseStatusShow(response('{"ok":1,"data":{"id":"1'), AT_2019, MID)[0]?.message).toMatch(
      /truncated or malformed JSON/,
    );
  });

  test('the positive statements still count: errno 20101, the error page, the notices', () => {
    const errno = response({ ok: 0, errno: '20101', msg: '微博不存在或暂无查看权限!' });
    expect(firstOutcome(parseStatusShow(errno, AT_2019, MID))).toBe('gone_unspecified');
    const code = response({ ok: 0, error_code: 20101 });
    expect(firstOutcome(parseStatusShow(code, AT_2019, MID))).toBe('gone_unspecified');
    const page = response(
      '<html><head><title>微博-出错了</title></head><body><div class="h5-4box"><p class="h5-4con">微博不存在或暂无查看权限!</p></div></body></html>',
    );
    expect(firstOutcome(parseStatusShow(page, AT_2019, MID))).toBe('gone_unspecified');
    const notice = response({ ok: 0, msg: '该微博因被多人投诉，根据《微博社区公约》，已被删除。' });
    expect(firstOutcome(parseStatusShow(notice, AT_2019, MID))).toBe('removed_by_platform');
  });
});

describe('HTTP 404/410 is a statement only from the host that was asked', () => {
  test('404 from m.weibo.cn itself → gone_unspecified', () => {
    const res = response('<html><head><title>404 Not Found</title></head></html>', {
      url: SHOW_URL,
      status: 404,
    });
    expect(classifyJsonResponse(res)).toMatchObject({ outcome: 'gone_unspecified', message: 'HTTP 404' });
  });

  test('410 from weibo.com answered under www.weibo.com → still the host asked', () => {
    const res = response('', {
      url: AJAX_URL,
      finalUrl: AJAX_URL.replace('//weibo.com', '//www.weibo.com'),
      status: 410,
    });
    expect(classifyJsonResponse(res)).toMatchObject({ outcome: 'gone_unspecified' });
  });

  test('404 after a redirect to another host (a CDN, a mirror) → unparseable', () => {
    const res = response('<html><head><title>404 Not Found</title></head></html>', {
      url: SHOW_URL,
      finalUrl: 'https://cdn.example.net/statuses/show?id=1',
      redirects: ['https://cdn.example.net/statuses/show?id=1'],
      status: 404,
    });
    const c = classifyJsonResponse(res);
    expect(c).toMatchObject({ outcome: 'unparseable' });
    expect(c.kind === 'outcome' && c.message).toMatch(/not the host asked/);
    const obs = parseStatusShow(res, AT_2019, MID);
    expect(obs[0]?.outcome).toBe('unparseable');
  });
});

describe("the detail page: only the page's own words are its statement", () => {
  const status = sampleJson<{ data: Record<string, unknown> }>('m_statuses_show_repost_2019.json').data;
  const quoting = { ...status, text: '有人说“微博不存在或暂无查看权限”，其实还在。已被删除？没有。' };
  const page =
    '<html><head><title>微博正文 - 微博HTML5版</title></head><body><div id="app"></div><script>\n' +
    `var $render_data = ${JSON.stringify([{ status: quoting, call: 'GetWeiboDetail' }], null, 4)}[0] || {};\n` +
    '</script></body></html>';

  test('a live page whose post quotes the notice is alive', () => {
    expect(parseDetailPage(response(page, { url: DETAIL_URL }), AT_2019, MID)[0]?.outcome).toBe('alive');
  });

  test('the same page cut off inside $render_data → unparseable, not gone', () => {
    const cut = page.slice(0, page.indexOf('其实还在'));
    const obs = parseDetailPage(response(cut, { url: DETAIL_URL }), AT_2019, MID);
    expect(obs[0]?.outcome).toBe('unparseable');
    expect(obs[0]?.evidence?.body.toString('utf8')).toBe(cut);
  });

  test('maintenance and challenge pages on the detail URL → unparseable', () => {
    for (const body of [MAINTENANCE_PAGE, CHALLENGE_PAGE]) {
      expect(parseDetailPage(response(body, { url: DETAIL_URL }), AT_2019, MID)[0]?.outcome).toBe(
        'unparseable',
      );
    }
  });

  test('the error box still states the cause: 由于作者隐私设置 → restricted', () => {
    const box =
      '<html><head><title>微博-出错了</title></head><body><p class="h5-4con">由于作者隐私设置，你没有权限查看此微博</p></body></html>';
    expect(parseDetailPage(response(box, { url: DETAIL_URL }), AT_2019, MID)[0]?.outcome).toBe('restricted');
  });
});

describe('placeholders: a notice only from an mblog shaped like one', () => {
  test('the real placeholders keep their causes', () => {
    const deleted = sampleJson<Record<string, unknown>>(
      'm_retweet_placeholder_deleted_by_author_stablog.json',
    );
    const hidden = sampleJson<Record<string, unknown>>('m_retweet_placeholder_halfyear_hidden_stablog.json');
    expect(placeholderCause(deleted)?.outcome).toBe('deleted_by_author');
    expect(placeholderCause(hidden)?.outcome).toBe('restricted');
  });

  test('an mblog without author whose long text mentions a deletion → unparseable', () => {
    const text = `${'今天看到好几条讨论都不见了，'.repeat(6)}我的上一条微博已被删除，大家怎么看？`;
    expect(placeholderCause({ mid: MID, text, user: null })?.outcome).toBe('unparseable');
  });

  test('deleted: "1" on an mblog that still has its author → unparseable', () => {
    expect(
      placeholderCause({ mid: MID, text: '正常的微博', deleted: '1', user: { id: 1, screen_name: 'a' } })
        ?.outcome,
    ).toBe('unparseable');
  });
});

describe('listings: no posts is empty only when the page says so', () => {
  test('cards of an unknown kind and no post → unparseable, not empty', () => {
    const body = {
      ok: 1,
      data: { cardlistInfo: { total: 3 }, cards: [{ card_type: 999, weibo: { id: MID } }] },
    };
    const r = parseTimelinePage(response(body, { url: TIMELINE_URL }), AT_2019);
    expect(r.outcome).toBe('unparseable');
    expect(r.evidence?.body).toEqual(response(body).body);
  });

  test('a post card whose mblog cannot be read → unparseable, not empty', () => {
    const body = { ok: 1, data: { cards: [{ card_type: 9, mblog: { text: 'no id' } }] } };
    expect(parseSearchPage(response(body), AT_2019, 'k').outcome).toBe('unparseable');
  });

  test('only an end card → empty; no cards at all says nothing → unparseable', () => {
    const end = { ok: 1, data: { cards: [{ card_type: 58, name: '没有更多内容了' }] } };
    expect(parseTimelinePage(response(end), AT_2019).outcome).toBe('empty');
    // Read as empty, an account's every alive post would be checked as possibly gone.
    expect(parseTimelinePage(response({ ok: 1, data: { cards: [] } }), AT_2019).outcome).toBe('unparseable');
  });

  test('a maintenance page or cut-off JSON on a listing → unparseable, never empty', () => {
    const timeline = sample('m_getIndex_timeline_107603_2019_first3cards.json');
    for (const body of [MAINTENANCE_PAGE, CHALLENGE_PAGE, timeline.subarray(0, 3000)]) {
      expect(parseTimelinePage(response(body, { url: TIMELINE_URL }), AT_2019).outcome).toBe('unparseable');
      expect(parseSearchPage(response(body), AT_2019, 'k').outcome).toBe('unparseable');
    }
  });
});

describe('comment threads: a cut-off or odd hotflow answer is never a gone post', () => {
  const hotflow = sample('m_comments_hotflow_2019_first3.json');
  test.each([
    ['cut off', hotflow.subarray(0, 500)],
    ['maintenance', Buffer.from(MAINTENANCE_PAGE)],
    ['challenge', Buffer.from(CHALLENGE_PAGE)],
  ])('%s → unparseable', (_name, body) => {
    const r = parseHotflow(response(body), AT_2019);
    expect(r.kind === 'outcome' && r.outcome).toBe('unparseable');
    expect(r.kind === 'outcome' && isFinalOutcome(r.outcome)).toBe(false);
  });
});

describe('weibo.com mymblog: entries that cannot be read are not an empty timeline', () => {
  const url = 'https://weibo.com/ajax/statuses/mymblog?uid=1669879400&page=1&feature=0';
  test('a list of unreadable entries → unparseable; an empty list → empty', () => {
    const odd = { ok: 1, data: { list: [{ content: 'v3' }, 5], since_id: '', total: 2 } };
    expect(parseMymblogPage(response(odd, { url }), AT_2019).outcome).toBe('unparseable');
    const none = { ok: 1, data: { list: [], since_id: '', total: 0 } };
    expect(parseMymblogPage(response(none, { url }), AT_2019).outcome).toBe('empty');
  });
});
