import { contentHash } from '../../../src/domain/hash';
import {
  findWithholdingNotice,
  parseDetailPage,
  parseExtend,
  parseSearchPage,
  parseStatusShow,
  parseTimelinePage,
  placeholderCause,
} from '../../../src/platforms/weibo/parse';
import { AT_2019, response, sample, sampleJson } from './helpers';

type Obj = Record<string, unknown>;
const SHOW_URL = 'https://m.weibo.cn/statuses/show?id=4383411844046171';

describe('statuses/show sample m_statuses_show_repost_2019.json (a repost of a long text)', () => {
  const res = response(sample('m_statuses_show_repost_2019.json'), {
    url: SHOW_URL,
    contentType: 'application/json; charset=utf-8',
  });
  const obs = parseStatusShow(res, AT_2019, '4383411844046171');

  test('first observation: the repost itself, alive, with its real values', () => {
    expect(obs).toHaveLength(2);
    const [first] = obs;
    expect(first).toMatchObject({
      target: { platform: 'weibo', kind: 'post', id: '4383411844046171' },
      at: AT_2019,
      endpoint: 'm.statuses.show',
      outcome: 'alive',
      url: 'https://m.weibo.cn/detail/4383411844046171',
      content: {
        html: '转发微博',
        text: '转发微博',
        author: { id: '5973737418', name: '九月九的晴天' },
        createdAt: '2019-06-15T03:44:46.000Z',
        counts: { reposts: 0, comments: 0, likes: 0 },
        media: [],
        repostOf: '4383404751066167',
        editCount: null,
        truncated: false,
      },
    });
  });

  test('evidence keeps url, final URL, status, content type and the exact body', () => {
    expect(obs[0]?.evidence).toEqual({
      url: SHOW_URL,
      finalUrl: SHOW_URL,
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: sample('m_statuses_show_repost_2019.json'),
      // The exchange behind it, for the WARC archive.
      exchanges: [expect.objectContaining({ status: 200, body: sample('m_statuses_show_repost_2019.json') })],
    });
  });

  test('second observation: the original 4383404751066167 from the embed, with its embedded long text', () => {
    const orig = obs[1];
    expect(orig).toMatchObject({
      target: { id: '4383404751066167' },
      endpoint: 'm.repost-embed',
      outcome: 'alive',
      url: 'https://m.weibo.cn/detail/4383404751066167',
      content: {
        author: { id: '5349576923', name: 'upupming' },
        createdAt: '2019-06-15T03:16:35.000Z',
        counts: { reposts: 1, comments: 0, likes: 0 },
        truncated: false,
      },
    });
    const show = sampleJson<{ data: { retweeted_status: { longText: { longTextContent: string } } } }>(
      'm_statuses_show_repost_2019.json',
    );
    expect(orig?.content?.html).toBe(show.data.retweeted_status.longText.longTextContent);
    expect(orig?.content?.text).not.toContain('全文');
    expect(orig?.content?.text.length).toBeGreaterThan(1000);
  });

  test('a bid-addressed request (statuses/show?id=HyZVegYAP) still records the asked mid', () => {
    const r = parseStatusShow(
      response(sample('m_statuses_show_repost_2019.json'), {
        url: 'https://m.weibo.cn/statuses/show?id=HyZVegYAP',
      }),
      AT_2019,
      '4383411844046171',
    );
    expect(r[0]?.target.id).toBe('4383411844046171');
  });
});

describe('retweet placeholders embedded in a repost', () => {
  const deleted = sampleJson<Obj>('m_retweet_placeholder_deleted_by_author_stablog.json');
  const halfYear = sampleJson<Obj>('m_retweet_placeholder_halfyear_hidden_stablog.json');
  const repostWith = (rt: Obj) =>
    response({
      ok: 1,
      data: {
        created_at: 'Sat Jun 15 11:44:46 +0800 2019',
        mid: '4383411844046171',
        text: '转发微博',
        user: { id: 1, screen_name: 'r' },
        retweeted_status: rt,
      },
    });

  test('m_retweet_placeholder_deleted_by_author_stablog.json (state 7) → deleted_by_author of 4405996207851235', () => {
    const obs = parseStatusShow(repostWith(deleted), AT_2019, '4383411844046171');
    expect(obs[0]?.outcome).toBe('alive');
    expect(obs[0]?.content?.repostOf).toBe('4405996207851235');
    expect(obs[1]).toMatchObject({
      target: { id: '4405996207851235' },
      endpoint: 'm.repost-embed',
      outcome: 'deleted_by_author',
      url: 'https://m.weibo.cn/detail/4405996207851235',
    });
    expect(obs[1]?.message).toContain('此微博已被作者删除');
    expect(obs[1]?.evidence?.body.length).toBeGreaterThan(0);
  });

  test('m_retweet_placeholder_halfyear_hidden_stablog.json (user:null, 半年内) → restricted, keyed by mid', () => {
    const obs = parseStatusShow(repostWith(halfYear), AT_2019, '4383411844046171');
    expect(obs[1]).toMatchObject({ target: { id: '20110061812539159' }, outcome: 'restricted' });
  });

  test('state 8 placeholder → removed_by_platform', () => {
    const rt = { ...deleted, state: 8, text: '该微博因被多人投诉，根据《微博社区公约》，已被删除。' };
    expect(placeholderCause(rt)?.outcome).toBe('removed_by_platform');
  });

  test('user:null with a deletion text and no state → by the text', () => {
    expect(placeholderCause({ mid: '1', user: null, text: '抱歉，此微博已被删除。' })?.outcome).toBe(
      'gone_unspecified',
    );
    expect(
      placeholderCause({ mid: '1', user: null, text: '抱歉，由于作者设置，你暂时没有这条微博的查看权限哦。' })
        ?.outcome,
    ).toBe('restricted');
    expect(
      placeholderCause({
        mid: '1',
        user: null,
        text: '该微博因被多人举报，根据《微博社区管理规定》，已被删除。',
      })?.outcome,
    ).toBe('removed_by_platform');
  });

  test('a live post that quotes a notice keeps its author and is not a placeholder', () => {
    expect(
      placeholderCause({ mid: '1', user: { id: 2 }, text: '他说：抱歉，此微博已被作者删除。' }),
    ).toBeNull();
  });
});

describe('statuses/show: errors and odd answers', () => {
  test('ok:0 20101 → gone_unspecified observation of the asked mid, evidence kept', () => {
    const obs = parseStatusShow(
      response({ ok: 0, errno: '20101', msg: '微博不存在或暂无查看权限!' }),
      AT_2019,
      '4383411844046171',
    );
    expect(obs).toHaveLength(1);
    expect(obs[0]).toMatchObject({
      outcome: 'gone_unspecified',
      message: expect.stringContaining('微博不存在'),
    });
    expect(obs[0]?.evidence?.status).toBe(200);
  });
  test('ok:1 with a data object missing required fields → unparseable', () => {
    expect(parseStatusShow(response({ ok: 1, data: { foo: 1 } }), AT_2019, '1')[0]?.outcome).toBe(
      'unparseable',
    );
    expect(parseStatusShow(response({ ok: 1, data: { mid: '1' } }), AT_2019, '1')[0]?.outcome).toBe(
      'unparseable',
    );
    expect(parseStatusShow(response({ ok: 1 }), AT_2019, '1')[0]?.outcome).toBe('unparseable');
  });
  test('weibo.com/ajax shape (status at top level, region_name) → alive with region', () => {
    const obs = parseStatusShow(
      response({
        ok: 1,
        id: 5232630992732508,
        idstr: '5232630992732508',
        mid: '5232630992732508',
        mblogid: 'QdGSDbsQI',
        text: 'hi',
        region_name: '发布于 安徽',
        edit_count: 2,
        user: { id: 1, idstr: '1', screen_name: 'a' },
      }),
      AT_2019,
      '5232630992732508',
    );
    expect(obs[0]?.content).toMatchObject({ region: '安徽', editCount: 2, text: 'hi' });
  });
});

describe('timeline sample m_getIndex_timeline_107603_2019_first3cards.json', () => {
  const url = 'https://m.weibo.cn/api/container/getIndex?containerid=1076031669879400';
  const r = parseTimelinePage(
    response(sample('m_getIndex_timeline_107603_2019_first3cards.json'), { url }),
    AT_2019,
  );

  test('three listed posts, plus the embedded original of the repost', () => {
    expect(r.outcome).toBe('results');
    expect(r.observations.map((o) => [o.target.id, o.endpoint, o.outcome])).toEqual([
      ['4383183661430868', 'm.timeline', 'alive'],
      ['4383180406740606', 'm.timeline', 'alive'],
      ['4383031864995274', 'm.repost-embed', 'alive'],
      ['4382054705416396', 'm.timeline', 'alive'],
    ]);
    expect(r.observations[2]?.content?.media).toHaveLength(1);
    expect(r.observations[2]?.content?.author?.name).toBe('代斯daisy');
  });
  test('the sample pages by number (cardlistInfo.page 2, no since_id): the next page is page 2; evidence is the listing', () => {
    expect(r.nextCursor).toBe('page:2');
    expect(r.evidence?.url).toBe(url);
  });
  test('since_id becomes the cursor; a card_type 58 ends the list', () => {
    const body = sampleJson<{ data: { cardlistInfo: Obj; cards: unknown[] } }>(
      'm_getIndex_timeline_107603_2019_first3cards.json',
    );
    body.data.cardlistInfo['since_id'] = 4382054705416396;
    expect(parseTimelinePage(response(body), AT_2019).nextCursor).toBe('4382054705416396');
    body.data.cards.push({ card_type: 58, name: '没有更多内容了' });
    expect(parseTimelinePage(response(body), AT_2019).nextCursor).toBeNull();
  });
  test('ok:0 这里还没有内容 (weibo-crawler #127) → empty, message kept', () => {
    const body = { ok: 0, msg: '这里还没有内容', data: { cards: [] } };
    expect(parseTimelinePage(response(body), AT_2019)).toMatchObject({
      outcome: 'empty',
      message: '这里还没有内容',
      observations: [],
      nextCursor: null,
    });
  });
  test('captcha on a timeline → captcha listing', () => {
    expect(
      parseTimelinePage(
        response({ ok: -100, url: 'https://m.weibo.cn/captcha?scene=limit&referer=/' }),
        AT_2019,
      ).outcome,
    ).toBe('captcha');
  });
  test('account banned message on a timeline → empty, naming the cause', () => {
    const r2 = parseTimelinePage(
      response({ ok: 0, msg: '该账号因被投诉违反《微博社区公约》的相关规定，现已无法查看。' }),
      AT_2019,
    );
    expect(r2.outcome).toBe('empty');
    expect(r2.message).toMatch(/^account_gone: /);
  });
});

describe('search page (shape from MediaCrawler filter_search_result_card; mblogs from the timeline sample)', () => {
  const tl = sampleJson<{ data: { cards: Array<{ mblog: Obj }> } }>(
    'm_getIndex_timeline_107603_2019_first3cards.json',
  ).data.cards;
  const url = (page: number) =>
    `https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3D%E7%A7%A6%E6%98%8E&page_type=searchall&page=${page}`;
  const cards = [
    {
      card_type: 11,
      card_group: [
        { card_type: 9, mblog: tl[0]!.mblog },
        { card_type: 24, desc: '相关用户' },
      ],
    },
    { card_type: 9, mblog: tl[1]!.mblog },
  ];

  test('card_type 9 and card_type 11 card_group posts are listed; cursor is the next page', () => {
    const r = parseSearchPage(response({ ok: 1, data: { cards } }, { url: url(2) }), AT_2019, '秦明');
    expect(r.outcome).toBe('results');
    expect(r.observations.filter((o) => o.endpoint === 'm.search').map((o) => o.target.id)).toEqual([
      '4383183661430868',
      '4383180406740606',
    ]);
    expect(r.observations.find((o) => o.endpoint === 'm.repost-embed')?.target.id).toBe('4383031864995274');
    expect(r.nextCursor).toBe('3');
  });

  test('full withholding notice → withheld, no posts, notice as message', () => {
    const body = {
      ok: 1,
      data: { cards: [{ card_type: 4, desc: '根据相关法律法规和政策，搜索结果未予显示' }] },
    };
    const r = parseSearchPage(response(body, { url: url(1) }), AT_2019, '秦明');
    expect(r).toMatchObject({
      outcome: 'withheld',
      message: '根据相关法律法规和政策，搜索结果未予显示',
      observations: [],
      nextCursor: null,
    });
  });

  test('partial withholding still returns the listed posts, with the notice as message', () => {
    const body = {
      ok: 1,
      data: { cardlistInfo: { desc: '根据相关法律法规和政策，部分搜索结果未予显示' }, cards },
    };
    const r = parseSearchPage(response(body, { url: url(1) }), AT_2019, '秦明');
    expect(r.outcome).toBe('withheld');
    expect(r.message).toBe('根据相关法律法规和政策，部分搜索结果未予显示');
    expect(r.observations.filter((o) => o.outcome === 'alive')).toHaveLength(3);
    expect(r.nextCursor).toBe('2');
  });

  test('a notice escaped as \\uXXXX in the raw JSON is still found', () => {
    const raw = `{"ok":0,"msg":"${[...'根据相关法律法规和政策，搜索结果未予显示'].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}","data":{"cards":[]}}`;
    expect(parseSearchPage(response(Buffer.from(raw), { url: url(1) }), AT_2019, 'x').outcome).toBe(
      'withheld',
    );
    expect(findWithholdingNotice('<p>根据相关法律法规和政策，部分搜索结果未予显示。</p>')).toEqual({
      notice: '根据相关法律法规和政策，部分搜索结果未予显示',
      partial: true,
    });
  });

  test('cardlistInfo.page: null marks the last page', () => {
    const r = parseSearchPage(
      response({ ok: 1, data: { cardlistInfo: { page: null }, cards } }, { url: url(4) }),
      AT_2019,
      '秦明',
    );
    expect(r.outcome).toBe('results');
    expect(r.nextCursor).toBeNull();
  });

  test('zero cards without a word of an empty list → unparseable with no cursor, the body kept', () => {
    const res = response({ ok: 1, data: { cards: [] } }, { url: url(1) });
    const r = parseSearchPage(res, AT_2019, 'x');
    expect(r).toMatchObject({ outcome: 'unparseable', nextCursor: null });
    expect(r.evidence?.body).toEqual(res.body);
  });

  test('ok:1 without data.cards → unparseable; 418 → rate_limited', () => {
    expect(parseSearchPage(response({ ok: 1, data: {} }), AT_2019, 'x').outcome).toBe('unparseable');
    expect(parseSearchPage(response('', { status: 418 }), AT_2019, 'x')).toMatchObject({
      outcome: 'rate_limited',
      message: 'HTTP 418',
    });
  });
});

describe('detail page ($render_data)', () => {
  const show = sampleJson<{ data: Obj }>('m_statuses_show_repost_2019.json');
  const page = (status: unknown) =>
    `<!DOCTYPE html><html><head><title>微博</title></head><body><script>var $render_data = ${JSON.stringify([{ status, call: 'detail' }])}[0] || {};\nvar __wb_performance_data={v:"3.0"};</script></body></html>`;

  test('the status embedded in $render_data (the show sample status) → alive, same content as statuses/show', () => {
    const obs = parseDetailPage(
      response(page(show.data), { url: 'https://m.weibo.cn/detail/4383411844046171' }),
      AT_2019,
      '4383411844046171',
    );
    expect(obs.map((o) => [o.target.id, o.endpoint, o.outcome])).toEqual([
      ['4383411844046171', 'm.detail', 'alive'],
      ['4383404751066167', 'm.repost-embed', 'alive'],
    ]);
    const viaShow = parseStatusShow(
      response(sample('m_statuses_show_repost_2019.json')),
      AT_2019,
      '4383411844046171',
    );
    expect(contentHash(obs[0]!.content!)).toBe(contentHash(viaShow[0]!.content!));
  });
  test('微博-出错了 page with 微博不存在或暂无查看权限! → gone_unspecified', () => {
    const html =
      '<html><head><title>微博-出错了</title></head><body><div class="h5-4box"><p class="h5-4con">微博不存在或暂无查看权限!</p></div></body></html>';
    expect(parseDetailPage(response(html), AT_2019, '4757913951015733')[0]).toMatchObject({
      outcome: 'gone_unspecified',
      target: { id: '4757913951015733' },
    });
  });
  test('privacy error box → restricted', () => {
    const html =
      '<html><div class="h5-4box"><p class="h5-4con">由于作者隐私设置，你没有权限查看此微博</p></div></html>';
    expect(parseDetailPage(response(html), AT_2019, '1')[0]?.outcome).toBe('restricted');
  });
  test('a page without $render_data or error box → unparseable; visitor redirect → login_required', () => {
    expect(parseDetailPage(response('<html><title>x</title></html>'), AT_2019, '1')[0]?.outcome).toBe(
      'unparseable',
    );
    const v = 'https://passport.weibo.com/visitor/visitor?a=enter';
    expect(parseDetailPage(response('', { redirects: [v], finalUrl: v }), AT_2019, '1')[0]?.outcome).toBe(
      'login_required',
    );
  });
});

describe('statuses/extend sample m_statuses_extend_longtext_2019.json', () => {
  test('long text with <br /> lines and counts', () => {
    const r = parseExtend(
      response(sample('m_statuses_extend_longtext_2019.json'), {
        url: 'https://m.weibo.cn/statuses/extend?id=4383487819465288',
      }),
    );
    expect(r.kind).toBe('long-text');
    if (r.kind !== 'long-text') return;
    expect(r.html.startsWith('😄😆😊')).toBe(true);
    expect(r.text).toContain('\nNature\n');
    expect(r.text).toContain('\nSymbols\n');
    expect(r.text).not.toContain('<br');
    expect(r.counts).toEqual({ reposts: 0, comments: 0, likes: 0 });
  });
  test('an HTML 暂无查看权限 page → gone_unspecified; missing longTextContent → unparseable', () => {
    expect(
      parseExtend(response('<html><p class="h5-4con">微博不存在或暂无查看权限!</p></html>')),
    ).toMatchObject({ kind: 'outcome', outcome: 'gone_unspecified' });
    expect(parseExtend(response({ ok: 1, data: { ok: 1 } }))).toMatchObject({
      kind: 'outcome',
      outcome: 'unparseable',
    });
  });
});
