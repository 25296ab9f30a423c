import type { CommentSnapshot, Observation, TargetRef, TransientOutcome } from '../../domain/glossary';
import { isTransientOutcome } from '../../domain/glossary';
import { pagesEvidence } from '../evidence';
import {
  COMMENT_PAGE_SIZE,
  commentListEnds,
  DEFAULT_COMMENT_PAGES,
  listedComments,
  redactCommentUsers,
  threadFlags,
} from './comments';
import { aliveAtSend, arrivedAt, rejectedFetch } from '../../http/response';
import type { FetchResult, HttpResponse, TransportFailure } from '../../http/types';
import {
  isUndecodable,
  undecodableListing,
  undecodableObservation,
  type AdapterContext,
  type CheckHint,
  type CheckResult,
  type DiscoveryRequest,
  type ListingResult,
  type PlatformAdapter,
} from '../platform';
import { extractArticle, parseArticle } from './article';
import { decodeBody } from './charset';
import { parseCommentList } from './comments';
import { parseAccountCursor, parseAccountList, parseMediaHomePage, parseSearchPage } from './listings';
import { parseCommentThreadInfo } from './threads';
import { wellFormedCheck, wellFormedListing } from '../well-formed';
import {
  docidFromUrl,
  neteaseAccountListUrl,
  neteaseArticleUrl,
  neteaseCommentListUrl,
  neteaseCommentPageUrl,
  neteaseMediaHomeUrl,
  neteaseSearchUrl,
  neteaseThreadInfoUrl,
  parseNeteaseAccount,
  resolveNeteaseTarget,
} from './urls';

/**
 * A desktop Chrome User-Agent. Mobile agents get a script redirect to m.163.com whose page has a
 * different template, which must not be mistaken for a removal.
 */
export const DEFAULT_NETEASE_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Options of {@link NeteaseAdapter}. */
export interface NeteaseAdapterOptions {
  /** User-Agent sent with every request; null or absent keeps the desktop Chrome one. @defaultValue {@link DEFAULT_NETEASE_USER_AGENT} */
  readonly userAgent?: string | null;
  /** Articles per `list.do` page. @defaultValue 10 */
  readonly accountPageSize?: number;
  /** newList pages read per comment-thread check. @defaultValue 3 */
  readonly commentPages?: number;
}

const HTML_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const JSON_ACCEPT = 'application/json, text/javascript, */*; q=0.01';

function transportMessage(f: TransportFailure): string {
  return `${f.code}: ${f.message}`;
}

function transportListing(f: TransportFailure): ListingResult {
  return { outcome: 'network_error', message: transportMessage(f), observations: [], nextCursor: null };
}

/**
 * The NetEase (163.com) platform adapter: checks articles (and comment threads) and discovers
 * articles by keyword search or by 网易号 account. Everything NetEase does comes back as an
 * outcome; a fetch the HTTP client rejects (no answer from NetEase) throws a retryable error, as
 * do programming errors.
 */
export class NeteaseAdapter implements PlatformAdapter {
  readonly platform = 'netease' as const;
  private readonly userAgent: string;
  private readonly pageSize: number;
  private readonly commentPages: number;
  /** T-id → wemediaId, so an account's home page is opened once per adapter, not once per round. */
  private readonly wemediaIds = new Map<string, string>();

  constructor(
    private readonly ctx: AdapterContext,
    options: NeteaseAdapterOptions = {},
  ) {
    this.userAgent = options.userAgent ?? DEFAULT_NETEASE_USER_AGENT;
    this.pageSize = options.accountPageSize ?? 10;
    this.commentPages = options.commentPages ?? DEFAULT_COMMENT_PAGES;
  }

  /** A target from an article URL in any known form or a bare DOCID. */
  resolveTarget(input: string): TargetRef | null {
    return resolveNeteaseTarget(input);
  }

  /** The article page, or for a thread the human-facing comment page. */
  targetUrl(target: TargetRef): string {
    return target.kind === 'thread' ? neteaseCommentPageUrl(target.id) : neteaseArticleUrl(target.id);
  }

  /**
   * Fetches the article page (or a thread's info object) and classifies it. The URL the article was
   * found at is used when it names the same DOCID, so a 网易号 article is fetched at /dy/article/
   * rather than at the /news/article/ default.
   */
  async check(target: TargetRef, signal?: AbortSignal, hint?: CheckHint): Promise<CheckResult> {
    return wellFormedCheck(await this.read(target, signal, hint));
  }

  private async read(target: TargetRef, signal?: AbortSignal, hint?: CheckHint): Promise<CheckResult> {
    if (target.platform !== 'netease') throw new TypeError(`not a NetEase target: ${target.platform}`);
    if (target.kind === 'thread') return { observations: [await this.checkThread(target, signal)] };
    const hinted =
      hint?.url && /^https?:\/\/www\.163\.com\/[a-z0-9]+\/article\//i.test(hint.url) ? hint.url : null;
    const url =
      hinted && docidFromUrl(hinted) === target.id
        ? hinted.replace(/^http:/i, 'https:').split('#')[0]!
        : neteaseArticleUrl(target.id);
    const res = await this.get(url, HTML_ACCEPT, signal);
    const at = arrivedAt(res, this.ctx.clock);
    if (!res.ok) {
      return {
        observations: [
          {
            target,
            at,
            endpoint: 'netease.article',
            outcome: 'network_error',
            message: transportMessage(res),
            url,
          },
        ],
      };
    }
    if (isUndecodable(res))
      return {
        observations: [undecodableObservation({ target, at, endpoint: 'netease.article', url }, res)],
      };
    return { observations: aliveAtSend([parseArticle(res, at, target.id)], res) };
  }

  /**
   * Keyword mode reads the search page. Account mode pages `list.do` for a `W…` wemediaId; a `T…`
   * id or home page URL is resolved through its home page (or one of its articles) and falls back
   * to the home page's own list; an article URL is resolved through its `data-wemediaid`. A bare
   * display name cannot be resolved without NetEase's account search and comes back `unparseable`.
   */
  async discover(request: DiscoveryRequest, signal?: AbortSignal): Promise<ListingResult> {
    return wellFormedListing(await this.list(request, signal));
  }

  private async list(request: DiscoveryRequest, signal?: AbortSignal): Promise<ListingResult> {
    if (request.mode === 'keyword') {
      const res = await this.get(neteaseSearchUrl(request.query), HTML_ACCEPT, signal);
      if (!res.ok) return transportListing(res);
      if (isUndecodable(res)) return undecodableListing(res);
      const found = parseSearchPage(res, arrivedAt(res, this.ctx.clock));
      return { ...found, observations: aliveAtSend(found.observations, res) };
    }
    const cursor = parseAccountCursor(request.cursor);
    if (cursor) return this.listPage(cursor.wemediaId, cursor.pageNo, signal);
    const ref = parseNeteaseAccount(request.query);
    switch (ref.kind) {
      case 'wemedia':
        return this.listPage(ref.wemediaId, 1, signal);
      case 'tid':
        return this.fromHomePage(ref.tid, signal);
      case 'article':
        return this.fromArticle(ref.docid, signal);
      case 'name':
        return this.fromName(ref.name, signal);
    }
  }

  /**
   * A 网易号 known only by its display name: search for the name and open the results until an
   * article whose account name is exactly that name gives its wemediaId (or T id). Cached, so the
   * search runs once per process.
   */
  private async fromName(name: string, signal?: AbortSignal): Promise<ListingResult> {
    const known = this.wemediaIds.get(`name:${name}`);
    if (known) return this.listPage(known, 1, signal);
    const res = await this.get(neteaseSearchUrl(name), HTML_ACCEPT, signal);
    if (!res.ok) return transportListing(res);
    if (isUndecodable(res)) return undecodableListing(res);
    const found = parseSearchPage(res, this.ctx.clock.now());
    if (found.outcome !== 'results' && found.outcome !== 'empty') return found;
    for (const obs of found.observations.slice(0, 5)) {
      const art = await this.get(obs.url ?? neteaseArticleUrl(obs.target.id, 'dy'), HTML_ACCEPT, signal);
      if (!art.ok || art.status !== 200 || isUndecodable(art)) continue;
      const a = extractArticle(decodeBody(art.body, art.headers['content-type']).text);
      if (a.wemediaName?.trim() !== name.trim()) continue;
      if (a.wemediaId) {
        this.wemediaIds.set(`name:${name}`, a.wemediaId);
        return this.listPage(a.wemediaId, 1, signal);
      }
      if (a.wemediaTid) return this.fromHomePage(a.wemediaTid, signal);
    }
    return {
      outcome: 'unparseable',
      message:
        `no article found by searching for the NetEase account name "${name}" names it as its account: configure ` +
        'its home page URL (https://www.163.com/dy/media/T….html), its T… id or one of its article URLs',
      observations: [],
      nextCursor: null,
    };
  }

  private async get(url: string, accept: string, signal?: AbortSignal): Promise<FetchResult> {
    try {
      return await this.ctx.http.fetch({
        platform: 'netease',
        url,
        // Names lower-case, as the HTTP client sends them.
        headers: {
          'user-agent': this.userAgent,
          accept,
          'accept-language': 'zh-CN,zh;q=0.9,en;q=0.6',
          ...(accept === JSON_ACCEPT ? { referer: 'https://www.163.com/' } : {}),
        },
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      // A cancelled job is the caller's doing: let it propagate.
      if (signal?.aborted) throw err;
      // No answer came from NetEase (shared politeness slots out of reach, a broken client): retry, record nothing.
      throw rejectedFetch(err, url);
    }
  }

  private async listPage(wemediaId: string, pageNo: number, signal?: AbortSignal): Promise<ListingResult> {
    const res = await this.get(neteaseAccountListUrl(wemediaId, pageNo, this.pageSize), JSON_ACCEPT, signal);
    if (!res.ok) return transportListing(res);
    if (isUndecodable(res)) return undecodableListing(res);
    const list = parseAccountList(res, arrivedAt(res, this.ctx.clock), {
      wemediaId,
      pageNo,
      size: this.pageSize,
    });
    return { ...list, observations: aliveAtSend(list.observations, res) };
  }

  private async fromHomePage(tid: string, signal?: AbortSignal): Promise<ListingResult> {
    const known = this.wemediaIds.get(tid);
    if (known) return this.listPage(known, 1, signal);
    const res = await this.get(neteaseMediaHomeUrl(tid), HTML_ACCEPT, signal);
    if (!res.ok) return transportListing(res);
    if (isUndecodable(res)) return undecodableListing(res);
    const home = parseMediaHomePage(res, this.ctx.clock.now(), tid);
    let wemediaId = home.wemediaId;
    const first = home.docids[0];
    if (!wemediaId && first) {
      // The list API id is printed on article pages (div#contain[data-wemediaid]), not always on the home page.
      const art = await this.get(neteaseArticleUrl(first, 'dy'), HTML_ACCEPT, signal);
      if (art.ok && !isUndecodable(art)) wemediaId = this.articleFields(art)?.wemediaId ?? null;
    }
    if (!wemediaId) return home.listing;
    this.wemediaIds.set(tid, wemediaId);
    const list = await this.listPage(wemediaId, 1, signal);
    // Small accounts have no working list API: the home page's own list is then the answer.
    return list.outcome === 'results' || home.listing.outcome !== 'results' ? list : home.listing;
  }

  private async fromArticle(docid: string, signal?: AbortSignal): Promise<ListingResult> {
    const res = await this.get(neteaseArticleUrl(docid, 'dy'), HTML_ACCEPT, signal);
    if (!res.ok) return transportListing(res);
    if (isUndecodable(res)) return undecodableListing(res);
    const fields = this.articleFields(res);
    if (fields?.wemediaId) return this.listPage(fields.wemediaId, 1, signal);
    if (fields?.wemediaTid) return this.fromHomePage(fields.wemediaTid, signal);
    const seen = parseArticle(res, this.ctx.clock.now(), docid);
    return {
      outcome: 'unparseable',
      message:
        seen.outcome === 'alive'
          ? `article ${docid} names no 网易号 account (news articles have no account list)`
          : `article ${docid} could not be read to find its account: ${seen.outcome}${seen.message ? ` (${seen.message})` : ''}`,
      observations: [seen],
      nextCursor: null,
      evidence: seen.evidence,
    };
  }

  private articleFields(res: HttpResponse): { wemediaId: string | null; wemediaTid: string | null } | null {
    if (res.status !== 200) return null;
    const a = extractArticle(decodeBody(res.body, res.headers['content-type']).text);
    return { wemediaId: a.wemediaId, wemediaTid: a.wemediaTid };
  }

  private async checkThread(target: TargetRef, signal?: AbortSignal): Promise<Observation> {
    const res = await this.get(neteaseThreadInfoUrl(target.id), JSON_ACCEPT, signal);
    const at = arrivedAt(res, this.ctx.clock);
    const base = {
      target,
      at,
      endpoint: 'netease.comment.thread',
      url: neteaseCommentPageUrl(target.id),
    } as const;
    if (!res.ok) return { ...base, outcome: 'network_error', message: transportMessage(res) };
    if (isUndecodable(res)) return undecodableObservation(base, res);
    const evidence = {
      url: res.url,
      finalUrl: res.finalUrl,
      status: res.status,
      contentType: res.headers['content-type'] ?? null,
      body: res.body,
    };
    const parsed = parseCommentThreadInfo(res, target.id);
    if (!parsed.ok) return { ...base, outcome: parsed.outcome, message: parsed.message, evidence };
    const info = parsed.value;
    const list = await this.newestComments(target.id, info.tcount, signal);
    if (!list.ok) {
      // The thread exists (its info answered); a list that cannot be read says nothing about it.
      return {
        ...base,
        at: this.ctx.clock.now(),
        outcome: list.outcome,
        message: list.message,
        evidence: pagesEvidence([res, ...list.responses]) ?? evidence,
      };
    }
    const flags = threadFlags(info);
    return {
      ...base,
      outcome: 'alive',
      evidence: pagesEvidence([res, ...list.responses]) ?? evidence,
      ...(info.commentsOpen === false || list.unbelieved
        ? {
            message: [
              info.commentsOpen === false ? 'comments closed (status web/app off)' : null,
              list.unbelieved,
            ]
              .filter(Boolean)
              .join('; '),
          }
        : {}),
      comments: { items: list.items, complete: list.complete, ...(flags ? { flags } : {}) },
      content: {
        title: info.title,
        html: '',
        text: '',
        author: null,
        createdAt: info.createdAt,
        counts: { reposts: null, comments: info.tcount, likes: info.vote },
        media: [],
        repostOf: null,
        editCount: null,
      },
    };
  }

  /**
   * newList pages, newest first, up to the page cap. `complete` when the list ended before the cap
   * (a short or empty page); a later page that fails ends the list early, as cut. A first page
   * that lists nothing while its `newListSize` or the thread's `tcount` counts comments is not an
   * empty thread but an answer that contradicts itself (research §4.6: comments switched off
   * platform-wide): it is kept as evidence and lists nothing, as a cut list, so no known comment
   * is taken for gone while the thread's counts and status flags (a closed thread) still count.
   */
  private async newestComments(
    docid: string,
    tcount: number | null,
    signal?: AbortSignal,
  ): Promise<
    | {
        ok: true;
        items: CommentSnapshot[];
        complete: boolean;
        responses: HttpResponse[];
        /** Why the list was not believed, when it contradicted its own count. */
        unbelieved?: string;
      }
    | { ok: false; outcome: TransientOutcome; message: string; responses: HttpResponse[] }
  > {
    const items: CommentSnapshot[] = [];
    const ids = new Set<string>();
    const responses: HttpResponse[] = [];
    let complete = false;
    for (let page = 0; page < Math.max(1, this.commentPages); page++) {
      const url = neteaseCommentListUrl(docid, 'new', {
        offset: page * COMMENT_PAGE_SIZE,
        limit: COMMENT_PAGE_SIZE,
      });
      const res = await this.get(url, JSON_ACCEPT, signal);
      if (!res.ok) {
        if (page === 0)
          return { ok: false, outcome: 'network_error', message: transportMessage(res), responses };
        break;
      }
      // Not read, so not redacted either: the page is kept only as the reason the check is unparseable.
      if (isUndecodable(res))
        return {
          ok: false,
          outcome: 'unparseable',
          message: `comment list: HTTP ${res.status}: ${res.undecodable}`,
          responses: [],
        };
      // Evidence keeps the page without the commenters' user.id (base64 of an account name or e-mail).
      const kept: HttpResponse = { ...res, body: redactCommentUsers(res.body) };
      const parsed = parseCommentList(res, docid);
      if (!parsed.ok) {
        if (page === 0) {
          const outcome = isTransientOutcome(parsed.outcome) ? parsed.outcome : 'unparseable';
          return { ok: false, outcome, message: `comment list: ${parsed.message}`, responses: [kept] };
        }
        break;
      }
      const listed = listedComments(parsed.value);
      if (page === 0 && listed.length === 0) {
        const size = parsed.value.newListSize ?? 0;
        const counted = size > 0 ? `its newListSize says ${size}` : `the thread's tcount says ${tcount ?? 0}`;
        if (size > 0 || (tcount ?? 0) > 0)
          return {
            ok: true,
            items: [],
            complete: false,
            responses: [kept],
            unbelieved: `comment list not believed: the first page lists no comment while ${counted}`,
          };
      }
      responses.push(kept);
      for (const c of listed) {
        if (!ids.has(c.id)) {
          ids.add(c.id);
          items.push(c);
        }
      }
      if (commentListEnds(parsed.value, COMMENT_PAGE_SIZE)) {
        complete = true;
        break;
      }
    }
    return { ok: true, items, complete, responses };
  }
}
