/**
 * The inputs the hostile-platform test (./hostile) found reading as a final outcome, or as wrong
 * alive content, each as a named case: a notice where a page's own statement never is, a cut-off
 * notice page, an answer from off the platform or in a redirect's body, a wall on the way home,
 * charset declarations the bytes contradict, and answers about another post, article or thread.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { isFinalOutcome, type Outcome } from '../../../src/domain/glossary';
import type { HttpResponse } from '../../../src/http/types';
import {
  decodeBody,
  parseArticle,
  parseCommentList,
  parseCommentThreadInfo,
} from '../../../src/platforms/netease';
import { parseHotflow } from '../../../src/platforms/weibo/comments';
import { parseDetailPage, parseSearchPage, parseStatusShow } from '../../../src/platforms/weibo/parse';
import { errorPage } from '../../../src/sim/weibo/pages';
import { response } from '../netease/support';
import { softNotFoundPage } from '../../../src/sim/netease/format';

const REF = join(__dirname, '..', '..', 'fixtures', 'reference');
const ref = (p: string): Buffer => readFileSync(join(REF, p));
const AT = Date.UTC(2024, 0, 10);
const MID = '4383411844046171';
const DOCID = 'KC12OUHK000189FH';
const SHOW = `https://m.weibo.cn/statuses/show?id=${MID}`;
const DETAIL = `https://m.weibo.cn/detail/${MID}`;
const ARTICLE = `https://www.163.com/news/article/${DOCID}.html`;
const CDN = 'https://cdn.example.net/cache/page';

const res = (
  url: string,
  body: string | Buffer,
  o: Partial<Omit<HttpResponse, 'body' | 'url'>> = {},
): HttpResponse => response({ ...o, url, body });
const json = (v: unknown): string => JSON.stringify(v);
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const outcomes = (obs: readonly { target: { id: string }; outcome: string }[]): string[][] =>
  obs.map((o) => [o.target.id, o.outcome]);
const final = (o: string): boolean => isFinalOutcome(o as Outcome);

const showRepost = JSON.parse(ref('weibo/m_statuses_show_repost_2019.json').toString('utf8')) as {
  ok: number;
  data: Record<string, unknown>;
};
function placeholder(file: string): Record<string, unknown> {
  const v = JSON.parse(ref(`weibo/${file}`).toString('utf8')) as Record<string, unknown>;
  delete v['_provenance'];
  return v;
}
const withOriginal = (rt: unknown): string =>
  json({ ...showRepost, data: { ...showRepost.data, retweeted_status: rt } });

describe('Weibo: a notice counts only where the page states it', () => {
  test('the H5 error page cut off before </body> is unparseable, its body kept (was gone_unspecified)', () => {
    const page = errorPage('微博不存在或暂无查看权限!');
    const cut = page.slice(0, page.indexOf('</div>'));
    const [obs] = parseDetailPage(res(DETAIL, cut), AT, MID);
    expect(obs).toMatchObject({ outcome: 'unparseable' });
    expect(obs?.evidence?.body.toString('utf8')).toBe(cut);
    // The whole page still states it.
    expect(parseDetailPage(res(DETAIL, page), AT, MID)[0]?.outcome).toBe('gone_unspecified');
  });

  test('the notice in the <title> only is unparseable (was gone_unspecified)', () => {
    const page = '<html><head><title>微博不存在或暂无查看权限!</title></head><body></body></html>';
    expect(parseDetailPage(res(DETAIL, page), AT, MID)[0]?.outcome).toBe('unparseable');
  });

  test('the notice in a <template> is unparseable (was gone_unspecified)', () => {
    const page =
      '<html><body><template><p>微博不存在或暂无查看权限!</p></template><div id="app"></div></body></html>';
    expect(parseStatusShow(res(SHOW, page), AT, MID)[0]?.outcome).toBe('unparseable');
  });

  test('the notice quoted in a question is unparseable (was gone_unspecified on hotflow)', () => {
    const page = '<html><body><p>网友提问：“微博不存在或暂无查看权限!”是什么意思？</p></body></html>';
    const h = parseHotflow(res('https://m.weibo.cn/comments/hotflow?id=1&mid=1&max_id_type=0', page), AT);
    expect(h).toMatchObject({ kind: 'outcome', outcome: 'unparseable' });
  });

  test('a JSONP-wrapped refusal is read as the envelope it wraps', () => {
    const body = 'jsonp_cb({"ok":0,"errno":"20101","msg":"微博不存在或暂无查看权限"})';
    expect(parseStatusShow(res(SHOW, body, { headers: JSON_HEADERS }), AT, MID)[0]?.outcome).toBe(
      'gone_unspecified',
    );
  });
});

describe('Weibo: a statement is Weibo’s only from Weibo, and not in a redirect', () => {
  const refusal = json({ ok: 0, errno: '20101', msg: '微博不存在或暂无查看权限!' });

  test('errno 20101 answered by a CDN host after a redirect is unparseable (was gone_unspecified)', () => {
    const r = res(SHOW, refusal, { headers: JSON_HEADERS, finalUrl: CDN, redirects: [SHOW, CDN] });
    expect(parseStatusShow(r, AT, MID)[0]?.outcome).toBe('unparseable');
    expect(parseStatusShow({ ...r, status: 404 }, AT, MID)[0]?.outcome).toBe('unparseable');
  });

  test('errno 20101 in the body of an unfollowed 302 is unparseable (was gone_unspecified)', () => {
    const r = res(SHOW, refusal, { status: 302, headers: { ...JSON_HEADERS, location: CDN } });
    expect(parseStatusShow(r, AT, MID)[0]?.outcome).toBe('unparseable');
  });

  test('a placeholder in an answer from a CDN host states nothing (was restricted)', () => {
    const body = withOriginal(placeholder('m_retweet_placeholder_halfyear_hidden_stablog.json'));
    const r = res(SHOW, body, { headers: JSON_HEADERS, finalUrl: CDN, redirects: [SHOW, CDN] });
    const obs = parseStatusShow(r, AT, MID);
    expect(obs.filter((o) => final(o.outcome))).toEqual([]);
    // From m.weibo.cn, and from weibo.com after a redirect there, the same answer states it.
    expect(outcomes(parseStatusShow(res(SHOW, body, { headers: JSON_HEADERS }), AT, MID))).toContainEqual([
      '20110061812539159',
      'restricted',
    ]);
    const onWeibo = 'https://weibo.com/ajax/statuses/show?id=' + MID;
    expect(
      outcomes(
        parseStatusShow(
          res(SHOW, body, { headers: JSON_HEADERS, finalUrl: onWeibo, redirects: [SHOW, onWeibo] }),
          AT,
          MID,
        ),
      ),
    ).toContainEqual(['20110061812539159', 'restricted']);
  });

  test('the withholding notice in a script of an HTML page, or in a cut-off body, is no withholding', () => {
    const search =
      'https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3Dx&page_type=searchall&page=1';
    const html =
      '<html><body><script>var x="根据相关法律法规和政策，搜索结果未予显示"</script></body></html>';
    expect(parseSearchPage(res(search, html), AT, 'x').outcome).toBe('unparseable');
    const cut =
      '{"ok":1,"data":{"cards":[{"card_type":9,"mblog":{"mid":"1","text":"根据相关法律法规和政策，搜索结果未予显示';
    expect(parseSearchPage(res(search, cut, { headers: JSON_HEADERS }), AT, 'x').outcome).toBe('unparseable');
  });
});

describe('Weibo: alive content is what the post says', () => {
  test('a UTF-8 answer with one stray byte keeps its text (was read whole as GB18030, mojibake)', () => {
    const body = Buffer.from(json(showRepost), 'utf8');
    // Inside the post's `source` string, which the content does not carry.
    const at = body.indexOf('"source":"') + '"source":"'.length;
    const stray = Buffer.concat([body.subarray(0, at), Buffer.from([0xff]), body.subarray(at)]);
    const [obs] = parseStatusShow(res(SHOW, stray, { headers: JSON_HEADERS }), AT, MID);
    const [clean] = parseStatusShow(res(SHOW, body, { headers: JSON_HEADERS }), AT, MID);
    expect(obs?.content?.author).toEqual(clean?.content?.author);
    expect(obs?.content?.text).toBe(clean?.content?.text);
  });
});

describe("Weibo: a repost's embedded original", () => {
  test('a half-year placeholder that lost its mid is the post its id names, not its 2010 idstr (was 730379578)', () => {
    const rt = placeholder('m_retweet_placeholder_halfyear_hidden_stablog.json');
    delete rt['mid'];
    const obs = parseStatusShow(res(SHOW, withOriginal(rt), { headers: JSON_HEADERS }), AT, MID);
    expect(outcomes(obs)).toEqual([
      [MID, 'alive'],
      ['20110061812539159', 'restricted'],
    ]);
  });

  test('a placeholder whose mid and id name two posts states nothing (was restricted for mid "1")', () => {
    const rt = { ...placeholder('m_retweet_placeholder_halfyear_hidden_stablog.json'), mid: '1' };
    const obs = parseStatusShow(res(SHOW, withOriginal(rt), { headers: JSON_HEADERS }), AT, MID);
    expect(obs.filter((o) => final(o.outcome))).toEqual([]);
    expect(obs[0]?.outcome).toBe('alive');
  });

  test('state 7 on an original that keeps its author and its own words is unparseable, not deleted', () => {
    const original = showRepost.data['retweeted_status'] as Record<string, unknown>;
    const obs = parseStatusShow(
      res(SHOW, withOriginal({ ...original, state: 7 }), { headers: JSON_HEADERS }),
      AT,
      MID,
    );
    expect(outcomes(obs)).toEqual([
      [MID, 'alive'],
      [String(original['mid']), 'unparseable'],
    ]);
    // The documented placeholder (state 7, user null, the notice) is the original's deletion.
    const deleted = parseStatusShow(
      res(SHOW, withOriginal(placeholder('m_retweet_placeholder_deleted_by_author_stablog.json')), {
        headers: JSON_HEADERS,
      }),
      AT,
      MID,
    );
    expect(outcomes(deleted)).toEqual([
      [MID, 'alive'],
      ['4405996207851235', 'deleted_by_author'],
    ]);
  });
});

describe('NetEase: a notice counts only where the page states it', () => {
  test('the notice in the <title> only is unparseable (was gone_unspecified)', () => {
    const page = '<html><head><title>页面不存在</title></head><body></body></html>';
    expect(parseArticle(res(ARTICLE, page), AT, DOCID).outcome).toBe('unparseable');
  });

  test('the soft not-found page cut off before </body> is unparseable (was gone_unspecified)', () => {
    const page = softNotFoundPage('not_found');
    const cut = page.slice(0, page.indexOf('</body>'));
    const obs = parseArticle(res(ARTICLE, cut), AT, DOCID);
    expect(obs.outcome).toBe('unparseable');
    expect(obs.evidence?.body.toString('utf8')).toBe(cut);
    expect(parseArticle(res(ARTICLE, page), AT, DOCID).outcome).toBe('gone_unspecified');
  });

  test('a 404 whose page is a captcha is unparseable (was gone_unspecified)', () => {
    const page = '<html><body><p>你的行为有些异常，请输入验证码</p></body></html>';
    expect(parseArticle(res(ARTICLE, page, { status: 404 }), AT, DOCID).outcome).toBe('unparseable');
  });

  test('sent to the home page through a login page is unparseable (was gone_unspecified)', () => {
    const home = `<html><head><title>网易</title></head><body>${'<a href="/x">新闻</a>'.repeat(20)}</body></html>`;
    const via = res(ARTICLE, home, {
      finalUrl: 'https://www.163.com/',
      redirects: [ARTICLE, 'https://reg.163.com/login.jsp?url=x', 'https://www.163.com/'],
    });
    expect(parseArticle(via, AT, DOCID).outcome).toBe('unparseable');
    const direct = res(ARTICLE, home, { finalUrl: 'https://www.163.com/', redirects: [ARTICLE] });
    expect(parseArticle(direct, AT, DOCID).outcome).toBe('gone_unspecified');
  });
});

describe('NetEase: charset declarations the bytes contradict', () => {
  const page = ref('netease/article_news_KC12OUHK000189FH.trimmed.html');
  const TITLE = '全球媒体聚焦｜美国政府停摆将对整个经济系统产生冲击';
  const titleOf = (r: HttpResponse): string | null | undefined => parseArticle(r, AT, DOCID).content?.title;

  test('UTF-8 bytes declared gbk in the header are read as UTF-8 (was mojibake alive content)', () => {
    expect(titleOf(res(ARTICLE, page, { headers: { 'content-type': 'text/html; charset=gbk' } }))).toBe(
      TITLE,
    );
  });

  test('a UTF-8 BOM wins over a gbk header, as in browsers', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), page]);
    expect(titleOf(res(ARTICLE, bom, { headers: { 'content-type': 'text/html; charset=gbk' } }))).toBe(TITLE);
  });

  test('GB18030 bytes declared utf-8 are read as GB18030', () => {
    const gbk = iconv.encode(page.toString('utf8'), 'gb18030');
    expect(titleOf(res(ARTICLE, gbk, { headers: { 'content-type': 'text/html; charset=utf-8' } }))).toBe(
      TITLE,
    );
  });

  test('a UTF-8 page with one stray byte stays UTF-8', () => {
    const stray = Buffer.concat([page.subarray(0, 200), Buffer.from([0xff]), page.subarray(200)]);
    expect(decodeBody(stray, 'text/html; charset=utf-8').charset).toBe('utf-8');
    expect(decodeBody(stray).charset).toBe('utf-8');
  });
});

describe('NetEase: an answer about another thread', () => {
  const infoUrl = 'https://comment.api.163.com/api/v1/products/a2869674571f77b5a0867c3d71db5856/threads/';
  const info = ref('netease/comment_thread_info_CG212U73008535RB.json');
  const hot = ref('netease/comments_app_hotList_EAUJCTQV05346RBY.json');

  test('thread info naming another docId is unparseable (was alive with its counts)', () => {
    const asked = 'KC12OUHK000189FH';
    const r = parseCommentThreadInfo(res(infoUrl + asked, info, { headers: JSON_HEADERS }), asked);
    expect(r).toMatchObject({ ok: false, outcome: 'unparseable' });
    expect(
      parseCommentThreadInfo(
        res(infoUrl + 'CG212U73008535RB', info, { headers: JSON_HEADERS }),
        'CG212U73008535RB',
      ).ok,
    ).toBe(true);
  });

  test("a comment list whose postIds and threadInfo name another article is unparseable (was that thread's comments)", () => {
    const asked = 'KC12OUHK000189FH';
    const r = parseCommentList(
      res(infoUrl + asked + '/comments/hotList', hot, { headers: JSON_HEADERS }),
      asked,
    );
    expect(r).toMatchObject({ ok: false, outcome: 'unparseable' });
    const own = parseCommentList(
      res(infoUrl + 'EAUJCTQV05346RBY/comments/hotList', hot, { headers: JSON_HEADERS }),
      'EAUJCTQV05346RBY',
    );
    expect(own.ok && own.value.comments.length).toBe(12);
  });
});
