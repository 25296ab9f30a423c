import { Fetcher } from '../../../src/http/fetcher';
import type { HttpResponse } from '../../../src/http/types';
import { Servers, platforms } from './helpers';

const servers = new Servers();
let fetcher: Fetcher | null = null;

afterEach(async () => {
  await fetcher?.close();
  fetcher = null;
  await servers.closeAll();
});

function ok(result: Awaited<ReturnType<Fetcher['fetch']>>): HttpResponse {
  if (!result.ok) throw new Error(`expected a response, got ${result.code}: ${result.message}`);
  return result;
}

describe('host remap', () => {
  it('sends path and query byte for byte, encoding only what HTTP cannot carry', async () => {
    const server = await servers.start((_req, res) => res.end('ok'));
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }) });

    const url =
      'https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D1%26q%3D联合国 欧洲委员会&page_type=searchall';
    const res = ok(await fetcher.fetch({ platform: 'weibo', url }));

    expect(server.seen[0]?.url).toBe(
      '/api/container/getIndex?containerid=100103type%3D1%26q%3D%E8%81%94%E5%90%88%E5%9B%BD%20%E6%AC%A7%E6%B4%B2%E5%A7%94%E5%91%98%E4%BC%9A&page_type=searchall',
    );
    expect(res.url).toBe(url);
    expect(res.finalUrl).toBe(url);
    expect(res.redirects).toEqual([]);
    expect(res.body.toString()).toBe('ok');
  });

  it('does not normalize dot segments, quotes or lower-case escapes', async () => {
    const server = await servers.start((_req, res) => res.end());
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'weibo.com': server.base } }) });
    await fetcher.fetch({ platform: 'weibo', url: "https://weibo.com/a/../b?x=%7e&y='q'&z=%2f#frag" });
    expect(server.seen[0]?.url).toBe("/a/../b?x=%7e&y='q'&z=%2f");
  });

  it('joins a base path prefix without doubling slashes, and sends the base Host', async () => {
    const server = await servers.start((_req, res) => res.end());
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': `${server.base}/mirror/weibo/` } }),
    });
    const res = ok(await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/statuses/show?id=1' }));
    const bare = ok(await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn?x=1' }));

    expect(server.seen.map((s) => s.url)).toEqual(['/mirror/weibo/statuses/show?id=1', '/mirror/weibo/?x=1']);
    expect(server.seen[0]?.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(res.finalUrl).toBe('https://m.weibo.cn/statuses/show?id=1');
    expect(bare.finalUrl).toBe('https://m.weibo.cn?x=1');
  });

  it('returns headers lower-cased, repeated ones joined, Set-Cookie apart, and sends the configured User-Agent', async () => {
    const server = await servers.start((_req, res) => {
      res.setHeader('X-Trace', ['a', 'b']);
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.end('{}');
    });
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base }, userAgent: 'censorwatch-test/1' }),
    });
    const res = ok(
      await fetcher.fetch({
        platform: 'weibo',
        url: 'https://m.weibo.cn/api/config',
        headers: { 'User-Agent': 'adapter/1', Referer: 'https://m.weibo.cn/' },
      }),
    );

    expect(res.headers['x-trace']).toBe('a, b');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.setCookies).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(server.seen[0]?.headers['user-agent']).toBe('censorwatch-test/1');
    expect(server.seen[0]?.headers.referer).toBe('https://m.weibo.cn/');
  });

  it("keeps the adapter's own User-Agent when none is configured", async () => {
    const server = await servers.start((_req, res) => res.end());
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }) });
    await fetcher.fetch({
      platform: 'weibo',
      url: 'https://m.weibo.cn/',
      headers: { 'user-agent': 'adapter/1' },
    });
    expect(server.seen[0]?.headers['user-agent']).toBe('adapter/1');
  });

  it('remaps every request by its own host and port, however many requests went to a similar one before', async () => {
    const a = await servers.start((_req, res) => res.end('a'));
    const b = await servers.start((_req, res) => res.end('b'));
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': a.base, 'weibo.com': b.base } }) });
    const urls = [
      'https://m.weibo.cn/1',
      'https://weibo.com/2',
      'https://M.WEIBO.CN/3',
      'https://m.weibo.cn:8443/4?x=1',
      'https://m.weibo.cn?5',
      'https://weibo.com:443/6',
      'http://weibo.com/7',
    ];
    const got = [];
    for (const url of urls) {
      const res = ok(await fetcher.fetch({ platform: 'weibo', url }));
      got.push([res.body.toString(), res.request?.host, res.request?.url]);
    }
    expect(got).toEqual([
      ['a', 'm.weibo.cn', 'https://m.weibo.cn/1'],
      ['b', 'weibo.com', 'https://weibo.com/2'],
      ['a', 'm.weibo.cn', 'https://M.WEIBO.CN/3'],
      ['a', 'm.weibo.cn:8443', 'https://m.weibo.cn:8443/4?x=1'],
      ['a', 'm.weibo.cn', 'https://m.weibo.cn?5'],
      ['b', 'weibo.com', 'https://weibo.com:443/6'],
      ['b', 'weibo.com', 'http://weibo.com/7'],
    ]);
    expect(a.seen.map((r) => r.url)).toEqual(['/1', '/3', '/4?x=1', '/?5']);
    expect(b.seen.map((r) => r.url)).toEqual(['/2', '/6', '/7']);
    const bad = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn:99999/8' });
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_URL' });
  });

  it('fails an unsupported URL as data', async () => {
    fetcher = new Fetcher({ platforms: platforms({}) });
    const res = await fetcher.fetch({ platform: 'weibo', url: 'ftp://m.weibo.cn/x' });
    expect(res).toMatchObject({ ok: false, code: 'UNSUPPORTED_PROTOCOL', url: 'ftp://m.weibo.cn/x' });
    const bad = await fetcher.fetch({ platform: 'weibo', url: 'not a url' });
    expect(bad).toMatchObject({ ok: false, code: 'INVALID_URL' });
  });
});

describe('redirects', () => {
  it('reports a 302 chain in real-host terms for relative, real-host and base-origin Locations', async () => {
    // m.weibo.cn and weibo.com are served by two different servers.
    const mobile = await servers.start((req, res) => {
      if (req.url === '/start?id=1') res.writeHead(302, { location: 'step2?x=%3D' }).end();
      else if (req.url === '/step2?x=%3D')
        res.writeHead(301, { location: 'https://weibo.com/step3?q=a%26b' }).end();
      else res.writeHead(404).end();
    });
    const desktop = await servers.start((req, res) => {
      if (req.url === '/step3?q=a%26b') res.writeHead(302, { location: `${desktopBase()}/final` }).end();
      else if (req.url === '/final') res.end('landed');
      else res.writeHead(404).end();
    });
    const desktopBase = (): string => desktop.base;
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': mobile.base, 'weibo.com': desktop.base } }),
    });

    const res = ok(await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/start?id=1' }));

    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('landed');
    expect(res.url).toBe('https://m.weibo.cn/start?id=1');
    expect(res.redirects).toEqual([
      'https://m.weibo.cn/step2?x=%3D',
      'https://weibo.com/step3?q=a%26b',
      'https://weibo.com/final',
    ]);
    expect(res.finalUrl).toBe('https://weibo.com/final');
    expect(mobile.seen.map((s) => s.url)).toEqual(['/start?id=1', '/step2?x=%3D']);
    expect(desktop.seen.map((s) => s.url)).toEqual(['/step3?q=a%26b', '/final']);
  });

  it('returns a redirect to an unmapped host without following it', async () => {
    const server = await servers.start((_req, res) =>
      res
        .writeHead(302, {
          location: 'https://login.sina.com.cn/signin?entry=mweibo&r=https%3A%2F%2Fm.weibo.cn',
        })
        .end(),
    );
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }) });
    const res = ok(await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/detail/1' }));

    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(
      'https://login.sina.com.cn/signin?entry=mweibo&r=https%3A%2F%2Fm.weibo.cn',
    );
    expect(res.finalUrl).toBe('https://m.weibo.cn/detail/1');
    expect(res.redirects).toEqual([]);
    expect(server.seen).toHaveLength(1);
  });

  it('returns the first response with followRedirects false, its Location in real-host terms', async () => {
    const server = await servers.start((req, res) => {
      if (req.url === '/a') res.writeHead(302, { location: `${serverBase()}/b` }).end();
      else res.end('b');
    });
    const serverBase = (): string => server.base;
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }) });
    const res = ok(
      await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/a', followRedirects: false }),
    );

    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('https://m.weibo.cn/b');
    expect(server.seen).toHaveLength(1);
  });

  it('turns POST into GET on 303 and 302, and keeps POST with its body on 307', async () => {
    const server = await servers.start((req, res) => {
      if (req.url === '/p303') res.writeHead(303, { location: '/done' }).end();
      else if (req.url === '/p302') res.writeHead(302, { location: '/done' }).end();
      else if (req.url === '/p307') res.writeHead(307, { location: '/done' }).end();
      else res.end(req.method);
    });
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'weibo.com': server.base } }) });
    const post = (path: string): Promise<HttpResponse> =>
      fetcher!
        .fetch({
          platform: 'weibo',
          url: `https://weibo.com${path}`,
          method: 'POST',
          body: 'id=1',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        })
        .then(ok);

    expect((await post('/p303')).body.toString()).toBe('GET');
    expect((await post('/p302')).body.toString()).toBe('GET');
    expect((await post('/p307')).body.toString()).toBe('POST');
    const done = server.seen.filter((s) => s.url === '/done');
    expect(done.map((s) => [s.method, s.body, s.headers['content-type'] ?? null])).toEqual([
      ['GET', '', null],
      ['GET', '', null],
      ['POST', 'id=1', 'application/x-www-form-urlencoded'],
    ]);
  });

  it('stops after maxRedirects and returns the last redirect', async () => {
    const server = await servers.start((req, res) => {
      const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('n'));
      res.writeHead(302, { location: `/loop?n=${n + 1}` }).end();
    });
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }),
      maxRedirects: 3,
    });
    const res = ok(await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/loop?n=0' }));

    expect(res.status).toBe(302);
    expect(res.redirects).toEqual([
      'https://m.weibo.cn/loop?n=1',
      'https://m.weibo.cn/loop?n=2',
      'https://m.weibo.cn/loop?n=3',
    ]);
    expect(res.headers.location).toBe('/loop?n=4');
    expect(server.seen).toHaveLength(4);
  });

  it("drops the caller's Cookie header when a redirect leaves the first host", async () => {
    const server = await servers.start((req, res) => {
      if (req.url === '/go') res.writeHead(302, { location: 'https://passport.weibo.com/visitor' }).end();
      else res.end();
    });
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'weibo.com': server.base, 'passport.weibo.com': server.base } }),
    });
    await fetcher.fetch({ platform: 'weibo', url: 'https://weibo.com/go', headers: { cookie: 'own=1' } });
    expect(server.seen.map((s) => [s.url, s.headers.cookie ?? null])).toEqual([
      ['/go', 'own=1'],
      ['/visitor', null],
    ]);
  });
});
