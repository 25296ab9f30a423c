import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { ManualClock } from '../../../src/domain/clock';
import { isRetryable, RetryableError } from '../../../src/errors';
import { PolitenessUnavailableError } from '../../../src/http/politeness';
import { FetchRejectedError } from '../../../src/http/response';
import type { FetchResult, HttpClient, HttpRequest } from '../../../src/http/types';
import {
  DEFAULT_WEIBO_DESKTOP_USER_AGENT,
  DEFAULT_WEIBO_USER_AGENT,
  WeiboAdapter,
} from '../../../src/platforms/weibo/adapter';
import { midToBid } from '../../../src/platforms/weibo/ids';
import { AJAX_NOT_FOUND_MESSAGE_FORM, ajaxShowSample, ajaxStatusSample } from '../../unit/weibo/ajax-samples';
import { AT_2019, sample, sampleJson } from '../../unit/weibo/helpers';
import { guardAgainstLeaks } from '../../helpers/leak-guard';

guardAgainstLeaks();

/**
 * The smallest HttpClient that does what the real one promises the adapter: requests are written
 * against Weibo's real hosts and sent to the local server, responses report the real URLs.
 */
class LocalHttpClient implements HttpClient {
  constructor(private readonly base: string) {}
  async fetch(req: HttpRequest): Promise<FetchResult> {
    const real = new URL(req.url);
    try {
      const r = await request(`${this.base}${real.pathname}${real.search}`, {
        method: req.method ?? 'GET',
        headers: req.headers,
        ...(req.signal ? { signal: req.signal } : {}),
      });
      const body = Buffer.from(await r.body.arrayBuffer());
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(r.headers))
        if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
      return {
        ok: true,
        url: req.url,
        finalUrl: req.url,
        redirects: [],
        status: r.statusCode,
        headers,
        setCookies: [],
        body,
      };
    } catch (err) {
      const e = err as { code?: string; message?: string };
      return { ok: false, url: req.url, code: e.code ?? 'EUNKNOWN', message: e.message ?? String(err) };
    }
  }
}

const MID = '4383183661430868';
const LONG_MID = '4383487819465288';
const LONG_FAIL_MID = '4383487819465289';
const LIMITED_MID = '4383487819465290';
const UID = '1669879400';
/** statuses/show says not found, but the detail page still renders the post. */
const API_ONLY_GONE_MID = '4383487819465291';
/** Both endpoints say not found. */
const GONE_MID = '4383487819465292';
/** Gone on m.weibo.cn and on the detail page; weibo.com/ajax still shows it, as a long post. */
const AJAX_LONG_MID = '4383487819465293';
/** Gone on m.weibo.cn and on the detail page; weibo.com/ajax answers 418. */
const AJAX_LIMITED_MID = '4383487819465294';
const AJAX_UID = '1645372340';
const MYMBLOG_SINCE = '4607600000000000kp2';
const AMBIGUOUS = JSON.stringify({ ok: 0, errno: '20101', msg: '微博不存在或暂无查看权限!' });
const ERROR_PAGE =
  '<html><head><title>微博-出错了</title></head><body><div class="h5-4box"><p class="h5-4con">微博不存在或暂无查看权限!</p></div></body></html>';
const GONE_EVERYWHERE_ON_M = new Set([GONE_MID, AJAX_LONG_MID, AJAX_LIMITED_MID]);

type Seen = { path: string; headers: IncomingHttpHeaders };

const timelineMblog = sampleJson<{ data: { cards: Array<{ mblog: Record<string, unknown> }> } }>(
  'm_getIndex_timeline_107603_2019_first3cards.json',
).data.cards[0]!.mblog;
const showOf = (mblog: Record<string, unknown>) =>
  JSON.stringify({ ok: 1, data: { ...mblog, created_at: 'Fri Jun 14 12:00:00 +0800 2019' } });
const truncated = (mid: string) =>
  showOf({
    mid,
    id: mid,
    text: '开头的一段 ...<a href="/status/' + mid + '">全文</a>',
    isLongText: true,
    user: { id: 1, screen_name: 'a' },
    reposts_count: 1,
  });

function startServer(seen: Seen[]): Promise<Server> {
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    seen.push({ path: `${u.pathname}${u.search}`, headers: req.headers });
    const json = (status: number, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    };
    const id = u.searchParams.get('id');
    const cid = u.searchParams.get('containerid') ?? '';
    if (u.pathname === '/statuses/show' && id === MID) return json(200, showOf(timelineMblog));
    if (u.pathname === '/statuses/show' && (id === LONG_MID || id === LONG_FAIL_MID))
      return json(200, truncated(id));
    if (u.pathname === '/statuses/show' && id === LIMITED_MID) return json(418, '');
    if (u.pathname === '/statuses/show' && (id === API_ONLY_GONE_MID || GONE_EVERYWHERE_ON_M.has(id ?? '')))
      return json(200, AMBIGUOUS);
    if (u.pathname === '/ajax/statuses/show' && id === API_ONLY_GONE_MID)
      return json(
        200,
        JSON.stringify(ajaxShowSample({ id: Number(id), idstr: id, mid: id, mblogid: midToBid(id) })),
      );
    if (u.pathname === '/ajax/statuses/show' && id === GONE_MID)
      return json(200, JSON.stringify(AJAX_NOT_FOUND_MESSAGE_FORM));
    if (u.pathname === '/ajax/statuses/show' && id === AJAX_LONG_MID) {
      const long = { id: Number(id), idstr: id, mid: id, mblogid: midToBid(id), isLongText: true };
      return json(200, JSON.stringify(ajaxShowSample({ ...long, continue_tag: { title: '全文' } })));
    }
    if (u.pathname === '/ajax/statuses/show' && id === AJAX_LIMITED_MID) return json(418, '');
    if (u.pathname === '/ajax/statuses/longtext' && id === midToBid(AJAX_LONG_MID))
      return json(200, JSON.stringify({ ok: 1, data: { longTextContent: '长文第一段\n长文第二段 <完>' } }));
    if (u.pathname === '/ajax/statuses/mymblog' && u.searchParams.get('uid') === AJAX_UID) {
      const last = u.searchParams.get('since_id') === MYMBLOG_SINCE;
      return json(
        200,
        JSON.stringify({
          ok: 1,
          data: { since_id: last ? '' : MYMBLOG_SINCE, list: [ajaxStatusSample()], total: 2 },
        }),
      );
    }
    if (u.pathname === `/detail/${API_ONLY_GONE_MID}`) {
      const status = {
        ...timelineMblog,
        id: API_ONLY_GONE_MID,
        mid: API_ONLY_GONE_MID,
        created_at: 'Fri Jun 14 12:00:00 +0800 2019',
      };
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(
        `<html><body><script>var $render_data = [{"status":${JSON.stringify(status)},"call":"x"}][0] || {};</script></body></html>`,
      );
    }
    if (GONE_EVERYWHERE_ON_M.has(u.pathname.replace('/detail/', ''))) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(ERROR_PAGE);
    }
    if (u.pathname === '/statuses/extend' && id === LONG_MID)
      return json(200, sample('m_statuses_extend_longtext_2019.json'));
    if (u.pathname === '/statuses/extend' && id === LONG_FAIL_MID) return json(503, '');
    if (u.pathname === '/api/container/getIndex' && cid.startsWith('100103')) {
      return json(
        200,
        JSON.stringify({
          ok: 1,
          data: { cards: [{ card_type: 11, card_group: [{ card_type: 9, mblog: timelineMblog }] }] },
        }),
      );
    }
    if (u.pathname === '/api/container/getIndex' && cid === `107603${UID}`) {
      const body = sampleJson<{ data: { cardlistInfo: Record<string, unknown> } }>(
        'm_getIndex_timeline_107603_2019_first3cards.json',
      );
      body.data.cardlistInfo['since_id'] = '4382054705416396';
      return json(200, JSON.stringify(body));
    }
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html>not here</html>');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('WeiboAdapter against a local HTTP server', () => {
  let server: Server;
  let seen: Seen[];
  let adapter: WeiboAdapter;
  const clock = new ManualClock(AT_2019);

  beforeAll(async () => {
    seen = [];
    server = await startServer(seen);
    const { port } = server.address() as AddressInfo;
    adapter = new WeiboAdapter(
      { http: new LocalHttpClient(`http://127.0.0.1:${port}`), clock },
      { cookie: 'SUB=abc; XSRF-TOKEN=tok123' },
    );
  });
  afterAll(async () => {
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  test('check sends the H5 client headers, Referer /detail/<mid> and the cookie', async () => {
    const r = await adapter.check({ platform: 'weibo', kind: 'post', id: MID });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.path).toBe(`/statuses/show?id=${MID}`);
    const h = seen[0]!.headers;
    expect(h['user-agent']).toBe(DEFAULT_WEIBO_USER_AGENT);
    expect(h['user-agent']).toMatch(/iPhone.*Mobile.*Safari/);
    expect(h['mweibo-pwa']).toBe('1');
    expect(h['x-requested-with']).toBe('XMLHttpRequest');
    expect(h['accept']).toBe('application/json, text/plain, */*');
    expect(h['referer']).toBe(`https://m.weibo.cn/detail/${MID}`);
    expect(h['cookie']).toBe('SUB=abc; XSRF-TOKEN=tok123');
    expect(h['x-xsrf-token']).toBe('tok123');
    expect(r.observations[0]).toMatchObject({
      target: { id: MID },
      at: AT_2019,
      outcome: 'alive',
      content: {
        text: '搬完这块砖，就可以吃好吃的了[偷笑][偷笑][偷笑]',
        createdAt: '2019-06-14T04:00:00.000Z',
      },
      evidence: { url: `https://m.weibo.cn/statuses/show?id=${MID}`, status: 200 },
    });
    expect(r.observations[0]?.content?.media).toHaveLength(3);
  });

  test('a long text is completed from statuses/extend', async () => {
    const r = await adapter.check({ platform: 'weibo', kind: 'post', id: LONG_MID });
    expect(seen.map((s) => s.path)).toEqual([
      `/statuses/show?id=${LONG_MID}`,
      `/statuses/extend?id=${LONG_MID}`,
    ]);
    expect(seen[1]?.headers['referer']).toBe(`https://m.weibo.cn/detail/${LONG_MID}`);
    const c = r.observations[0]?.content;
    expect(c?.truncated).toBe(false);
    expect(c?.text).toContain('\nNature\n');
    expect(c?.html.startsWith('😄😆😊')).toBe(true);
    expect(c?.counts.reposts).toBe(0);
  });

  test('a failed statuses/extend keeps the truncated text, still marked truncated', async () => {
    const r = await adapter.check({ platform: 'weibo', kind: 'post', id: LONG_FAIL_MID });
    expect(seen).toHaveLength(2);
    expect(r.observations[0]).toMatchObject({
      outcome: 'alive',
      content: { truncated: true, text: '开头的一段 ...' },
    });
    expect(r.observations[0]?.message).toMatch(/long text not fetched: server_error/);
  });

  test('HTTP 418 → rate_limited observation, nothing thrown', async () => {
    const r = await adapter.check({ platform: 'weibo', kind: 'post', id: LIMITED_MID });
    expect(r.observations).toHaveLength(1);
    expect(r.observations[0]).toMatchObject({
      outcome: 'rate_limited',
      message: 'HTTP 418',
      evidence: { status: 418 },
    });
  });

  test('keyword discovery: search URL, searchall Referer, page cursor', async () => {
    const r = await adapter.discover({ mode: 'keyword', query: '秦明', cursor: '2', searchType: 61 });
    expect(seen[0]?.path).toBe(
      '/api/container/getIndex?containerid=100103type%3D61%26q%3D%E7%A7%A6%E6%98%8E&page_type=searchall&page=2',
    );
    expect(seen[0]?.headers['referer']).toBe(
      'https://m.weibo.cn/p/searchall?containerid=100103type%3D61%26q%3D%E7%A7%A6%E6%98%8E',
    );
    expect(r.outcome).toBe('results');
    expect(r.observations.map((o) => o.target.id)).toEqual([MID]);
    expect(r.nextCursor).toBe('3');
  });

  test('account discovery from a profile URL: timeline 107603<uid>, since_id cursor', async () => {
    const r = await adapter.discover({
      mode: 'account',
      query: `https://m.weibo.cn/profile/${UID}`,
      cursor: '4383183661430868',
    });
    expect(seen[0]?.path).toBe(`/api/container/getIndex?containerid=107603${UID}&since_id=4383183661430868`);
    expect(seen[0]?.headers['referer']).toBe(`https://m.weibo.cn/u/${UID}`);
    expect(r.outcome).toBe('results');
    expect(r.nextCursor).toBe('4382054705416396');
    expect(r.observations.filter((o) => o.endpoint === 'm.timeline')).toHaveLength(3);
  });

  test('an account given as a screen name → unparseable naming the problem, no request', async () => {
    const r = await adapter.discover({ mode: 'account', query: 'Dear-迪丽热巴' });
    expect(seen).toHaveLength(0);
    expect(r.outcome).toBe('unparseable');
    expect(r.message).toContain('Dear-迪丽热巴');
    expect(r.message).toMatch(/not a numeric uid/);
  });

  test('resolveTarget and targetUrl', () => {
    expect(adapter.resolveTarget('https://m.weibo.cn/status/HyTZc60ew')).toEqual({
      platform: 'weibo',
      kind: 'post',
      id: MID,
    });
    expect(adapter.targetUrl({ platform: 'weibo', kind: 'post', id: MID })).toBe(
      `https://m.weibo.cn/detail/${MID}`,
    );
  });

  test('a post statuses/show calls gone is asked again on its detail page and on weibo.com/ajax', async () => {
    const r = await adapter.check({ platform: 'weibo', kind: 'post', id: API_ONLY_GONE_MID });
    expect(seen.map((x) => x.path)).toEqual([
      `/statuses/show?id=${API_ONLY_GONE_MID}`,
      `/detail/${API_ONLY_GONE_MID}`,
      `/ajax/statuses/show?id=${API_ONLY_GONE_MID}`,
    ]);
    expect(r.observations.map((o) => [o.endpoint, o.outcome])).toEqual([
      ['m.statuses.show', 'gone_unspecified'],
      ['m.detail', 'alive'],
      ['web.statuses.show', 'alive'],
    ]);
    // The other front ends prove life only: their renderings are never compared for edits.
    expect(r.observations[1]!.content?.truncated).toBe(true);
    expect(r.observations[2]!.content).toMatchObject({
      truncated: true,
      author: { id: AJAX_UID },
      text: ajaxStatusSample()['text_raw'],
    });
    expect(r.observations[2]!.evidence?.url).toBe(
      `https://weibo.com/ajax/statuses/show?id=${API_ONLY_GONE_MID}`,
    );
  });

  test('weibo.com/ajax is asked with the desktop client headers (research §1.6)', async () => {
    await adapter.check({ platform: 'weibo', kind: 'post', id: API_ONLY_GONE_MID });
    const h = seen.find((x) => x.path.startsWith('/ajax/'))!.headers;
    expect(h['accept']).toBe('application/json, text/plain, */*');
    expect(h['x-requested-with']).toBe('XMLHttpRequest');
    expect(h['referer']).toBe('https://weibo.com/');
    expect(h['x-xsrf-token']).toBe('tok123');
    expect(h['cookie']).toBe('SUB=abc; XSRF-TOKEN=tok123');
    expect(h['user-agent']).toBe(DEFAULT_WEIBO_DESKTOP_USER_AGENT);
    // MWeibo-Pwa belongs to the H5 client only.
    expect(h['mweibo-pwa']).toBeUndefined();
  });

  test('gone on all three endpoints gives three final observations, each with its endpoint', async () => {
    const r = await adapter.check({ platform: 'weibo', kind: 'post', id: GONE_MID });
    expect(r.observations.map((o) => [o.endpoint, o.outcome])).toEqual([
      ['m.statuses.show', 'gone_unspecified'],
      ['m.detail', 'gone_unspecified'],
      ['web.statuses.show', 'gone_unspecified'],
    ]);
    expect(r.observations[2]!.message).toBe('该微博不存在 (errno 20101)');
  });

  test('a long post weibo.com/ajax still shows is completed from ajax/statuses/longtext by its mblogid', async () => {
    const r = await adapter.check({ platform: 'weibo', kind: 'post', id: AJAX_LONG_MID });
    expect(seen.map((x) => x.path)).toEqual([
      `/statuses/show?id=${AJAX_LONG_MID}`,
      `/detail/${AJAX_LONG_MID}`,
      `/ajax/statuses/show?id=${AJAX_LONG_MID}`,
      `/ajax/statuses/longtext?id=${midToBid(AJAX_LONG_MID)}`,
    ]);
    expect(seen[3]?.headers['referer']).toBe(`https://weibo.com/u/${AJAX_UID}`);
    const web = r.observations.find((o) => o.endpoint === 'web.statuses.show');
    expect(web?.outcome).toBe('alive');
    expect(web?.content?.text).toBe('长文第一段\n长文第二段 <完>');
    expect(web?.content?.html).toBe('长文第一段<br />长文第二段 &lt;完&gt;');
    // Complete, but still from another front end: it proves life, never an edit.
    expect(web?.content?.truncated).toBe(true);
  });

  test('a transient answer from weibo.com/ajax adds no observation', async () => {
    const r = await adapter.check({ platform: 'weibo', kind: 'post', id: AJAX_LIMITED_MID });
    expect(seen).toHaveLength(3);
    expect(r.observations.map((o) => o.endpoint)).toEqual(['m.statuses.show', 'm.detail']);
  });

  test('timeline: desktop pages accounts through ajax/statuses/mymblog with a weibo.com Referer', async () => {
    const { port } = server.address() as AddressInfo;
    const desktop = new WeiboAdapter(
      { http: new LocalHttpClient(`http://127.0.0.1:${port}`), clock },
      { cookie: 'SUB=abc; XSRF-TOKEN=tok123', timeline: 'desktop' },
    );
    const first = await desktop.discover({ mode: 'account', query: `https://weibo.com/u/${AJAX_UID}` });
    expect(seen[0]?.path).toBe(`/ajax/statuses/mymblog?uid=${AJAX_UID}&page=1&feature=0`);
    expect(seen[0]?.headers['referer']).toBe(`https://weibo.com/u/${AJAX_UID}`);
    expect(seen[0]?.headers['x-requested-with']).toBe('XMLHttpRequest');
    expect(first.outcome).toBe('results');
    expect(first.observations.map((o) => [o.endpoint, o.target.id])).toEqual([
      ['web.mymblog', '4607741009594608'],
    ]);
    expect(first.nextCursor).toBe(`2:${MYMBLOG_SINCE}`);
    const second = await desktop.discover({
      mode: 'account',
      query: AJAX_UID,
      cursor: first.nextCursor ?? undefined,
    });
    expect(seen[1]?.path).toBe(
      `/ajax/statuses/mymblog?uid=${AJAX_UID}&page=2&feature=0&since_id=${MYMBLOG_SINCE}`,
    );
    expect(second.nextCursor).toBeNull();
  });
});

describe('WeiboAdapter without a server', () => {
  let closedBase: string;
  beforeAll(async () => {
    const s = createServer();
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', () => resolve()));
    closedBase = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => s.close(() => resolve()));
  });

  test('a transport failure → network_error with the code as message; listings too', async () => {
    const adapter = new WeiboAdapter(
      { http: new LocalHttpClient(closedBase), clock: new ManualClock(AT_2019) },
      {},
    );
    const r = await adapter.check({ platform: 'weibo', kind: 'post', id: MID });
    expect(r.observations).toHaveLength(1);
    expect(r.observations[0]).toMatchObject({
      target: { id: MID },
      outcome: 'network_error',
      message: 'ECONNREFUSED',
      evidence: { status: null },
    });
    const l = await adapter.discover({ mode: 'keyword', query: 'x' });
    expect(l).toMatchObject({
      outcome: 'network_error',
      message: 'ECONNREFUSED',
      observations: [],
      nextCursor: null,
    });
  });

  test('a rejected fetch is a retryable error, not a network_error observation: Weibo never answered', async () => {
    const throwing: HttpClient = {
      fetch: () => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })),
    };
    const adapter = new WeiboAdapter(
      { http: throwing, clock: new ManualClock(AT_2019) },
      { userAgent: 'custom-ua' },
    );
    const check = adapter.check({ platform: 'weibo', kind: 'post', id: MID });
    await expect(check).rejects.toBeInstanceOf(FetchRejectedError);
    await expect(check).rejects.toMatchObject({ retryable: true, cause: { code: 'ECONNRESET' } });
    await expect(adapter.discover({ mode: 'keyword', query: 'x' })).rejects.toBeInstanceOf(RetryableError);
  });

  test('politeness slots out of reach reach the caller as the PolitenessUnavailableError itself', async () => {
    const redisDown = new PolitenessUnavailableError('cannot reserve a request slot for m.weibo.cn in Redis');
    const adapter = new WeiboAdapter(
      { http: { fetch: () => Promise.reject(redisDown) }, clock: new ManualClock(AT_2019) },
      {},
    );
    await expect(adapter.check({ platform: 'weibo', kind: 'post', id: MID })).rejects.toBe(redisDown);
    expect(isRetryable(redisDown)).toBe(true);
  });

  test('no cookie configured → no Cookie header; a custom User-Agent is used', () => {
    const adapter = new WeiboAdapter(
      { http: new LocalHttpClient(closedBase), clock: new ManualClock(AT_2019) },
      { userAgent: 'custom-ua' },
    );
    const h = adapter.headersFor('https://m.weibo.cn/detail/1');
    expect(Object.keys(h).map((k) => k.toLowerCase())).not.toContain('cookie');
    expect(h['user-agent']).toBe('custom-ua');
  });
});
