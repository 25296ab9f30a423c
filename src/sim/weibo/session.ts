import { performance } from 'node:perf_hooks';
import { send } from '../respond';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CAPTCHA_BODY } from './format';
import { homePage, notFoundPage } from './pages';
import { hashOf } from '../world';

/**
 * Session behaviours of the simulated Weibo, each off by default so plain scenarios keep
 * answering cookieless requests.
 */
export interface SimSessionMode {
  /**
   * Cookieless API requests 302-redirect to the visitor system (passport.weibo.com/visitor) until
   * they carry a SUB the simulator issued: through genvisitor2 + crossdomain, the home page's
   * script, or a login. @defaultValue false
   */
  readonly requireCookies?: boolean;
  /** genvisitor2 answers with a failure, so only a browser (running the home page's script) gets a SUB. @defaultValue false */
  readonly failVisitor?: boolean;
  /** API requests without a logged-in SUB 302-redirect to passport.weibo.cn/signin/login. @defaultValue false */
  readonly requireLogin?: boolean;
  /** Real time (ms) after the sign-in page is served before its QR code counts as scanned. @defaultValue 1500 */
  readonly loginDelay?: number;
  /**
   * Every API request answered with this block, as Weibo throttles (research §3.4): HTTP 418,
   * HTTP 432, HTTP 403 with errno 100005, or `ok:-100` to the captcha page; null serves normally.
   * @defaultValue null
   */
  readonly block?: SimBlock | null;
}

/** The blocks {@link SimSessionMode.block} can force. */
export type SimBlock = 'http418' | 'http432' | 'http403_100005' | 'captcha';

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const JS_TYPE = 'application/javascript; charset=utf-8';
const YEAR_S = 365 * 86_400;
/** Issued SUBs remembered per kind; the oldest are forgotten beyond this. */
const MAX_REMEMBERED = 10_000;

/** The CSRF token m.weibo.cn hands out, stable for ten minutes of simulated time. */
export function simToken(now: number): string {
  return (hashOf(`st${Math.floor(now / 600_000)}`) & 0xffffff).toString(16).padStart(6, '0');
}

function cookieOf(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

function remember(set: Set<string>, value: string): void {
  set.add(value);
  if (set.size > MAX_REMEMBERED) {
    const first = set.values().next();
    if (!first.done) set.delete(first.value);
  }
}

/** A QR-code-looking SVG: a seeded grid with the three finder squares. */
function qrSvg(seed: string): string {
  const n = 25;
  const cell = 8;
  const rects: string[] = [];
  const finder = (x: number, y: number): boolean =>
    (x < 7 && y < 7) || (x >= n - 7 && y < 7) || (x < 7 && y >= n - 7);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const on = finder(x, y)
        ? (() => {
            const fx = x >= n - 7 ? x - (n - 7) : x;
            const fy = y >= n - 7 ? y - (n - 7) : y;
            return fx === 0 || fy === 0 || fx === 6 || fy === 6 || (fx >= 2 && fx <= 4 && fy >= 2 && fy <= 4);
          })()
        : hashOf(`${seed}:${x}:${y}`) % 2 === 0;
      if (on) rects.push(`<rect x="${x * cell}" y="${y * cell}" width="${cell}" height="${cell}"/>`);
    }
  }
  const size = n * cell;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}"><rect width="100%" height="100%" fill="#fff"/><g fill="#000">${rects.join('')}</g></svg>`;
}

/**
 * The simulated Weibo's cookies and walls: the visitor system (genvisitor2, crossdomain), the m.weibo.cn
 * home page's warm-up cookies, `api/config`'s login flag, and a QR sign-in page whose code is
 * "scanned" after a delay. Cookies are host-only and use Max-Age, so a browser pointed at the
 * simulator's own address keeps them whatever the simulated clock says.
 */
export class SimWeiboSession {
  private mode: Required<SimSessionMode>;
  private readonly visitorSubs = new Set<string>();
  private readonly loginSubs = new Set<string>();
  private readonly tickets = new Map<string, { sub: string; subp: string }>();
  private readonly qrs = new Map<string, number>();
  private issued = 0;

  constructor(mode: SimSessionMode = {}) {
    this.mode = {
      requireCookies: mode.requireCookies ?? false,
      failVisitor: mode.failVisitor ?? false,
      requireLogin: mode.requireLogin ?? false,
      loginDelay: mode.loginDelay ?? 1500,
      block: mode.block ?? null,
    };
  }

  /** Changes some behaviours while serving. */
  set(mode: SimSessionMode): void {
    this.mode = {
      requireCookies: mode.requireCookies ?? this.mode.requireCookies,
      failVisitor: mode.failVisitor ?? this.mode.failVisitor,
      requireLogin: mode.requireLogin ?? this.mode.requireLogin,
      loginDelay: mode.loginDelay ?? this.mode.loginDelay,
      block: mode.block !== undefined ? mode.block : this.mode.block,
    };
  }

  /** The behaviours in force. */
  get current(): Readonly<Required<SimSessionMode>> {
    return this.mode;
  }

  /** Whether a request carries a SUB from a login. */
  loggedIn(req: IncomingMessage): boolean {
    const sub = cookieOf(req, 'SUB');
    return sub !== null && this.loginSubs.has(sub);
  }

  /** Whether a request carries a SUB the simulator issued (visitor or login). */
  hasSession(req: IncomingMessage): boolean {
    const sub = cookieOf(req, 'SUB');
    return sub !== null && (this.visitorSubs.has(sub) || this.loginSubs.has(sub));
  }

  /**
   * For an API request: answers with the wall it hits (a 302 to login or to the visitor system)
   * and returns true, or returns false for the caller to serve it.
   */
  wall(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.mode.block) {
      blockAnswer(this.mode.block, res);
      return true;
    }
    const real = `https://m.weibo.cn${req.url ?? '/'}`;
    if (this.mode.requireLogin && !this.loggedIn(req)) {
      send(res, 302, HTML_TYPE, '', {
        location: `https://passport.weibo.cn/signin/login?entry=mweibo&res=wel&wm=3349&r=${encodeURIComponent(real)}`,
      });
      return true;
    }
    if (this.mode.requireCookies && !this.hasSession(req)) {
      send(res, 302, HTML_TYPE, '', {
        location: `https://passport.weibo.com/visitor/visitor?entry=miniblog&a=enter&url=${encodeURIComponent(real)}&domain=weibo.cn&ua=php-sso_sdk_client-0.6.36&_rand=${Date.now() / 1000}`,
      });
      return true;
    }
    return false;
  }

  /**
   * `GET /`: warm-up cookies by Set-Cookie, and for a request without a session a visitor SUB set
   * by the page's script, which only a browser picks up.
   */
  home(req: IncomingMessage, res: ServerResponse, now: number): void {
    let page = homePage();
    if (!this.hasSession(req)) {
      const { sub, subp } = this.newVisitor(now);
      remember(this.visitorSubs, sub);
      const script = `<script>document.cookie = "SUB=${sub}; path=/; max-age=${YEAR_S}"; document.cookie = "SUBP=${subp}; path=/; max-age=${YEAR_S}";</script>\n`;
      page = page.replace('</body>', `${script}</body>`);
    }
    send(res, 200, HTML_TYPE, page, { 'set-cookie': warmUpCookies(now) });
  }

  /** `GET /api/config`: whether the request's session is logged in. */
  apiConfig(req: IncomingMessage, res: ServerResponse, now: number): void {
    const login = this.loggedIn(req);
    const body = {
      ok: 1,
      data: { login, st: simToken(now), uid: login ? '5600000001' : '' },
      preferQuickapp: 0,
    };
    send(res, 200, JSON_TYPE, JSON.stringify(body), {
      'set-cookie': [`XSRF-TOKEN=${simToken(now)}; Max-Age=1200; Path=/; SameSite=Lax`],
    });
  }

  /** passport.weibo.com/visitor/*: genvisitor2, the crossdomain step, and the visitor page itself. */
  visitor(
    path: string,
    params: URLSearchParams,
    req: IncomingMessage,
    res: ServerResponse,
    now: number,
  ): void {
    if (path === '/visitor/genvisitor2' || path === '/visitor/genvisitor') {
      if (req.method !== 'POST') return send(res, 405, HTML_TYPE, notFoundPage());
      if (this.mode.failVisitor) {
        return send(
          res,
          200,
          JS_TYPE,
          `window.visitor_gray_callback && visitor_gray_callback(${JSON.stringify({ retcode: 50010002, msg: 'system error' })});`,
        );
      }
      const { sub, subp } = this.newVisitor(now);
      const tid = `${hashOf(sub).toString(36)}sim${this.issued}`;
      this.tickets.set(tid, { sub, subp });
      const body = `window.visitor_gray_callback && visitor_gray_callback(${JSON.stringify({
        retcode: 20000000,
        msg: 'succ',
        data: { tid, new_tid: true, sub, subp, confidence: 100 },
      })});`;
      return send(res, 200, JS_TYPE, body);
    }
    if (path === '/visitor/visitor' && params.get('a') === 'crossdomain') {
      const tid = params.get('t') ?? '';
      const ticket = this.tickets.get(tid);
      if (!ticket || ticket.sub !== params.get('s')) {
        return send(
          res,
          200,
          JS_TYPE,
          `window.cross_domain && cross_domain(${JSON.stringify({ retcode: 50010001, msg: 'invalid ticket' })});`,
        );
      }
      this.tickets.delete(tid);
      remember(this.visitorSubs, ticket.sub);
      const exp = new Date(now + YEAR_S * 1000).toUTCString();
      return send(
        res,
        200,
        JS_TYPE,
        `window.cross_domain && cross_domain(${JSON.stringify({ retcode: 20000000, msg: 'succ', data: ticket })});`,
        {
          'set-cookie': [
            `SUB=${ticket.sub}; expires=${exp}; path=/; domain=.weibo.com; secure; httponly`,
            `SUBP=${ticket.subp}; expires=${exp}; path=/; domain=.weibo.com`,
          ],
        },
      );
    }
    if (path === '/visitor/visitor') {
      return send(
        res,
        200,
        HTML_TYPE,
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sina Visitor System</title></head><body></body></html>',
      );
    }
    send(res, 404, HTML_TYPE, notFoundPage());
  }

  /** passport.weibo.com/sso/*: the QR sign-in page and the check its script polls. */
  sso(path: string, params: URLSearchParams, res: ServerResponse): void {
    if (path === '/sso/signin') {
      const qrid = `sim${hashOf(String(performance.now())).toString(36)}${this.qrs.size}`;
      this.qrs.set(qrid, performance.now());
      const svg = Buffer.from(qrSvg(qrid)).toString('base64');
      const page = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>微博登录</title></head>
<body>
<div class="qrcode-box"><img class="qrcode" alt="二维码" width="200" height="200" src="data:image/svg+xml;base64,${svg}"></div>
<p id="state">请使用微博客户端扫码登录</p>
<script>
(function poll() {
  fetch('/sso/qrcode/check?qrid=${qrid}&entry=miniblog').then(function (r) { return r.json(); }).then(function (j) {
    if (j.retcode === 20000000) { document.getElementById('state').textContent = '登录成功'; return; }
    setTimeout(poll, 300);
  }, function () { setTimeout(poll, 1000); });
})();
</script>
</body></html>
`;
      return send(res, 200, HTML_TYPE, page);
    }
    if (path === '/sso/qrcode/check') {
      const started = this.qrs.get(params.get('qrid') ?? '');
      if (started === undefined) {
        return send(
          res,
          200,
          JSON_TYPE,
          JSON.stringify({ retcode: 50114004, msg: '该二维码已过期，请重新扫描' }),
        );
      }
      // Real time, not the simulated clock: a person scanning the code takes real seconds.
      if (performance.now() - started < this.mode.loginDelay) {
        return send(res, 200, JSON_TYPE, JSON.stringify({ retcode: 50114001, msg: '未使用' }));
      }
      this.qrs.delete(params.get('qrid') ?? '');
      this.issued++;
      const sub = `_2A25${hashOf(`login${this.issued}${performance.now()}`).toString(36)}sImLoGiN${this.issued}`;
      remember(this.loginSubs, sub);
      return send(
        res,
        200,
        JSON_TYPE,
        JSON.stringify({ retcode: 20000000, msg: '登录成功', data: { url: 'https://weibo.com/' } }),
        {
          'set-cookie': [
            `SUB=${sub}; Max-Age=${YEAR_S}; Path=/; HttpOnly`,
            `SUBP=0033WrSXqPxfM725Ws9jqgMF55529P9D9WFlogin${this.issued}; Max-Age=${YEAR_S}; Path=/`,
            `SSOLoginState=${Math.floor(Date.now() / 1000)}; Path=/`,
          ],
        },
      );
    }
    send(res, 404, HTML_TYPE, notFoundPage());
  }

  private newVisitor(now: number): { sub: string; subp: string } {
    this.issued++;
    const sub = `_2AkM${hashOf(`${now}:${this.issued}`).toString(36)}f8NxqwFRmP${this.issued.toString(36)}`;
    return { sub, subp: '0033WrSXqPxfM72-Ws9jqgMF55529P9D9WhGVQ5pR2Xl2Zk7Q0Fm5Ew' };
  }
}

function blockAnswer(block: SimBlock, res: ServerResponse): void {
  switch (block) {
    case 'http418':
      return send(res, 418, 'text/plain', '');
    case 'http432':
      res.statusMessage = 'No Reason Phrase';
      return send(res, 432, 'text/html', '');
    case 'http403_100005':
      return send(
        res,
        403,
        JSON_TYPE,
        JSON.stringify({ ok: 0, errno: '100005', msg: '请求过于频繁,歇歇吧' }),
      );
    case 'captcha':
      return send(res, 200, JSON_TYPE, JSON.stringify(CAPTCHA_BODY));
  }
}

/** The warm-up cookies m.weibo.cn sets on its home page (research §1.5). */
function warmUpCookies(now: number): string[] {
  return [
    `_T_WM=${hashOf(String(now)).toString().padStart(11, '0')}; Max-Age=864000; Path=/; HttpOnly`,
    `XSRF-TOKEN=${simToken(now)}; Max-Age=1200; Path=/`,
    'WEIBOCN_FROM=1110006030; Path=/; HttpOnly',
    'MLOGIN=0; Max-Age=3600; Path=/',
  ];
}
