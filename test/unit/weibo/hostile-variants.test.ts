import { isFinalOutcome } from '../../../src/domain/glossary';
import { parseAjaxStatusShow, parseMymblogPage } from '../../../src/platforms/weibo/ajax';
import { parseHotflow } from '../../../src/platforms/weibo/comments';
import {
  parseDetailPage,
  parseSearchPage,
  parseStatusShow,
  parseTimelinePage,
} from '../../../src/platforms/weibo/parse';
import { sessionWallOf } from '../../../src/platforms/weibo/session';
import { AT_2019, response, sampleJson } from './helpers';

/**
 * Variations of the reference responses a hostile tester would send: login walls under URLs the
 * research does not list, an answer about another post, listings with cards of unknown kinds,
 * comment lists that lost their shape. The rule throughout: no final outcome and no "alive" for the
 * asked post without the platform saying so about that post, and no listing that reads as missing
 * a post it may hold.
 */

const MID = '4383411844046171';
const SHOW_URL = `https://m.weibo.cn/statuses/show?id=${MID}`;
const AJAX_URL = `https://weibo.com/ajax/statuses/show?id=${MID}`;
const DETAIL_URL = `https://m.weibo.cn/detail/${MID}`;
const TIMELINE_URL = 'https://m.weibo.cn/api/container/getIndex?containerid=1076031669879400';
const SEARCH_URL =
  'https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3Dx&page_type=searchall';
const HOTFLOW_URL = `https://m.weibo.cn/comments/hotflow?id=${MID}&mid=${MID}&max_id_type=0`;

type Mblog = Record<string, unknown>;
const showSample = sampleJson<{ ok: number; data: Mblog }>('m_statuses_show_repost_2019.json');
const timelineSample = sampleJson<{ ok: number; data: { cards: Array<Record<string, unknown>> } }>(
  'm_getIndex_timeline_107603_2019_first3cards.json',
);

/** The page weibo.com serves at its login URLs: a script-driven app shell with a title, no notice. */
const LOGIN_SHELL =
  '<!DOCTYPE html><html><head><meta charset="utf-8"><title>微博</title></head><body><div id="app"></div><script src="//h5.sinaimg.cn/login.js"></script></body></html>';

describe('login walls under the desktop and mobile login URLs', () => {
  // weibo.com sends logged-out desktop visitors to /newlogin with the page they wanted in `url`.
  const walls = [
    'https://weibo.com/newlogin?tabtype=weibo&gid=102803&openLoginLayer=0&url=https%3A%2F%2Fweibo.com%2F',
    'https://www.weibo.com/newlogin?url=https%3A%2F%2Fweibo.com%2Fajax%2Fstatuses%2Fshow%3Fid%3D4383411844046171',
    'https://weibo.com/login?url=https%3A%2F%2Fweibo.com%2F',
    'https://passport.weibo.com/sso/signin?entry=miniblog&source=miniblog&url=https%3A%2F%2Fweibo.com%2F',
    'https://login.sina.com.cn/signup/signin.php?entry=sso&r=https%3A%2F%2Fweibo.com%2F',
  ];

  test.each(walls)(
    'followed to %s → login_required on statuses/show, ajax show and the detail page',
    (wall) => {
      const asked = [
        parseStatusShow(
          response(LOGIN_SHELL, { url: SHOW_URL, finalUrl: wall, redirects: [wall] }),
          AT_2019,
          MID,
        ),
        parseAjaxStatusShow(
          response(LOGIN_SHELL, { url: AJAX_URL, finalUrl: wall, redirects: [wall] }),
          AT_2019,
          MID,
        ),
        parseDetailPage(
          response(LOGIN_SHELL, { url: DETAIL_URL, finalUrl: wall, redirects: [wall] }),
          AT_2019,
          MID,
        ),
      ];
      for (const obs of asked) expect(obs.map((o) => o.outcome)).toEqual(['login_required']);
    },
  );

  test.each(walls)('an unfollowed 302 to %s → login_required, and the session sees a login wall', (wall) => {
    const res = response('', { url: SHOW_URL, status: 302, headers: { location: wall } });
    expect(parseStatusShow(res, AT_2019, MID).map((o) => o.outcome)).toEqual(['login_required']);
    expect(sessionWallOf(res)).toBe('login');
  });

  test('a listing redirected to weibo.com/newlogin is login_required, not unparseable or empty', () => {
    const wall = 'https://weibo.com/newlogin?tabtype=weibo&url=https%3A%2F%2Fm.weibo.cn%2F';
    const opts = { finalUrl: wall, redirects: [wall] };
    expect(parseTimelinePage(response(LOGIN_SHELL, { url: TIMELINE_URL, ...opts }), AT_2019).outcome).toBe(
      'login_required',
    );
    expect(parseSearchPage(response(LOGIN_SHELL, { url: SEARCH_URL, ...opts }), AT_2019, 'x').outcome).toBe(
      'login_required',
    );
  });

  test('a weibo.com page whose path only contains "login" elsewhere is no wall', () => {
    const page = 'https://weibo.com/u/1669879400/loginlog';
    const res = response(LOGIN_SHELL, { url: SHOW_URL, finalUrl: page, redirects: [page] });
    expect(parseStatusShow(res, AT_2019, MID)[0]?.outcome).toBe('unparseable');
  });
});

describe('an answer about another post is no statement about the asked one', () => {
  const OTHER = '4383411844046999';
  const other: Mblog = { ...showSample.data, id: OTHER, idstr: OTHER, mid: OTHER, bid: 'HyZVegYAZ' };

  test('statuses/show answering with another post → unparseable, body kept, not the asked post alive', () => {
    const res = response({ ok: 1, data: other }, { url: SHOW_URL });
    const [first] = parseStatusShow(res, AT_2019, MID);
    expect(first).toMatchObject({ outcome: 'unparseable', target: { id: MID } });
    expect(first?.message).toContain(OTHER);
    expect(first?.evidence?.body).toEqual(res.body);
  });

  test('weibo.com ajax/statuses/show answering with another post → unparseable', () => {
    const res = response({ ...other, ok: 1 }, { url: AJAX_URL });
    expect(parseAjaxStatusShow(res, AT_2019, MID).map((o) => o.outcome)).toEqual(['unparseable']);
  });

  test('a detail page whose $render_data holds another post → unparseable', () => {
    const html = `<html><body><script>var $render_data = [{"status":${JSON.stringify(other)},"call":1}][0] || {};</script></body></html>`;
    const obs = parseDetailPage(response(html, { url: DETAIL_URL }), AT_2019, MID);
    expect(obs.map((o) => o.outcome)).toEqual(['unparseable']);
  });

  test('another post carrying a deletion placeholder is no deletion of the asked post', () => {
    const placeholder = {
      id: OTHER,
      mid: OTHER,
      state: 7,
      deleted: '1',
      user: null,
      text: '抱歉，此微博已被作者删除。查看帮助：http://t.cn/Rfd3rQV',
    };
    const obs = parseStatusShow(response({ ok: 1, data: placeholder }, { url: SHOW_URL }), AT_2019, MID);
    expect(obs.map((o) => o.outcome)).toEqual(['unparseable']);
  });

  test('the same post asked by its bid, or keyed by idstr only, is still alive', () => {
    const byBid = parseStatusShow(
      response(showSample, { url: 'https://m.weibo.cn/statuses/show?id=HyZVegYAP' }),
      AT_2019,
      'HyZVegYAP',
    );
    expect(byBid[0]).toMatchObject({ outcome: 'alive', target: { id: 'HyZVegYAP' } });
    const { mid: _m, id: _i, bid: _b, ...rest } = showSample.data;
    const idstrOnly = parseStatusShow(response({ ok: 1, data: { ...rest, idstr: MID } }), AT_2019, MID);
    expect(idstrOnly[0]?.outcome).toBe('alive');
  });

  test('a 2010-era status whose idstr differs from its id still answers for either', () => {
    // stablog sample (research §1.7): id 20110061812539159, idstr 730379578, bid 1b1AKe.
    const old: Mblog = {
      // Beyond 2^53 as a JSON number, as the sample has it: the parser reads it as naming no id.
      id: Number('20110061812539159'),
      idstr: '730379578',
      bid: '1b1AKe',
      text: '2010 post',
      user: { id: 1, screen_name: 'x' },
    };
    for (const asked of ['730379578', '1b1AKe']) {
      const obs = parseStatusShow(
        response({ ok: 1, data: old }, { url: `https://m.weibo.cn/statuses/show?id=${asked}` }),
        AT_2019,
        asked,
      );
      expect({ asked, outcome: obs[0]?.outcome }).toEqual({ asked, outcome: 'alive' });
    }
  });
});

describe('posts whose own text quotes a notice stay alive; only a placeholder original is gone', () => {
  const NOTICES = [
    '抱歉，此微博已被作者删除。查看帮助：http://t.cn/Rfd3rQV',
    '此微博已被作者删除',
    '该微博因被多人投诉，根据《微博社区公约》，已被删除。',
    '微博不存在或暂无查看权限!',
    '抱歉，作者已设置仅展示半年内微博，此微博已不可见。',
  ];

  test.each(NOTICES)('a live post (with its author) whose whole text is %s → alive', (notice) => {
    const { retweeted_status: _rt, ...own } = showSample.data;
    const obs = parseStatusShow(response({ ok: 1, data: { ...own, text: notice } }), AT_2019, MID);
    expect(obs.map((o) => o.outcome)).toEqual(['alive']);
  });

  test.each(NOTICES)('a timeline post quoting %s inside its text → alive, the page results', (notice) => {
    const body = structuredClone(timelineSample);
    const mblog = body.data.cards[0]!['mblog'] as Mblog;
    mblog['text'] = `转发理由：他们说「${notice}」，可我还能看到`;
    const r = parseTimelinePage(response(body, { url: TIMELINE_URL }), AT_2019);
    expect(r.outcome).toBe('results');
    expect(r.observations.filter((o) => isFinalOutcome(o.outcome))).toEqual([]);
  });

  test("a repost whose retweeted_status is the author's deletion placeholder: the repost alive, only the original gone", () => {
    const placeholder = sampleJson<Mblog>('m_retweet_placeholder_deleted_by_author_stablog.json');
    const body = { ok: 1, data: { ...showSample.data, retweeted_status: placeholder } };
    const obs = parseStatusShow(response(body), AT_2019, MID);
    expect(obs.map((o) => [o.target.id, o.outcome])).toEqual([
      [MID, 'alive'],
      [String(placeholder['id']), 'deleted_by_author'],
    ]);
  });
});

describe("a search is withheld by the platform's notice, not by a post or a profile quoting it", () => {
  const WITHHELD = '根据相关法律法规和政策，搜索结果未予显示';

  test('a listed post whose text quotes the withholding notice → results, not withheld', () => {
    const body = structuredClone(timelineSample);
    (body.data.cards[0]!['mblog'] as Mblog)['text'] = `有人说搜这个词会显示“${WITHHELD}”，我试了并没有`;
    const r = parseSearchPage(response(body, { url: SEARCH_URL }), AT_2019, 'x');
    expect(r.outcome).toBe('results');
  });

  test("an author's profile or a repost's original quoting the partial notice → results", () => {
    const body = structuredClone(timelineSample);
    const mblog = body.data.cards[0]!['mblog'] as Mblog;
    mblog['user'] = { ...(mblog['user'] as Mblog), description: '部分搜索结果未予显示' };
    const repost = body.data.cards[1]!['mblog'] as Mblog;
    repost['retweeted_status'] = { ...(repost['retweeted_status'] as Mblog), text: `截图：${WITHHELD}` };
    expect(parseSearchPage(response(body, { url: SEARCH_URL }), AT_2019, 'x').outcome).toBe('results');
  });

  test('the notice in a card of its own, or escaped as \\uXXXX, is still withholding', () => {
    const mblog = timelineSample.data.cards[0]!['mblog'];
    const cards = [
      { card_type: 4, desc: '根据相关法律法规和政策，部分搜索结果未予显示' },
      { card_type: 9, mblog },
    ];
    const partial = parseSearchPage(response({ ok: 1, data: { cards } }, { url: SEARCH_URL }), AT_2019, 'x');
    expect(partial).toMatchObject({ outcome: 'withheld' });
    expect(partial.observations.some((o) => o.outcome === 'alive')).toBe(true);
    const escaped = JSON.stringify({ ok: 1, data: { cards: [{ card_type: 4, desc: WITHHELD }] } }).replace(
      /[\u4e00-\u9fff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16)}`,
    );
    expect(parseSearchPage(response(escaped, { url: SEARCH_URL }), AT_2019, 'x').outcome).toBe('withheld');
  });
});

describe('listings with cards of kinds the parser does not know', () => {
  /** A card of an invented kind that could hold a post in a shape not read (its mblog under another key). */
  const unknownCard = { card_type: 99, itemid: 'x', weibo: { id: '4383183661430999', text: '?' } };

  test('a timeline with an unknown card: the posts are listed, the card counted as unread and named', () => {
    const body = structuredClone(timelineSample);
    body.data.cards.splice(1, 0, unknownCard);
    const r = parseTimelinePage(response(body, { url: TIMELINE_URL }), AT_2019);
    expect(r.outcome).toBe('results');
    expect(r.observations.filter((o) => o.outcome === 'alive')).toHaveLength(4);
    expect(r.unread).toEqual(['card_type 99']);
  });

  test('unknown cards nested in a card_type 11 group are counted too; notice, end and group cards are not', () => {
    const mblog = timelineSample.data.cards[0]!['mblog'];
    const cards = [
      {
        card_type: 11,
        card_group: [{ card_type: 9, mblog }, { card_type: 24, desc: '相关用户' }, unknownCard],
      },
      { card_type: 4, desc: '提示' },
      { card_type: 58, name: '没有更多内容了' },
    ];
    const r = parseSearchPage(response({ ok: 1, data: { cards } }, { url: SEARCH_URL }), AT_2019, 'x');
    expect(r.outcome).toBe('results');
    expect(r.unread).toEqual(['card_type 99']);
  });

  test('cards that name no post (users, titles, hints) are not unread: a real search page carries them', () => {
    const mblog = timelineSample.data.cards[0]!['mblog'];
    const cards = [
      { card_type: 11, card_group: [{ card_type: 42, desc: '热门' }] },
      {
        card_type: 11,
        card_group: [
          {
            card_type: 10,
            user: { id: 1642088277, screen_name: '财经网' },
            scheme: 'https://m.weibo.cn/u/1642088277',
          },
          { card_type: 9, mblog },
        ],
      },
      { card_type: 17, title: '相关搜索', scheme: 'sinaweibo://searchall?q=x' },
    ];
    const r = parseSearchPage(response({ ok: 1, data: { cards } }, { url: SEARCH_URL }), AT_2019, 'x');
    expect(r.outcome).toBe('results');
    expect(r.unread).toBeUndefined();
  });

  test.each([
    ['a status under another key', { card_type: 77, status: { id: '4383183661430999' } }],
    ['a link to a post', { card_type: 77, scheme: 'https://m.weibo.cn/status/HqG4i8qyQ?mblogid=HqG4i8qyQ' }],
    [
      'a post-like object deep inside',
      { card_type: 77, a: { b: [{ mid: '4383183661430999', raw_text: '?' }] } },
    ],
  ])('an unknown card holding %s is unread', (_what, card) => {
    const body = structuredClone(timelineSample);
    body.data.cards.push(card as never);
    const r = parseTimelinePage(response(body, { url: TIMELINE_URL }), AT_2019);
    expect(r.unread).toEqual(['card_type 77']);
  });

  test('a post card whose mblog carries no id is counted as unread, not dropped silently', () => {
    const body = structuredClone(timelineSample);
    body.data.cards.push({ card_type: 9, mblog: { text: 'a post without its id' } });
    const r = parseTimelinePage(response(body, { url: TIMELINE_URL }), AT_2019);
    expect(r.outcome).toBe('results');
    expect(r.unread).toEqual(['card_type 9: mblog without an id']);
  });

  test('the reference timeline itself has nothing unread', () => {
    const r = parseTimelinePage(response(timelineSample, { url: TIMELINE_URL }), AT_2019);
    expect(r.unread ?? []).toEqual([]);
  });

  test('weibo.com mymblog entries without an id are counted as unread', () => {
    const post = { ...showSample.data, ok: undefined };
    const body = { ok: 1, data: { list: [post, { text_raw: 'no id here' }, 7], since_id: '' } };
    const r = parseMymblogPage(
      response(body, { url: 'https://weibo.com/ajax/statuses/mymblog?uid=1669879400&page=1&feature=0' }),
      AT_2019,
    );
    expect(r.outcome).toBe('results');
    expect(r.unread).toEqual(['entry 1: no id', 'entry 2: not an object']);
  });
});

describe('comment lists that lost their shape are not an empty thread', () => {
  test('hotflow ok:1 whose data has no data list → unparseable (an empty list would make every known comment gone)', () => {
    for (const data of [{}, { max_id: 0, total_number: 12 }]) {
      const r = parseHotflow(response({ ok: 1, data }, { url: HOTFLOW_URL }), AT_2019);
      expect({ data, kind: r.kind, outcome: r.kind === 'outcome' ? r.outcome : null }).toEqual({
        data,
        kind: 'outcome',
        outcome: 'unparseable',
      });
    }
  });

  test('a hotflow page with an entry that cannot be read (no id) → unparseable, not a page missing it', () => {
    const sample = sampleJson<{ data: { data: unknown[] } }>('m_comments_hotflow_2019_first3.json');
    const body = structuredClone(sample);
    body.data.data.splice(1, 0, { text: '一条没有 id 的评论', user: { screen_name: 'x' } });
    const r = parseHotflow(response(body, { url: HOTFLOW_URL }), AT_2019);
    expect(r).toMatchObject({ kind: 'outcome', outcome: 'unparseable' });
  });

  test('an empty data.data list is still an empty thread', () => {
    const r = parseHotflow(
      response({ ok: 1, data: { data: [], max_id: 0, total_number: 0 } }, { url: HOTFLOW_URL }),
      AT_2019,
    );
    expect(r).toMatchObject({ kind: 'page', page: { comments: [], maxId: null } });
  });
});
