import * as netease from '../../../../src/platforms/netease';
import { parseHotflow } from '../../../../src/platforms/weibo/comments';
import { parseSearchPage, parseTimelinePage } from '../../../../src/platforms/weibo/parse';
import { mediaHomePage, searchPage } from '../../../../src/sim/netease/format';
import { MSG, NO_CONTENT_BODY } from '../../../../src/sim/weibo/format';
import { AT, KEYWORD, listingPages, responseOf, URLS, type Exchange } from './pages';

/**
 * The listing and comment pages the hostile-listing generator found misread, each a named case:
 * a withholding notice read outside its documented places, "no results" or the end of paging read
 * from a page that does not say so, entries skipped so their targets looked missing.
 */

const page = (name: RegExp): Exchange => {
  const p = listingPages().find((x) => name.test(x.name));
  if (!p) throw new Error(`no page ${String(name)}`);
  return p.ex;
};
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v), 'utf8');
const at = (e: Exchange, body: Buffer | string): ReturnType<typeof responseOf> =>
  responseOf({ ...e, body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body });
const withheldCard = { card_type: 4, desc: MSG.searchWithheld, show_type: 0 };
const searchEx = (): Exchange => page(/^weibo search: three posts/);
const search = (body: unknown): ReturnType<typeof parseSearchPage> =>
  parseSearchPage(at(searchEx(), json(body)), AT, KEYWORD);
const cards = (): unknown[] =>
  (JSON.parse(searchEx().body.toString('utf8')) as { data: { cards: unknown[] } }).data.cards;

describe('Weibo search: the withholding notice counts only as the whole ok:0 msg, cardlistInfo.desc or a card_type 4 desc', () => {
  test('the documented places are read', () => {
    expect(search({ ok: 0, msg: MSG.searchWithheld }).outcome).toBe('withheld');
    expect(search({ ok: 1, data: { cardlistInfo: { desc: MSG.searchWithheld }, cards: [] } }).outcome).toBe(
      'withheld',
    );
    expect(search({ ok: 1, data: { cards: [withheldCard] } }).outcome).toBe('withheld');
    expect(search({ ok: 1, data: { cards: [{ card_type: 11, card_group: [withheldCard] }] } }).outcome).toBe(
      'withheld',
    );
  });

  test('a withheld envelope wrapped in another object is no withholding', () => {
    const envelope = { ok: 1, data: { cards: [withheldCard] } };
    expect(search({ data: envelope }).outcome).toBe('unparseable');
    expect(search({ ok: 1, data: { data: envelope } }).outcome).toBe('unparseable');
  });

  test('the notice in a card of an unknown card_type is no withholding', () => {
    const r = search({
      ok: 1,
      data: { cardlistInfo: { page: null }, cards: [{ card_type: 'card', desc: MSG.searchWithheld }] },
    });
    expect(r.outcome).toBe('unparseable');
    expect(
      search({ ok: 1, data: { cards: [...cards(), { card_type: 13, desc: MSG.searchWithheld }] } }).outcome,
    ).toBe('results');
  });

  test('the notice under a hint key beside 这里还没有内容 is no withholding: the page is the empty container', () => {
    expect(search({ ...NO_CONTENT_BODY, tips: MSG.searchPartlyWithheld }).outcome).toBe('empty');
  });

  test('the notice as the msg of ok:"null", or of ok:1 with results, is no withholding', () => {
    expect(search({ ok: 'null', msg: MSG.searchWithheld }).outcome).toBe('unparseable');
    expect(search({ ok: 1, msg: MSG.searchWithheld, data: { cards: cards() } }).outcome).toBe('results');
  });

  test('the notice quoted in a longer ok:0 msg, or in a card_type 9 desc, is no withholding', () => {
    expect(search({ ok: 0, msg: `网友提问：${MSG.searchWithheld}是什么意思` }).outcome).toBe('unparseable');
    expect(
      search({ ok: 1, data: { cards: [...cards(), { card_type: 9, desc: MSG.searchWithheld }] } }).outcome,
    ).toBe('results');
  });

  test('the notice in half-width punctuation or after a BOM is still read', () => {
    expect(search({ ok: 0, msg: '根据相关法律法规和政策,搜索结果未予显示.' }).outcome).toBe('withheld');
    const bom = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      json({ ok: 1, data: { cards: [withheldCard] } }),
    ]);
    expect(parseSearchPage(at(searchEx(), bom), AT, KEYWORD).outcome).toBe('withheld');
  });
});

describe('Weibo listings and hotflow: no end of paging nor empty list unless the page says so', () => {
  const timelineEx = (): Exchange => page(/^weibo timeline: three cards/);
  const timeline = (body: unknown): ReturnType<typeof parseTimelinePage> =>
    parseTimelinePage(at(timelineEx(), json(body)), AT);

  test('a card list without ok:1 is unparseable, not the last page', () => {
    const r = search({ data: { cardlistInfo: { page: null }, cards: cards() } });
    expect(r.outcome).toBe('unparseable');
    expect(r.evidence?.body.toString('utf8')).toContain('cardlistInfo');
    expect(timeline({ status: 1, data: { cardlistInfo: { since_id: 1 }, cards: cards() } }).outcome).toBe(
      'unparseable',
    );
  });

  test('a timeline without cardlistInfo, or paging by a since_id or page of another shape, is unparseable, not ended', () => {
    for (const info of [
      undefined,
      null,
      [],
      { since_id: '' },
      { since_id: {} },
      { since_id: true },
      { page: 'null' },
      { page: [] },
    ]) {
      const r = timeline({
        ok: 1,
        data: { ...(info === undefined ? {} : { cardlistInfo: info }), cards: cards() },
      });
      expect({ info, outcome: r.outcome, next: r.nextCursor }).toEqual({
        info,
        outcome: 'unparseable',
        next: null,
      });
      // The posts it shows are still read, with the body kept.
      expect(r.observations.length).toBeGreaterThan(0);
      expect(r.evidence).toBeDefined();
    }
    expect(timeline({ ok: 1, data: { cardlistInfo: { since_id: 0 }, cards: cards() } })).toMatchObject({
      outcome: 'results',
      nextCursor: null,
    });
  });

  test('ok:1 with no cards is neither an empty search nor an empty timeline', () => {
    expect(search({ ok: 1, data: { cards: [] } }).outcome).toBe('unparseable');
    expect(timeline({ ok: 1, data: { cards: [] } }).outcome).toBe('unparseable');
    expect(search({ ok: 1, data: { cards: [{ card_type: 58, name: '没有更多微博了' }] } }).outcome).toBe(
      'unparseable',
    );
    expect(timeline({ ok: 1, data: { cards: [{ card_type: 58, name: '没有更多微博了' }] } }).outcome).toBe(
      'empty',
    );
  });

  test('hotflow paging ends only at max_id 0: without max_id (renamed maxId) it is unparseable, not the last page', () => {
    const ex = page(/^weibo hotflow: the last page/);
    const body = JSON.parse(ex.body.toString('utf8')) as { ok?: unknown; data: Record<string, unknown> };
    const read = (b: unknown): ReturnType<typeof parseHotflow> => parseHotflow(at(ex, json(b)), AT);
    expect(read(body)).toMatchObject({ kind: 'page', page: { maxId: null } });
    const { max_id: _gone, ...rest } = body.data;
    expect(read({ ...body, data: { ...rest, maxId: 0 } })).toMatchObject({
      kind: 'outcome',
      outcome: 'unparseable',
    });
    for (const maxId of [null, '', -1, 1.5, true, {}, 'null'])
      expect({ maxId, r: read({ ...body, data: { ...body.data, max_id: maxId } }).kind }).toEqual({
        maxId,
        r: 'outcome',
      });
    expect(read({ ...body, data: { ...body.data, max_id: '0' } })).toMatchObject({
      kind: 'page',
      page: { maxId: null },
    });
  });

  test('hotflow without ok:1 (the key removed) is unparseable, not the last page', () => {
    const ex = page(/^weibo hotflow: the last page/);
    const { ok: _ok, ...rest } = JSON.parse(ex.body.toString('utf8')) as Record<string, unknown>;
    expect(parseHotflow(at(ex, json(rest)), AT)).toMatchObject({ kind: 'outcome', outcome: 'unparseable' });
  });
});

describe('NetEase listings: "no results" only inside div.keyword_list, and no entry skipped in silence', () => {
  const listed = [0, 1, 2].map((i) => ({
    docid: `JK7P2Q3R000189${i}O`,
    channel: 'dy',
    title: `标题${i}`,
    createdAt: AT - i * 60_000,
    source: '网易号作者',
    image: null,
  }));
  const searchAt = (html: string): ReturnType<typeof netease.parseSearchPage> =>
    netease.parseSearchPage(
      at({ ...searchEx(), url: URLS.neteaseSearch, headers: { 'content-type': 'text/html' } }, html),
      AT,
    );

  test('a search page cut off in the middle of its list is unparseable, not results', () => {
    const html = searchPage(KEYWORD, listed);
    const cut = html.slice(0, html.indexOf('JK7P2Q3R0001891O') + 40);
    const r = searchAt(cut);
    expect(r.outcome).toBe('unparseable');
    expect(r.evidence?.body.toString('utf8')).toBe(cut);
    expect(searchAt(html).outcome).toBe('results');
  });

  test('a fragment of a search page (no <html>, no <body>) shows its results, but its "no results" says nothing', () => {
    const inner = (html: string): string => html.slice(html.indexOf('<body>') + 6, html.indexOf('</body>'));
    const shown = inner(searchPage(KEYWORD, listed));
    expect(shown).toContain('JK7P2Q3R0001891O');
    const r = searchAt(shown);
    expect(r.outcome).toBe('results');
    expect(r.observations.length).toBeGreaterThan(0);
    const none = inner(searchPage(KEYWORD, []));
    expect(none).toContain('keyword_list');
    expect(searchAt(none).outcome).toBe('unparseable');
    expect(searchAt(searchPage(KEYWORD, [])).outcome).toBe('empty');
  });

  test('"no results" in a sidebar, a title or a script of a page without results is no "no results"', () => {
    const none = searchPage(KEYWORD, []);
    expect(searchAt(none).outcome).toBe('empty');
    const moved = none.replace(/<p class="keyword_none">[^<]*<\/p>/, '');
    expect(
      searchAt(moved.replace('<body>', '<body><div class="sidebar">没有找到相关结果</div>')).outcome,
    ).toBe('unparseable');
    expect(searchAt(moved.replace(/<title>[^<]*<\/title>/, '<title>没有找到相关结果</title>')).outcome).toBe(
      'unparseable',
    );
    expect(
      searchAt(
        moved.replace(
          '<div class="keyword_list">',
          '<div class="keyword_list"><script>var t="没有找到相关结果"</script>',
        ),
      ).outcome,
    ).toBe('unparseable');
  });

  test('a search result that links to no article is unread, so the page says of no article that it is missing', () => {
    const html = searchPage(KEYWORD, listed).replace('/dy/article/JK7P2Q3R0001891O.html', '/special/x.html');
    const r = searchAt(html);
    expect(r.outcome).toBe('results');
    expect(r.observations.map((o) => o.target.id)).toEqual(['JK7P2Q3R0001890O', 'JK7P2Q3R0001892O']);
    expect(r.unread).toEqual(['item 1 links to no article']);
  });

  const accountEx = (): Exchange => page(/^netease list\.do: a full page/);
  const list = (body: unknown): ReturnType<typeof netease.parseAccountList> =>
    netease.parseAccountList(at(accountEx(), json(body)), AT, {
      wemediaId: 'W1234567890123456789',
      pageNo: 1,
      size: 3,
    });

  test('list.do without data.list (renamed items, or wrapped in another data) is unparseable, not an account without articles', () => {
    expect(list({ data: { items: [] } }).outcome).toBe('unparseable');
    expect(list({ data: { data: { list: [] } } }).outcome).toBe('unparseable');
    expect(list({ data: { list: null } }).outcome).toBe('empty');
  });

  test('list.do entries without a DOCID are unread, not skipped; a page of only those is unparseable', () => {
    const body = JSON.parse(accountEx().body.toString('utf8')) as {
      data: { list: Record<string, unknown>[] };
    };
    const renamed = body.data.list.map(({ docid, ...rest }, i) =>
      i === 0 ? { ...rest, docId: docid } : { docid, ...rest },
    );
    const some = list({ data: { list: renamed } });
    expect(some.outcome).toBe('results');
    expect(some.unread).toEqual(['list.do entry 0 without a DOCID']);
    // Still a full page: the next one is asked for.
    expect(some.nextCursor).toBe('W1234567890123456789:2');
    const none = list({ data: { list: body.data.list.map(({ docid: _d, ...rest }) => rest) } });
    expect(none.outcome).toBe('unparseable');
    expect(none.evidence).toBeDefined();
  });

  test('a 网易号 home page whose list shows no article, or is cut off, is unparseable, not empty', () => {
    const account = {
      tid: 'T1234567890123',
      wemediaId: 'W1234567890123456789',
      name: '网易号作者',
      description: '简介',
    };
    const home = (html: string): ReturnType<typeof netease.parseMediaHomePage> =>
      netease.parseMediaHomePage(at(page(/网易号 home page/), html), AT, 'T1234567890123');
    expect(home(mediaHomePage(account, [])).listing.outcome).toBe('unparseable');
    const full = mediaHomePage(account, listed);
    expect(home(full.slice(0, full.indexOf('</ul>'))).listing.outcome).toBe('unparseable');
    expect(home(full).listing.outcome).toBe('results');
  });
});

describe('NetEase comment lists: the end only where commentIds says so', () => {
  const ex = (): Exchange => page(/^netease newList: a full page of two/);
  const read = (body: unknown): ReturnType<typeof netease.parseCommentList> =>
    netease.parseCommentList(at(ex(), json(body)));
  const full = (): Record<string, unknown> =>
    JSON.parse(ex().body.toString('utf8')) as Record<string, unknown>;

  test('a comment list without commentIds (renamed ids) is unparseable, not its last page', () => {
    const { commentIds, ...rest } = full();
    expect(read({ ...rest, ids: commentIds })).toMatchObject({ ok: false, outcome: 'unparseable' });
    expect(read({ ...rest, commentIds: {} })).toMatchObject({ ok: false, outcome: 'unparseable' });
  });

  test('a commentIds entry that is no id chain (null, an object) is unparseable, not a shorter page', () => {
    for (const entry of [null, {}, [], '', true, 'abc'])
      expect({ entry, ok: read({ ...full(), commentIds: ['56424569', entry] }).ok }).toEqual({
        entry,
        ok: false,
      });
  });

  test('an empty list past the end and a short page end the list; a full page does not', () => {
    const end = read({ commentIds: [], comments: {}, newListSize: 9037 });
    expect(end.ok && netease.commentListEnds(end.value, 30)).toBe(true);
    const f = read(full());
    expect(f.ok && netease.commentListEnds(f.value, 2)).toBe(false);
    expect(f.ok && netease.commentListEnds(f.value, 30)).toBe(true);
  });
});
