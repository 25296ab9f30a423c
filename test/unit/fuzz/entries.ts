import type { HttpResponse } from '../../../src/http/types';
import * as netease from '../../../src/platforms/netease';
import {
  parseAjaxLongText,
  parseAjaxStatusShow,
  parseMymblogCursor,
  parseMymblogPage,
} from '../../../src/platforms/weibo/ajax';
import {
  classifyHtmlPage,
  classifyHtmlResponse,
  classifyJsonResponse,
  classifyMessage,
  messageKey,
} from '../../../src/platforms/weibo/classify';
import { parseHotflow } from '../../../src/platforms/weibo/comments';
import { htmlToText, isJsonObject, parseCount, parseCreatedAt } from '../../../src/platforms/weibo/normalize';
import {
  findWithholdingNotice,
  parseDetailPage,
  parseExtend,
  parseSearchPage,
  parseStatusShow,
  parseTimelineCursor,
  parseTimelinePage,
  placeholderCause,
} from '../../../src/platforms/weibo/parse';
import { parseGenvisitor, sessionWallOf } from '../../../src/platforms/weibo/session';
import { resolveWeiboTarget, resolveWeiboUid } from '../../../src/platforms/weibo/urls';
import type { Seed, SeedKind } from './seeds';

/**
 * What an entry point said: the outcomes it reached (observations, listing verdicts, classified
 * answers), for the absence check. `withheld` counts as a claim too: it needs the platform's notice.
 */
export type Said = readonly string[];

/** One parser entry point, the URL it is asked under, and the seeds it is meant for. */
export interface Entry {
  readonly name: string;
  readonly kinds: readonly SeedKind[];
  readonly url: string;
  run(res: HttpResponse, at: number, text: string): Said;
}

const MID = '4383411844046171';
const DOCID = 'KC12OUHK000189FH';
const TID = 'T1234567890123';
const WEMEDIA = 'W1234567890123456789';

type Listing = { outcome: string; observations: readonly { outcome: string }[] };
const listing = (r: Listing): Said => [r.outcome, ...r.observations.map((o) => o.outcome)];
const outcomes = (obs: readonly { outcome: string }[]): Said => obs.map((o) => o.outcome);
const kindOutcome = (r: { kind: string; outcome?: string }): Said => (r.outcome ? [r.outcome] : []);
const parsedOutcome = (r: { ok: boolean; outcome?: string }): Said => (r.ok ? [] : [r.outcome ?? '']);
const none: Said = [];

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const JSON_KINDS: readonly SeedKind[] = [
  'weibo-show',
  'weibo-ajax-show',
  'weibo-extend',
  'weibo-ajax-longtext',
  'weibo-listing',
  'weibo-mymblog',
  'weibo-hotflow',
];

/** Weibo: every parser the adapter and session use, and the pure helpers they rest on. */
export const WEIBO_ENTRIES: readonly Entry[] = [
  {
    name: 'weibo.parseStatusShow',
    kinds: ['weibo-show'],
    url: `https://m.weibo.cn/statuses/show?id=${MID}`,
    run: (res, at) => outcomes(parseStatusShow(res, at, MID)),
  },
  {
    name: 'weibo.parseAjaxStatusShow',
    kinds: ['weibo-ajax-show', 'weibo-show'],
    url: `https://weibo.com/ajax/statuses/show?id=${MID}`,
    run: (res, at) => outcomes(parseAjaxStatusShow(res, at, MID)),
  },
  {
    name: 'weibo.parseDetailPage',
    kinds: ['weibo-detail', 'weibo-show'],
    url: `https://m.weibo.cn/detail/${MID}`,
    run: (res, at) => outcomes(parseDetailPage(res, at, MID)),
  },
  {
    name: 'weibo.parseExtend',
    kinds: ['weibo-extend'],
    url: `https://m.weibo.cn/statuses/extend?id=${MID}`,
    run: (res) => kindOutcome(parseExtend(res)),
  },
  {
    name: 'weibo.parseAjaxLongText',
    kinds: ['weibo-ajax-longtext'],
    url: 'https://weibo.com/ajax/statuses/longtext?id=HyZVegYAP',
    run: (res) => kindOutcome(parseAjaxLongText(res)),
  },
  {
    name: 'weibo.parseSearchPage',
    kinds: ['weibo-listing'],
    url: 'https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3Dx&page_type=searchall&page=1',
    run: (res, at) => listing(parseSearchPage(res, at, 'x')),
  },
  {
    name: 'weibo.parseTimelinePage',
    kinds: ['weibo-listing'],
    url: 'https://m.weibo.cn/api/container/getIndex?containerid=1076031669879400',
    run: (res, at) => listing(parseTimelinePage(res, at)),
  },
  {
    name: 'weibo.parseMymblogPage',
    kinds: ['weibo-mymblog'],
    url: 'https://weibo.com/ajax/statuses/mymblog?uid=1669879400&page=1&feature=0',
    run: (res, at) => listing(parseMymblogPage(res, at)),
  },
  {
    name: 'weibo.parseHotflow',
    kinds: ['weibo-hotflow'],
    url: `https://m.weibo.cn/comments/hotflow?id=${MID}&mid=${MID}&max_id_type=0`,
    run: (res, at) => kindOutcome(parseHotflow(res, at)),
  },
  {
    name: 'weibo.classifyJsonResponse',
    kinds: JSON_KINDS,
    url: `https://m.weibo.cn/statuses/show?id=${MID}`,
    run: (res) => {
      const c = classifyJsonResponse(res);
      return c.kind === 'outcome' ? [c.outcome] : none;
    },
  },
  {
    name: 'weibo.classifyHtmlResponse+classifyHtmlPage',
    kinds: ['weibo-detail'],
    url: `https://m.weibo.cn/detail/${MID}`,
    run: (res, _at, text) => {
      const c = classifyHtmlResponse(res);
      return [c.kind === 'outcome' ? c.outcome : 'html', classifyHtmlPage(text, 'json').outcome];
    },
  },
  {
    name: 'weibo.placeholderCause',
    kinds: ['weibo-show', 'weibo-ajax-show'],
    url: `https://m.weibo.cn/statuses/show?id=${MID}`,
    run: (_res, _at, text) => {
      const v = jsonOf(text);
      const data = isJsonObject(v) && isJsonObject(v['data']) ? v['data'] : v;
      if (!isJsonObject(data)) return none;
      const out: string[] = [];
      const own = placeholderCause(data);
      if (own && typeof data['text'] === 'string') out.push(own.outcome);
      const rt = data['retweeted_status'];
      // A placeholder is read only where Weibo puts one: a repost's embedded original.
      if (isJsonObject(rt)) {
        const c = placeholderCause(rt);
        if (c) out.push(c.outcome);
      }
      return out;
    },
  },
  {
    name: 'weibo.session(parseGenvisitor, sessionWallOf)',
    kinds: ['weibo-genvisitor'],
    url: 'https://passport.weibo.com/visitor/genvisitor2',
    run: (res, _at, text) => {
      parseGenvisitor(text);
      sessionWallOf(res);
      return none;
    },
  },
  {
    name: 'weibo.text(classifyMessage, messageKey, findWithholdingNotice)',
    kinds: JSON_KINDS,
    url: `https://m.weibo.cn/statuses/show?id=${MID}`,
    run: (_res, _at, text) => {
      messageKey(text);
      const notice = findWithholdingNotice(text, jsonOf(text));
      const c = classifyMessage(text.slice(0, 600));
      return [...(c ? [c] : []), ...(notice ? ['withheld'] : [])];
    },
  },
  {
    name: 'weibo.values(parseCreatedAt, parseCount, htmlToText, ids, cursors)',
    kinds: JSON_KINDS,
    url: `https://m.weibo.cn/statuses/show?id=${MID}`,
    run: (_res, at, text) => {
      const head = text.slice(0, 80);
      parseCreatedAt(head, at);
      parseCreatedAt(Number(head), at);
      parseCount(head);
      htmlToText(text);
      resolveWeiboTarget(head);
      resolveWeiboUid(head);
      parseMymblogCursor(head);
      parseTimelineCursor(head);
      return none;
    },
  },
];

const N = netease;

/** NetEase: every parser the package exports (src/platforms/netease/index.ts). */
export const NETEASE_ENTRIES: readonly Entry[] = [
  {
    name: 'netease.parseArticle',
    kinds: ['netease-article'],
    url: N.neteaseArticleUrl(DOCID),
    run: (res, at) => [N.parseArticle(res, at, DOCID).outcome],
  },
  {
    name: 'netease.extractArticle',
    kinds: ['netease-article'],
    url: N.neteaseArticleUrl(DOCID),
    run: (_res, _at, text) => {
      N.extractArticle(text);
      return none;
    },
  },
  {
    name: 'netease.parseSearchPage',
    kinds: ['netease-search'],
    url: N.neteaseSearchUrl('联合国'),
    run: (res, at) => listing(N.parseSearchPage(res, at)),
  },
  {
    name: 'netease.parseMediaHomePage',
    kinds: ['netease-media-home'],
    url: N.neteaseMediaHomeUrl(TID),
    run: (res, at) => listing(N.parseMediaHomePage(res, at, TID).listing),
  },
  {
    name: 'netease.parseAccountList',
    kinds: ['netease-account-list'],
    url: N.neteaseAccountListUrl(WEMEDIA, 1),
    run: (res, at) => listing(N.parseAccountList(res, at, { wemediaId: WEMEDIA, pageNo: 1, size: 10 })),
  },
  {
    name: 'netease.parseCommentList(+listedComments, commentListEnds, commentSnapshot, redactCommentUsers)',
    kinds: ['netease-comments'],
    url: N.neteaseCommentListUrl(DOCID, 'new'),
    run: (res) => {
      const r = N.parseCommentList(res);
      if (r.ok) {
        N.listedComments(r.value);
        N.commentListEnds(r.value, 30);
        for (const c of r.value.comments) N.commentSnapshot(c);
      }
      N.redactCommentUsers(res.body);
      return parsedOutcome(r);
    },
  },
  {
    name: 'netease.parseCommentThreadInfo(+threadFlags)',
    kinds: ['netease-thread'],
    url: N.neteaseThreadInfoUrl(DOCID),
    run: (res) => {
      const r = N.parseCommentThreadInfo(res);
      if (r.ok) N.threadFlags(r.value);
      return parsedOutcome(r);
    },
  },
  {
    name: 'netease.parseJsonResponse(+unwrapJsonp)',
    kinds: ['netease-thread', 'netease-comments', 'netease-account-list'],
    url: N.neteaseThreadInfoUrl(DOCID),
    run: (res, _at, text) => {
      N.unwrapJsonp(text);
      return parsedOutcome(N.parseJsonResponse(res));
    },
  },
  {
    name: 'netease.text(charset, wording, times, ids)',
    kinds: ['netease-article', 'netease-search', 'netease-media-home'],
    url: N.neteaseArticleUrl(DOCID),
    run: (res, _at, text) => {
      const head = text.slice(0, 120);
      N.charsetFromContentType(head);
      N.metaCharset(res.body);
      N.decodeBody(res.body, res.headers['content-type']);
      N.beijingTimeToIso(head);
      N.maintenanceNotice(text.slice(0, 600));
      N.isHomeOrChannelUrl(head);
      N.parseAccountCursor(head);
      N.resolveNeteaseTarget(head);
      N.parseNeteaseAccount(head);
      N.docidFromUrl(head);
      N.isDocid(head);
      const stated = N.statedByWording(text.slice(0, 600));
      return stated ? [stated.outcome] : none;
    },
  },
];

/**
 * The NetEase exports each entry above covers; anything else the package exports as a function
 * must be listed in {@link NETEASE_NOT_PARSERS} or get an entry, so a new parser is fuzzed too.
 */
export const NETEASE_COVERED: readonly string[] = [
  'parseArticle',
  'extractArticle',
  'parseSearchPage',
  'parseMediaHomePage',
  'parseAccountList',
  'parseCommentList',
  'commentListEnds',
  'listedComments',
  'commentSnapshot',
  'redactCommentUsers',
  'parseCommentThreadInfo',
  'threadFlags',
  'parseJsonResponse',
  'unwrapJsonp',
  'charsetFromContentType',
  'metaCharset',
  'decodeBody',
  'beijingTimeToIso',
  'maintenanceNotice',
  'isHomeOrChannelUrl',
  'parseAccountCursor',
  'resolveNeteaseTarget',
  'parseNeteaseAccount',
  'docidFromUrl',
  'isDocid',
  'statedByWording',
];

/** NetEase function exports that read no platform input: URL and cursor builders, the adapter class. */
export const NETEASE_NOT_PARSERS: readonly string[] = [
  'accountCursor',
  'neteaseAccountListUrl',
  'neteaseArticleUrl',
  'neteaseCommentListUrl',
  'neteaseCommentPageUrl',
  'neteaseMediaHomeUrl',
  'neteaseSearchUrl',
  'neteaseThreadInfoUrl',
  'NeteaseAdapter',
];

/** Every entry point. */
export const ENTRIES: readonly Entry[] = [...WEIBO_ENTRIES, ...NETEASE_ENTRIES];

/** The response a parser is handed for a body asked under `url`. */
export function responseFor(seed: Seed, body: Buffer, url: string): HttpResponse {
  return {
    ok: true,
    url,
    finalUrl: url,
    redirects: [],
    status: seed.status,
    headers: { 'content-type': seed.contentType },
    setCookies: [],
    body,
  };
}
