import {
  crossdomainUrl,
  genvisitorForm,
  parseCookieString,
  parseGenvisitor,
  sessionWallOf,
  splitConfiguredCookie,
  wallOfUrl,
} from '../../../src/platforms/weibo/session';
import { response } from './helpers';

describe('configured cookie strings', () => {
  it('parses pairs, keeping "=" inside values and skipping blanks', () => {
    expect(parseCookieString(' SUB=_2A25x==; ; bad; SUBP=0033; XSRF-TOKEN=ab=c ')).toEqual([
      { name: 'SUB', value: '_2A25x==' },
      { name: 'SUBP', value: '0033' },
      { name: 'XSRF-TOKEN', value: 'ab=c' },
    ]);
  });

  it('keeps SUB/SUBP for m.weibo.cn, _T_WM/XSRF-TOKEN as fallbacks, and drops weibo.com cookies', () => {
    const { login, fallback } = splitConfiguredCookie(
      'SINAGLOBAL=1; SUB=_2A25abc; WBPSESS=desk; SUBP=0033; _T_WM=t; XSRF-TOKEN=x; ALF=9',
    );
    expect(login.map((p) => p.name)).toEqual(['SUB', 'SUBP']);
    expect(fallback).toEqual([
      { name: '_T_WM', value: 't' },
      { name: 'XSRF-TOKEN', value: 'x' },
    ]);
  });
});

describe('genvisitor2 and crossdomain', () => {
  it('posts the form research §1.5 gives', () => {
    const form = new URLSearchParams(genvisitorForm());
    expect(Object.fromEntries(form)).toEqual({
      cb: 'visitor_gray_callback',
      ver: '20250916',
      tid: '',
      from: 'weibo',
      webdriver: 'false',
      return_url: 'https://m.weibo.cn/',
    });
  });

  it('reads tid, sub and subp from the JSONP answer', () => {
    const body =
      'window.visitor_gray_callback && visitor_gray_callback({"retcode":20000000,"msg":"succ","data":{"tid":"T1","new_tid":true,"sub":"_2AkMs","subp":"0033W","confidence":100}});';
    expect(parseGenvisitor(body)).toEqual({ tid: 'T1', sub: '_2AkMs', subp: '0033W' });
  });

  it('a failure retcode, a missing tid or a non-JSONP body is no ticket', () => {
    expect(parseGenvisitor('visitor_gray_callback({"retcode":50010002,"msg":"system error"});')).toBeNull();
    expect(parseGenvisitor('visitor_gray_callback({"retcode":20000000,"data":{"sub":"x"}});')).toBeNull();
    expect(parseGenvisitor('<html><title>432</title></html>')).toBeNull();
    expect(parseGenvisitor('')).toBeNull();
  });

  it('builds the crossdomain URL with the ticket', () => {
    const u = new URL(crossdomainUrl({ tid: 'T1', sub: '_2AkM+/', subp: '0033' }, 0.25));
    expect(`${u.origin}${u.pathname}`).toBe('https://passport.weibo.com/visitor/visitor');
    expect(Object.fromEntries(u.searchParams)).toEqual({
      a: 'crossdomain',
      t: 'T1',
      sp: '0033',
      s: '_2AkM+/',
      from: 'weibo',
      _rand: '0.25',
      url: 'https://m.weibo.cn/',
    });
  });
});

describe('session walls', () => {
  const show = 'https://m.weibo.cn/statuses/show?id=1';

  it('tells the visitor system from login pages, and captchas from both', () => {
    expect(wallOfUrl('https://passport.weibo.com/visitor/visitor?a=enter')).toBe('visitor');
    expect(wallOfUrl('https://visitor.passport.weibo.cn/visitor/visitor?entry=sinawap')).toBe('visitor');
    expect(wallOfUrl('https://passport.weibo.cn/signin/login?entry=mweibo')).toBe('login');
    expect(wallOfUrl('https://login.sina.com.cn/sso/login.php?url=x')).toBe('login');
    expect(wallOfUrl('https://weibo.com/login.php?url=x')).toBe('login');
    expect(wallOfUrl('https://m.weibo.cn/captcha?scene=limit')).toBeNull();
    expect(wallOfUrl('https://m.weibo.cn/detail/1')).toBeNull();
    expect(wallOfUrl('not a url')).toBeNull();
  });

  it('a followed redirect to the visitor system is a visitor wall', () => {
    const v = 'https://passport.weibo.com/visitor/visitor?entry=miniblog&a=enter';
    expect(
      sessionWallOf(
        response('<title>Sina Visitor System</title>', { url: show, finalUrl: v, redirects: [v] }),
      ),
    ).toBe('visitor');
  });

  it('an unfollowed 302 to passport.weibo.cn/signin is a login wall', () => {
    const res = response('', {
      url: show,
      status: 302,
      headers: { location: 'https://passport.weibo.cn/signin/login?entry=mweibo&r=x' },
    });
    expect(sessionWallOf(res)).toBe('login');
  });

  it('ok:-100 is a login wall with a login URL, a visitor wall without one, and no wall for a captcha', () => {
    expect(
      sessionWallOf(response({ ok: -100, url: 'https://weibo.com/login.php?url=x' }, { url: show })),
    ).toBe('login');
    expect(sessionWallOf(response({ ok: -100, msg: '' }, { url: show }))).toBe('visitor');
    expect(
      sessionWallOf(response({ ok: -100, url: 'https://passport.weibo.com/visitor/visitor' }, { url: show })),
    ).toBe('visitor');
    expect(
      sessionWallOf(
        response({ ok: -100, errno: '-100', url: 'https://m.weibo.cn/captcha?scene=limit' }, { url: show }),
      ),
    ).toBeNull();
    expect(
      sessionWallOf(response({ ok: -100, url: 'https://m.weibo.cn/api/geetest?testType=1' }, { url: show })),
    ).toBeNull();
  });

  it('rate limits and ordinary answers are no wall', () => {
    expect(sessionWallOf(response('', { url: show, status: 418 }))).toBeNull();
    expect(
      sessionWallOf(response({ ok: 0, errno: '100005', msg: '请求过于频繁' }, { url: show, status: 403 })),
    ).toBeNull();
    expect(sessionWallOf(response({ ok: 1, data: {} }, { url: show }))).toBeNull();
  });
});
