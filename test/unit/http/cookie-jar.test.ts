import { ManualClock } from '../../../src/domain/clock';
import { CookieJar } from '../../../src/http/cookie-jar';

const T0 = Date.parse('2025-06-01T00:00:00Z');

describe('CookieJar', () => {
  let clock: ManualClock;
  let jar: CookieJar;
  beforeEach(() => {
    clock = new ManualClock(T0);
    jar = new CookieJar({ clock });
  });

  it('parses a real-looking Weibo SUB line and applies it to the domain and its subdomains', () => {
    const line =
      'SUB=_2A25KxAbCDeRhGeNH6VQV8ibOyjuIHXVpujqrrDV6PUJbkdANLU_4kW1NSyFe8k2LTl0vPmAq1p9Nq5rNpg8q9vUh; ' +
      'expires=Tuesday, 01-Jun-2027 00:00:00 GMT; path=/; domain=.weibo.com; HttpOnly';
    expect(jar.setCookie(line, 'https://passport.weibo.com/visitor/visitor?a=crossdomain')).toBe(true);

    const [stored] = jar.all();
    expect(stored).toMatchObject({
      name: 'SUB',
      value: '_2A25KxAbCDeRhGeNH6VQV8ibOyjuIHXVpujqrrDV6PUJbkdANLU_4kW1NSyFe8k2LTl0vPmAq1p9Nq5rNpg8q9vUh',
      domain: 'weibo.com',
      hostOnly: false,
      path: '/',
      httpOnly: true,
      expires: Date.parse('2027-06-01T00:00:00Z'),
    });
    expect(jar.header('https://weibo.com/ajax/statuses/show?id=1')).toMatch(/^SUB=_2A25/);
    expect(jar.header('https://passport.weibo.com/')).toMatch(/^SUB=_2A25/);
    expect(jar.header('https://m.weibo.cn/statuses/show?id=1')).toBe('');
    // A look-alike domain is not a subdomain.
    expect(jar.header('https://notweibo.com/')).toBe('');
  });

  it('keeps host-only cookies to their host', () => {
    jar.setCookie('_T_WM=83726372; Path=/', 'https://m.weibo.cn/');
    expect(jar.header('https://m.weibo.cn/api/container/getIndex')).toBe('_T_WM=83726372');
    expect(jar.header('https://sub.m.weibo.cn/')).toBe('');
    expect(jar.header('https://weibo.cn/')).toBe('');
  });

  it('rejects a Domain the responding host does not belong to, and a bare TLD', () => {
    expect(jar.setCookie('a=1; Domain=.163.com', 'https://m.weibo.cn/')).toBe(false);
    expect(jar.setCookie('b=1; Domain=cn', 'https://m.weibo.cn/')).toBe(false);
    expect(jar.all()).toHaveLength(0);
  });

  it('expires cookies by Max-Age on the injected clock, Max-Age winning over Expires', () => {
    jar.setCookie(
      'XSRF-TOKEN=abc; Max-Age=60; Expires=Wed, 01 Jun 2033 00:00:00 GMT; Path=/',
      'https://m.weibo.cn/',
    );
    expect(jar.header('https://m.weibo.cn/')).toBe('XSRF-TOKEN=abc');
    clock.advanceBy(59_000);
    expect(jar.header('https://m.weibo.cn/')).toBe('XSRF-TOKEN=abc');
    clock.advanceBy(1_000);
    expect(jar.header('https://m.weibo.cn/')).toBe('');
  });

  it('measures Max-Age from when the cookie was stored, however often it is read', () => {
    jar.setCookie('_T_WM=1; Max-Age=60; Path=/', 'https://m.weibo.cn/');
    for (let i = 0; i < 5; i += 1) {
      clock.advanceBy(10_000);
      expect(jar.header('https://m.weibo.cn/')).toBe('_T_WM=1');
    }
    clock.advanceBy(10_000);
    expect(jar.header('https://m.weibo.cn/')).toBe('');
    expect(jar.all()).toEqual([]);
  });

  it('answers a URL read again and again as the jar stands: each cookie leaves at its own expiry, a new one joins at once', () => {
    const url = 'https://m.weibo.cn/statuses/show?id=1';
    jar.setCookie('a=1; Max-Age=30; Path=/', 'https://m.weibo.cn/');
    jar.setCookie('b=2; Max-Age=60; Path=/', 'https://m.weibo.cn/');
    jar.setCookie('c=3; Path=/', 'https://m.weibo.cn/');
    expect(jar.header(url)).toBe('a=1; b=2; c=3');
    // A caller changing the list it got does not change what the next caller gets.
    jar.cookiesFor(url).length = 0;
    expect(jar.cookiesFor(url).map((c) => c.name)).toEqual(['a', 'b', 'c']);
    clock.advanceBy(29_999);
    expect(jar.header(url)).toBe('a=1; b=2; c=3');
    clock.advanceBy(1);
    expect(jar.header(url)).toBe('b=2; c=3');
    expect(jar.cookiesFor('https://m.weibo.cn/other').map((c) => c.name)).toEqual(['b', 'c']);
    jar.setCookie('d=4; Path=/', 'https://m.weibo.cn/');
    expect(jar.header(url)).toBe('b=2; c=3; d=4');
    clock.advanceBy(30_000);
    expect(jar.header(url)).toBe('c=3; d=4');
    expect(jar.cookiesFor(url).map((c) => c.name)).toEqual(['c', 'd']);
    expect(jar.all().map((c) => c.name)).toEqual(['c', 'd']);
  });

  it('keeps a cookie whose Expires is past in real time but ahead on the injected clock', () => {
    const past = new ManualClock(Date.parse('2001-01-01T00:00:00Z'));
    const old = new CookieJar({ clock: past });
    old.setCookie('a=1; Expires=Mon, 01 Jan 2001 00:01:00 GMT; Path=/', 'https://weibo.com/');
    old.setCookie('b=2; Max-Age=30; Path=/', 'https://weibo.com/');
    expect(old.header('https://weibo.com/')).toBe('a=1; b=2');
    expect(old.all().find((c) => c.name === 'b')?.expires).toBe(Date.parse('2001-01-01T00:00:30Z'));
    past.advanceBy(30_000);
    expect(old.header('https://weibo.com/')).toBe('a=1');
    past.advanceBy(30_000);
    expect(old.header('https://weibo.com/')).toBe('');
  });

  it('expires cookies by Expires and deletes them with a past date or Max-Age=0', () => {
    jar.setCookie('a=1; Expires=Sun, 01 Jun 2025 00:10:00 GMT', 'https://www.163.com/');
    jar.setCookie('b=2', 'https://www.163.com/');
    expect(jar.header('https://www.163.com/')).toBe('a=1; b=2');
    jar.setCookie('b=gone; Expires=Thu, 01-Jan-1970 00:00:01 GMT', 'https://www.163.com/');
    expect(jar.header('https://www.163.com/')).toBe('a=1');
    clock.advanceBy(10 * 60_000);
    expect(jar.header('https://www.163.com/')).toBe('');
    jar.setCookie('c=3', 'https://www.163.com/');
    jar.setCookie('c=3; Max-Age=0', 'https://www.163.com/');
    expect(jar.all()).toHaveLength(0);
  });

  it('matches paths and sends longer paths first', () => {
    jar.setCookie('root=1; Path=/', 'https://weibo.com/');
    jar.setCookie('ajax=2; Path=/ajax', 'https://weibo.com/');
    expect(jar.header('https://weibo.com/ajax/statuses/show')).toBe('ajax=2; root=1');
    expect(jar.header('https://weibo.com/ajaxy')).toBe('root=1');
    expect(jar.header('https://weibo.com/u/123')).toBe('root=1');
  });

  it('defaults the path to the directory of the request path', () => {
    jar.setCookie('d=1', 'https://weibo.com/ajax/statuses/show?id=1');
    expect(jar.all()[0]?.path).toBe('/ajax/statuses');
    expect(jar.header('https://weibo.com/ajax/statuses/mymblog')).toBe('d=1');
    expect(jar.header('https://weibo.com/ajax/other')).toBe('');
  });

  it('replaces a cookie with the same name, domain and path', () => {
    jar.setCookie('SUB=old; domain=.weibo.com; path=/', 'https://weibo.com/');
    jar.setCookie('SUB=new; domain=weibo.com; path=/', 'https://passport.weibo.com/');
    expect(jar.all()).toHaveLength(1);
    expect(jar.header('https://weibo.com/')).toBe('SUB=new');
  });

  it('sends Secure cookies on https only', () => {
    jar.setCookie('s=1; Secure', 'https://m.weibo.cn/');
    expect(jar.header('https://m.weibo.cn/')).toBe('s=1');
    expect(jar.header('http://m.weibo.cn/')).toBe('');
  });

  it('stores a configured cookie string for a domain and its subdomains', () => {
    jar.setFromString('.weibo.cn', 'SUB=_2A25abc; _T_WM=12345; XSRF-TOKEN=x=y');
    expect(jar.header('https://m.weibo.cn/api/config')).toBe('SUB=_2A25abc; _T_WM=12345; XSRF-TOKEN=x=y');
    expect(jar.header('https://weibo.cn/pub/')).toContain('SUB=_2A25abc');
    expect(jar.header('https://weibo.com/')).toBe('');
  });

  it('round-trips through JSON, dropping cookies that expired meanwhile', () => {
    jar.setCookie('long=1; Max-Age=3600; Domain=.weibo.com', 'https://weibo.com/');
    jar.setCookie('short=2; Max-Age=10', 'https://weibo.com/');
    const saved = JSON.parse(JSON.stringify(jar)) as unknown;
    clock.advanceBy(20_000);
    const restored = CookieJar.fromJSON(saved, { clock });
    expect(restored.header('https://passport.weibo.com/')).toBe('long=1');
    expect(restored.all().map((c) => c.name)).toEqual(['long']);
  });

  it('ignores malformed saved data and Set-Cookie lines without a name', () => {
    expect(CookieJar.fromJSON({ cookies: [{ name: 1 }] }, { clock }).all()).toEqual([]);
    expect(CookieJar.fromJSON('nonsense', { clock }).all()).toEqual([]);
    expect(jar.setCookie('=novalue; Path=/', 'https://weibo.com/')).toBe(false);
    expect(jar.setCookie('x=1', 'not a url')).toBe(false);
  });
});
