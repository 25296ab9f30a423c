import { ManualClock } from '../../../src/domain/clock';
import type { FetchResult, HttpClient, HttpRequest } from '../../../src/http/types';
import { WeiboAdapter } from '../../../src/platforms/weibo/adapter';
import { parseMymblogPage } from '../../../src/platforms/weibo/ajax';
import { parseHotflow } from '../../../src/platforms/weibo/comments';
import {
  asIdString,
  mblogEditCount,
  parseCount,
  parseCreatedAt,
} from '../../../src/platforms/weibo/normalize';
import {
  parseSearchPage,
  parseStatusShow,
  parseTimelineCursor,
  parseTimelinePage,
} from '../../../src/platforms/weibo/parse';
import { AT_2019, response, sampleJson } from './helpers';

type Obj = Record<string, unknown>;
const TIMELINE = 'm_getIndex_timeline_107603_2019_first3cards.json';
const UID = '1669879400';

function timelineBody(): { ok: number; data: { cardlistInfo: Obj; cards: Array<{ mblog: Obj }> } } {
  return sampleJson(TIMELINE);
}

describe('dates out of range become null, never a RangeError', () => {
  test.each<[string, unknown]>([
    ['numeric 9e15 ms', 9e15],
    ['numeric -9e15 ms', -9e15],
    ['numeric 1e300', 1e300],
    ['a year beyond Date', 'Sat Jun 15 11:44:46 +0800 999999'],
    ['an offset pushing past the end', 'Sat Sep 13 00:00:00 -2359 275760'],
    ['YYYY-MM-DD beyond Date', '275761-01-01'],
    ['a relative form of 1e20 hours', '100000000000000000000小时前'],
    ['an unknown form', '公元前三千年'],
    ['a number string', '99999999999999999999'],
  ])('%s', (_name, input) => {
    expect(() => parseCreatedAt(input, AT_2019)).not.toThrow();
    expect(parseCreatedAt(input, AT_2019)).toBeNull();
  });

  test('the edge of the range still parses', () => {
    expect(parseCreatedAt(8.64e15, AT_2019)).toBe('+275760-09-13T00:00:00.000Z');
  });

  test('a timeline card with created_at 9e15 keeps the page: every post listed, that one without a time', () => {
    const body = timelineBody();
    body.data.cards[1]!.mblog['created_at'] = 9e15;
    const r = parseTimelinePage(response(body), AT_2019);
    expect(r.outcome).toBe('results');
    const listed = r.observations.filter((o) => o.endpoint === 'm.timeline');
    expect(listed).toHaveLength(3);
    expect(listed.every((o) => o.outcome === 'alive')).toBe(true);
    expect(listed[1]?.content?.createdAt).toBeNull();
    expect(listed[0]?.content?.createdAt).not.toBeNull();
  });

  test('statuses/show, hotflow and mymblog with absurd dates do not throw', () => {
    const show = { ok: 1, data: { mid: '4383411844046171', text: 'x', created_at: 9e15, user: { id: 1 } } };
    expect(parseStatusShow(response(show), AT_2019, '4383411844046171')[0]?.content?.createdAt).toBeNull();
    const hot = { ok: 1, data: { data: [{ id: '1', text: 'c', created_at: -1e300 }], max_id: 0 } };
    const h = parseHotflow(response(hot), AT_2019);
    expect(h.kind === 'page' && h.page.comments[0]?.createdAt).toBeNull();
    const my = {
      ok: 1,
      data: {
        list: [{ mid: '5', text: 'a', created_at: 'Mon Jan 01 00:00:00 +0800 9999999', user: { id: 1 } }],
      },
    };
    expect(
      parseMymblogPage(response(my, { url: 'https://weibo.com/ajax/statuses/mymblog?uid=1&page=1' }), AT_2019)
        .outcome,
    ).toBe('results');
  });
});

describe('numbers: ids, counts and edit counts that cannot be right are dropped', () => {
  test('an id number beyond 2^53 lost digits, so it names no post', () => {
    expect(asIdString(2 ** 53 + 2)).toBeNull();
    expect(asIdString(1e21)).toBeNull();
    expect(asIdString(-5)).toBeNull();
    expect(asIdString(4383411844046171)).toBe('4383411844046171');
  });
  test('counts and edit counts beyond safe integers, negative or fractional junk → null', () => {
    expect(parseCount(1e300)).toBeNull();
    expect(parseCount('99999999999999999999亿')).toBeNull();
    expect(parseCount('3.2万')).toBe(32000);
    expect(mblogEditCount({ edit_count: -1 })).toBeNull();
    expect(mblogEditCount({ edit_count: 1e300 })).toBeNull();
    expect(mblogEditCount({ edit_count: '2' })).toBe(2);
  });
  test('an mblog keyed only by an unsafe numeric id is unreadable, not another post', () => {
    const body = {
      ok: 1,
      data: { cards: [{ card_type: 9, mblog: { id: 2 ** 60, text: 'x', user: { id: 1 } } }] },
    };
    const r = parseSearchPage(response(body), AT_2019, 'k');
    expect(r.observations).toEqual([]);
    expect(r.outcome).toBe('unparseable');
  });
});

describe('hostile shapes do not throw', () => {
  test('retweeted_status nested 50,000 deep: the post and one original, nothing deeper', () => {
    const depth = 50_000;
    const open = Array.from(
      { length: depth },
      (_, i) => `{"mid":"${1000000000000000 + depth - i}","text":"t","user":{"id":1},"retweeted_status":`,
    ).join('');
    const body = `{"ok":1,"data":${open}{"mid":"1000000000000000","text":"root","user":{"id":1}}${'}'.repeat(depth)}}`;
    const mid = String(1000000000000000 + depth);
    const obs = parseStatusShow(response(body), AT_2019, mid);
    expect(obs.map((o) => o.target.id)).toEqual([mid, String(1000000000000000 + depth - 1)]);
  });

  test('a search body nested 200,000 arrays deep → unparseable, no stack overflow', () => {
    const deep = `{"ok":1,"data":{"cards":[${'['.repeat(200_000)}${']'.repeat(200_000)}]}}`;
    expect(() => parseSearchPage(response(deep), AT_2019, 'k')).not.toThrow();
    expect(parseSearchPage(response(deep), AT_2019, 'k').outcome).toBe('unparseable');
  });

  test('fields of the wrong type everywhere', () => {
    const odd = { ok: 1, data: { mid: ['x'], text: 5, user: 'u', pics: 'p', page_info: 3, created_at: {} } };
    expect(() => parseStatusShow(response(odd), AT_2019, '1')).not.toThrow();
    const cards = { ok: 1, data: { cardlistInfo: { since_id: {}, page: [] }, cards: 'nope' } };
    expect(parseTimelinePage(response(cards), AT_2019).outcome).toBe('unparseable');
  });
});

/** An HttpClient that answers from a table, so paging is tested without sockets. */
class TableClient implements HttpClient {
  readonly asked: string[] = [];
  constructor(private readonly answer: (url: URL) => object) {}
  async fetch(req: HttpRequest): Promise<FetchResult> {
    this.asked.push(req.url);
    const body = Buffer.from(JSON.stringify(this.answer(new URL(req.url))), 'utf8');
    return {
      ok: true,
      url: req.url,
      finalUrl: req.url,
      redirects: [],
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      setCookies: [],
      body,
    };
  }
}

describe('timelines that page by number (cardlistInfo.page, no since_id)', () => {
  /** Three pages of one post each; cardlistInfo.page names the next page, absent on the last. */
  function pagedTimeline(url: URL): object {
    const page = Number(url.searchParams.get('page') ?? '1');
    const mblog = {
      ...timelineBody().data.cards[0]!.mblog,
      mid: `438318366143086${page}`,
      id: `438318366143086${page}`,
    };
    const cardlistInfo: Obj = { containerid: `107603${UID}`, total: 3 };
    if (page < 3) cardlistInfo['page'] = page + 1;
    return { ok: 1, data: { cardlistInfo, cards: [{ card_type: 9, mblog }] } };
  }

  test('the cursor is page:<n> and the next request asks for that page', async () => {
    const http = new TableClient(pagedTimeline);
    const adapter = new WeiboAdapter({ http, clock: new ManualClock(AT_2019) });
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const r = await adapter.discover({ mode: 'account', query: UID, ...(cursor ? { cursor } : {}) });
      ids.push(...r.observations.map((o) => o.target.id));
      if (!r.nextCursor) break;
      cursor = r.nextCursor;
    }
    expect(ids).toEqual(['4383183661430861', '4383183661430862', '4383183661430863']);
    expect(http.asked.map((u) => new URL(u).searchParams.get('page'))).toEqual([null, '2', '3']);
  });

  test('a page field naming the page just read continues at the next one', () => {
    const body = timelineBody();
    body.data.cardlistInfo['page'] = 2;
    const url = `https://m.weibo.cn/api/container/getIndex?containerid=107603${UID}&page=2`;
    expect(parseTimelinePage(response(body, { url }), AT_2019).nextCursor).toBe('page:3');
  });

  test('since_id wins when both are given; an end card stops either', () => {
    const body = timelineBody();
    body.data.cardlistInfo['since_id'] = '4382054705416396';
    expect(parseTimelinePage(response(body), AT_2019).nextCursor).toBe('4382054705416396');
    delete body.data.cardlistInfo['since_id'];
    (body.data.cards as unknown[]).push({ card_type: 58 });
    expect(parseTimelinePage(response(body), AT_2019).nextCursor).toBeNull();
  });

  test('cursor forms', () => {
    expect(parseTimelineCursor(undefined)).toBeNull();
    expect(parseTimelineCursor('page:4')).toEqual({ page: 4 });
    expect(parseTimelineCursor('4382054705416396')).toEqual({ sinceId: '4382054705416396' });
  });
});
