import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { ManualClock } from '../../../src/domain/clock';
import { PolitenessUnavailableError } from '../../../src/http/politeness';
import { FetchRejectedError } from '../../../src/http/response';
import type { FetchResult, HttpClient, HttpRequest } from '../../../src/http/types';
import { DEFAULT_NETEASE_USER_AGENT, NeteaseAdapter } from '../../../src/platforms/netease/adapter';
import type { NeteaseArticleContent } from '../../../src/platforms/netease';
import { DOCID, reference } from '../../unit/netease/support';
import { guardAgainstLeaks } from '../../helpers/leak-guard';

guardAgainstLeaks();

/**
 * A minimal HttpClient: every *.163.com URL is served from `base` with path and query unchanged,
 * redirects are followed by hand, and URLs are reported in their real hosts, as the contract says.
 */
function localClient(base: string): HttpClient {
  return {
    async fetch(req: HttpRequest): Promise<FetchResult> {
      let url = req.url;
      const redirects: string[] = [];
      for (let hop = 0; ; hop++) {
        const real = new URL(url);
        const local = new URL(real.pathname + real.search, base);
        try {
          const r = await request(local, {
            method: req.method ?? 'GET',
            headers: { ...req.headers },
            signal: req.signal,
          });
          const body = Buffer.from(await r.body.arrayBuffer());
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(r.headers)) {
            if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
          }
          const loc = headers['location'];
          if (req.followRedirects !== false && r.statusCode >= 300 && r.statusCode < 400 && loc && hop < 5) {
            redirects.push(url);
            url = new URL(loc, url).toString();
            continue;
          }
          return {
            ok: true,
            url: req.url,
            finalUrl: url,
            redirects,
            status: r.statusCode,
            headers,
            setCookies: [],
            body,
          };
        } catch (e) {
          const err = e as { code?: string; message?: string };
          return { ok: false, url: req.url, code: err.code ?? 'ERR', message: err.message ?? String(e) };
        }
      }
    },
  };
}

const W = 'W4983108759592548559';
const TID = 'T1555591616739';
const articlePage = reference('article_news_KC12OUHK000189FH.trimmed.html');
const dyArticle = articlePage
  .toString('utf8')
  .replace('<div class="post_main">', `<div id="contain" data-wemediaid="${W}"><div class="post_main">`);
const homePage = `<html><body><div class="index_head">网易首页</div>${'<a href="https://news.163.com/">新闻</a>'.repeat(20)}</body></html>`;
const mediaHome = `<html><body><div class="content_left"><ul>
  <li><h4><a class="title" href="https://www.163.com/dy/article/EAUJCTQV05346RBY.html">第一篇</a></h4><span class="time">2019-03-23 09:00</span></li>
</ul></div></body></html>`;

interface Seen {
  path: string;
  headers: IncomingHttpHeaders;
}

describe('NeteaseAdapter against a local server', () => {
  let server: Server;
  let base: string;
  const seen: Seen[] = [];
  const clock = new ManualClock(Date.UTC(2025, 9, 17, 1));

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      seen.push({ path, headers: req.headers });
      const html = (status: number, body: string | Buffer): void => {
        res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
        res.end(body);
      };
      if (path === `/news/article/${DOCID}.html`) return html(200, articlePage);
      if (path === '/news/article/GONE0000000189FH.html') return html(404, '<html><body>404</body></html>');
      if (path === '/news/article/MOVE0000000189FH.html') {
        res.writeHead(302, { location: 'https://www.163.com/' });
        return res.end();
      }
      if (path === '/') return html(200, homePage);
      if (path === `/dy/media/${TID}.html`) return html(200, mediaHome);
      if (path === '/dy/article/EAUJCTQV05346RBY.html') return html(200, dyArticle);
      if (path.startsWith('/v2/article/list.do?')) {
        res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
        return res.end(
          JSON.stringify({
            code: 1,
            data: {
              list: [
                {
                  docid: 'EAUJCTQV05346RBY',
                  title: '第一篇',
                  ptime: '2019-03-23 09:00:00',
                  source: '某网易号',
                },
              ],
            },
          }),
        );
      }
      if (path.startsWith('/search?')) {
        return html(
          200,
          `<div class="keyword_list"><div class="keyword_new"><h3><a href="https://www.163.com/news/article/${DOCID}.html">全球媒体聚焦</a></h3></div></div>`,
        );
      }
      return html(404, 'not here');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  function adapter(userAgent?: string | null): NeteaseAdapter {
    return new NeteaseAdapter({ http: localClient(base), clock }, { userAgent });
  }

  it('checks a live article with a desktop Chrome User-Agent', async () => {
    const { observations } = await adapter().check({ platform: 'netease', kind: 'post', id: DOCID });
    expect(observations).toHaveLength(1);
    const obs = observations[0];
    expect(obs?.outcome).toBe('alive');
    expect(obs?.at).toBe(clock.now());
    expect((obs?.content as NeteaseArticleContent).title).toBe(
      '全球媒体聚焦｜美国政府停摆将对整个经济系统产生冲击',
    );
    expect(seen.map((s) => s.path)).toEqual([`/news/article/${DOCID}.html`]);
    const ua = seen[0]?.headers['user-agent'] ?? '';
    expect(ua).toBe(DEFAULT_NETEASE_USER_AGENT);
    expect(ua).toMatch(/Windows NT .*Chrome\//);
    // NetEase's own mobile test: /android.*?mobile|ipod|blackberry|bb\d+|phone|WindowsWechat/i
    expect(/android.*?mobile|ipod|blackberry|bb\d+|phone|WindowsWechat/i.test(ua)).toBe(false);
  });

  it('sends a configured User-Agent instead, and the default for null', async () => {
    await adapter('censorwatch-test/1').check({ platform: 'netease', kind: 'post', id: DOCID });
    await adapter(null).check({ platform: 'netease', kind: 'post', id: DOCID });
    expect(seen.map((s) => s.headers['user-agent'])).toEqual([
      'censorwatch-test/1',
      DEFAULT_NETEASE_USER_AGENT,
    ]);
  });

  it('a 404 article is gone_unspecified', async () => {
    const { observations } = await adapter().check({
      platform: 'netease',
      kind: 'post',
      id: 'GONE0000000189FH',
    });
    expect(observations[0]).toMatchObject({ outcome: 'gone_unspecified', message: 'HTTP 404' });
  });

  it('an article redirected to the home page is gone_unspecified', async () => {
    const { observations } = await adapter().check({
      platform: 'netease',
      kind: 'post',
      id: 'MOVE0000000189FH',
    });
    expect(observations[0]?.outcome).toBe('gone_unspecified');
    expect(observations[0]?.evidence?.finalUrl).toBe('https://www.163.com/');
    expect(seen.map((s) => s.path)).toEqual(['/news/article/MOVE0000000189FH.html', '/']);
  });

  it('a refused connection is a network_error observation, not a throw', async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, '127.0.0.1', resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const a = new NeteaseAdapter({ http: localClient(`http://127.0.0.1:${port}`), clock }, {});
    const { observations } = await a.check({ platform: 'netease', kind: 'post', id: DOCID });
    expect(observations[0]?.outcome).toBe('network_error');
    expect(observations[0]?.message).toMatch(/ECONNREFUSED/);
  });

  it('a rejected fetch is a retryable error, as on Weibo: NetEase never answered, so nothing is observed', async () => {
    const redisDown = new PolitenessUnavailableError(
      'cannot reserve a request slot for www.163.com in Redis',
    );
    const a = new NeteaseAdapter({ http: { fetch: () => Promise.reject(redisDown) }, clock }, {});
    await expect(a.check({ platform: 'netease', kind: 'post', id: DOCID })).rejects.toBe(redisDown);

    const broken: HttpClient = { fetch: () => Promise.reject(new TypeError('client bug')) };
    const b = new NeteaseAdapter({ http: broken, clock }, {});
    const check = b.check({ platform: 'netease', kind: 'post', id: DOCID });
    await expect(check).rejects.toBeInstanceOf(FetchRejectedError);
    await expect(check).rejects.toMatchObject({ retryable: true });
    await expect(b.discover({ mode: 'keyword', query: '停摆' })).rejects.toBeInstanceOf(FetchRejectedError);
  });

  it('discovers by keyword through the search page', async () => {
    const r = await adapter().discover({ mode: 'keyword', query: '美国 政府停摆' });
    expect(r.outcome).toBe('results');
    expect(r.observations.map((o) => o.target.id)).toEqual([DOCID]);
    expect(seen[0]?.path).toBe('/search?keyword=%E7%BE%8E%E5%9B%BD%20%E6%94%BF%E5%BA%9C%E5%81%9C%E6%91%86');
  });

  it('discovers an account from its home page URL via an article’s wemediaId and list.do', async () => {
    const a = adapter();
    const r = await a.discover({ mode: 'account', query: `https://www.163.com/dy/media/${TID}.html` });
    expect(r.outcome).toBe('results');
    expect(r.observations.map((o) => o.target.id)).toEqual(['EAUJCTQV05346RBY']);
    expect(seen.map((s) => s.path)).toEqual([
      `/dy/media/${TID}.html`,
      '/dy/article/EAUJCTQV05346RBY.html',
      `/v2/article/list.do?pageNo=1&wemediaId=${W}&size=10`,
    ]);
    // The wemediaId is remembered: the next round goes straight to list.do.
    seen.length = 0;
    await a.discover({ mode: 'account', query: TID });
    expect(seen.map((s) => s.path)).toEqual([`/v2/article/list.do?pageNo=1&wemediaId=${W}&size=10`]);
  });

  it('an account given by name is looked up by search; when no result names it, unparseable with a clear message', async () => {
    const r = await adapter().discover({ mode: 'account', query: '张佳栋看世界' });
    expect(seen[0]!.path).toBe(`/search?keyword=${encodeURIComponent('张佳栋看世界')}`);
    // The search result opened belongs to another source, so it is not taken for the account.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(r.outcome).toBe('unparseable');
    expect(r.message).toContain('dy/media/T');
  });
});
