/**
 * The listing and comment pages the hostile-listing test starts from: real reference responses
 * (the timeline cards, the hotflow comments, the hotList comments) and the simulator's renderings
 * of the pages no capture shows (a search page, its withheld and no-results forms, a last page,
 * NetEase's search, 网易号 home page, list.do and newList end), each with what it positively says:
 * a withholding notice, no results, or the end of paging, in the place research/*.md documents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isFinalOutcome, type Observation, type Outcome } from '../../../../src/domain/glossary';
import type { HttpResponse } from '../../../../src/http/types';
import type { ListingResult } from '../../../../src/platforms/platform';
import * as netease from '../../../../src/platforms/netease';
import { parseHotflow } from '../../../../src/platforms/weibo/comments';
import { parseSearchPage, parseTimelinePage } from '../../../../src/platforms/weibo/parse';
import {
  commentJson,
  listDoItem,
  mediaHomePage,
  searchPage,
  type ListedView,
} from '../../../../src/sim/netease/format';
import { MSG, NO_CONTENT_BODY } from '../../../../src/sim/weibo/format';

/** A response as a reader is handed it, with the parts a hostile platform may change. */
export interface Exchange {
  readonly url: string;
  readonly finalUrl: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Which reader a page is for. */
export type ReaderName =
  | 'weibo.search'
  | 'weibo.timeline'
  | 'weibo.hotflow'
  | 'netease.search'
  | 'netease.mediaHome'
  | 'netease.accountList'
  | 'netease.comments';

/**
 * What a page may positively say about the listing as a whole: `withheld` (the withholding
 * notice), `empty` (no results, an empty container), `end` (the last page of a paged list).
 */
export type Claim = 'withheld' | 'empty' | 'end';

export interface ListingPage {
  readonly name: string;
  readonly reader: ReaderName;
  readonly ex: Exchange;
  /** What the page positively says, and the reader must read. */
  readonly says: readonly Claim[];
  /** Comments per page the reader is told it asked for (a full page does not end the list). */
  readonly limit?: number;
}

/** What a reader said, reduced to what the properties look at. */
export interface Said {
  /** The listing claims, and `id:outcome` of each final outcome of an observation. */
  readonly claims: readonly string[];
  /** The page's own outcome: a listing outcome, `page` for a comment page, or a comment outcome. */
  readonly outcome: string;
  /** Every target or comment id the reader yielded. */
  readonly ids: readonly string[];
  /** True when an unparseable listing lost the body it came with. */
  readonly bodyLost: boolean;
}

export const AT = Date.UTC(2024, 0, 10, 2, 0, 0);
export const KEYWORD = '联合国';
const REF = join(__dirname, '..', '..', '..', 'fixtures', 'reference');
const ref = (p: string): Buffer => readFileSync(join(REF, p));
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v), 'utf8');
const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

export const URLS = {
  search: `https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3D${encodeURIComponent(KEYWORD)}&page_type=searchall&page=1`,
  timeline:
    'https://m.weibo.cn/api/container/getIndex?type=uid&value=1669879400&containerid=1076031669879400',
  hotflow: 'https://m.weibo.cn/comments/hotflow?id=4383183661430868&mid=4383183661430868&max_id_type=0',
  neteaseSearch: netease.neteaseSearchUrl(KEYWORD),
  mediaHome: netease.neteaseMediaHomeUrl('T1234567890123'),
  accountList: netease.neteaseAccountListUrl('W1234567890123456789', 1, 3),
  comments: (docid: string) => netease.neteaseCommentListUrl(docid, 'new', { offset: 0, limit: 30 }),
};

const ex = (url: string, body: Buffer, contentType = JSON_TYPE, status = 200): Exchange => ({
  url,
  finalUrl: url,
  status,
  headers: { 'content-type': contentType },
  body,
});

type Obj = Record<string, unknown>;

/** Every listing and comment page: results first, then the pages that say something of the whole. */
export function listingPages(): ListingPage[] {
  const timeline = ref('weibo/m_getIndex_timeline_107603_2019_first3cards.json');
  const cards = (JSON.parse(timeline.toString('utf8')) as { data: { cards: Obj[] } }).data.cards;
  const info = (page: number | null, total: number): Obj => ({
    containerid: `100103type=1&q=${KEYWORD}`,
    v_p: 42,
    show_style: 1,
    total,
    page,
    title_top: KEYWORD,
    can_shared: 1,
  });
  const searchBody = (page: number | null, extra: Obj[] = []): Buffer =>
    json({
      ok: 1,
      data: {
        cardlistInfo: info(page, 30),
        cards: [...extra, cards[0], { card_type: 11, show_type: 0, card_group: [cards[1], cards[2]] }],
      },
    });
  const hotflow = ref('weibo/m_comments_hotflow_2019_first3.json');
  const lastHotflow = JSON.parse(hotflow.toString('utf8')) as { data: Obj };
  lastHotflow.data['max_id'] = 0;

  const created = AT;
  const listed: ListedView[] = [0, 1, 2].map((i) => ({
    docid: `JK7P2Q3R000189${i}O`,
    channel: 'dy',
    title: `联合国大会通过决议${i}`,
    createdAt: created - i * 60_000,
    source: '网易号作者',
    image: i === 0 ? 'https://nimg.ws.126.net/x.jpg' : null,
  }));
  const account = {
    tid: 'T1234567890123',
    wemediaId: 'W1234567890123456789',
    name: '网易号作者',
    description: '简介',
  };
  const hotList = ref('netease/comments_app_hotList_EAUJCTQV05346RBY.json');
  const hotListChains = (JSON.parse(hotList.toString('utf8')) as { commentIds: unknown[] }).commentIds.length;
  const comment = (id: number): Obj =>
    commentJson({
      commentId: id,
      docid: 'JK7P2Q3R0001890O',
      productKey: 'a2869674571f77b5a0867c3d71db5856',
      content: `评论${id}`,
      createdAt: created,
      vote: 3,
      against: 0,
      buildLevel: 1,
      anonymous: false,
      location: '广东省',
      nickname: '网友',
      userId: 12345,
      device: 'iPhone',
      ip: '1.2.*.*',
    });

  return [
    {
      name: 'weibo search: three posts, one nested in a card_type 11 group, page 2 next',
      reader: 'weibo.search',
      ex: ex(URLS.search, searchBody(2)),
      says: [],
    },
    {
      name: 'weibo search: the reference timeline cards as results',
      reader: 'weibo.search',
      ex: ex(URLS.search, timeline),
      says: [],
    },
    {
      name: 'weibo search: the last page (cardlistInfo.page null)',
      reader: 'weibo.search',
      ex: ex(URLS.search, searchBody(null)),
      says: ['end'],
    },
    {
      name: 'weibo search: withheld, the notice as a card_type 4 desc',
      reader: 'weibo.search',
      ex: ex(
        URLS.search,
        json({
          ok: 1,
          data: {
            cardlistInfo: info(null, 0),
            cards: [{ card_type: 4, desc: MSG.searchWithheld, show_type: 0 }],
          },
        }),
      ),
      says: ['withheld', 'end'],
    },
    {
      name: 'weibo search: partly withheld, a card_type 4 desc above the results',
      reader: 'weibo.search',
      ex: ex(URLS.search, searchBody(2, [{ card_type: 4, desc: MSG.searchPartlyWithheld, show_type: 0 }])),
      says: ['withheld'],
    },
    {
      name: 'weibo search: withheld, the notice as cardlistInfo.desc',
      reader: 'weibo.search',
      ex: ex(
        URLS.search,
        json({ ok: 1, data: { cardlistInfo: { ...info(null, 0), desc: MSG.searchWithheld }, cards: [] } }),
      ),
      says: ['withheld', 'end'],
    },
    {
      name: 'weibo search: withheld, the notice as the whole ok:0 msg',
      reader: 'weibo.search',
      ex: ex(URLS.search, json({ ok: 0, msg: MSG.searchWithheld })),
      says: ['withheld'],
    },
    {
      name: 'weibo search: no results (ok:0 这里还没有内容)',
      reader: 'weibo.search',
      ex: ex(URLS.search, json(NO_CONTENT_BODY)),
      says: ['empty'],
    },
    {
      name: 'weibo timeline: three cards, cardlistInfo.page 2 (reference)',
      reader: 'weibo.timeline',
      ex: ex(URLS.timeline, timeline),
      says: [],
    },
    {
      name: 'weibo timeline: since_id paging',
      reader: 'weibo.timeline',
      ex: ex(
        URLS.timeline,
        json({
          ok: 1,
          data: {
            cardlistInfo: {
              containerid: '1076031669879400',
              v_p: 42,
              show_style: 1,
              total: 30,
              since_id: 4383183661430868,
            },
            cards,
          },
        }),
      ),
      says: [],
    },
    {
      name: 'weibo timeline: the last page (a card_type 58 card)',
      reader: 'weibo.timeline',
      ex: ex(
        URLS.timeline,
        json({
          ok: 1,
          data: {
            cardlistInfo: {
              containerid: '1076031669879400',
              v_p: 42,
              show_style: 1,
              total: 3,
              since_id: 4383183661430868,
            },
            cards: [...cards, { card_type: 58, name: '没有更多微博了', show_type: 0 }],
          },
        }),
      ),
      says: ['end'],
    },
    {
      name: 'weibo timeline: past its end (ok:0 这里还没有内容)',
      reader: 'weibo.timeline',
      ex: ex(URLS.timeline, json(NO_CONTENT_BODY)),
      says: ['empty'],
    },
    {
      name: 'weibo hotflow: three comments, max_id next (reference)',
      reader: 'weibo.hotflow',
      ex: ex(URLS.hotflow, hotflow),
      says: [],
    },
    {
      name: 'weibo hotflow: the last page (max_id 0)',
      reader: 'weibo.hotflow',
      ex: ex(URLS.hotflow, json(lastHotflow)),
      says: ['end'],
    },
    {
      name: 'netease search: three results in div.keyword_list',
      reader: 'netease.search',
      ex: ex(URLS.neteaseSearch, Buffer.from(searchPage(KEYWORD, listed)), HTML_TYPE),
      says: [],
    },
    {
      name: 'netease search: no results, said inside div.keyword_list',
      reader: 'netease.search',
      ex: ex(URLS.neteaseSearch, Buffer.from(searchPage(KEYWORD, [])), HTML_TYPE),
      says: ['empty'],
    },
    {
      name: 'netease 网易号 home page: three articles',
      reader: 'netease.mediaHome',
      ex: ex(URLS.mediaHome, Buffer.from(mediaHomePage(account, listed)), HTML_TYPE),
      says: [],
    },
    {
      name: 'netease list.do: a full page of three',
      reader: 'netease.accountList',
      ex: ex(URLS.accountList, json({ data: { list: listed.map(listDoItem) } })),
      says: [],
    },
    {
      name: 'netease list.do: past the end (data.list null)',
      reader: 'netease.accountList',
      ex: ex(URLS.accountList, json({ data: { list: null } })),
      says: ['empty'],
    },
    {
      name: 'netease hotList: a full page of comments (reference)',
      reader: 'netease.comments',
      ex: ex(URLS.comments('EAUJCTQV05346RBY'), hotList),
      says: [],
      limit: hotListChains,
    },
    {
      name: 'netease newList: a full page of two',
      reader: 'netease.comments',
      ex: ex(
        URLS.comments('JK7P2Q3R0001890O'),
        json({
          commentIds: ['56424569', '56424570'],
          comments: { '56424569': comment(56424569), '56424570': comment(56424570) },
          newListSize: 9037,
        }),
      ),
      says: [],
      limit: 2,
    },
    {
      name: 'netease newList: offset past the end (research §3.3)',
      reader: 'netease.comments',
      ex: ex(URLS.comments('JK7P2Q3R0001890O'), json({ commentIds: [], comments: {}, newListSize: 9037 })),
      says: ['end'],
      limit: 30,
    },
  ];
}

/** The response a reader is handed. */
export function responseOf(e: Exchange): HttpResponse {
  return {
    ok: true,
    url: e.url,
    finalUrl: e.finalUrl,
    redirects: [],
    status: e.status,
    headers: e.headers,
    setCookies: [],
    body: e.body,
  };
}

const finals = (obs: readonly Observation[]): string[] =>
  obs.filter((o) => isFinalOutcome(o.outcome)).map((o) => `${o.target.id}:${o.outcome}`);

/** A listing reduced: `end` only for a paged listing that listed posts and named no next page. */
function ofListing(l: ListingResult, body: Buffer, paged: boolean): Said {
  const claims: string[] = [];
  if (l.outcome === 'withheld') claims.push('withheld');
  if (l.outcome === 'empty') claims.push('empty');
  const listed = l.observations.length > 0;
  if (paged && listed && (l.outcome === 'results' || l.outcome === 'withheld') && l.nextCursor === null)
    claims.push('end');
  claims.push(...finals(l.observations));
  return {
    claims,
    outcome: l.outcome,
    ids: l.observations.map((o) => o.target.id),
    bodyLost: l.outcome === 'unparseable' && (!l.evidence || !l.evidence.body.equals(body)),
  };
}

function failed(outcome: Outcome | string): Said {
  return {
    claims: isFinalOutcome(outcome as Outcome) ? [`page:${outcome}`] : [],
    outcome,
    ids: [],
    bodyLost: false,
  };
}

/** Runs a page through its reader. */
export function runReader(page: ListingPage, e: Exchange): Said {
  const res = responseOf(e);
  switch (page.reader) {
    case 'weibo.search':
      return ofListing(parseSearchPage(res, AT, KEYWORD), e.body, true);
    case 'weibo.timeline':
      return ofListing(parseTimelinePage(res, AT), e.body, true);
    case 'netease.search':
      return ofListing(netease.parseSearchPage(res, AT), e.body, false);
    case 'netease.mediaHome':
      return ofListing(netease.parseMediaHomePage(res, AT, 'T1234567890123').listing, e.body, false);
    case 'netease.accountList':
      return ofListing(
        netease.parseAccountList(res, AT, { wemediaId: 'W1234567890123456789', pageNo: 1, size: 3 }),
        e.body,
        true,
      );
    case 'weibo.hotflow': {
      const h = parseHotflow(res, AT);
      if (h.kind === 'outcome') return failed(h.outcome);
      return {
        claims: h.page.maxId === null ? ['end'] : [],
        outcome: 'page',
        ids: h.page.comments.map((c) => c.id),
        bodyLost: false,
      };
    }
    case 'netease.comments': {
      const c = netease.parseCommentList(res);
      if (!c.ok) return failed(c.outcome);
      return {
        claims: netease.commentListEnds(c.value, page.limit ?? 30) ? ['end'] : [],
        outcome: 'page',
        ids: c.value.comments.map((x) => x.commentId),
        bodyLost: false,
      };
    }
  }
}
