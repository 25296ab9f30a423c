import iconv from 'iconv-lite';
import { isFinalOutcome } from '../../../src/domain/glossary';
import { parseArticle } from '../../../src/platforms/netease/article';
import { parseCommentList } from '../../../src/platforms/netease/comments';
import { ARTICLE_URL, DOCID, reference, response } from './support';

/**
 * Variations of the reference article and of the notice pages a hostile tester would send: short
 * pages in a template the parser does not know whose words only resemble a notice, redirects to
 * the app's download page, encodings the header lies about, and 404s from hosts other than the
 * article's. The rule throughout: a final outcome only from a positive statement of absence.
 */

const AT = Date.UTC(2025, 9, 20, 4, 0, 0);
const article = reference('article_news_KC12OUHK000189FH.trimmed.html').toString('utf8');

function page(body: string, init: Parameters<typeof response>[0] = {}) {
  return parseArticle(response({ body, ...init }), AT, DOCID);
}
const html = (inner: string) =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>网易</title></head><body>${inner}</body></html>`;

describe('a short page whose notice words run on into a sentence about something else states nothing', () => {
  const cases: Array<[string, string]> = [
    [
      'the words as the subject of a headline',
      '<h1>该文章已被删除的消息引发热议</h1><p>网友纷纷表示关注。</p>',
    ],
    ['the words as a noun phrase', '<p>页面不存在的问题已修复，请刷新。</p>'],
    ['the words asked as a question', '<p>该文章已被删除？记者求证发现并非如此。</p>'],
    ['内容不存在 followed by what does not exist', '<p>该内容不存在违规，已恢复。</p>'],
    ['a removal clause going on to another subject', '<p>该文章因违反相关规定已被删除的说法不实。</p>'],
  ];
  test.each(cases)('%s → unparseable, body kept', (_name, inner) => {
    const body = html(inner);
    const obs = page(body);
    expect(obs.outcome).toBe('unparseable');
    expect(obs.evidence?.body.toString('utf8')).toBe(body);
  });

  const notices: Array<[string, string, string]> = [
    ['抱歉，您访问的页面不存在！', 'gone_unspecified', '<p>抱歉，您访问的页面不存在！</p>'],
    ['页面不存在或已被删除', 'gone_unspecified', '<p>您要访问的页面不存在或已被删除，请返回首页。</p>'],
    ['该文章已被作者删除。', 'deleted_by_author', '<p>该文章已被作者删除。</p>'],
    ['该文章因违反相关规定已被删除', 'removed_by_platform', '<p>该文章因违反相关规定已被删除。</p>'],
    ['404 Not Found', 'gone_unspecified', '<h1>404 Not Found</h1><p>nginx</p>'],
    ['full-width punctuation and spaces', 'gone_unspecified', '<p>提示：该内容已下线！　</p>'],
    ['a trailing particle', 'gone_unspecified', '<p>抱歉，该文章已被删除了。</p>'],
  ];
  test.each(notices)('the notice %s still states its cause', (_name, outcome, inner) => {
    expect(page(html(inner)).outcome).toBe(outcome);
  });
});

describe("a redirect to the app's download page is no removal", () => {
  const pages = [
    'https://m.163.com/newsapp/',
    'https://m.163.com/newsapp/applinks.html?docid=KC12OUHK000189FH',
    'https://www.163.com/app/',
    'https://m.163.com/download/',
  ];
  test.each(pages)('an unfollowed 302 to %s → unparseable', (location) => {
    const obs = page('', { status: 302, headers: { location } });
    expect(obs.outcome).toBe('unparseable');
  });

  test.each(pages)('followed to %s, an interstitial → unparseable', (to) => {
    const body = html('<p>打开网易新闻APP，阅读全文</p><a href="https://m.163.com/newsapp/">立即下载</a>');
    expect(page(body, { finalUrl: to, redirects: [to] }).outcome).toBe('unparseable');
  });

  test('the home and channel pages still mean a removed article', () => {
    for (const location of ['https://www.163.com/', 'https://news.163.com/', 'https://www.163.com/news/'])
      expect(page('', { status: 302, headers: { location } }).outcome).toBe('gone_unspecified');
  });
});

describe('encodings and hosts', () => {
  test('the reference article in GBK, declared only in its meta while the header says UTF-8 → alive', () => {
    const gbk = iconv.encode(article.replace(/charset="?utf-8"?/i, 'charset="gbk"'), 'gbk');
    const obs = parseArticle(
      response({ body: gbk, headers: { 'content-type': 'text/html; charset=utf-8' } }),
      AT,
      DOCID,
    );
    expect(obs.outcome).toBe('alive');
  });

  test('a GB18030 notice page that declares nothing still states its notice', () => {
    const body = iconv.encode('<html><body><p>抱歉，您访问的页面不存在！</p></body></html>', 'gb18030');
    expect(
      parseArticle(response({ body, headers: { 'content-type': 'text/html' } }), AT, DOCID).outcome,
    ).toBe('gone_unspecified');
  });

  test('a 404 from a CDN host the article was redirected to → unparseable; from the article URL → gone', () => {
    const cdn = 'https://static.ws.126.net/163/404.html';
    expect(page('<h1>404 Not Found</h1>', { status: 404, finalUrl: cdn, redirects: [cdn] }).outcome).toBe(
      'unparseable',
    );
    expect(page('<h1>404 Not Found</h1>', { status: 404, url: ARTICLE_URL }).outcome).toBe(
      'gone_unspecified',
    );
  });

  test('JSON or plain text where the page was expected states nothing, whatever it says', () => {
    for (const [body, type] of [
      ['{"code":404,"message":"文章不存在"}', 'application/json'],
      ['页面不存在', 'text/plain; charset=utf-8'],
    ] as const) {
      const obs = parseArticle(response({ body, headers: { 'content-type': type } }), AT, DOCID);
      expect(isFinalOutcome(obs.outcome)).toBe(false);
    }
  });
});

describe('a comment list that names a comment it does not carry cannot say that comment is missing', () => {
  const url =
    'https://comment.api.163.com/api/v1/products/a2869674571f77b5a0867c3d71db5856/threads/EAUJCTQV05346RBY/app/comments/newList?offset=0&limit=30';
  const sample = JSON.parse(reference('comments_app_hotList_EAUJCTQV05346RBY.json').toString('utf8')) as {
    commentIds: string[];
    comments: Record<string, unknown>;
  };
  const list = (v: unknown) =>
    parseCommentList(
      response({
        url,
        headers: { 'content-type': 'application/json;charset=UTF-8' },
        body: JSON.stringify(v),
      }),
    );

  test('the reference list parses', () => {
    expect(list(sample)).toMatchObject({ ok: true });
  });

  test('a listed comment missing from the comments map → unparseable', () => {
    const comments = { ...sample.comments };
    delete comments['56424569'];
    expect(list({ ...sample, comments })).toMatchObject({ ok: false, outcome: 'unparseable' });
  });

  test('a listed comment whose record is not an object → unparseable', () => {
    expect(list({ ...sample, comments: { ...sample.comments, '56582325': null } })).toMatchObject({
      ok: false,
      outcome: 'unparseable',
    });
  });

  test('an older comment quoted in a reply chain may be absent: only the listed one must be there', () => {
    const comments = { ...sample.comments };
    // 56645923 is quoted before 56668605 in a chain and listed nowhere on its own.
    delete comments['56645923'];
    expect(list({ ...sample, comments })).toMatchObject({ ok: true });
  });
});

describe('an article page that is another article says nothing about the asked one', () => {
  const OTHER = 'ABCDEFGH12345678';
  const other = article.split(DOCID).join(OTHER);

  test('the reference page served for the asked URL but naming another DOCID (canonical and comment config) → unparseable', () => {
    const obs = page(other);
    expect(obs.outcome).toBe('unparseable');
    expect(obs.message).toContain(OTHER);
    expect(obs.target.id).toBe(DOCID);
  });

  test('the asked article named by either its canonical link or its comment config is still alive', () => {
    // A page whose comment config reuses another thread (a video, a topic) but whose canonical is the article.
    const ownCanonical = article.replace(/"docId":\s*"KC12OUHK000189FH"/, `"docId": "${OTHER}"`);
    expect(page(ownCanonical).outcome).toBe('alive');
    const noCanonical = other
      .replace(/<link rel="canonical"[^>]*>/, '')
      .replace(`"docId": "${OTHER}"`, `"docId": "${DOCID}"`);
    expect(page(noCanonical).outcome).toBe('alive');
  });
});
