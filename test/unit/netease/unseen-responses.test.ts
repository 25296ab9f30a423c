import { readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { isFinalOutcome } from '../../../src/domain/glossary';
import {
  decodeBody,
  isHomeOrChannelUrl,
  parseArticle,
  parseCommentList,
  parseCommentThreadInfo,
} from '../../../src/platforms/netease';
import { ARTICLE_URL, DOCID, reference, response } from './support';

/**
 * NetEase answers the other tests do not cover, per endpoint the client calls (article pages, the
 * comment thread info and newList). No deleted-article capture exists (research/netease.md §4), so
 * most shapes here are invented; each case says why it is plausible. The rule checked throughout:
 * no final outcome without a positive statement of absence, and the documented signals still count.
 */

const REAL = reference('article_news_KC12OUHK000189FH.trimmed.html').toString('utf8');
const TEMPLATES = path.join(__dirname, '../../fixtures/netease-templates');
const THREAD_URL = `https://comment.api.163.com/api/v1/products/a2869674571f77b5a0867c3d71db5856/threads/${DOCID}`;
const LIST_URL = `${THREAD_URL}/comments/newList?ibc=newspc&limit=30&offset=0`;
const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' };

function article(init: Parameters<typeof response>[0]) {
  return parseArticle(response(init), 0, DOCID);
}
function redirectTo(location: string) {
  return article({ status: 302, headers: { location, 'content-type': 'text/html' } });
}

describe('redirects: only a news home or channel page stands for a removal', () => {
  test.each([
    // research §4.2: retired pages "redirect to the homepage"; the channel forms are the same idea.
    'https://www.163.com/',
    'https://news.163.com/',
    'https://www.163.com/news/',
    'https://www.163.com/sports/index.html',
    'https://www.163.com/404',
  ])('%s → gone_unspecified', (location) => {
    expect(redirectTo(location).outcome).toBe('gone_unspecified');
  });

  test.each([
    // Invented but plausible: NetEase's own captcha service is 易盾 (dun.163.com); a challenge redirect goes there.
    'https://dun.163.com/',
    // Invented: a verification or login wall on a 163.com host (reg.163.com and mail.163.com are real login hosts).
    'https://verify.163.com/check',
    'https://reg.163.com/',
    'https://mail.163.com/',
    // Invented: walls and tools on www.163.com itself, one path segment like a channel.
    'https://www.163.com/captcha',
    'https://www.163.com/search',
    'https://www.163.com/login',
    'https://www.163.com/special/',
    // Invented: somewhere else entirely.
    'https://example.com/',
  ])('%s → unparseable, never gone', (location) => {
    const obs = redirectTo(location);
    expect(obs.outcome).toBe('unparseable');
    expect(obs.message).toContain(location);
    expect(isHomeOrChannelUrl(location)).toBe(false);
  });

  test('a followed redirect to the home page that serves a maintenance page → unparseable (invented: the CDN parks traffic at /)', () => {
    const obs = article({
      redirects: [ARTICLE_URL],
      finalUrl: 'https://www.163.com/',
      body: '<html><head><title>系统维护</title></head><body><p>系统维护中，请稍后访问。</p></body></html>',
    });
    expect(obs.outcome).toBe('unparseable');
    expect(obs.message).toMatch(/maintenance/);
  });

  test('the CDN error_isp redirect (documented, research §4.1) stays server_error', () => {
    expect(redirectTo('http://www.163.com/special/0077jt/error_isp.html').outcome).toBe('server_error');
  });
});

describe('HTTP 404/410 is a statement unless the page says something else', () => {
  test.each([
    // Invented: maintenance and challenge pages served with 404 (Weibo's parser already treats these so).
    [
      'a maintenance page',
      '<html><head><title>系统维护中</title></head><body><h1>系统维护中，请稍后访问</h1></body></html>',
      /maintenance/,
    ],
    [
      'a script-only challenge',
      '<html><head><script>document.cookie="c=1";location.reload()</script></head><body></body></html>',
      /script-only/,
    ],
    // Invented: a gateway's login page served with the status of the article it would not show.
    [
      'a login wall',
      '<html><head><title>网易通行证</title></head><body><div>请先登录后查看</div><a href="https://reg.163.com/">注册</a></body></html>',
      /login page/,
    ],
  ])('%s at 404 → unparseable', (_name, body, message) => {
    const obs = article({ status: 404, body });
    expect(obs.outcome).toBe('unparseable');
    expect(obs.message).toMatch(message);
  });

  test('a plain 404 and 410 from the article URL still mean gone (documented absence rule)', () => {
    expect(article({ status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>' }).outcome).toBe(
      'gone_unspecified',
    );
    expect(article({ status: 410 }).outcome).toBe('gone_unspecified');
  });
});

describe('200 pages: new templates and soft errors', () => {
  test('the real article with its template classes renamed (a redesign) → unparseable, body kept', () => {
    const body = REAL.replace(/post_title/g, 'article_title_v3').replace(/post_body/g, 'article_body_v3');
    const obs = article({ body });
    expect(obs.outcome).toBe('unparseable');
    expect(obs.evidence?.body.toString('utf8')).toBe(body);
  });

  test('a short news flash in an unknown template whose text says a video "已被删除" → unparseable', () => {
    // Invented: a 快讯 page short enough to pass for a notice; its publish time marks it as an article.
    const flash =
      '<html data-publishtime="2025-10-01 10:00:00"><head><meta property="article:published_time" content="2025-10-01T10:00:00+08:00">' +
      '<title>快讯_网易新闻</title></head><body><h1 class="news-title">快讯</h1><div class="news-content">' +
      '<p>记者从平台获悉，涉事视频已被删除。</p></div></body></html>';
    expect(article({ body: flash }).outcome).toBe('unparseable');
    // The same page with its comment config and no time metas is still an article page.
    const withConfig = flash
      .replace(/ data-publishtime="[^"]*"/, '')
      .replace(/<meta property="article:published_time"[^>]*>/, '')
      .replace(
        '</body>',
        `<script>var config = {"productKey": "a2869674571f77b5a0867c3d71db5856", "docId": "${DOCID}"};</script></body>`,
      );
    expect(article({ body: withConfig }).outcome).toBe('unparseable');
  });

  test.each([
    // Invented soft-error wordings that state no absence: expired, temporarily unreachable, login needed.
    '<html><head><title>网易</title></head><body><div class="err">抱歉，您访问的内容已失效</div></body></html>',
    '<html><head><title>网易</title></head><body><p>很抱歉，该页面暂时无法访问！</p></body></html>',
    '<html><head><title>网易</title></head><body><p>请登录后查看全文</p></body></html>',
    '<html><head><title>网易</title></head><body><p>网络不给力，请稍后重试</p></body></html>',
  ])('a soft error without a statement of absence → not final: %s', (body) => {
    expect(isFinalOutcome(article({ body }).outcome)).toBe(false);
  });

  test('the research §4.5 soft-404 wording on a short page still counts', () => {
    const body =
      '<html><head><title>网易</title></head><body><p>抱歉，您访问的页面不存在！</p></body></html>';
    expect(article({ body }).outcome).toBe('gone_unspecified');
  });

  test('JSON or plain text at the article URL is not a page and states nothing', () => {
    expect(article({ body: '{"code":404,"msg":"文章不存在"}', headers: JSON_TYPE }).outcome).toBe(
      'unparseable',
    );
    expect(article({ body: '页面不存在', headers: { 'content-type': 'text/plain' } }).outcome).toBe(
      'unparseable',
    );
  });
});

describe('short pages in an unknown template that report deletions of something else', () => {
  // Invented but plausible: 快讯 and 辟谣 items are a few sentences long, carry no publish-time metas
  // in a template the parser does not know, and are exactly what a censorship watch finds. Their
  // words are about other posts; only a notice naming this page (该文章, 您访问的页面) states absence.
  test.each([
    [
      'a regulator flash: 相关帖文已被删除',
      '<html><head><title>网信办通报_网易新闻</title></head><body><h1>网信办通报</h1><p>经核查，网传视频内容不实，相关帖文已被删除。</p></body></html>',
    ],
    [
      'a debunk: 原帖已被删除',
      '<html><head><title>辟谣</title></head><body><h2>辟谣</h2><p>某地发生爆炸？系谣言，原帖已被删除。</p><p>来源：网信办</p></body></html>',
    ],
    [
      'a report of a ban: 因违反相关规定…屏蔽并下线',
      '<html><head><title>快讯</title></head><body><h1>某博主因违规被处理</h1><p>平台称该博主因违反相关规定，内容已被屏蔽并下线。</p></body></html>',
    ],
    [
      'a reader complaint: 已被删除三次',
      '<html><head><title>网易号</title></head><body><p>网友：我的评论又被删除了！已被删除三次</p></body></html>',
    ],
    [
      'a report of other content: 相关内容已被删除',
      '<html><head><title>快讯</title></head><body><p>记者联系平台后，相关内容已被删除。</p></body></html>',
    ],
    [
      'a comment notice: 该跟贴已被删除 (says nothing of the article)',
      '<html><head><title>网易跟贴</title></head><body><p>该跟贴已被删除</p></body></html>',
    ],
  ])('%s → unparseable, body kept', (_name, body) => {
    const obs = article({ body });
    expect(obs.outcome).toBe('unparseable');
    expect(obs.evidence?.body.toString('utf8')).toBe(body);
  });

  test.each([
    // The notices naming this page still count, after a logo or a heading line of their own.
    ['<p>抱歉，您访问的页面不存在！</p>', 'gone_unspecified'],
    ['<div class="logo">网易新闻</div><p>抱歉，您访问的页面不存在！</p>', 'gone_unspecified'],
    ['<h1>404</h1><p>页面不存在</p>', 'gone_unspecified'],
    ['<p>该文章已删除</p>', 'gone_unspecified'],
    ['<p>对不起，该稿件已被删除。</p>', 'gone_unspecified'],
    ['<p>该内容正在审核中</p>', 'gone_unspecified'],
    ['<div class="err">抱歉，该文章因违反相关法律法规已被删除。</div>', 'removed_by_platform'],
    ['<p>由于违反相关规定，该内容已被删除</p>', 'removed_by_platform'],
    ['<p>该内容已被作者本人删除</p>', 'deleted_by_author'],
    ['<p>由于作者设置，你暂时无法查看</p>', 'restricted'],
  ])('a notice page %s → %s', (inner, outcome) => {
    const body = `<html><head><title>网易</title></head><body>${inner}</body></html>`;
    expect(article({ body }).outcome).toBe(outcome);
  });
});

describe('GBK pages that declare no charset', () => {
  // Invented but plausible: research §2 says older subdomain pages are GBK and that the charset is
  // often declared only in a <meta> tag; a page that lost its meta (or a proxy that dropped the header) is one step on.
  const undeclared = REAL.replace(/<meta charset="[^"]*"\s*\/?>/i, '').replace(/charset=[\w-]+/gi, '');

  test('the real article re-encoded as GBK with no declaration reads as the same text', () => {
    const utf8 = article({ body: REAL });
    const gbk = article({ body: iconv.encode(undeclared, 'gbk'), headers: { 'content-type': 'text/html' } });
    expect(gbk.outcome).toBe('alive');
    expect(gbk.content?.title).toBe(utf8.content?.title);
    expect(gbk.content?.text).toBe(utf8.content?.text);
  });

  test('an undeclared GBK notice page is read as its words', () => {
    const body = iconv.encode('<html><body><p>抱歉，您访问的页面不存在！</p></body></html>', 'gbk');
    expect(article({ body, headers: { 'content-type': 'text/html' } }).outcome).toBe('gone_unspecified');
  });

  test('an undeclared UTF-8 page cut inside its last character is still UTF-8', () => {
    const bytes = Buffer.from('<html><body><p>联合国大会</p></body></html>联', 'utf8');
    expect(decodeBody(bytes.subarray(0, bytes.length - 1)).charset).toBe('utf-8');
  });

  test('the GB2312 dy-v2 fixture without its meta still decodes', () => {
    const raw = readFileSync(path.join(TEMPLATES, 'dy-v2.gb2312.html'));
    const stripped = Buffer.from(raw.toString('latin1').replace(/charset=[\w-]+/gi, ''), 'latin1');
    expect(decodeBody(stripped).text).toBe(decodeBody(raw).text.replace(/charset=[\w-]+/gi, ''));
  });
});

describe('comment API errors', () => {
  test('a 404 from the comment API after a redirect elsewhere is not a statement (invented: API retired to a portal page)', () => {
    const r = parseCommentThreadInfo(
      response({
        url: THREAD_URL,
        status: 404,
        redirects: [THREAD_URL],
        finalUrl: 'https://www.163.com/404',
        headers: JSON_TYPE,
        body: '{}',
      }),
    );
    expect(r).toMatchObject({ ok: false, outcome: 'unparseable' });
  });

  test.each([
    // Invented: a not-found error object at 200 in the documented {code, message} shape (research §3.3).
    [
      'thread info {code:40403} at 200',
      () =>
        parseCommentThreadInfo(
          response({
            url: THREAD_URL,
            headers: JSON_TYPE,
            body: '{"code":"40403","message":"Thread not found"}',
          }),
        ),
    ],
    [
      'thread info JSON null',
      () => parseCommentThreadInfo(response({ url: THREAD_URL, headers: JSON_TYPE, body: 'null' })),
    ],
    [
      'thread info HTML notice at 200',
      () =>
        parseCommentThreadInfo(response({ url: THREAD_URL, body: '<html><body>页面不存在</body></html>' })),
    ],
    // Documented: 42212 Illegal pagination parameters (research §3.3).
    [
      'newList 42212',
      () =>
        parseCommentList(
          response({
            url: LIST_URL,
            headers: JSON_TYPE,
            body: '{"code":"42212","message":"Illegal pagination parameters"}',
          }),
        ),
    ],
    // Invented: the same error inside a JSONP wrapper (research §3.2: callback turns on JSONP).
    [
      'newList 42212 as JSONP',
      () =>
        parseCommentList(
          response({
            url: LIST_URL,
            headers: JSON_TYPE,
            body: 'getData({"code":"42212","message":"Illegal pagination parameters"});',
          }),
        ),
    ],
  ])('%s → unparseable', (_name, parse) => {
    expect(parse()).toMatchObject({ ok: false, outcome: 'unparseable' });
  });

  test('a throttled comment list (403/429) is rate_limited, never gone', () => {
    for (const status of [403, 429]) {
      expect(
        parseCommentList(response({ url: LIST_URL, status, headers: JSON_TYPE, body: '' })),
      ).toMatchObject({
        ok: false,
        outcome: 'rate_limited',
      });
    }
  });

  test('an offset past the end (documented: empty ids and map) is an empty page, not an error', () => {
    const r = parseCommentList(
      response({
        url: LIST_URL,
        headers: JSON_TYPE,
        body: '{"commentIds":[],"comments":{},"newListSize":9037}',
      }),
    );
    expect(r).toMatchObject({ ok: true, value: { chains: [], comments: [] } });
  });
});
