import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from '../respond';
import type { Clock } from '../../domain/clock';
import type { Hold } from '../host/held-clock';
import { hashOf, type OddityKind, type Scenario } from '../world';
import { ServedComments, type CommentTruthRow, type GroundTruthRow } from '../truth';
import { ajaxErrorBody, ajaxLongTextBody, ajaxShowBody } from './ajax';
import { hotflowBody } from './comments';
import { pickWeiboFault, serveWeiboFault, type FaultKind } from './faults';
import { errorBody, NO_CONTENT_BODY, MSG } from './format';
import { detailPage, errorPage, notFoundPage } from './pages';
import { mymblog, profile, search, timeline } from './listings';
import { activeOddity, oddAnswer } from './oddities';
import { ajaxStatusOf, fullText, mblog } from './render';
import { SimWeiboSession, type SimSessionMode } from './session';
import { WeiboState } from './state';

/** Weibo endpoints the simulator answers, by path (m.weibo.cn, weibo.com and passport share one port). */
export type WeiboEndpoint =
  | 'search'
  | 'profile'
  | 'timeline'
  | 'container'
  | 'show'
  | 'extend'
  | 'detail'
  | 'hotflow'
  | 'ajax-show'
  | 'ajax-longtext'
  | 'ajax-mymblog'
  | 'home'
  | 'api-config'
  | 'visitor'
  | 'sso'
  | 'not-found';

/** Endpoints behind the session walls (the JSON API and the detail page). */
const WALLED: ReadonlySet<WeiboEndpoint> = new Set<WeiboEndpoint>([
  'search',
  'profile',
  'timeline',
  'container',
  'show',
  'extend',
  'detail',
  'hotflow',
  'ajax-show',
  'ajax-longtext',
  'ajax-mymblog',
]);
/** Endpoints a post's oddity is served on: its direct checks, never the listings. */
const ODD_ENDPOINTS: ReadonlySet<WeiboEndpoint> = new Set<WeiboEndpoint>([
  'show',
  'extend',
  'detail',
  'hotflow',
  'ajax-show',
  'ajax-longtext',
]);
const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';

function sendJson(res: ServerResponse, value: unknown): void {
  send(res, 200, JSON_TYPE, JSON.stringify(value));
}

/** Options of {@link WeiboSim}. */
export interface WeiboSimOptions {
  readonly clock: Clock;
  readonly weibo: Scenario['weibo'];
  /** Weibo cookie walls, visitor-system failures and login redirects; all off by default. */
  readonly session?: SimSessionMode;
  /** Called for every oddity served, so the host can count them. */
  readonly onOddity?: (kind: OddityKind) => void;
}

/**
 * Weibo's hosts inside the simulator: m.weibo.cn (the JSON API, the detail page, the visitor system),
 * weibo.com/ajax and passport.weibo.com, told apart by path. It answers for the scenario at
 * `clock.now()` and keeps the ground truth of what it has shown.
 */
export class WeiboSim {
  private readonly clock: Clock;
  private readonly state: WeiboState;
  /** Weibo comments served, for {@link commentTruth}. */
  private readonly servedComments = new ServedComments();
  private readonly onOddity: ((kind: OddityKind) => void) | undefined;
  /** Weibo's cookies and walls; {@link SimWeiboSession.set} changes them while serving. */
  readonly session: SimWeiboSession;

  constructor(options: WeiboSimOptions) {
    this.clock = options.clock;
    this.session = new SimWeiboSession(options.session);
    this.onOddity = options.onOddity;
    this.state = new WeiboState(options.weibo);
  }

  /** The endpoint a request belongs to; `not-found` for any path Weibo does not serve. */
  endpointOf(path: string, params: URLSearchParams): WeiboEndpoint {
    if (path === '/api/container/getIndex') {
      const c = params.get('containerid') ?? '';
      if (c.startsWith('100103')) return 'search';
      if (c.startsWith('100505')) return 'profile';
      if (c.startsWith('107603')) return 'timeline';
      if (c === '' && params.get('type') === 'uid') return 'profile';
      return 'container';
    }
    if (path === '/statuses/show') return 'show';
    if (path === '/statuses/extend') return 'extend';
    if (path === '/comments/hotflow') return 'hotflow';
    // weibo.com/ajax, mapped onto the same port: its paths do not overlap m.weibo.cn's.
    if (path === '/ajax/statuses/show') return 'ajax-show';
    if (path === '/ajax/statuses/longtext') return 'ajax-longtext';
    if (path === '/ajax/statuses/mymblog') return 'ajax-mymblog';
    if (path.startsWith('/detail/') || path.startsWith('/status/')) return 'detail';
    if (path === '/') return 'home';
    if (path === '/api/config') return 'api-config';
    if (path.startsWith('/visitor/')) return 'visitor';
    if (path.startsWith('/sso/')) return 'sso';
    return 'not-found';
  }

  /** A fault kind, drawn with `random`. */
  pickFault(random: () => number): FaultKind {
    return pickWeiboFault(random);
  }

  /** Serves an injected fault; `random` picks among a fault's known forms. */
  fault(kind: FaultKind, req: IncomingMessage, res: ServerResponse, random: () => number): void {
    serveWeiboFault(kind, req, res, random);
  }

  /** Answers a request of a Weibo endpoint. */
  serve(
    endpoint: WeiboEndpoint,
    path: string,
    params: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    const now = this.clock.now();
    const state = this.state;
    if (WALLED.has(endpoint) && this.session.wall(req, res)) return;
    if (this.oddity(endpoint, path, params, now, res)) return;
    switch (endpoint) {
      case 'search':
        return sendJson(res, search(state, params, now));
      case 'profile':
        return sendJson(res, profile(state, params, now));
      case 'timeline':
        return sendJson(res, timeline(state, params, now));
      case 'container':
        return sendJson(res, NO_CONTENT_BODY);
      case 'show':
        return sendJson(res, this.show(params.get('id'), now));
      case 'extend':
        return this.extend(params.get('id'), now, res);
      case 'hotflow': {
        // A post that is not up answers as statuses/show does; its comments go with it.
        const r = state.lookup(params.get('id') ?? params.get('mid'), now);
        if ('refusal' in r) return sendJson(res, errorBody(r.refusal.errno, r.refusal.msg));
        return sendJson(res, hotflowBody(r.post.post, params.get('max_id'), now, this.servedComments));
      }
      case 'ajax-show':
        return sendJson(res, this.ajaxShow(params.get('id'), now));
      case 'ajax-longtext':
        return sendJson(res, this.ajaxLongText(params.get('id'), now));
      case 'ajax-mymblog':
        return sendJson(res, mymblog(state, params, now));
      case 'detail':
        return this.detail(detailId(path), now, res);
      case 'home':
        return this.session.home(req, res, now);
      case 'api-config':
        return this.session.apiConfig(req, res, now);
      case 'visitor':
        return this.session.visitor(path, params, req, res, now);
      case 'sso':
        return this.session.sso(path, params, res);
      case 'not-found':
        return send(res, 404, HTML_TYPE, notFoundPage());
    }
  }

  /**
   * The truth about every post served alive, plus every original embedded in a served repost, as of
   * `at`, sorted by mid; see {@link WeiboState.groundTruth}.
   */
  groundTruth(at: number): GroundTruthRow[] {
    return this.state.groundTruth(at);
  }

  /** Changes of the Weibo part that wait for an observer; see {@link WeiboState.holds}. */
  holds(): Hold[] {
    return this.state.holds();
  }

  /** Weibo comments an observer saw and that were deleted by `at`. */
  commentTruth(at: number): CommentTruthRow[] {
    return this.servedComments.truth(at);
  }

  /**
   * Serves the post's oddity (maintenance, challenge, cut-off body, unknown template, HTML for
   * JSON) on its direct-check endpoints while one is in force; false when there is none.
   */
  private oddity(
    endpoint: WeiboEndpoint,
    path: string,
    params: URLSearchParams,
    now: number,
    res: ServerResponse,
  ): boolean {
    if (!ODD_ENDPOINTS.has(endpoint)) return false;
    const rawId = endpoint === 'detail' ? detailId(path) : (params.get('id') ?? params.get('mid'));
    const p = this.state.postOf(rawId);
    const kind = p ? activeOddity(p.post.oddities, now) : null;
    if (!p || !kind || now < p.createdAt) return false;
    const normal = (): string =>
      endpoint === 'detail'
        ? detailPage(mblog(this.state, p, now, true))
        : JSON.stringify(endpoint === 'ajax-show' ? this.ajaxShow(p.mid, now) : this.show(p.mid, now));
    const answer = oddAnswer(kind, endpoint === 'detail' ? 'html' : 'json', p.mid, normal);
    this.onOddity?.(kind);
    send(res, answer.status, answer.type, answer.body);
    return true;
  }

  private show(rawId: string | null, now: number): unknown {
    const r = this.state.lookup(rawId, now);
    if ('refusal' in r) return errorBody(r.refusal.errno, r.refusal.msg);
    return { ok: 1, data: mblog(this.state, r.post, now, true) };
  }

  private extend(rawId: string | null, now: number, res: ServerResponse): void {
    const r = this.state.lookup(rawId, now);
    // A gone post gets the H5 "no permission" page here, not JSON (research §1.2).
    if ('refusal' in r) return send(res, 200, HTML_TYPE, errorPage(MSG.ambiguous));
    const p = r.post;
    this.state.servedAlive.add(p.mid);
    const v = this.state.versionAt(p, now);
    this.state.noteShown(p, v);
    sendJson(res, { ok: 1, data: { ok: 1, longTextContent: fullText(p, v), ...p.counts } });
  }

  private detail(rawId: string, now: number, res: ServerResponse): void {
    const r = this.state.lookup(rawId, now);
    if ('refusal' in r) return send(res, 200, HTML_TYPE, errorPage(MSG.ambiguous));
    send(res, 200, HTML_TYPE, detailPage(mblog(this.state, r.post, now, true)));
  }

  /** A refusal in the ajax form, the same statement as m.weibo.cn's; which form is fixed per post. */
  private ajaxRefusal(rawId: string | null, refusal: { errno: string; msg: string }): unknown {
    return ajaxErrorBody(refusal.errno, refusal.msg, hashOf(rawId ?? '') % 2 === 0 ? 'message' : 'msg');
  }

  private ajaxShow(rawId: string | null, now: number): unknown {
    const r = this.state.lookup(rawId, now);
    if ('refusal' in r) return this.ajaxRefusal(rawId, r.refusal);
    return ajaxShowBody(ajaxStatusOf(this.state, r.post, now));
  }

  private ajaxLongText(rawId: string | null, now: number): unknown {
    const r = this.state.lookup(rawId, now);
    if ('refusal' in r) return this.ajaxRefusal(rawId, r.refusal);
    const p = r.post;
    this.state.servedAlive.add(p.mid);
    return ajaxLongTextBody(p.post.isLongText ? p.texts[this.state.versionAt(p, now)]! : null);
  }
}

/** The id in `/detail/<id>` or `/status/<id>`. */
function detailId(path: string): string {
  return decodeURIComponent(path.slice(path.indexOf('/', 1) + 1));
}
