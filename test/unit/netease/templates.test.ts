import { readFileSync } from 'node:fs';
import path from 'node:path';
import { contentHash } from '../../../src/domain/hash';
import { isFinalOutcome } from '../../../src/domain/glossary';
import type { NeteaseArticleContent } from '../../../src/platforms/netease';
import {
  decodeBody,
  extractArticle,
  parseArticle,
  parseCommentList,
  parseCommentThreadInfo,
} from '../../../src/platforms/netease';
import { response } from './support';

/**
 * Templates and odd pages without a real capture (test/fixtures/netease-templates, built from
 * research/netease.md and issue 9's descriptions): each template is read, and no page that states
 * no absence is ever a final outcome.
 */
const DIR = path.join(__dirname, '../../fixtures/netease-templates');
const fixture = (name: string): Buffer => readFileSync(path.join(DIR, name));
const NEWS = 'EBCD1234000189FH';
const DY = 'EAUJCTQV05346RBY';
const MONEY = 'EBCD5678002580RT';
const FIRST =
  '4月26日，第77届联合国大会以122票赞成、5票反对、18票弃权，通过了题为《联合国与欧洲委员会之间的合作》的决议，文件编号A/77/L.65。';

function observe(name: string, docid: string, contentType: string, at = 0) {
  const url = `https://www.163.com/news/article/${docid}.html`;
  return parseArticle(
    response({ url, body: fixture(name), headers: { 'content-type': contentType } }),
    at,
    docid,
  );
}

function alive(name: string, docid: string, contentType: string): NeteaseArticleContent {
  const obs = observe(name, docid, contentType);
  expect(obs.outcome).toBe('alive');
  return obs.content as NeteaseArticleContent;
}

describe('the mobile template (m.163.com, 3g.163.com)', () => {
  const c = alive('mobile.html', NEWS, 'text/html; charset=utf-8');

  it('reads title, publish time from html[data-publishtime], source, text, picture and video', () => {
    expect(c.template).toBe('mobile');
    expect(c.title).toBe('联大就联合国与欧洲委员会合作决议进行投票');
    expect(c.createdAt).toBe('2019-03-16T02:26:32.000Z');
    expect(c.source).toBe('新京报');
    expect(c.text.split('\n')[0]).toBe(FIRST);
    expect(c.media).toHaveLength(2);
    expect(c.media[0]).toMatch(/^https:\/\/nimg\.ws\.126\.net\/\?url=/);
    expect(c.media[1]).toMatch(/movie_index\.m3u8$/);
  });

  it('leaves the lazy-load placeholder, the app prompt, the comment count and related links out', () => {
    expect(c.media.some((m) => m.startsWith('data:'))).toBe(false);
    expect(c.text).not.toContain('打开网易新闻');
    expect(c.text).not.toContain('跟贴');
    expect(c.text).not.toContain('相关推荐');
  });
});

describe('the dy.163.com/v2 网易号 template (GB2312 declared only in <meta>)', () => {
  it('decodes by the meta http-equiv charset when the header names none', () => {
    const c = alive('dy-v2.gb2312.html', DY, 'text/html');
    expect(c.template).toBe('dy-v2');
    expect(c.title).toBe('联合国大会通过与欧洲委员会合作决议，中国投了赞成票');
    expect(c.text.split('\n')[0]).toBe(FIRST);
    expect(c.createdAt).toBe('2019-03-16T02:26:32.000Z');
    expect(c.author).toEqual({ id: 'W8281459043258375633', name: '张佳栋看世界' });
    expect(c.media).toHaveLength(1);
    expect(c.text).not.toContain('分享到');
  });

  it('names the 网易号 through its data-wemediaid and 来源 link', () => {
    const a = extractArticle(decodeBody(fixture('dy-v2.gb2312.html'), 'text/html').text);
    expect(a.template).toBe('dy-v2');
    expect(a.wemediaId).toBe('W8281459043258375633');
    expect(a.wemediaTid).toBe('T1603594732083');
  });
});

describe('the older news.163.com / money.163.com template (GBK)', () => {
  const gbk = 'text/html; charset=GBK';
  const c330 = alive('legacy-news-330.gbk.html', NEWS, gbk);
  const c331 = alive('legacy-news-331.gbk.html', NEWS, gbk);

  it('reads the article from #endText, with source and editor from their own lines', () => {
    expect(c330.template).toBe('legacy');
    expect(c330.title).toBe('联大就联合国与欧洲委员会合作决议进行投票');
    expect(c330.text.split('\n')[0]).toBe(FIRST);
    expect(c330.source).toBe('新京报');
    expect(c330.editor).toBe('王晓易_NE0011');
    expect(c330.createdAt).toBe('2019-03-16T02:26:32.000Z');
    expect(c330.text).not.toContain('本文来源');
    expect(c330.text).not.toContain('责任编辑');
  });

  it('keeps the share bar and its live comment count out of the text', () => {
    expect(c330.text).not.toMatch(/分享到|易信|QQ空间|330/);
    expect(fixture('legacy-news-330.gbk.html').equals(fixture('legacy-news-331.gbk.html'))).toBe(false);
  });

  it('a changing comment count in the share bar is not an edit: the content hash stays', () => {
    expect(contentHash(c331)).toBe(contentHash(c330));
  });

  it('drops a share bar that sits inside the text without any known class', () => {
    const raw = fixture('legacy-share-bar-in-text.html').toString('utf8');
    expect(raw).toMatch(/<div><a href="[^"]+">330<\/a><\/div>/);
    const c = alive('legacy-share-bar-in-text.html', NEWS, 'text/html; charset=utf-8');
    expect(c.text).toBe(c330.text);
    expect(contentHash(c)).toBe(contentHash(c330));
  });

  it('reads the money.163.com variant alike', () => {
    const c = alive('legacy-money.gbk.html', MONEY, gbk);
    expect(c.template).toBe('legacy');
    expect(c.title).toBe('外媒关注联大决议投票结果');
    expect(c.source).toBe('参考消息');
  });
});

describe('pages that state no absence are never gone, whatever their size', () => {
  it.each([
    ['maintenance.html', /maintenance page: 系统维护中/],
    ['challenge.html', /script-only page/],
    ['truncated.html', /cut off/],
    ['unknown-template.html', /unknown template/],
  ])('%s → unparseable, body kept', (name, message) => {
    const obs = observe(name, NEWS, 'text/html; charset=utf-8');
    expect(obs.outcome).toBe('unparseable');
    expect(isFinalOutcome(obs.outcome)).toBe(false);
    expect(obs.message).toMatch(message);
    expect(obs.evidence?.body.equals(fixture(name))).toBe(true);
  });

  it('a maintenance page padded far beyond a notice is still unparseable', () => {
    const padded = fixture('maintenance.html')
      .toString('utf8')
      .replace('</body>', `${'<p>网易新闻，有态度。</p>'.repeat(400)}</body>`);
    const obs = parseArticle(response({ body: padded }), 0, NEWS);
    expect(obs.outcome).toBe('unparseable');
  });

  it('an article in an unknown template that quotes a deletion notice is not gone', () => {
    const quoting = fixture('unknown-template.html')
      .toString('utf8')
      .replace('<p>', '<p>网友截图显示，“该文章已被删除”。</p><p>');
    const obs = parseArticle(response({ body: quoting }), 0, NEWS);
    expect(obs.outcome).toBe('unparseable');
  });

  it('a 404 after a redirect away from the article is not a statement about it', () => {
    const obs = parseArticle(
      response({
        status: 404,
        redirects: [`https://www.163.com/news/article/${NEWS}.html`],
        finalUrl: 'https://www.163.com/special/some/other.html',
        body: 'Not Found',
      }),
      0,
      NEWS,
    );
    expect(obs.outcome).toBe('unparseable');
  });

  it('a 404 at the article on its mobile host after a redirect is gone', () => {
    const obs = parseArticle(
      response({
        status: 404,
        redirects: [`https://www.163.com/news/article/${NEWS}.html`],
        finalUrl: `https://m.163.com/touch/article.html?docid=${NEWS}&spss=adap_pc`,
        body: 'Not Found',
      }),
      0,
      NEWS,
    );
    expect(obs.outcome).toBe('gone_unspecified');
  });
});

describe('comment threads follow the same absence rule', () => {
  const url = `https://comment.api.163.com/api/v1/products/a2869674571f77b5a0867c3d71db5856/threads/${NEWS}`;
  const json = { 'content-type': 'application/json;charset=UTF-8' };

  it('HTTP 404 from the comment API is a statement of absence', () => {
    const r = parseCommentThreadInfo(response({ url, status: 404, headers: json, body: '{"code":"40403"}' }));
    expect(r).toMatchObject({ ok: false, outcome: 'gone_unspecified' });
  });

  it.each([
    ['a maintenance page', fixture('maintenance.html')],
    ['a challenge page', fixture('challenge.html')],
    ['a cut-off object', '{"docId":"EBCD1234000189FH","tcount":3'],
    ['an object of another shape', '{"data":{"list":null}}'],
    ['an error object', '{"code":"50000","message":"系统繁忙"}'],
  ])('%s is unparseable, never gone', (_what, body) => {
    const r = parseCommentThreadInfo(response({ url, headers: json, body }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.outcome).toBe('unparseable');
    const list = parseCommentList(response({ url: `${url}/comments/newList`, headers: json, body }));
    expect(list.ok).toBe(false);
    if (!list.ok) expect(list.outcome).toBe('unparseable');
  });
});
