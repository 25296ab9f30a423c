import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../respond';
import type { Clock } from '../../domain/clock';
import type { Hold } from '../host/held-clock';
import { NETEASE_HOSTS } from '../../platforms/netease/hosts';
import { NETEASE_PRODUCT_KEY } from '../../platforms/netease/urls';
import {
  articlePage,
  beijingTime,
  channelPage,
  commentJson,
  encodePage,
  errorIspPage,
  htmlType,
  imageUrl,
  listDoItem,
  mediaHomePage,
  notFoundPage,
  searchPage,
  serverErrorPage,
  softNotFoundPage,
} from './format';
import type { ArticleView, CommentView, ListedView } from './format';
import {
  challengePage,
  cutOff,
  dyV2Page,
  dyV2Url,
  legacyPage,
  legacyUrl,
  maintenancePage,
  mobilePage,
  mobileUrl,
  unknownTemplatePage,
} from './pages';
import type { SimNetease, SimNeteaseAccount, SimNeteaseArticle, SimNeteaseTemplate } from '../world';
import { ServedComments, type CommentTruthRow } from '../truth';
import { commentIdBase, commentsAt } from './comments';
import { hashOf } from '../world';

/** NetEase endpoints the simulator answers, by path (several real hosts share one port). */
export type NeteaseEndpoint =
  | 'netease.article'
  | 'netease.media'
  | 'netease.list'
  | 'netease.search'
  | 'netease.channel'
  | 'netease.home'
  | 'netease.thread'
  | 'netease.comments'
  | 'netease.error_isp';

/**
 * Transient NetEase failures the fault injection serves: the CDN's 302 to `error_isp.html`
 * (research §4.1; www.163.com pages only), 5xx answers and connection resets.
 */
export const NETEASE_FAULT_KINDS = ['error_isp', 'http502', 'http503', 'http504', 'reset'] as const;
export type NeteaseFaultKind = (typeof NETEASE_FAULT_KINDS)[number];

/** The CDN's rejection: a body-less 302 from the CDN cache server to this page (research §4.1). */
export const ERROR_ISP_PATH = '/special/0077jt/error_isp.html';

/** What an ideal observer of everything served could know about one NetEase article. */
export interface NeteaseTruthRow {
  readonly platform: 'netease';
  readonly kind: 'post';
  /** DOCID. */
  readonly id: string;
  readonly verdict: 'alive' | 'gone';
  /** NetEase states no cause for a removal, so a gone article's cause is `gone_unspecified`. */
  readonly cause: 'gone_unspecified' | null;
  readonly editCount: number;
  readonly keywords: readonly string[];
  /** The 网易号's T id; empty for news articles. */
  readonly uid: string;
  readonly goneAt: number | null;
}

const JSON_TYPE = 'application/json;charset=UTF-8';
const ARTICLE_PATH = /^\/([a-z0-9]+)\/article\/([A-Za-z0-9]{16})(?:_\w+)?\.html$/;
/** Where a www article redirects for the other templates; each path is its own, so one port serves all hosts. */
const MOBILE_PATH = '/touch/article.html';
const DY_V2_PATH = /^\/v2\/article\/detail\/([A-Za-z0-9]{16})\.html$/;
const LEGACY_PATH = /^\/\d{2}\/\d{4}\/\d{2}\/([A-Za-z0-9]{16})\.html$/;
const MEDIA_PATH = /^\/dy\/media\/(T\d+)\.html$/;
const THREAD_PATH =
  /^\/api\/v1\/products\/([0-9a-zA-Z]+)\/threads\/([A-Za-z0-9]{16})(?:\/(app\/)?comments\/(newList|hotList))?\/?$/;
const CHANNEL_PATH = /^\/([a-z]+)\/(?:index\.html)?$/;
/**
 * Where `redirect_home` removals lead: the portal's index page. Its bare `/` is m.weibo.cn's home on
 * this shared port, so the index form of the address is used.
 */
const HOME_PATH = '/index.html';
const HOME_ITEMS = 20;
const SEARCH_ITEMS = 20;
/** Comment lists refuse pages larger than this (research §3.2: up to 40 known to work). */
const MAX_LIMIT = 50;

function sendJson(res: ServerResponse, value: unknown, status = 200, callback: string | null = null): void {
  const json = JSON.stringify(value);
  // With `callback` the comment API answers JSONP (research §3.2).
  if (callback) send(res, status, 'application/javascript;charset=UTF-8', `${callback}(${json});`);
  else send(res, status, JSON_TYPE, json);
}

/** Options of {@link NeteaseSim}. */
export interface NeteaseSimOptions {
  readonly clock: Clock;
  readonly netease: SimNetease;
}

/**
 * NetEase's hosts inside the {@link Simulator}: www.163.com (articles, 网易号 home pages, search,
 * channel pages, the CDN error page), dy.163.com (`list.do`) and comment.api.163.com (thread info,
 * newList/hotList), told apart by path. It answers for the scenario at `clock.now()` and keeps the
 * ground truth of the articles it has shown alive.
 */
export class NeteaseSim {
  private readonly clock: Clock;
  private readonly articles = new Map<string, SimNeteaseArticle>();
  private readonly accounts = new Map<string, SimNeteaseAccount>();
  private readonly byWemedia = new Map<string, SimNeteaseAccount>();
  /** Newest first. */
  private readonly sorted: readonly SimNeteaseArticle[];
  private readonly served = new Set<string>();
  private readonly servedComments = new ServedComments();
  /** Versions of each article served as its whole page, by docid. */
  private readonly shown = new Map<string, Set<number>>();

  constructor(options: NeteaseSimOptions) {
    this.clock = options.clock;
    for (const a of options.netease.accounts) {
      this.accounts.set(a.tid, a);
      this.byWemedia.set(a.wemediaId, a);
    }
    for (const p of options.netease.articles) this.articles.set(p.docid, p);
    this.sorted = [...options.netease.articles].sort((a, b) => b.createdAt - a.createdAt);
  }

  /** The endpoint a request path belongs to, or null when it is not a NetEase path. */
  endpointOf(path: string): NeteaseEndpoint | null {
    if (ARTICLE_PATH.test(path) || path === MOBILE_PATH || DY_V2_PATH.test(path) || LEGACY_PATH.test(path))
      return 'netease.article';
    if (MEDIA_PATH.test(path)) return 'netease.media';
    if (path === '/v2/article/list.do') return 'netease.list';
    if (path === '/search') return 'netease.search';
    if (path === ERROR_ISP_PATH) return 'netease.error_isp';
    if (path === HOME_PATH) return 'netease.home';
    const t = THREAD_PATH.exec(path);
    if (t) return t[4] ? 'netease.comments' : 'netease.thread';
    const c = CHANNEL_PATH.exec(path);
    if (c?.[1] && this.isChannel(c[1])) return 'netease.channel';
    return null;
  }

  /** The CDN's own error page is never faulted: it is where one fault already leads. */
  faultable(endpoint: NeteaseEndpoint): boolean {
    return endpoint !== 'netease.error_isp';
  }

  /** A fault kind for the endpoint; `error_isp` only on www.163.com pages, where the CDN sends it. */
  pickFault(endpoint: NeteaseEndpoint, random: () => number): NeteaseFaultKind {
    const www =
      endpoint !== 'netease.list' && endpoint !== 'netease.thread' && endpoint !== 'netease.comments';
    const kinds = www ? NETEASE_FAULT_KINDS : NETEASE_FAULT_KINDS.filter((k) => k !== 'error_isp');
    return kinds[Math.floor(random() * kinds.length)]!;
  }

  /** Serves an injected fault. */
  fault(kind: NeteaseFaultKind, req: IncomingMessage, res: ServerResponse): void {
    switch (kind) {
      case 'error_isp':
        // Exactly what the CDN sent: HTTP 302, no body, Location on plain http (research §4.1).
        res.writeHead(302, 'Moved Temporarily', {
          server: 'Cdn Cache Server V2.0',
          location: `http://www.163.com${ERROR_ISP_PATH}`,
          'content-length': 0,
        });
        res.end();
        return;
      case 'http502':
        return send(res, 502, 'text/html', serverErrorPage(502));
      case 'http503':
        return send(res, 503, 'text/html', serverErrorPage(503));
      case 'http504':
        return send(res, 504, 'text/html', serverErrorPage(504));
      case 'reset':
        req.socket.destroy();
        return;
    }
  }

  /** Answers a request of a NetEase endpoint. */
  serve(endpoint: NeteaseEndpoint, path: string, params: URLSearchParams, res: ServerResponse): void {
    const now = this.clock.now();
    switch (endpoint) {
      case 'netease.article': {
        const www = ARTICLE_PATH.exec(path);
        if (www) return this.article(www[2]!.toUpperCase(), 'post2020', now, res);
        if (path === MOBILE_PATH)
          return this.article((params.get('docid') ?? '').toUpperCase(), 'mobile', now, res);
        const dy = DY_V2_PATH.exec(path);
        if (dy) return this.article(dy[1]!.toUpperCase(), 'dy-v2', now, res);
        return this.article(LEGACY_PATH.exec(path)![1]!.toUpperCase(), 'legacy', now, res);
      }
      case 'netease.media':
        return this.mediaHome(MEDIA_PATH.exec(path)![1]!, now, res);
      case 'netease.list':
        return this.listDo(params, now, res);
      case 'netease.search':
        return this.search(params.get('keyword') ?? '', now, res);
      case 'netease.channel': {
        const channel = CHANNEL_PATH.exec(path)![1]!;
        const heads = this.sorted.filter((a) => a.channel === channel && this.isAlive(a, now)).slice(0, 10);
        return send(
          res,
          200,
          htmlType('utf-8'),
          channelPage(
            channel,
            heads.map((a) => this.listed(a, now)),
          ),
        );
      }
      case 'netease.home': {
        const heads = this.sorted.filter((a) => this.isAlive(a, now)).slice(0, 10);
        return send(
          res,
          200,
          htmlType('utf-8'),
          channelPage(
            'www',
            heads.map((a) => this.listed(a, now)),
          ),
        );
      }
      case 'netease.error_isp':
        return send(res, 200, htmlType('utf-8'), errorIspPage());
      case 'netease.thread':
      case 'netease.comments':
        return this.thread(THREAD_PATH.exec(path)!, params, now, res);
    }
  }

  /**
   * Rows for every article served alive (an article page or a listing), as of `at`: gone iff its
   * removal happened by `at`, always with `gone_unspecified` since NetEase pages state no cause.
   */
  groundTruth(at: number): NeteaseTruthRow[] {
    const rows: NeteaseTruthRow[] = [];
    for (const docid of [...this.served].sort()) {
      const a = this.articles.get(docid);
      if (!a) continue;
      const gone = a.fate !== undefined && a.fate.at <= at;
      rows.push({
        platform: 'netease',
        kind: 'post',
        id: docid,
        verdict: gone ? 'gone' : 'alive',
        cause: gone ? 'gone_unspecified' : null,
        editCount: this.versionAt(a, at),
        keywords: a.keywords,
        uid: a.account ?? '',
        goneAt: gone ? a.fate!.at : null,
      });
    }
    return rows;
  }

  /**
   * Every NetEase host pointed at `base`: the three the crawler uses (www, dy, comment.api) and the
   * others it knows, so nothing a page links or redirects to leaves the simulator.
   */
  static hosts(base: string): Record<string, string> {
    return Object.fromEntries(NETEASE_HOSTS.map((h) => [h, base]));
  }

  /** The home page URL of an account, the form a researcher copies into a watch. */
  static homeUrl(tid: string): string {
    return `https://www.163.com/dy/media/${tid}.html`;
  }

  // -------------------------------------------------------------------------------------------

  private isChannel(channel: string): boolean {
    if (channel === 'news' || channel === 'dy') return true;
    for (const a of this.articles.values()) if (a.channel === channel) return true;
    return false;
  }

  private isAlive(a: SimNeteaseArticle, now: number): boolean {
    return a.createdAt <= now && !(a.fate && a.fate.at <= now);
  }

  /**
   * The scenario's changes that wait for an observer (see {@link HeldClock}): each edit until the
   * version it replaces was served as a whole page, each removal until the article's last version
   * was. A listing shows only a title, so it is not a check of the article.
   */
  holds(): Hold[] {
    const holds: Hold[] = [];
    for (const a of this.articles.values()) {
      const seen = (v: number): boolean => this.shown.get(a.docid)?.has(v) === true;
      const end = a.fate?.at ?? Infinity;
      const edits = (a.edits ?? []).filter((e) => e.at < end);
      edits.forEach((e, i) =>
        holds.push({
          at: e.at,
          what: `netease ${a.docid} edit ${i + 1}`,
          awaits: { platform: 'netease', id: a.docid, version: i },
          ready: () => seen(i),
        }),
      );
      if (a.fate && a.createdAt < a.fate.at)
        holds.push({
          at: a.fate.at,
          what: `netease ${a.docid} ${a.fate.removal}`,
          awaits: { platform: 'netease', id: a.docid, version: edits.length },
          ready: () => seen(edits.length),
        });
    }
    return holds;
  }

  private versionAt(a: SimNeteaseArticle, at: number): number {
    const edits = a.edits ?? [];
    let v = 0;
    while (v < edits.length && edits[v]!.at <= at) v++;
    return v;
  }

  private current(a: SimNeteaseArticle, now: number): { title: string; paragraphs: readonly string[] } {
    const v = this.versionAt(a, now);
    const e = v > 0 ? a.edits![v - 1]! : null;
    return { title: e?.title ?? a.title, paragraphs: e?.paragraphs ?? a.paragraphs };
  }

  /** A listing item; marks the article as served. */
  private listed(a: SimNeteaseArticle, now: number, mark = false): ListedView {
    if (mark) this.served.add(a.docid);
    return {
      docid: a.docid,
      channel: a.channel,
      title: this.current(a, now).title,
      createdAt: a.createdAt,
      source: a.source,
      image: (a.images ?? 0) > 0 ? imageUrl(a.docid, 0, a.createdAt, a.channel === 'dy') : null,
    };
  }

  /**
   * An article's answer at the URL of template `at` (`post2020` is the www URL): its removal, an
   * odd page in one of its windows, a redirect from www to its own template's URL, or the page.
   * Another template's URL answers 404, as a URL the article was never published at.
   */
  private article(docid: string, at: SimNeteaseTemplate, now: number, res: ServerResponse): void {
    const a = this.articles.get(docid);
    if (!a || now < a.createdAt) return send(res, 404, 'text/html', notFoundPage(404));
    const template = a.template ?? 'post2020';
    if (at !== 'post2020' && at !== template) return send(res, 404, 'text/html', notFoundPage(404));
    if (a.fate && a.fate.at <= now) {
      switch (a.fate.removal) {
        case 'http404':
          return send(res, 404, 'text/html', notFoundPage(404));
        case 'http410':
          return send(res, 410, 'text/html', notFoundPage(410));
        case 'redirect_channel':
          return send(res, 302, 'text/html', '', { location: `https://www.163.com/${a.channel}/` });
        case 'redirect_home':
          return send(res, 302, 'text/html', '', { location: `https://www.163.com${HOME_PATH}` });
        case 'notice_deleted':
          return send(res, 200, htmlType('utf-8'), softNotFoundPage('deleted'));
        case 'soft404_notice':
          return send(res, 200, htmlType('utf-8'), softNotFoundPage('not_found'));
      }
    }
    const odd = a.pages?.find((w) => w.from <= now && now < w.until);
    if (odd && odd.kind !== 'truncated') {
      const page =
        odd.kind === 'maintenance'
          ? maintenancePage()
          : odd.kind === 'challenge'
            ? challengePage(`${docid}:${now}`)
            : unknownTemplatePage(this.view(a, now));
      return send(res, 200, htmlType('utf-8'), page);
    }
    if (at === 'post2020' && template !== 'post2020') {
      const location =
        template === 'mobile'
          ? mobileUrl(docid)
          : template === 'dy-v2'
            ? dyV2Url(docid)
            : legacyUrl(a.channel, docid, a.createdAt);
      return send(res, 302, 'text/html', '', { location });
    }
    const v = this.view(a, now);
    const count = this.comments(a, now).length;
    let html: string;
    let charset: 'utf-8' | 'gbk' = v.charset;
    let contentType = htmlType(charset);
    switch (template) {
      case 'post2020':
        html = articlePage(v);
        break;
      case 'mobile':
        html = mobilePage(v, count);
        charset = 'utf-8';
        contentType = htmlType('utf-8');
        break;
      case 'dy-v2':
        html = dyV2Page(v);
        // GB2312 in <meta> only: the header names no charset (issue 9).
        charset = 'gbk';
        contentType = 'text/html';
        break;
      case 'legacy':
        html = legacyPage(v, count);
        charset = 'gbk';
        contentType = htmlType('gbk');
        break;
    }
    if (odd?.kind === 'truncated') return send(res, 200, contentType, encodePage(cutOff(html), charset));
    this.served.add(docid);
    let shown = this.shown.get(docid);
    if (!shown) this.shown.set(docid, (shown = new Set()));
    shown.add(this.versionAt(a, now));
    send(res, 200, contentType, encodePage(html, charset));
  }

  /** What the templates show of an article at `now`. */
  private view(a: SimNeteaseArticle, now: number): ArticleView {
    const { title, paragraphs } = this.current(a, now);
    return {
      docid: a.docid,
      channel: a.channel,
      title,
      paragraphs,
      images: a.images ?? 0,
      source: a.source,
      region: a.region,
      editor: a.editor ?? null,
      createdAt: a.createdAt,
      charset: a.charset ?? 'utf-8',
      productKey: NETEASE_PRODUCT_KEY,
      account: a.account ? (this.accounts.get(a.account) ?? null) : null,
    };
  }

  private accountArticles(tid: string, now: number): SimNeteaseArticle[] {
    return this.sorted.filter((a) => a.account === tid && this.isAlive(a, now));
  }

  private mediaHome(tid: string, now: number, res: ServerResponse): void {
    const account = this.accounts.get(tid);
    if (!account) return send(res, 404, 'text/html', notFoundPage(404));
    const items = this.accountArticles(tid, now)
      .slice(0, HOME_ITEMS)
      .map((a) => this.listed(a, now, true));
    send(res, 200, htmlType('utf-8'), mediaHomePage(account, items));
  }

  private listDo(params: URLSearchParams, now: number, res: ServerResponse): void {
    const account = this.byWemedia.get(params.get('wemediaId') ?? '');
    // Crawlers start pageNo at 0 or 1 (research §1.4); both name the first page.
    const pageNo = Math.max(1, Number.parseInt(params.get('pageNo') ?? '1', 10) || 1);
    const size = Math.min(50, Math.max(1, Number.parseInt(params.get('size') ?? '10', 10) || 10));
    const all = account ? this.accountArticles(account.tid, now) : [];
    const page = all.slice((pageNo - 1) * size, pageNo * size);
    // Past the end (or for an unknown account) data.list is null (research §1.4).
    const list = page.length > 0 ? page.map((a) => listDoItem(this.listed(a, now, true))) : null;
    sendJson(res, { data: { list } });
  }

  private search(keyword: string, now: number, res: ServerResponse): void {
    const hits = this.sorted
      // The site search also finds an account's articles by the account's name.
      .filter(
        (a) =>
          (a.keywords.includes(keyword) ||
            (a.account !== undefined &&
              a.account !== null &&
              this.accounts.get(a.account)?.name === keyword)) &&
          this.isAlive(a, now),
      )
      .slice(0, SEARCH_ITEMS)
      .map((a) => this.listed(a, now, true));
    send(res, 200, htmlType('utf-8'), searchPage(keyword, hits));
  }

  private thread(m: RegExpExecArray, params: URLSearchParams, now: number, res: ServerResponse): void {
    const [, productKey, rawDocid, app, list] = m;
    const docid = (rawDocid ?? '').toUpperCase();
    const callback = params.get('callback');
    const a = this.articles.get(docid);
    if (productKey !== NETEASE_PRODUCT_KEY || !a || now < a.createdAt) {
      // No capture of this answer exists; a JSON error object in the API's {code, message} form.
      return sendJson(res, { code: '40403', message: 'Thread not found' }, 404, callback);
    }
    const comments = this.comments(a, now);
    if (!list) return sendJson(res, this.threadInfo(a, comments, now), 200, callback);
    const offset = Number(params.get('offset') ?? '0');
    const limit = Number(params.get('limit') ?? '10');
    if (
      !Number.isInteger(offset) ||
      !Number.isInteger(limit) ||
      offset < 0 ||
      limit < 1 ||
      limit > MAX_LIMIT
    ) {
      return sendJson(res, { code: '42212', message: 'Illegal pagination parameters' }, 400, callback);
    }
    const ordered =
      list === 'hotList'
        ? [...comments].filter((c) => c.vote > 0).sort((x, y) => y.vote - x.vote || y.commentId - x.commentId)
        : [...comments].reverse();
    const page = ordered.slice(offset, offset + limit);
    const map: Record<string, unknown> = {};
    const ids: string[] = [];
    for (const c of page) {
      if (!c.deleted) {
        const index = c.commentId - commentIdBase(a.docid);
        const deletion = a.commentDeletions?.find((d) => d.index === index);
        this.servedComments.served('netease', a.docid, String(c.commentId), now, deletion);
      }
      // A reply is shown as a chain (楼): root id first, then the reply (research §3.3).
      const root = c.buildLevel > 1 ? comments.find((x) => x.commentId === c.commentId - 3) : undefined;
      if (root) {
        map[String(root.commentId)] = commentJson(root);
        ids.push(`${root.commentId},${c.commentId}`);
      } else ids.push(String(c.commentId));
      map[String(c.commentId)] = commentJson(c);
    }
    const body: Record<string, unknown> = { commentIds: ids, comments: map };
    if (list === 'newList') body.newListSize = comments.length;
    if (app) {
      body.threadInfo = {
        audioLock: '1',
        againstLock: '0',
        isTagOff: '0',
        hideAd: false,
        url:
          a.channel === 'dy'
            ? `http://dy.163.com/v2/article/detail/${docid}.html`
            : `https://www.163.com/${a.channel}/article/${docid}.html`,
      };
    }
    sendJson(res, body, 200, callback);
  }

  private threadInfo(
    a: SimNeteaseArticle,
    comments: readonly CommentView[],
    now: number,
  ): Record<string, unknown> {
    const h = hashOf(a.docid);
    const last = comments[comments.length - 1];
    const closed = a.commentsClosedAt !== undefined && a.commentsClosedAt <= now;
    return {
      against: h % 7,
      boardId: a.channel === 'dy' ? 'dy_wemedia_bbs' : 'news2_bbs',
      channelId: a.channel === 'dy' ? '0553' : '0001',
      cmtAgainst: comments.reduce((n, c) => n + c.against, 0),
      cmtVote: comments.reduce((n, c) => n + c.vote, 0),
      createTime: beijingTime(a.createdAt),
      docId: a.docid,
      isAudit: false,
      modifyTime: beijingTime(last ? last.createdAt : a.createdAt),
      rcount: comments.length + (h % 50),
      status: {
        app: closed ? 'off' : 'on',
        web: closed ? 'off' : 'on',
        audio: 'off',
        against: 'on',
        joincount: 'on',
        label: 'on',
      },
      tcount: comments.length,
      title: this.current(a, now).title,
      url:
        a.channel === 'dy'
          ? `http://dy.163.com/v2/article/detail/${a.docid}.html`
          : `https://www.163.com/${a.channel}/article/${a.docid}.html`,
      vote: h % 97,
    };
  }

  /**
   * Comments served alive before their deletion, deleted by `at`: what an observer of every comment
   * page served could know was deleted.
   */
  commentTruth(at: number): CommentTruthRow[] {
    return this.servedComments.truth(at);
  }

  private comments(a: SimNeteaseArticle, now: number): CommentView[] {
    return commentsAt(a, now);
  }
}
