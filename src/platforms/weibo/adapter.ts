import type { Observation, TargetRef } from '../../domain/glossary';
import { isFinalOutcome } from '../../domain/glossary';
import { aliveAtSend, arrivedAt, rejectedFetch } from '../../http/response';
import type { FetchResult, HttpResponse, TransportFailure } from '../../http/types';
import {
  isUndecodable,
  undecodableListing,
  undecodableObservation,
  type AdapterContext,
  type CheckResult,
  type DiscoveryRequest,
  type ListingResult,
  type PlatformAdapter,
} from '../platform';
import { parseAjaxLongText, parseAjaxStatusShow, parseMymblogCursor, parseMymblogPage } from './ajax';
import { midToBid } from './ids';
import { withLongText, withPlainLongText } from './normalize';
import {
  ENDPOINTS,
  parseDetailPage,
  parseExtend,
  parseSearchPage,
  parseStatusShow,
  parseTimelineCursor,
  parseTimelinePage,
} from './parse';
import {
  ajaxLongTextUrl,
  ajaxMymblogUrl,
  ajaxStatusShowUrl,
  desktopUserPageUrl,
  detailPageUrl,
  resolveWeiboTarget,
  resolveWeiboUid,
  searchRefererUrl,
  searchUrl,
  statusExtendUrl,
  statusShowUrl,
  timelinePageUrl,
  timelineUrl,
  userPageUrl,
  WEIBO_COM,
  weiboPostUrl,
} from './urls';
import { sessionWallOf, type WeiboSession } from './session';
import { checkWeiboThread, DEFAULT_COMMENT_PAGES, type WeiboGet } from './comments';
import { wellFormedCheck, wellFormedListing } from '../well-formed';

/**
 * User-Agent of mobile Safari on an iPhone: m.weibo.cn serves its JSON API to the H5 front end,
 * and a desktop or library UA is more likely to be refused.
 */
export const DEFAULT_WEIBO_USER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/**
 * User-Agent of desktop Chrome, for weibo.com: its ajax endpoints serve the desktop front end, and a
 * mobile UA there is sent over to m.weibo.cn.
 */
export const DEFAULT_WEIBO_DESKTOP_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** Which front end account timelines are paged through. */
export type WeiboTimelineSource = 'mobile' | 'desktop';

/** The front end a request goes to: m.weibo.cn (H5) or weibo.com (desktop ajax). */
type Site = 'mobile' | 'desktop';

/** Options of {@link WeiboAdapter}. */
export interface WeiboAdapterOptions {
  /** Cookie string sent with every request (m.weibo.cn cookies, e.g. `SUB=…`). @defaultValue none */
  readonly cookie?: string;
  /**
   * User-Agent override for both front ends; null or undefined keeps {@link DEFAULT_WEIBO_USER_AGENT}
   * (m.weibo.cn) and {@link DEFAULT_WEIBO_DESKTOP_USER_AGENT} (weibo.com).
   */
  readonly userAgent?: string | null;
  /**
   * The session owning the cookie jar the HTTP client sends from. With one, `cookie` is ignored
   * (the session seeded the jar from it), a visitor wall refreshes visitor cookies and retries the
   * request once, and a login wall marks the session as needing login. @defaultValue none
   */
  readonly session?: WeiboSession;
  /** hotflow pages read per comment-thread check. @defaultValue 3 */
  readonly commentPages?: number;
  /**
   * Account timelines through m.weibo.cn getIndex `107603<uid>` (`mobile`) or weibo.com
   * `ajax/statuses/mymblog` (`desktop`). @defaultValue 'mobile'
   */
  readonly timeline?: WeiboTimelineSource;
}

/** The value of one cookie in a cookie string, or null. */
function cookieValue(cookie: string, name: string): string | null {
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/**
 * Weibo through the m.weibo.cn JSON endpoints: keyword search and account timelines to discover
 * posts, `statuses/show` (plus `statuses/extend` for long texts) to check them. weibo.com/ajax is
 * the second source: `ajax/statuses/show` confirms a post m.weibo.cn calls gone, and
 * `ajax/statuses/mymblog` pages account timelines when `timeline` is `desktop`.
 * Everything Weibo does (blocks, walls, odd pages, dropped connections) comes back as an outcome;
 * a fetch the HTTP client rejects (no answer from Weibo) throws a retryable error instead.
 */
export class WeiboAdapter implements PlatformAdapter {
  readonly platform = 'weibo' as const;
  private readonly ctx: AdapterContext;
  private readonly cookie: string;
  private readonly userAgent: string;
  private readonly desktopUserAgent: string;
  private readonly timeline: WeiboTimelineSource;
  private readonly session: WeiboSession | null;
  private readonly commentPages: number;

  constructor(ctx: AdapterContext, options: WeiboAdapterOptions = {}) {
    this.ctx = ctx;
    this.session = options.session ?? null;
    this.cookie = this.session ? '' : (options.cookie ?? '').trim();
    this.userAgent = options.userAgent ?? DEFAULT_WEIBO_USER_AGENT;
    this.desktopUserAgent = options.userAgent ?? DEFAULT_WEIBO_DESKTOP_USER_AGENT;
    this.timeline = options.timeline ?? 'mobile';
    this.commentPages = options.commentPages ?? DEFAULT_COMMENT_PAGES;
  }

  /** A post target from a URL or bare mid/bid; see {@link resolveWeiboTarget}. */
  resolveTarget(input: string): TargetRef | null {
    return resolveWeiboTarget(input);
  }

  /** `https://m.weibo.cn/detail/<mid>`. */
  targetUrl(target: TargetRef): string {
    return weiboPostUrl(target.id);
  }

  /** The headers the m.weibo.cn H5 client sends with its XHRs (research §1.6). */
  headersFor(referer: string): Record<string, string> {
    // Names lower-case, as the HTTP client sends them (HTTP/2 and browsers' HTTP/1.1 alike).
    const h: Record<string, string> = {
      'user-agent': this.userAgent,
      accept: 'application/json, text/plain, */*',
      'accept-language': 'zh-CN,zh;q=0.9',
      'mweibo-pwa': '1',
      'x-requested-with': 'XMLHttpRequest',
      referer,
    };
    if (this.session) {
      // The cookies themselves come from the session's jar, through the HTTP client.
      const xsrf = this.session.xsrfToken();
      if (xsrf) h['x-xsrf-token'] = xsrf;
    } else if (this.cookie !== '') {
      h['cookie'] = this.cookie;
      // The H5 client echoes the XSRF-TOKEN cookie; without it some logged-in calls are refused.
      const xsrf = cookieValue(this.cookie, 'XSRF-TOKEN');
      if (xsrf) h['x-xsrf-token'] = xsrf;
    }
    return h;
  }

  /**
   * The headers the weibo.com desktop client sends with its ajax XHRs (research §1.6): JSON
   * Accept, `X-Requested-With`, a weibo.com Referer and the weibo.com `XSRF-TOKEN` echoed.
   */
  desktopHeadersFor(referer: string): Record<string, string> {
    const h: Record<string, string> = {
      'user-agent': this.desktopUserAgent,
      accept: 'application/json, text/plain, */*',
      'accept-language': 'zh-CN,zh;q=0.9',
      'x-requested-with': 'XMLHttpRequest',
      referer,
    };
    const xsrf = this.session
      ? this.session.xsrfToken(`${WEIBO_COM}/`)
      : this.cookie !== ''
        ? cookieValue(this.cookie, 'XSRF-TOKEN')
        : null;
    if (!this.session && this.cookie !== '') h['cookie'] = this.cookie;
    if (xsrf) h['x-xsrf-token'] = xsrf;
    return h;
  }

  /**
   * One GET through the session: a visitor wall refreshes visitor cookies and retries once (the
   * refresh is shared by concurrent requests and has a cool-down); a login wall marks the session.
   * The answer handed back is always a real response or failure, for the parsers to classify.
   */
  private async get(
    url: string,
    referer: string,
    signal?: AbortSignal,
    site: Site = 'mobile',
  ): Promise<FetchResult> {
    const session = this.session;
    if (!session) return this.send(url, referer, signal, site);
    await session.prepare(signal);
    const seen = session.generation;
    // The session's login is m.weibo.cn's; a login wall on weibo.com says nothing about it.
    const marks = site === 'mobile';
    const res = await this.send(url, referer, signal, site);
    if (!res.ok) return res;
    const wall = sessionWallOf(res);
    if (wall === 'login' && marks) session.markNeedsLogin(`login wall on ${url}`);
    if (wall !== 'visitor' || !(await session.refreshVisitor(seen, signal))) return res;
    const again = await this.send(url, referer, signal, site);
    if (marks && again.ok && sessionWallOf(again) === 'login') session.markNeedsLogin(`login wall on ${url}`);
    return again;
  }

  private async send(
    url: string,
    referer: string,
    signal: AbortSignal | undefined,
    site: Site,
  ): Promise<FetchResult> {
    try {
      return await this.ctx.http.fetch({
        platform: 'weibo',
        url,
        method: 'GET',
        headers: site === 'desktop' ? this.desktopHeadersFor(referer) : this.headersFor(referer),
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      // A cancelled job is the caller's doing, not Weibo's: let it propagate.
      if (signal?.aborted) throw err;
      // No answer came from Weibo (shared politeness slots out of reach, a broken client): retry, record nothing.
      throw rejectedFetch(err, url);
    }
  }

  private noAnswerListing(f: TransportFailure): ListingResult {
    return { outcome: 'network_error', message: f.code, observations: [], nextCursor: null };
  }

  /**
   * One listing page. `keyword`: the search page `cursor` (a page number, default 1) of
   * `searchType` (default 1). `account`: the uid's timeline from `cursor` (a since_id or
   * `page:<n>` on m.weibo.cn; `<page>:<since_id>` on weibo.com, with the `desktop` timeline).
   */
  async discover(request: DiscoveryRequest, signal?: AbortSignal): Promise<ListingResult> {
    return wellFormedListing(await this.list(request, signal));
  }

  private async list(request: DiscoveryRequest, signal?: AbortSignal): Promise<ListingResult> {
    const at = (res: FetchResult): number => arrivedAt(res, this.ctx.clock);
    const stamped = (res: FetchResult, l: ListingResult): ListingResult => ({
      ...l,
      observations: aliveAtSend(l.observations, res),
    });
    if (request.mode === 'keyword') {
      const page = request.cursor && /^\d+$/.test(request.cursor) ? Number(request.cursor) : 1;
      const type = request.searchType ?? 1;
      const res = await this.get(
        searchUrl(request.query, page, type),
        searchRefererUrl(request.query, type),
        signal,
      );
      if (isUndecodable(res)) return undecodableListing(res);
      return res.ok ? stamped(res, parseSearchPage(res, at(res), request.query)) : this.noAnswerListing(res);
    }
    const uid = resolveWeiboUid(request.query);
    if (uid === null) {
      return {
        outcome: 'unparseable',
        message: `account "${request.query}" is not a numeric uid or a weibo.com/u/<uid>, m.weibo.cn/u/<uid> or m.weibo.cn/profile/<uid> URL (screen names are not resolved)`,
        observations: [],
        nextCursor: null,
      };
    }
    if (this.timeline === 'desktop') {
      const { page, sinceId } = parseMymblogCursor(request.cursor);
      const web = await this.get(
        ajaxMymblogUrl(uid, page, sinceId),
        desktopUserPageUrl(uid),
        signal,
        'desktop',
      );
      if (isUndecodable(web)) return undecodableListing(web);
      return web.ok ? stamped(web, parseMymblogPage(web, at(web))) : this.noAnswerListing(web);
    }
    const cursor = parseTimelineCursor(request.cursor);
    const url =
      cursor === null
        ? timelineUrl(uid)
        : 'page' in cursor
          ? timelinePageUrl(uid, cursor.page)
          : timelineUrl(uid, cursor.sinceId);
    const res = await this.get(url, userPageUrl(uid), signal);
    if (isUndecodable(res)) return undecodableListing(res);
    return res.ok ? stamped(res, parseTimelinePage(res, at(res))) : this.noAnswerListing(res);
  }

  /**
   * Checks one post with `statuses/show`. When the post is a long text, `statuses/extend` supplies
   * the full text; if that fails, the truncated text is kept and stays marked `truncated`. A
   * `thread` target is the post's comments: `comments/hotflow` pages up to `commentPages`.
   */
  async check(target: TargetRef, signal?: AbortSignal): Promise<CheckResult> {
    return wellFormedCheck(await this.read(target, signal));
  }

  private async read(target: TargetRef, signal?: AbortSignal): Promise<CheckResult> {
    const mid = target.id;
    if (target.kind === 'thread') {
      let unread: (HttpResponse & { readonly undecodable: string }) | null = null;
      const get: WeiboGet = async (u, referer, s) => {
        const page = await this.get(u, referer, s);
        if (!unread && isUndecodable(page)) unread = page;
        return page;
      };
      const thread = await checkWeiboThread(target, get, this.ctx.clock, this.commentPages, signal);
      // A page that did not decode was read as garbage: nothing the thread check made of it stands.
      return { observations: [unread ? undecodableObservation(thread, unread) : thread] };
    }
    const url = statusShowUrl(mid);
    const res = await this.get(url, weiboPostUrl(mid), signal);
    const at = arrivedAt(res, this.ctx.clock);
    if (!res.ok) {
      const obs: Observation = {
        target,
        at,
        endpoint: ENDPOINTS.show,
        outcome: 'network_error',
        message: res.code,
        url: weiboPostUrl(mid),
        evidence: { url, finalUrl: url, status: null, contentType: null, body: Buffer.alloc(0) },
      };
      return { observations: [obs] };
    }
    if (isUndecodable(res))
      return {
        observations: [
          undecodableObservation({ target, at, endpoint: ENDPOINTS.show, url: weiboPostUrl(mid) }, res),
        ],
      };
    const observations = aliveAtSend(parseStatusShow(res, at, mid), res);
    const [first, ...rest] = observations;
    if (first?.outcome === 'alive' && first.content?.truncated) {
      return { observations: [await this.withLongText(first, signal), ...rest] };
    }
    if (first && isFinalOutcome(first.outcome))
      return { observations: [first, ...(await this.secondOpinion(mid, signal)), ...rest] };
    return { observations };
  }

  /**
   * When statuses/show says a post is gone, two more endpoints are asked, each as its own
   * observation: the detail page (`/detail/<mid>`, its `$render_data`), then weibo.com
   * `ajax/statuses/show`. A post either still shows is alive whatever the API said; one neither
   * can show is gone by three endpoints. Their content only proves life (each front end renders
   * the text its own way), so it is marked partial and never counts as an edit.
   */
  private async secondOpinion(mid: string, signal?: AbortSignal): Promise<Observation[]> {
    const out: Observation[] = [];
    const detail = await this.detailOpinion(mid, signal);
    if (detail) out.push(detail);
    const web = await this.desktopOpinion(mid, signal);
    if (web) out.push(web);
    return out;
  }

  private async detailOpinion(mid: string, signal?: AbortSignal): Promise<Observation | null> {
    const res = await this.get(detailPageUrl(mid), weiboPostUrl(mid), signal);
    // An answer that did not decode adds nothing, as a transient one adds nothing.
    if (!res.ok || isUndecodable(res)) return null;
    const [detail] = aliveAtSend(parseDetailPage(res, arrivedAt(res, this.ctx.clock), mid), res);
    return detail ? asOpinion(detail) : null;
  }

  /** weibo.com `ajax/statuses/show`, completed by `ajax/statuses/longtext` when the post is long. */
  private async desktopOpinion(mid: string, signal?: AbortSignal): Promise<Observation | null> {
    const res = await this.get(ajaxStatusShowUrl(mid), `${WEIBO_COM}/`, signal, 'desktop');
    if (!res.ok || isUndecodable(res)) return null;
    const [web] = aliveAtSend(parseAjaxStatusShow(res, arrivedAt(res, this.ctx.clock), mid), res);
    if (!web?.content?.truncated) return web ? asOpinion(web) : null;
    const uid = web.content.author?.id;
    const referer = uid ? desktopUserPageUrl(uid) : `${WEIBO_COM}/`;
    // longtext takes the mblogid; a target id that is not a decimal mid is sent as it is.
    const mblogid = /^\d+$/.test(mid) ? midToBid(mid) : mid;
    const lt = await this.get(ajaxLongTextUrl(mblogid), referer, signal, 'desktop');
    if (!lt.ok) return asOpinion({ ...web, message: `long text not fetched: ${lt.code}` });
    if (isUndecodable(lt)) return asOpinion({ ...web, message: `long text not fetched: ${lt.undecodable}` });
    const parsed = parseAjaxLongText(lt);
    if (parsed.kind === 'outcome')
      return asOpinion({ ...web, message: `long text not fetched: ${parsed.outcome}: ${parsed.message}` });
    return asOpinion({ ...web, content: withPlainLongText(web.content, parsed.text) });
  }

  private async withLongText(obs: Observation, signal?: AbortSignal): Promise<Observation> {
    const content = obs.content;
    if (!content) return obs;
    const ext = await this.get(statusExtendUrl(obs.target.id), weiboPostUrl(obs.target.id), signal);
    if (!ext.ok) return { ...obs, message: `long text not fetched: ${ext.code}` };
    if (isUndecodable(ext)) return { ...obs, message: `long text not fetched: ${ext.undecodable}` };
    const parsed = parseExtend(ext);
    if (parsed.kind === 'outcome')
      return { ...obs, message: `long text not fetched: ${parsed.outcome}: ${parsed.message}` };
    return { ...obs, content: withLongText(content, parsed.html, parsed.counts) };
  }
}

/**
 * A second endpoint's observation as the check reports it: alive (content marked partial) or
 * final; a transient answer from it adds nothing to the direct check's own, so it is dropped.
 */
function asOpinion(obs: Observation): Observation | null {
  if (obs.outcome !== 'alive' && !isFinalOutcome(obs.outcome)) return null;
  return obs.content ? { ...obs, content: { ...obs.content, truncated: true } } : obs;
}
