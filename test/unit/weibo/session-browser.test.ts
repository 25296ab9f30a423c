import { chromiumArgs } from '../../../src/browser/launch';
import { looksLoggedIn } from '../../../src/browser/login';
import { realCookieLines, remapUrl, type BrowserCookie } from '../../../src/browser/remap';
import { sessionCookieString } from '../../../src/cli/login';
import { CookieJar } from '../../../src/http/cookie-jar';

const cookie = (
  name: string,
  value: string,
  domain: string,
  extra: Partial<BrowserCookie> = {},
): BrowserCookie => ({
  name,
  value,
  domain,
  path: '/',
  expires: -1,
  httpOnly: false,
  secure: false,
  ...extra,
});

describe('host remap for the browser', () => {
  const hosts = {
    'm.weibo.cn': 'http://127.0.0.1:8081',
    'passport.weibo.com': 'http://127.0.0.1:8081/passport/',
  };

  it('points the browser at the base, path and query as written', () => {
    expect(remapUrl('https://m.weibo.cn/', hosts)).toBe('http://127.0.0.1:8081/');
    expect(remapUrl('https://passport.weibo.com/sso/signin?entry=miniblog&source=miniblog', hosts)).toBe(
      'http://127.0.0.1:8081/passport/sso/signin?entry=miniblog&source=miniblog',
    );
    expect(remapUrl('https://weibo.com/u/1', hosts)).toBe('https://weibo.com/u/1');
  });

  it('files cookies of the base host under the first real host, others under their own domain', () => {
    const lines = realCookieLines(
      [
        cookie('SUB', 'v', '127.0.0.1', { httpOnly: true, expires: 1_900_000_000 }),
        cookie('SINAGLOBAL', 'g', '.sina.com.cn'),
      ],
      hosts,
      ['m.weibo.cn', 'passport.weibo.com'],
    );
    expect(lines).toEqual([
      {
        line: `SUB=v; Domain=m.weibo.cn; Path=/; Expires=${new Date(1_900_000_000_000).toUTCString()}; HttpOnly`,
        url: 'https://m.weibo.cn/',
      },
      { line: 'SINAGLOBAL=g; Domain=sina.com.cn; Path=/', url: 'https://sina.com.cn/' },
    ]);
    const jar = new CookieJar();
    for (const l of lines) expect(jar.setCookie(l.line, l.url)).toBe(true);
    expect(jar.header('https://m.weibo.cn/api/config')).toBe('SUB=v');
  });
});

describe('the saved session', () => {
  it('is what m.weibo.cn gets, plus the login cookies it only has on weibo.com, one value per name', () => {
    const jar = new CookieJar();
    jar.setCookie('_T_WM=t; Domain=.weibo.cn; Path=/', 'https://m.weibo.cn/');
    jar.setCookie('SUB=mobile; Domain=.weibo.cn; Path=/', 'https://m.weibo.cn/');
    jar.setCookie('SUB=desktop; Domain=.weibo.com; Path=/', 'https://passport.weibo.com/');
    jar.setCookie('SSOLoginState=1; Domain=.weibo.com; Path=/', 'https://passport.weibo.com/');
    jar.setCookie('WBPSESS=w; Domain=.weibo.com; Path=/', 'https://weibo.com/');
    expect(sessionCookieString(jar)).toBe('_T_WM=t; SUB=mobile; SSOLoginState=1');
  });

  it('counts as logged in with SUB and SSOLoginState, or a renewed WBPSESS', () => {
    expect(looksLoggedIn([cookie('SUB', 'a', 'x')], null)).toBe(false);
    expect(looksLoggedIn([cookie('SUB', 'a', 'x'), cookie('SSOLoginState', '1', 'x')], null)).toBe(true);
    expect(looksLoggedIn([cookie('WBPSESS', 'new', 'x')], 'old')).toBe(true);
    expect(looksLoggedIn([cookie('WBPSESS', 'old', 'x')], 'old')).toBe(false);
  });

  it('runs Chromium without sandbox, GPU or background traffic, headless only when asked', () => {
    expect(chromiumArgs(true)).toEqual([
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ]);
    expect(chromiumArgs(false)).not.toContain('--headless');
  });
});
