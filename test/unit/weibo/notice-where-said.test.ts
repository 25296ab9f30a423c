import { classifyMessage } from '../../../src/platforms/weibo/classify';
import { parseHotflow } from '../../../src/platforms/weibo/comments';
import { parseDetailPage, parseSearchPage, parseStatusShow } from '../../../src/platforms/weibo/parse';
import { AT_2019, response } from './helpers';

/**
 * Notices read only where and as Weibo states them: not from an error box the page keeps hidden,
 * not from a comment switch-off, not from a question in an authorless object; and the documented
 * notices still read when sent HTML-escaped or in traditional characters.
 */

const MID = '4383411844046171';
const SHOW_URL = `https://m.weibo.cn/statuses/show?id=${MID}`;
const DETAIL_URL = `https://m.weibo.cn/detail/${MID}`;
const HOTFLOW_URL = `https://m.weibo.cn/comments/hotflow?id=${MID}&mid=${MID}&max_id_type=0`;
const SEARCH_URL =
  'https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3D%E8%81%94%E5%90%88%E5%9B%BD&page_type=searchall&page=1';

function detail(html: string) {
  return parseDetailPage(response(html, { url: DETAIL_URL, contentType: 'text/html' }), AT_2019, MID);
}
function show(body: object) {
  return parseStatusShow(response(body, { url: SHOW_URL }), AT_2019, MID);
}

/** An H5 shell whose post comes by script, with the error box (research §3.1: h5-4box/h5-4con) kept for it. */
function shell(box: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>微博</title></head><body><div id="app"></div>${box}<script src="//h5.sinaimg.cn/m/weibo-lite/js/app.js"></script></body></html>`;
}

describe('a detail page that keeps its error box hidden states nothing', () => {
  test.each([
    [
      'style="display:none" on the box',
      '<div class="h5-4box" style="display:none"><p class="h5-4con">微博不存在或暂无查看权限!</p></div>',
    ],
    [
      'the hidden attribute on the box',
      '<div class="h5-4box" hidden><p class="h5-4con">抱歉，此微博已被作者删除。</p></div>',
    ],
    [
      'a hiding class on the box',
      '<div class="h5-4box hide"><p class="h5-4con">该微博因被多人投诉，根据《微博社区公约》，已被删除。</p></div>',
    ],
    [
      'visibility:hidden on the text itself',
      '<div class="h5-4box"><p class="h5-4con" style="visibility: hidden">由于作者隐私设置，你没有权限查看此微博</p></div>',
    ],
  ])('%s → unparseable, not gone', (_name, box) => {
    const [obs] = detail(shell(box));
    expect(obs?.outcome).toBe('unparseable');
    expect(obs?.message).toMatch(/hidden/);
  });

  test('the same box shown states its cause (the documented page)', () => {
    const [obs] = detail(
      shell('<div class="h5-4box"><p class="h5-4con">抱歉，此微博已被作者删除。</p></div>'),
    );
    expect(obs?.outcome).toBe('deleted_by_author');
  });

  test('a not-found sentence outside the box, hidden, is no statement either', () => {
    const [obs] = detail(shell('<div style="display: none">微博不存在或暂无查看权限!</div>'));
    expect(obs?.outcome).toBe('unparseable');
  });
});

describe('an error box written with character references reads as the notice it shows', () => {
  test('每字转义的作者删除 (&#x6B64;&#x5FAE;&#x535A;…) → deleted_by_author, the message decoded', () => {
    const escaped = [...'抱歉，此微博已被作者删除。']
      .map((c) => `&#x${c.codePointAt(0)!.toString(16).toUpperCase()};`)
      .join('');
    const [obs] = detail(
      `<html><head><title>微博-出错了</title></head><body><div class="h5-4box"><p class="h5-4con">${escaped}</p></div></body></html>`,
    );
    expect(obs?.outcome).toBe('deleted_by_author');
    expect(obs?.message).toBe('抱歉，此微博已被作者删除。');
  });

  test('an escaped msg in JSON reads too (entities decoded before matching)', () => {
    expect(
      classifyMessage(
        '&#x5FAE;&#x535A;&#x4E0D;&#x5B58;&#x5728;&#x6216;&#x6682;&#x65E0;&#x67E5;&#x770B;&#x6743;&#x9650;!',
      ),
    ).toBe('gone_unspecified');
  });
});

describe('comments or reposts switched off, and sub-items hidden, are no statement about the post', () => {
  test.each([
    '由于博主设置，该微博评论已关闭',
    '由于博主设置，仅粉丝可评论',
    '由于博主设置，仅关注的人可评论',
    '博主已关闭评论',
    '该微博评论区已关闭',
  ])('%s: not restricted on statuses/show, nor on hotflow', (msg) => {
    expect(classifyMessage(msg)).toBeNull();
    expect(show({ ok: 0, msg })[0]?.outcome).toBe('unparseable');
    const hot = parseHotflow(response({ ok: 0, msg }, { url: HOTFLOW_URL }), AT_2019);
    expect(hot.kind === 'outcome' && hot.outcome).toBe('unparseable');
  });

  test.each([
    // CDT's taxonomy (research §5): "repost button removed", "reposting from the original disabled".
    '由于博主设置，该微博不支持转发',
    '由于博主设置，此微博暂不支持转发',
    // A comment or a picture hidden is not the post hidden.
    '该评论仅自己可见',
    '由于博主设置，该图片仅粉丝可见',
  ])('%s: said of something other than whether the post is shown → no statement', (msg) => {
    expect(classifyMessage(msg)).toBeNull();
    expect(show({ ok: 0, msg })[0]?.outcome).toBe('unparseable');
  });

  test('errno 20120 (由于作者设置了可见性，你没有权限转发此微博) still names visibility: restricted', () => {
    expect(classifyMessage('由于作者设置了可见性，你没有权限转发此微博', '20120')).toBe('restricted');
  });

  test('the blogger-setting notice about the post itself is still restricted (research §3.1)', () => {
    expect(classifyMessage('由于博主设置，目前内容暂不可见。')).toBe('restricted');
    expect(classifyMessage('根据博主设置，此内容无法访问')).toBe('restricted');
  });
});

describe('an authorless mblog whose text asks or quotes is no placeholder', () => {
  test.each([
    ['a question about the notice', '此微博已被作者删除？真的吗'],
    ['the notice in quotation marks', '该微博“因被多人投诉已被删除”'],
  ])('%s → unparseable', (_name, text) => {
    const [obs] = show({ ok: 1, data: { id: MID, mid: MID, user: null, text } });
    expect(obs?.outcome).toBe('unparseable');
  });

  test('the documented placeholder with its help link still reads (research §3.1)', () => {
    const [obs] = show({
      ok: 1,
      data: {
        id: MID,
        mid: MID,
        user: null,
        text: "抱歉，此微博已被作者删除。查看帮助：<a href='http://t.cn/Rfd3rQV?from=h5' data-hide=''>网页链接</a>",
      },
    });
    expect(obs?.outcome).toBe('deleted_by_author');
  });
});

describe('documented notices in traditional characters (older and HK/TW front ends)', () => {
  test('搜索結果未予顯示 as the whole ok:0 msg → withheld', () => {
    const r = parseSearchPage(
      response({ ok: 0, msg: '根據相關法律法規和政策，搜索結果未予顯示' }, { url: SEARCH_URL }),
      AT_2019,
      '联合国',
    );
    expect(r.outcome).toBe('withheld');
  });

  test.each([
    ['該帳號因用戶自行申請關閉，現已無法查看。', 'account_gone'],
    ['該賬號因被投訴違反《微博社區公約》的相關規定，現已無法查看。', 'account_gone'],
    ['請求過於頻繁，歇歇吧', 'rate_limited'],
    ['由於博主設置，該微博評論已關閉', null],
  ])('%s → %s', (msg, expected) => {
    expect(classifyMessage(msg)).toBe(expected);
  });
});
