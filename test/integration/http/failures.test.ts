import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../../../src/errors';
import { Fetcher } from '../../../src/http/fetcher';
import { Servers, platforms } from './helpers';

const servers = new Servers();
let fetcher: Fetcher | null = null;

afterEach(async () => {
  await fetcher?.close();
  fetcher = null;
  await servers.closeAll();
});

/** Sends a TCP RST instead of an answer, as an overloaded or filtering middlebox would. */
function reset(req: http.IncomingMessage): void {
  req.socket.resetAndDestroy();
}

const RESET_CODES = ['ECONNRESET', 'UND_ERR_SOCKET'];

describe('HTTP statuses', () => {
  it.each([418, 500, 432])('returns %i as a response without retrying', async (status) => {
    const server = await servers.start((_req, res) => res.writeHead(status).end('{"ok":0}'));
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }), retries: 3 });
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/api/x' });

    expect(res).toMatchObject({ ok: true, status });
    expect(server.seen).toHaveLength(1);
  });
});

describe('transport errors', () => {
  it('retries a reset connection and returns the answer of the retry', async () => {
    let calls = 0;
    const server = await servers.start((req, res) => {
      calls += 1;
      if (calls === 1) reset(req);
      else res.end('second time');
    });
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }),
      retries: 1,
      retryDelay: 10,
    });
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/statuses/show?id=1' });

    expect(res.ok && res.body.toString()).toBe('second time');
    expect(server.seen).toHaveLength(2);
  });

  it('returns a TransportFailure after the last try of a persistent reset', async () => {
    const server = await servers.start((req) => reset(req));
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }),
      retries: 2,
      retryDelay: 10,
    });
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/statuses/show?id=1' });

    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(RESET_CODES).toContain(res.code);
    expect(res.url).toBe('https://m.weibo.cn/statuses/show?id=1');
    expect(server.seen).toHaveLength(3);
  });

  it('returns a TransportFailure when the server does not answer in time, after retrying', async () => {
    const server = await servers.start(() => {
      // Never answers; the socket is closed by closeAll.
    });
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base }, timeout: 200 }),
      retries: 1,
      retryDelay: 10,
    });
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/slow' });

    expect(res).toMatchObject({ ok: false, code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(server.seen).toHaveLength(2);
  });

  it('returns ECONNREFUSED for a closed port', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': `http://127.0.0.1:${port}` } }),
      retryDelay: 10,
    });
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/' });
    expect(res).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
  });

  it('fails a body over the cap with BODY_TOO_LARGE, declared or streamed', async () => {
    const server = await servers.start((req, res) => {
      if (req.url === '/small') res.end('tiny');
      else if (req.url === '/declared')
        res.writeHead(200, { 'content-length': '4096' }).end(Buffer.alloc(4096));
      else {
        // Chunked, no length: the cap must hold while streaming.
        res.write(Buffer.alloc(800));
        res.end(Buffer.alloc(800));
      }
    });
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'weibo.com': server.base } }),
      maxBodySize: 1024,
    });

    const declared = await fetcher.fetch({ platform: 'weibo', url: 'https://weibo.com/declared' });
    const streamed = await fetcher.fetch({ platform: 'weibo', url: 'https://weibo.com/streamed' });
    const small = await fetcher.fetch({ platform: 'weibo', url: 'https://weibo.com/small' });

    expect(declared).toMatchObject({ ok: false, code: 'BODY_TOO_LARGE' });
    expect(streamed).toMatchObject({ ok: false, code: 'BODY_TOO_LARGE' });
    expect(small.ok && small.body.toString()).toBe('tiny');
    // Not a transport error: never retried.
    expect(server.seen).toHaveLength(3);
  });

  it('fails with CLOSED after close()', async () => {
    const server = await servers.start((_req, res) => res.end());
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'weibo.com': server.base } }) });
    expect((await fetcher.fetch({ platform: 'weibo', url: 'https://weibo.com/' })).ok).toBe(true);
    await fetcher.close();
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://weibo.com/' });
    expect(res).toMatchObject({ ok: false, code: 'CLOSED' });
  });
});

describe('abort', () => {
  it('returns ABORTED when the signal fires while waiting for headers', async () => {
    const server = await servers.start(() => {
      // Holds the request until the signal fires.
    });
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }), retries: 3 });
    const controller = new AbortController();
    const pending = fetcher.fetch({
      platform: 'weibo',
      url: 'https://m.weibo.cn/x',
      signal: controller.signal,
    });
    await waitFor(() => server.seen.length === 1);
    controller.abort();

    expect(await pending).toMatchObject({ ok: false, code: 'ABORTED', url: 'https://m.weibo.cn/x' });
    expect(server.seen).toHaveLength(1);
  });

  it('aborts a body mid-stream through a signal that earlier requests used and finished with', async () => {
    const server = await servers.start((req, res) => {
      if (req.url === '/done') res.end('whole');
      // Headers and part of the body, then nothing until the signal fires.
      else res.writeHead(200, { 'content-type': 'text/plain' }).write('part');
    });
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }), retries: 3 });
    const controller = new AbortController();
    const signal = controller.signal;
    for (let i = 0; i < 3; i++) {
      const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/done', signal });
      expect(res.ok && res.body.toString()).toBe('whole');
    }
    const pending = fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/hang', signal });
    await waitFor(() => server.seen.length === 4);
    controller.abort();

    expect(await pending).toMatchObject({ ok: false, code: 'ABORTED', url: 'https://m.weibo.cn/hang' });
    expect(server.seen).toHaveLength(4);
  });

  it('returns ABORTED for an already aborted signal without sending anything', async () => {
    const server = await servers.start((_req, res) => res.end());
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }) });
    const res = await fetcher.fetch({
      platform: 'weibo',
      url: 'https://m.weibo.cn/x',
      signal: AbortSignal.abort(),
    });
    expect(res).toMatchObject({ ok: false, code: 'ABORTED' });
    expect(server.seen).toHaveLength(0);
  });

  it('leaves the politeness queue at once when aborted there, without taking a slot', async () => {
    const server = await servers.start((_req, res) => res.end());
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base }, minInterval: 60_000 }),
    });
    expect((await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/1' })).ok).toBe(true);

    const controller = new AbortController();
    const queued = fetcher.fetch({
      platform: 'weibo',
      url: 'https://m.weibo.cn/2',
      signal: controller.signal,
    });
    const behind = new AbortController();
    const third = fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/3', signal: behind.signal });
    controller.abort();

    expect(await queued).toMatchObject({ ok: false, code: 'ABORTED' });
    behind.abort();
    expect(await third).toMatchObject({ ok: false, code: 'ABORTED' });
    expect(server.seen.map((s) => s.url)).toEqual(['/1']);
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 5));
}

describe('a fetcher built with a base URL that is not one', () => {
  it('is bad config naming the host, like the loader says it', () => {
    const build = (): Fetcher =>
      new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': 'not a url' } }) });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow('platforms.weibo.hosts.m.weibo.cn: invalid base URL "not a url"');
  });
});
