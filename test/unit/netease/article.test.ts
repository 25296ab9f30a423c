import iconv from 'iconv-lite';
import type { NeteaseArticleContent } from '../../../src/platforms/netease';
import { decodeBody, extractArticle, parseArticle } from '../../../src/platforms/netease';
import { ARTICLE_URL, DOCID, reference, response } from './support';

interface ExpectedExtract {
  title: string;
  news_id: string;
  meta_info: { publish_time: string; author_name: string };
  contents: { type: 'text' | 'image'; content: string }[];
  texts: string[];
  images: string[];
}

const AT = Date.UTC(2025, 9, 17);
const page = reference('article_news_KC12OUHK000189FH.trimmed.html');
const expected = JSON.parse(
  reference('article_news_KC12OUHK000189FH.expected_extract.json').toString('utf8'),
) as ExpectedExtract;

function alive(
  body: Buffer | string,
  headers = { 'content-type': 'text/html; charset=utf-8' },
): NeteaseArticleContent {
  const obs = parseArticle(response({ body, headers }), AT, DOCID);
  expect(obs.outcome).toBe('alive');
  return obs.content as NeteaseArticleContent;
}

describe('parseArticle on the reference news article (live, UTF-8)', () => {
  const obs = parseArticle(response({ body: page }), AT, DOCID);
  const c = obs.content as NeteaseArticleContent;

  it('is an alive observation of the DOCID with evidence', () => {
    expect(obs.outcome).toBe('alive');
    expect(obs.target).toEqual({ platform: 'netease', kind: 'post', id: expected.news_id });
    expect(obs.at).toBe(AT);
    expect(obs.url).toBe(ARTICLE_URL);
    expect(obs.evidence?.status).toBe(200);
    expect(obs.evidence?.body.equals(page)).toBe(true);
  });

  it('has the expected title and publish time (Beijing → UTC)', () => {
    expect(c.title).toBe(expected.title);
    expect(expected.meta_info.publish_time).toBe('2025-10-16 20:02:18');
    expect(c.createdAt).toBe('2025-10-16T12:02:18.000Z');
  });

  it('has the expected paragraphs, joined by newlines, in order', () => {
    expect(c.text.split('\n')).toEqual(expected.texts);
  });

  it('has the expected images in order', () => {
    expect(c.media).toEqual(expected.images);
  });

  it('keeps text and images interleaved as the expected contents list', () => {
    const a = extractArticle(page.toString('utf8'));
    const texts = expected.contents.filter((x) => x.type === 'text').map((x) => x.content);
    const images = expected.contents.filter((x) => x.type === 'image').map((x) => x.content);
    expect(a.paragraphs).toEqual(texts);
    expect(a.media).toEqual(images);
  });

  it('reads source, IP属地, editor, category and the comment config', () => {
    expect(c.source).toBe('总台环球资讯广播');
    expect(c.sourceUrl).toMatch(/^https:\/\/content-static\.cctvnews\.cctv\.com\//);
    expect(c.author).toEqual({ id: null, name: '总台环球资讯广播' });
    expect(c.region).toBe('北京');
    expect(c.editor).toBe('雷晓_NB26578');
    expect(expected.meta_info.author_name).toContain(c.editor);
    expect(c.category).toBe('财经');
    expect(c.productKey).toBe('a2869674571f77b5a0867c3d71db5856');
    expect(c.docId).toBe(DOCID);
    expect(c.noindex).toBe(true);
    expect(c.counts).toEqual({ reposts: null, comments: null, likes: null });
  });

  it('keeps the post_body HTML, without the comment block or scripts around it', () => {
    expect(c.html.startsWith('<p class="otitle">')).toBe(true);
    expect(c.html).toContain('logo.png');
    expect(c.html).not.toContain('post_author');
    expect(c.html).not.toContain('Tie.init');
  });
});

describe('charset', () => {
  // The reference page declares no charset in markup; a GBK copy declares it in <meta>.
  const gbkHtml = page.toString('utf8').replace('<head>', '<head>\n    <meta charset="gbk">');
  const gbk = iconv.encode(gbkHtml, 'gbk');
  const utf8 = alive(page);

  it('the GBK copy really is different bytes', () => {
    expect(gbk.equals(Buffer.from(gbkHtml, 'utf8'))).toBe(false);
    expect(gbk.toString('utf8')).not.toContain(utf8.title as string);
  });

  it('a GBK page declared by <meta charset> parses to the same content', () => {
    const c = alive(gbk, { 'content-type': 'text/html' });
    expect(c.title).toBe(utf8.title);
    expect(c.text).toBe(utf8.text);
    expect(c.media).toEqual(utf8.media);
    expect(c.createdAt).toBe(utf8.createdAt);
    expect(c.region).toBe('北京');
    expect(c.editor).toBe(utf8.editor);
  });

  it('a GBK page declared only by the Content-Type header parses to the same content', () => {
    const noMeta = iconv.encode(page.toString('utf8'), 'gbk');
    const c = alive(noMeta, { 'content-type': 'text/html; charset=GBK' });
    expect(c.title).toBe(utf8.title);
    expect(c.text).toBe(utf8.text);
  });

  it('an http-equiv GB2312 declaration is honoured', () => {
    const html =
      '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>网易新闻</body></html>';
    expect(decodeBody(iconv.encode(html, 'gb2312')).text).toBe(html);
  });
});

describe('gone and transient classification', () => {
  const home = `<html><head><title>网易</title></head><body>${'<a href="https://www.163.com/news/article/AAAA0000000189FH.html">某企业违规排污被查处</a>'.repeat(80)}</body></html>`;

  it.each([404, 410])('HTTP %d → gone_unspecified', (status) => {
    const obs = parseArticle(response({ status, body: 'Not Found' }), 0, DOCID);
    expect(obs.outcome).toBe('gone_unspecified');
    expect(obs.message).toBe(`HTTP ${status}`);
    expect(obs.evidence?.status).toBe(status);
  });

  it('a followed redirect to the home page → gone_unspecified', () => {
    const obs = parseArticle(
      response({ redirects: [ARTICLE_URL], finalUrl: 'https://www.163.com/', body: home }),
      0,
      DOCID,
    );
    expect(obs.outcome).toBe('gone_unspecified');
    expect(obs.message).toContain('https://www.163.com/');
  });

  it.each(['https://news.163.com/', 'https://www.163.com/news/', 'https://money.163.com/index.html'])(
    'a redirect to the channel page %s → gone_unspecified',
    (finalUrl) => {
      const obs = parseArticle(response({ redirects: [ARTICLE_URL], finalUrl, body: home }), 0, DOCID);
      expect(obs.outcome).toBe('gone_unspecified');
    },
  );

  it('an unfollowed 302 to a channel page → gone_unspecified', () => {
    const obs = parseArticle(
      response({ status: 302, headers: { location: 'https://www.163.com/news/' } }),
      0,
      DOCID,
    );
    expect(obs.outcome).toBe('gone_unspecified');
  });

  it('a redirect to the same DOCID on another channel path is still the article', () => {
    const obs = parseArticle(
      response({
        redirects: [ARTICLE_URL],
        finalUrl: `https://www.163.com/dy/article/${DOCID}.html`,
        body: page,
      }),
      0,
      DOCID,
    );
    expect(obs.outcome).toBe('alive');
  });

  it('a redirect to another article is unparseable, not gone', () => {
    const obs = parseArticle(
      response({
        redirects: [ARTICLE_URL],
        finalUrl: 'https://www.163.com/news/article/ZZZZ0000000189FH.html',
        body: page,
      }),
      0,
      DOCID,
    );
    expect(obs.outcome).toBe('unparseable');
  });

  it('a 200 page without title, body or notice is unparseable with its body kept, never gone', () => {
    const obs = parseArticle(response({ body: home }), 0, DOCID);
    expect(obs.outcome).toBe('unparseable');
    expect(obs.message).toContain('unknown template');
    expect(obs.evidence?.body.toString('utf8')).toBe(home);
  });

  it('a short notice page stating a rule violation → removed_by_platform', () => {
    const notice =
      '<html><body><div class="err">抱歉，该文章因违反相关法律法规已被删除。</div></body></html>';
    const obs = parseArticle(response({ body: notice }), 0, DOCID);
    expect(obs.outcome).toBe('removed_by_platform');
    expect(obs.message).toContain('违反相关法律法规');
  });

  it('a short notice page stating the author deleted it → deleted_by_author', () => {
    const notice = '<html><body><p>抱歉，此文章已被作者删除</p></body></html>';
    expect(parseArticle(response({ body: notice }), 0, DOCID).outcome).toBe('deleted_by_author');
  });

  it('a short "文章不存在" page → gone_unspecified', () => {
    const notice = '<html><head><title>网易</title></head><body><p>您访问的文章不存在</p></body></html>';
    expect(parseArticle(response({ body: notice }), 0, DOCID).outcome).toBe('gone_unspecified');
  });

  it('a captcha page is transient', () => {
    const notice = '<html><body><div>请完成安全验证后继续访问</div></body></html>';
    expect(parseArticle(response({ body: notice }), 0, DOCID).outcome).toBe('captcha');
  });

  it("the CDN's error_isp redirect → server_error (unfollowed and followed)", () => {
    const isp = 'http://www.163.com/special/0077jt/error_isp.html';
    const raw = parseArticle(
      response({ status: 302, headers: { location: isp, server: 'Cdn Cache Server V2.0' } }),
      0,
      DOCID,
    );
    expect(raw.outcome).toBe('server_error');
    const followed = parseArticle(
      response({ redirects: [ARTICLE_URL], finalUrl: isp, body: '<html></html>' }),
      0,
      DOCID,
    );
    expect(followed.outcome).toBe('server_error');
  });

  it('HTTP 502 → server_error', () => {
    const obs = parseArticle(response({ status: 502, body: 'Bad Gateway' }), 0, DOCID);
    expect(obs.outcome).toBe('server_error');
    expect(obs.message).toBe('HTTP 502');
  });

  it('HTTP 429 → rate_limited', () => {
    expect(parseArticle(response({ status: 429 }), 0, DOCID).outcome).toBe('rate_limited');
  });

  it('a title without body, an empty body or a JSON body is unparseable', () => {
    const partial = page.toString('utf8').replace('class="post_body"', 'class="post_b0dy"');
    expect(parseArticle(response({ body: partial }), 0, DOCID).outcome).toBe('unparseable');
    expect(parseArticle(response({ body: '' }), 0, DOCID).outcome).toBe('unparseable');
    expect(parseArticle(response({ body: '{"code":1}' }), 0, DOCID).outcome).toBe('unparseable');
  });
});
