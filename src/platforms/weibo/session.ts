import type { Logger } from 'pino';
import type { CookieSource } from '../../browser/cookies';
import { realCookieLines, remapUrl } from '../../browser/remap';
import type { Clock } from '../../domain/clock';
import type { CookieJar } from '../../http/cookie-jar';
import type { HttpClient, HttpResponse } from '../../http/types';
import { visitedUrls } from '../../http/response';
import {
  bodyText,
  parsedBody,
  classifyJsonResponse,
  tryParseJson,
  wallOfUrl,
  type SessionWall,
  type UnavailableOutcome,
} from './classify';
import { isJsonObject } from './normalize';

/** The m.weibo.cn home page: the warm-up that issues `_T_WM` and `XSRF-TOKEN`. */
export const M_WEIBO_HOME = 'https://m.weibo.cn/';
/** Step 1 of the visitor system (research §1.5). */
export const GENVISITOR_URL = 'https://passport.weibo.com/visitor/genvisitor2';
/** Step 2 of the visitor system: `a=crossdomain` sets the visitor cookies. */
export const VISITOR_URL = 'https://passport.weibo.com/visitor/visitor';
/** m.weibo.cn's own view of the session: `data.login` true or false. */
export const API_CONFIG_URL = 'https://m.weibo.cn/api/config';
/** The `ver` genvisitor2 is posted with (gallery-dl, 2025). */
export const GENVISITOR_VERSION = '20250916';

/** Cookies of a configured string that carry the login; kept for m.weibo.cn (weibo-crawler PR #582). */
export const LOGIN_COOKIE_NAMES: readonly string[] = ['SUB', 'SUBP'];
/** m.weibo.cn cookies of a configured string used only when the warm-up does not issue fresh ones. */
export const FALLBACK_COOKIE_NAMES: readonly string[] = ['_T_WM', 'XSRF-TOKEN', 'WEIBOCN_FROM', 'MLOGIN'];

/** What kind of wall a response ran into: visitor cookies would help, or only a login would. */
export { wallOfUrl, type SessionWall };

/** One `name=value` pair of a cookie string. */
export interface CookiePair {
  readonly name: string;
  readonly value: string;
}

/** The pairs of a cookie string (`a=1; b=2`), in order, blanks and nameless parts skipped. */
export function parseCookieString(cookie: string): CookiePair[] {
  const out: CookiePair[] = [];
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name) out.push({ name, value: part.slice(eq + 1).trim() });
  }
  return out;
}

/**
 * Splits a configured cookie string into the login cookies kept for m.weibo.cn and the fallbacks
 * used only if the warm-up fails; everything else (weibo.com cookies such as `WBPSESS`) is
 * dropped, since weibo.com cookies sent to m.weibo.cn get requests refused (research §1.5).
 */
export function splitConfiguredCookie(cookie: string): { login: CookiePair[]; fallback: CookiePair[] } {
  const login: CookiePair[] = [];
  const fallback: CookiePair[] = [];
  for (const p of parseCookieString(cookie)) {
    if (LOGIN_COOKIE_NAMES.includes(p.name)) login.push(p);
    else if (FALLBACK_COOKIE_NAMES.includes(p.name)) fallback.push(p);
  }
  return { login, fallback };
}

/** What genvisitor2 hands out. */
export interface VisitorTicket {
  readonly tid: string;
  readonly sub: string;
  readonly subp: string;
}

/** The form genvisitor2 is posted with (research §1.5; gallery-dl `_sina_visitor_system`). */
export function genvisitorForm(returnUrl = M_WEIBO_HOME): string {
  return new URLSearchParams({
    cb: 'visitor_gray_callback',
    ver: GENVISITOR_VERSION,
    tid: '',
    from: 'weibo',
    webdriver: 'false',
    return_url: returnUrl,
  }).toString();
}

/**
 * The ticket in genvisitor2's JSONP answer (`visitor_gray_callback({"retcode":20000000,"data":{…}})`),
 * or null when the answer is a failure or not JSONP.
 */
export function parseGenvisitor(body: string): VisitorTicket | null {
  const m = /\(\s*(\{[\s\S]*\})\s*\)\s*;?\s*$/.exec(body.trim());
  const value = m?.[1] === undefined ? undefined : tryParseJson(m[1]);
  if (!isJsonObject(value)) return null;
  const retcode = value['retcode'];
  if (retcode !== undefined && Number(retcode) !== 20000000) return null;
  const data = value['data'];
  if (!isJsonObject(data)) return null;
  const str = (k: string): string => {
    const v = data[k];
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  };
  const tid = str('tid');
  return tid ? { tid, sub: str('sub'), subp: str('subp') } : null;
}

/** The crossdomain step's URL for a ticket. */
export function crossdomainUrl(t: VisitorTicket, rand: number, returnUrl = M_WEIBO_HOME): string {
  const q = new URLSearchParams({
    a: 'crossdomain',
    t: t.tid,
    sp: t.subp,
    s: t.sub,
    from: 'weibo',
    _rand: String(rand),
    url: returnUrl,
  });
  return `${VISITOR_URL}?${q.toString()}`;
}

/**
 * The session wall a response ran into, from its redirects, an unfollowed Location, a Sina
 * Visitor System page, or an `ok:-100` envelope: with a login URL it is a login wall; with a
 * captcha or geetest URL it is a captcha (not a cookie problem, so null); otherwise the visitor
 * cookies are missing or stale.
 */
export function sessionWallOf(res: HttpResponse): SessionWall | null {
  for (const u of visitedUrls(res)) {
    const w = wallOfUrl(u);
    if (w) return w;
  }
  const { text, json: v } = parsedBody(res.body);
  if (/Sina Visitor System/i.test(text.slice(0, 4096))) return 'visitor';
  if (!isJsonObject(v)) return null;
  if (Number(v['ok']) !== -100 && String(v['errno'] ?? '') !== '-100') return null;
  const url = typeof v['url'] === 'string' ? v['url'] : '';
  if (/captcha|geetest/i.test(url)) return null;
  if (url && (wallOfUrl(url) === 'login' || /login/i.test(url))) return 'login';
  return 'visitor';
}

/** How a visitor-cookie refresh went. */
export type VisitorRefresh =
  | { readonly ok: true; readonly via: 'http' | 'browser'; readonly cookies: readonly string[] }
  | { readonly ok: false; readonly reason: string };

/** What m.weibo.cn says of the session: logged in or not, or why it gave no answer. */
export type LoginCheck =
  | { readonly state: 'logged_in'; readonly uid: string | null }
  | { readonly state: 'not_logged_in' }
  | { readonly state: UnavailableOutcome; readonly detail: string };

/** Options of {@link WeiboSession}. */
export interface WeiboSessionOptions {
  /**
   * The HTTP client, which must store every response's Set-Cookie in `jar` (a `Fetcher` built
   * with `jars: { weibo: jar }`), so the visitor steps' cookies land where requests read them.
   */
  readonly http: HttpClient;
  readonly jar: CookieJar;
  readonly clock: Clock;
  /** Logged-in cookie string from config (`cookie` or `cookieFile`). @defaultValue none */
  readonly cookie?: string;
  /** Real host → base URL, as in `platforms.weibo.hosts`; the browser is pointed at the bases. */
  readonly hosts?: Readonly<Record<string, string>>;
  /** Browser fallback when the HTTP visitor flow fails; null for none. @defaultValue null */
  readonly browser?: CookieSource | null;
  /** Least time between two visitor-cookie refreshes (ms), so a wall does not storm them. @defaultValue 60000 */
  readonly refreshCooldown?: number;
  /** User-Agent of the session's own requests. */
  readonly userAgent: string;
  readonly logger?: Logger;
  /** Source of the crossdomain `_rand`. @defaultValue Math.random */
  readonly random?: () => number;
}

/** A point-in-time view of a session, for logs and `status`. */
export interface SessionSnapshot {
  readonly needsLogin: boolean;
  readonly loginReason: string | null;
  /** Bumped every time the cookies are replaced. */
  readonly generation: number;
  readonly loggedInCookie: boolean;
  readonly lastRefresh: { readonly at: number; readonly ok: boolean; readonly detail: string } | null;
  /** Names (never values) of the cookies m.weibo.cn would get. */
  readonly cookies: readonly string[];
}

/**
 * The Weibo session: owns the platform's cookie jar, seeds it from the configured cookie, warms it
 * up on m.weibo.cn, refreshes visitor cookies (genvisitor2 + crossdomain over HTTP, a browser only
 * when that fails) with a cool-down, and remembers when only a login would help.
 */
export class WeiboSession {
  /** The jar requests to Weibo read their cookies from. */
  readonly jar: CookieJar;
  private readonly http: HttpClient;
  private readonly clock: Clock;
  private readonly hosts: Readonly<Record<string, string>>;
  private readonly browser: CookieSource | null;
  private readonly cooldown: number;
  private readonly userAgent: string;
  private readonly log: Logger | null;
  private readonly random: () => number;
  private fallback: CookiePair[] = [];
  private loggedInCookie = false;
  private gen = 0;
  private warm: Promise<void> | null = null;
  private inFlight: Promise<boolean> | null = null;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private last: SessionSnapshot['lastRefresh'] = null;
  private loginReason: string | null = null;

  constructor(options: WeiboSessionOptions) {
    this.jar = options.jar;
    this.http = options.http;
    this.clock = options.clock;
    this.hosts = options.hosts ?? {};
    this.browser = options.browser ?? null;
    this.cooldown = options.refreshCooldown ?? 60_000;
    this.userAgent = options.userAgent;
    this.log = options.logger ? options.logger.child({ module: 'weibo-session' }) : null;
    this.random = options.random ?? Math.random;
    this.seed(options.cookie ?? '');
  }

  /** True once a redirect to a login page (or `ok:-100` to login.php) was seen. */
  get needsLogin(): boolean {
    return this.loginReason !== null;
  }

  /** Bumped whenever the cookies are replaced; a request sent under an older one may be retried. */
  get generation(): number {
    return this.gen;
  }

  /**
   * The `XSRF-TOKEN` cookie the site at `url` issued (m.weibo.cn unless told), which its client
   * echoes in `X-XSRF-TOKEN`.
   */
  xsrfToken(url: string = M_WEIBO_HOME): string | null {
    return this.jar.cookiesFor(url).find((c) => c.name === 'XSRF-TOKEN')?.value ?? null;
  }

  /**
   * Replaces the logged-in cookie (after `censorwatch login weibo`): the login cookies are stored
   * for m.weibo.cn, the warm-up runs again on the next request, and `needsLogin` is cleared.
   */
  useCookie(cookie: string): void {
    this.seed(cookie);
    this.warm = null;
    this.loginReason = null;
    this.gen++;
  }

  /**
   * Warms the session once: `GET https://m.weibo.cn/` for fresh `_T_WM` and `XSRF-TOKEN`; when it
   * does not issue them, the configured ones are used instead (weibo-crawler PR #582). Never throws.
   */
  prepare(signal?: AbortSignal): Promise<void> {
    this.warm ??= this.warmUp(signal);
    return this.warm;
  }

  /** Notes a login wall; returns true when this is the first one since the session was (re)seeded. */
  markNeedsLogin(reason: string): boolean {
    if (this.loginReason !== null) return false;
    this.loginReason = reason;
    this.log?.warn(
      { reason },
      'weibo session needs a login: run `censorwatch login weibo` or configure platforms.weibo.cookie',
    );
    return true;
  }

  /**
   * Called by the adapter when a response sent under cookie generation `seen` hit the visitor
   * wall. Resolves true when the request is worth one retry: the cookies were replaced since it
   * was sent, or a refresh (shared by concurrent callers) just succeeded. Resolves false inside
   * the cool-down or when the refresh failed.
   */
  refreshVisitor(seen: number, signal?: AbortSignal): Promise<boolean> {
    if (this.gen !== seen) return Promise.resolve(true);
    if (this.inFlight) return this.inFlight;
    const now = this.clock.now();
    if (now - this.lastAttemptAt < this.cooldown) return Promise.resolve(false);
    this.lastAttemptAt = now;
    const run = this.ensureVisitor(signal)
      .then((r) => r.ok)
      .finally(() => {
        this.inFlight = null;
      });
    this.inFlight = run;
    return run;
  }

  /**
   * Gets visitor cookies now, whatever the cool-down: the HTTP flow first, the browser when that
   * fails. Never throws for what Weibo does; rejects only when `signal` aborts.
   */
  async ensureVisitor(signal?: AbortSignal): Promise<VisitorRefresh> {
    if (this.loggedInCookie) {
      this.log?.warn({}, 'the configured weibo cookie met the visitor wall: it has probably expired');
    }
    const viaHttp = await this.visitorOverHttp(signal);
    if (viaHttp.ok) return this.refreshed(viaHttp, signal);
    signal?.throwIfAborted();
    this.log?.info({ reason: viaHttp.reason }, 'visitor cookies over HTTP failed');
    if (!this.browser) return this.failed(viaHttp.reason);
    try {
      const cookies = await this.browser.cookiesFrom(remapUrl(M_WEIBO_HOME, this.hosts), signal);
      if (cookies.length === 0) return this.failed(`${viaHttp.reason}; the browser got no cookies`);
      this.dropMobile(cookies.map((c) => c.name));
      const lines = realCookieLines(cookies, this.hosts, ['m.weibo.cn', 'weibo.com', 'passport.weibo.com']);
      for (const { line, url } of lines) this.jar.setCookie(line, url);
      return this.refreshed({ ok: true, via: 'browser', cookies: cookies.map((c) => c.name) }, signal);
    } catch (err) {
      signal?.throwIfAborted();
      return this.failed(`${viaHttp.reason}; browser: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * Asks m.weibo.cn whether the session is logged in (`GET /api/config` → `data.login`). One
   * request, no warm-up and no refresh, so it shows the saved cookie as it is.
   */
  async checkLogin(signal?: AbortSignal): Promise<LoginCheck> {
    const res = await this.http.fetch({
      platform: 'weibo',
      url: API_CONFIG_URL,
      method: 'GET',
      headers: {
        'User-Agent': this.userAgent,
        Accept: 'application/json, text/plain, */*',
        'MWeibo-Pwa': '1',
        'X-Requested-With': 'XMLHttpRequest',
        Referer: M_WEIBO_HOME,
      },
      ...(signal ? { signal } : {}),
    });
    if (!res.ok) return { state: 'network_error', detail: `${res.code}: ${res.message}` };
    const c = classifyJsonResponse(res);
    if (c.kind === 'outcome') return { state: c.outcome, detail: c.message };
    const data = c.value['data'];
    if (!isJsonObject(data) || typeof data['login'] !== 'boolean')
      return { state: 'unparseable', detail: 'api/config without data.login' };
    if (!data['login']) return { state: 'not_logged_in' };
    const uid = data['uid'];
    return {
      state: 'logged_in',
      uid: typeof uid === 'string' && uid !== '' ? uid : typeof uid === 'number' ? String(uid) : null,
    };
  }

  /** A view of the session for logs and `status`. */
  snapshot(): SessionSnapshot {
    return {
      needsLogin: this.needsLogin,
      loginReason: this.loginReason,
      generation: this.gen,
      loggedInCookie: this.loggedInCookie,
      lastRefresh: this.last,
      cookies: this.jar.cookiesFor(M_WEIBO_HOME).map((c) => c.name),
    };
  }

  private seed(cookie: string): void {
    const { login, fallback } = splitConfiguredCookie(cookie);
    this.fallback = fallback;
    this.loggedInCookie = login.some((p) => p.name === 'SUB');
    if (login.length === 0) return;
    this.dropMobile(login.map((p) => p.name));
    this.jar.setFromString('weibo.cn', login.map((p) => `${p.name}=${p.value}`).join('; '));
  }

  /** Removes every cookie named in `names` that m.weibo.cn would get, so a new one is not sent beside it. */
  private dropMobile(names: readonly string[]): void {
    for (const c of this.jar.cookiesFor(M_WEIBO_HOME)) {
      if (!names.includes(c.name)) continue;
      const domain = c.hostOnly ? '' : `; Domain=${c.domain}`;
      this.jar.setCookie(`${c.name}=${domain}; Path=${c.path}; Max-Age=0`, `https://${c.domain}${c.path}`);
    }
  }

  private async warmUp(signal?: AbortSignal): Promise<void> {
    let status: string | number;
    try {
      const res = await this.http.fetch({
        platform: 'weibo',
        url: M_WEIBO_HOME,
        method: 'GET',
        headers: {
          'User-Agent': this.userAgent,
          Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
          'Accept-Language': 'zh-CN,zh;q=0.9',
        },
        ...(signal ? { signal } : {}),
      });
      status = res.ok ? res.status : res.code;
    } catch (err) {
      status = err instanceof Error ? err.message : String(err);
    }
    // A warm-up cut short by a cancelled job is tried again by the next request.
    if (signal?.aborted) this.warm = null;
    const have = new Set(this.jar.cookiesFor(M_WEIBO_HOME).map((c) => c.name));
    const missing = this.fallback.filter((p) => !have.has(p.name));
    if (missing.length > 0) {
      this.jar.setFromString('m.weibo.cn', missing.map((p) => `${p.name}=${p.value}`).join('; '));
    }
    this.log?.debug(
      {
        status,
        cookies: this.jar.cookiesFor(M_WEIBO_HOME).map((c) => c.name),
      },
      'weibo session warmed up',
    );
  }

  private async visitorOverHttp(signal?: AbortSignal): Promise<VisitorRefresh> {
    const referer = `${VISITOR_URL}?entry=miniblog&a=enter&url=${encodeURIComponent(M_WEIBO_HOME)}&domain=weibo.com&from=weibo`;
    const gen = await this.http.fetch({
      platform: 'weibo',
      url: GENVISITOR_URL,
      method: 'POST',
      headers: {
        'User-Agent': this.userAgent,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: '*/*',
        Referer: referer,
      },
      body: genvisitorForm(),
      followRedirects: false,
      ...(signal ? { signal } : {}),
    });
    if (!gen.ok) return { ok: false, reason: `genvisitor2: ${gen.code}` };
    if (gen.status !== 200) return { ok: false, reason: `genvisitor2: HTTP ${gen.status}` };
    const ticket = parseGenvisitor(bodyText(gen.body));
    if (!ticket) return { ok: false, reason: 'genvisitor2: no visitor ticket in the answer' };

    const cross = await this.http.fetch({
      platform: 'weibo',
      url: crossdomainUrl(ticket, this.random()),
      method: 'GET',
      headers: { 'User-Agent': this.userAgent, Accept: '*/*', Referer: referer },
      ...(signal ? { signal } : {}),
    });
    if (!cross.ok) return { ok: false, reason: `crossdomain: ${cross.code}` };
    if (cross.status < 200 || cross.status >= 300)
      return { ok: false, reason: `crossdomain: HTTP ${cross.status}` };
    if (!cross.setCookies.some((l) => /^\s*SUB=/.test(l)))
      return { ok: false, reason: 'crossdomain: no SUB cookie set' };

    // The crossdomain step sets the cookies for weibo.com; m.weibo.cn gets the same visitor
    // SUB/SUBP on weibo.cn, as visitor.passport.weibo.cn would set them for the mobile site.
    const onWeiboCom = new Map(this.jar.cookiesFor('https://weibo.com/').map((c) => [c.name, c.value]));
    const sub = onWeiboCom.get('SUB') ?? ticket.sub;
    const subp = onWeiboCom.get('SUBP') ?? ticket.subp;
    this.dropMobile(['SUB', 'SUBP']);
    const pairs = [`SUB=${sub}`, ...(subp ? [`SUBP=${subp}`] : [])];
    this.jar.setFromString('weibo.cn', pairs.join('; '));
    return { ok: true, via: 'http', cookies: ['SUB', ...(subp ? ['SUBP'] : [])] };
  }

  private async refreshed(r: VisitorRefresh & { ok: true }, signal?: AbortSignal): Promise<VisitorRefresh> {
    this.gen++;
    this.warm = this.warmUp(signal);
    await this.warm;
    this.last = { at: this.clock.now(), ok: true, detail: `visitor cookies via ${r.via}` };
    this.log?.info({ via: r.via, cookies: r.cookies }, 'weibo visitor cookies refreshed');
    return r;
  }

  private failed(reason: string): VisitorRefresh {
    this.last = { at: this.clock.now(), ok: false, detail: reason };
    this.log?.warn({ reason }, 'weibo visitor cookies could not be refreshed');
    return { ok: false, reason };
  }
}
