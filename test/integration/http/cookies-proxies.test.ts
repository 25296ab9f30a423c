import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { ManualClock } from '../../../src/domain/clock';
import { CookieJar } from '../../../src/http/cookie-jar';
import { Fetcher } from '../../../src/http/fetcher';
import { Servers, platforms } from './helpers';

const servers = new Servers();
let fetcher: Fetcher | null = null;
const proxies: http.Server[] = [];

afterEach(async () => {
  await fetcher?.close();
  fetcher = null;
  await servers.closeAll();
  await Promise.all(
    proxies.splice(0).map(
      (p) =>
        new Promise<void>((resolve) => {
          p.closeAllConnections();
          p.close(() => resolve());
        }),
    ),
  );
});

/** Log lines written by pino, parsed, so tests assert on them as data. */
function captureLogs(): { logger: pino.Logger; lines: Record<string, unknown>[]; text: () => string } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      raw.push(chunk.toString());
      cb();
    },
  });
  const logger = pino({ level: 'debug' }, stream);
  return {
    logger,
    get lines() {
      return raw
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    text: () => raw.join(''),
  };
}

describe('cookies', () => {
  it('stores Set-Cookie from every hop under real hosts and sends cookies back', async () => {
    const server = await servers.start((req, res) => {
      if (req.url === '/visitor') {
        res.writeHead(302, {
          location: 'https://m.weibo.cn/home',
          'set-cookie': [
            'SUB=_2A25secretvisitor; expires=Friday, 26-Sep-2099 10:27:05 GMT; path=/; domain=.weibo.cn; HttpOnly',
          ],
        });
        res.end();
      } else if (req.url === '/home') {
        res.writeHead(200, { 'set-cookie': ['_T_WM=tw-secret-77; Max-Age=3600; Path=/'] }).end('home');
      } else {
        res.end(req.headers.cookie ?? '');
      }
    });
    const clock = new ManualClock(Date.parse('2025-06-01T00:00:00Z'));
    const jar = new CookieJar({ clock });
    const logs = captureLogs();
    fetcher = new Fetcher({
      platforms: platforms({
        hosts: { 'visitor.passport.weibo.cn': server.base, 'm.weibo.cn': server.base },
      }),
      jars: { weibo: jar },
      logger: logs.logger,
    });

    const first = await fetcher.fetch({
      platform: 'weibo',
      url: 'https://visitor.passport.weibo.cn/visitor',
    });
    expect(first.ok && first.setCookies.map((c) => c.split('=')[0])).toEqual(['SUB', '_T_WM']);
    // Stored under the real host, not 127.0.0.1.
    expect(jar.all().map((c) => [c.name, c.domain, c.hostOnly])).toEqual([
      ['SUB', 'weibo.cn', false],
      ['_T_WM', 'm.weibo.cn', true],
    ]);
    // The second hop already carried the cookie set by the first.
    expect(server.seen[1]?.headers.cookie).toBe('SUB=_2A25secretvisitor');

    const echo = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/api/config' });
    expect(echo.ok && echo.body.toString()).toBe('SUB=_2A25secretvisitor; _T_WM=tw-secret-77');

    clock.advanceBy(3_600_000);
    const later = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/api/config' });
    expect(later.ok && later.body.toString()).toBe('SUB=_2A25secretvisitor');

    // Logs name cookies but never show their values.
    expect(
      logs.lines.some((l) => Array.isArray(l.setCookies) && (l.setCookies as string[]).includes('SUB')),
    ).toBe(true);
    expect(logs.text()).not.toContain('_2A25secretvisitor');
    expect(logs.text()).not.toContain('tw-secret-77');
  });

  it("sends configured cookies, letting the request's own Cookie win on a name clash", async () => {
    const server = await servers.start((req, res) => res.end(req.headers.cookie ?? ''));
    const jar = new CookieJar();
    jar.setFromString('.163.com', 'NTES_SESS=configured; _ntes_nuid=abc');
    fetcher = new Fetcher({
      platforms: platforms({}, { hosts: { 'comment.api.163.com': server.base } }),
      jars: { netease: jar },
    });
    const res = await fetcher.fetch({
      platform: 'netease',
      url: 'https://comment.api.163.com/api/v1/products/a2869674571f77b5a0867c3d71db5856/threads/X/comments/newList',
      headers: { Cookie: '_ntes_nuid=own' },
    });
    expect(res.ok && res.body.toString()).toBe('NTES_SESS=configured; _ntes_nuid=own');
  });

  it('sends no Cookie header without a jar', async () => {
    const server = await servers.start((req, res) => {
      res.writeHead(200, { 'set-cookie': 'a=1' }).end(String(req.headers.cookie ?? 'none'));
    });
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }) });
    await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/' });
    const second = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/' });
    expect(second.ok && second.body.toString()).toBe('none');
  });
});

describe('proxies', () => {
  /** A CONNECT proxy that counts the tunnels it opens. */
  async function startProxy(): Promise<{ url: string; tunnels: () => number }> {
    let tunnels = 0;
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      tunnels += 1;
      const [host, port] = (req.url ?? '').split(':');
      const upstream = net.connect(Number(port), host ?? '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxies.push(proxy);
    return { url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, tunnels: () => tunnels };
  }

  it('round-robins requests over the configured proxies', async () => {
    const server = await servers.start((req, res) => res.end(req.url));
    const a = await startProxy();
    const b = await startProxy();
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base }, proxies: [a.url, b.url] }),
    });

    const bodies: string[] = [];
    for (const i of [1, 2, 3, 4]) {
      const res = await fetcher.fetch({ platform: 'weibo', url: `https://m.weibo.cn/p?i=${i}` });
      bodies.push(res.ok ? res.body.toString() : res.code);
    }

    expect(bodies).toEqual(['/p?i=1', '/p?i=2', '/p?i=3', '/p?i=4']);
    // Each proxy keeps its tunnel alive, so four requests over two proxies open one tunnel each.
    expect([a.tunnels(), b.tunnels()]).toEqual([1, 1]);
  });
});
