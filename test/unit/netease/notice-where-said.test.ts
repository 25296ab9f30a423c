import { parseArticle, parseSearchPage } from '../../../src/platforms/netease';
import { DOCID, response } from './support';

/**
 * A notice counts only where the page shows it: a page rendered by script (an article template
 * not known yet, whose text comes by script) may ship its "not found" block hidden, to reveal it
 * only when its data says so. Invented shape; the practice is common in single-page templates.
 */

function shell(block: string, title = '网易'): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><div class="N-nav"><a href="https://www.163.com/">网易首页</a><a href="https://news.163.com/">新闻</a></div><div id="app"></div>${block}<script src="https://static.ws.126.net/163/f2e/news/article/app.js"></script><div class="footer">©1997-2026网易公司版权所有</div></body></html>`;
}

function article(html: string) {
  return parseArticle(response({ body: html }), 0, DOCID);
}

describe('a not-found block the page hides states nothing', () => {
  test.each([
    [
      'style="display:none"',
      '<div class="error-page" style="display:none"><p>抱歉，您访问的页面不存在！</p></div>',
    ],
    ['the hidden attribute', '<div class="error-page" hidden><p>该文章已被删除</p></div>'],
    ['a hiding class', '<div class="error-page hidden"><p>该内容因违反相关规定已被删除</p></div>'],
    ['visibility:hidden', '<section style="visibility:hidden"><p>该文章已被作者删除</p></section>'],
  ])('%s → unparseable, not gone', (_name, block) => {
    expect(article(shell(block)).outcome).toBe('unparseable');
  });

  test('a hidden block under a title that names the notice is still the title alone', () => {
    const obs = article(shell('<div style="display:none"><p>页面不存在</p></div>', '页面不存在'));
    expect(obs.outcome).toBe('unparseable');
  });

  test('the same block shown states the absence (research §4.5)', () => {
    const obs = article(shell('<div class="error-page"><p>抱歉，您访问的页面不存在！</p></div>'));
    expect(obs.outcome).toBe('gone_unspecified');
    expect(obs.message).toBe('抱歉，您访问的页面不存在！');
  });
});

describe('a search page whose "no results" block is hidden is no empty search', () => {
  const SEARCH_URL = 'https://www.163.com/search?keyword=%E8%81%94%E5%90%88%E5%9B%BD';
  // Results filled in by script, with the "none found" block kept for it (research §1.5: rendered by JS).
  const page = (none: string) =>
    `<html><body><div class="keyword_list">${none}</div><script src="https://static.ws.126.net/163/search/app.js"></script></body></html>`;

  test('style="display:none" on the block → unparseable, not empty (an empty search with earlier results is search.blocked)', () => {
    const r = parseSearchPage(
      response({
        url: SEARCH_URL,
        body: page('<p class="keyword_none" style="display:none">没有找到与“联合国”相关的结果</p>'),
      }),
      0,
    );
    expect(r.outcome).toBe('unparseable');
  });

  test('the same block shown says the search found nothing', () => {
    const r = parseSearchPage(
      response({ url: SEARCH_URL, body: page('<p class="keyword_none">没有找到与“联合国”相关的结果</p>') }),
      0,
    );
    expect(r.outcome).toBe('empty');
  });
});

describe('an app-only or members-only page is a wall, not an article its author restricted', () => {
  // The brief's "paywalled/app-only page": the article is there for app users or members.
  test.each([
    '该内容仅在网易新闻客户端可见',
    '该内容仅会员可见',
    '仅VIP可见',
    '该内容仅支持在APP内查看',
    '付费后可见',
  ])('%s → unparseable, not restricted', (notice) => {
    const obs = article(shell(`<div class="tip"><p>${notice}</p></div>`));
    expect(obs.outcome).toBe('unparseable');
    expect(obs.message).toMatch(/app-only or members-only/);
  });

  test('the author limiting who sees it is still restricted', () => {
    expect(article(shell('<div class="tip"><p>此内容仅作者本人可见</p></div>')).outcome).toBe('restricted');
  });
});
