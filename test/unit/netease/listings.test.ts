import { parseAccountList, parseMediaHomePage, parseSearchPage } from '../../../src/platforms/netease';
import { response } from './support';

// No real list.do, search or dy/media capture exists (reference README); these bodies are built
// from the shapes in research/netease.md §1.4–1.5.
const W = 'W4983108759592548559';
const listUrl = `https://dy.163.com/v2/article/list.do?pageNo=1&wemediaId=${W}&size=2`;
const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' };

describe('parseAccountList (list.do)', () => {
  const body = JSON.stringify({
    code: 1,
    data: {
      list: [
        {
          docid: 'EAUJCTQV05346RBY',
          title: '第一篇',
          ptime: '2019-03-23 09:00:00',
          source: '某网易号',
          imgsrc: 'http://x/1.jpg',
        },
        { docid: 'EAUJCTQW05346RBY', title: '第二篇', ptime: '2019-03-22 18:30:00', source: '某网易号' },
      ],
    },
  });

  it('lists alive observations with title, time and account, and a next cursor for a full page', () => {
    const r = parseAccountList(response({ url: listUrl, headers: JSON_HEADERS, body }), 5, {
      wemediaId: W,
      pageNo: 1,
      size: 2,
    });
    expect(r.outcome).toBe('results');
    expect(r.nextCursor).toBe(`${W}:2`);
    expect(r.observations.map((o) => o.target.id)).toEqual(['EAUJCTQV05346RBY', 'EAUJCTQW05346RBY']);
    const first = r.observations[0];
    expect(first?.outcome).toBe('alive');
    expect(first?.at).toBe(5);
    expect(first?.url).toBe('https://www.163.com/dy/article/EAUJCTQV05346RBY.html');
    expect(first?.content).toMatchObject({
      title: '第一篇',
      createdAt: '2019-03-23T01:00:00.000Z',
      author: { id: W, name: '某网易号' },
      truncated: true,
    });
  });

  it('a short page has no next cursor; a null list is empty', () => {
    const short = parseAccountList(response({ headers: JSON_HEADERS, body }), 0, {
      wemediaId: W,
      pageNo: 3,
      size: 10,
    });
    expect(short.nextCursor).toBeNull();
    const end = parseAccountList(
      response({ headers: JSON_HEADERS, body: '{"code":1,"data":{"list":null}}' }),
      0,
      {
        wemediaId: W,
        pageNo: 4,
        size: 10,
      },
    );
    expect(end).toMatchObject({ outcome: 'empty', observations: [], nextCursor: null });
  });

  it('an HTML answer is unparseable and 5xx a server error', () => {
    expect(
      parseAccountList(response({ body: '<html></html>' }), 0, { wemediaId: W, pageNo: 1, size: 10 }).outcome,
    ).toBe('unparseable');
    expect(
      parseAccountList(response({ status: 503 }), 0, { wemediaId: W, pageNo: 1, size: 10 }).outcome,
    ).toBe('server_error');
  });
});

describe('parseSearchPage', () => {
  const html = `<html><body><div class="keyword_list">
    <div class="keyword_new"><h3><a href="https://www.163.com/news/article/KC12OUHK000189FH.html">全球媒体<em>聚焦</em></a></h3>
      <div class="keyword_img"><a href="https://www.163.com/news/article/KC12OUHK000189FH.html"><img src="//x/1.jpg"></a></div>
      <div class="keyword_time">2025-10-16 20:02:18</div></div>
    <div class="keyword_new"><h3><a href="//www.163.com/dy/article/EAUJCTQV05346RBY.html">第二条</a></h3></div>
  </div><div class="side"><a href="https://www.163.com/news/article/ZZZZ0000000189FH.html">侧栏</a></div></body></html>`;

  it('lists the results inside div.keyword_list only', () => {
    const r = parseSearchPage(response({ url: 'https://www.163.com/search?keyword=x', body: html }), 0);
    expect(r.outcome).toBe('results');
    expect(r.observations.map((o) => o.target.id)).toEqual(['KC12OUHK000189FH', 'EAUJCTQV05346RBY']);
    expect(r.observations[0]?.content).toMatchObject({
      title: '全球媒体聚焦',
      createdAt: '2025-10-16T12:02:18.000Z',
    });
    expect(r.observations[1]?.url).toBe('https://www.163.com/dy/article/EAUJCTQV05346RBY.html');
    expect(r.nextCursor).toBeNull();
  });

  it('an empty result list that says so is empty; a page without the list is unparseable, not empty', () => {
    const none =
      '<html><body><div class="keyword_list"><p class="keyword_none">没有找到与“x”相关的结果</p></div></body></html>';
    expect(parseSearchPage(response({ body: none }), 0).outcome).toBe('empty');
    const shell = parseSearchPage(response({ body: '<html><body><div id="app"></div></body></html>' }), 0);
    expect(shell.outcome).toBe('unparseable');
    expect(shell.message).toContain('keyword_list');
  });

  it('"no results" outside div.keyword_list is no word on the search: beside the list, without it, in a cut-off page', () => {
    // Read as empty, any of these would make a keyword whose earlier results are alive look withheld.
    for (const body of [
      '<html><body><p class="keyword_none">没有找到与“x”相关的结果</p><div class="keyword_list"></div></body></html>',
      '<html><body><div class="sidebar">没有找到相关结果</div><div id="app"></div></body></html>',
      '<html><head><title>没有找到相关结果</title></head><body><div class="keyword_list"></div></body></html>',
      '<html><body><div class="keyword_list"><p class="keyword_none">没有找到与“x”相关的结果</p></div>',
    ])
      expect({ body, outcome: parseSearchPage(response({ body }), 0).outcome }).toEqual({
        body,
        outcome: 'unparseable',
      });
  });

  it('an empty result container without a "no results" notice is unparseable (results are filled in by script, research §1.5)', () => {
    // Read as empty, it would make a keyword whose earlier results are alive look withheld (search.blocked).
    const shell = parseSearchPage(
      response({ body: '<html><body><div class="keyword_list"></div></body></html>' }),
      0,
    );
    expect(shell.outcome).toBe('unparseable');
    // Items in a markup the parser does not read are not "no results" either.
    const redesigned = parseSearchPage(
      response({
        body: '<html><body><div class="keyword_list"><section class="result-card"><span>某文章</span></section></div></body></html>',
      }),
      0,
    );
    expect(redesigned.outcome).toBe('unparseable');
  });

  it('a 404 at the search URL is unparseable, not a search with no results', () => {
    const r = parseSearchPage(response({ url: 'https://www.163.com/search?keyword=x', status: 404 }), 0);
    expect(r.outcome).toBe('unparseable');
    expect(r.message).toContain('HTTP 404');
  });
});

describe('parseMediaHomePage (www.163.com/dy/media/T….html)', () => {
  const html = `<html><head><title>某网易号</title></head><body>
    <div class="content_left tab_wrap js-list-tab-box"><div class="tab_content"><ul>
      <li><a class="img" href="https://www.163.com/dy/article/EAUJCTQV05346RBY.html"><img src="//x/1.jpg"></a>
        <h4><a class="title" href="https://www.163.com/dy/article/EAUJCTQV05346RBY.html">第一篇</a></h4>
        <div class="tail"><span class="time">2019-03-23 09:00</span></div></li>
    </ul></div></div>
    <div class="sidebar"><ul><li><a href="https://www.163.com/dy/article/OTHER00000000000.html">别家</a></li></ul></div>
  </body></html>`;

  it('lists the left column, with the home page T id as author when no wemediaId is shown', () => {
    const home = parseMediaHomePage(response({ body: html }), 0, 'T1555591616739');
    expect(home.wemediaId).toBeNull();
    expect(home.docids).toEqual(['EAUJCTQV05346RBY']);
    expect(home.listing.observations[0]?.content).toMatchObject({
      title: '第一篇',
      createdAt: '2019-03-23T01:00:00.000Z',
      author: { id: 'T1555591616739', name: null },
    });
  });

  it('reads a wemediaId printed on the page', () => {
    const withId = html.replace('<body>', `<body><div id="contain" data-wemediaid="${W}">`);
    expect(parseMediaHomePage(response({ body: withId }), 0, 'T1555591616739').wemediaId).toBe(W);
  });
});
