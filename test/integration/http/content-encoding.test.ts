import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { ManualClock } from '../../../src/domain/clock';
import { ACCEPT_ENCODING } from '../../../src/http/content-encoding';
import { Fetcher } from '../../../src/http/fetcher';
import type { HttpResponse } from '../../../src/http/types';
import { exchangeOf } from '../../../src/platforms/evidence';
import { NeteaseAdapter } from '../../../src/platforms/netease/adapter';
import { WeiboAdapter } from '../../../src/platforms/weibo/adapter';
import { Servers, platforms } from './helpers';

const REFERENCE = join(__dirname, '..', '..', 'fixtures', 'reference');
/** A real statuses/show answer (reference sample) and the mid it is of. */
const SHOW = readFileSync(join(REFERENCE, 'weibo', 'm_statuses_show_repost_2019.json'));
const MID = '4383411844046171';
const ARTICLE = readFileSync(join(REFERENCE, 'netease', 'article_news_KC12OUHK000189FH.trimmed.html'));

const servers = new Servers();
let fetcher: Fetcher | null = null;

afterEach(async () => {
  await fetcher?.close();
  fetcher = null;
  await servers.closeAll();
});

/** Each coding a server may send, with how it makes the bytes. */
const CODINGS: [string, (b: Buffer) => Buffer][] = [
  ['gzip', (b) => gzipSync(b)],
  ['deflate', (b) => deflateSync(b)],
  // Some servers send raw RFC 1951 data under "deflate".
  ['deflate', (b) => deflateRawSync(b)],
  ['br', (b) => brotliCompressSync(b)],
  ['gzip, br', (b) => brotliCompressSync(gzipSync(b))],
];

async function compressingServer(coding: string, encode: (b: Buffer) => Buffer, plain: Buffer, type: string) {
  const body = encode(plain);
  return servers.start((_req, res) =>
    res
      .writeHead(200, { 'content-type': type, 'content-encoding': coding, 'content-length': body.length })
      .end(body),
  );
}

describe('a server that compresses', () => {
  it.each(CODINGS.map(([c, f], i) => [`${c} #${i}`, c, f] as const))(
    '%s: the body is decoded, the request offered the codings, the headers say what the body is',
    async (_label, coding, encode) => {
      const server = await compressingServer(coding, encode, SHOW, 'application/json; charset=utf-8');
      fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }) });
      const res = (await fetcher.fetch({
        platform: 'weibo',
        url: `https://m.weibo.cn/statuses/show?id=${MID}`,
      })) as HttpResponse;

      expect(res.ok).toBe(true);
      expect(res.undecodable).toBeUndefined();
      expect(res.body.equals(SHOW)).toBe(true);
      expect(server.seen[0]!.headers['accept-encoding']).toBe(ACCEPT_ENCODING);
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers['content-length']).toBeUndefined();
      expect(res.headers['x-archive-orig-content-encoding']).toBe(coding);
      expect(Number(res.headers['x-archive-orig-content-length'])).toBe(encode(SHOW).length);
      // The capture holds the decoded body, so its headers must not claim the encoding any more.
      const exchange = exchangeOf(res);
      expect(exchange.body.equals(SHOW)).toBe(true);
      expect(exchange.responseHeaders.map(([k]) => k)).not.toContain('content-encoding');
      expect(exchange.responseHeaders).toContainEqual(['x-archive-orig-content-encoding', coding]);
      expect(exchange.requestHeaders).toContainEqual(['accept-encoding', ACCEPT_ENCODING]);
    },
  );

  it('a gzipped statuses/show is checked alive by the Weibo adapter', async () => {
    const server = await compressingServer(
      'gzip',
      (b) => gzipSync(b),
      SHOW,
      'application/json; charset=utf-8',
    );
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }) });
    const adapter = new WeiboAdapter({ http: fetcher, clock: new ManualClock(1_700_000_000_000) });
    const { observations } = await adapter.check({ platform: 'weibo', kind: 'post', id: MID });

    expect(observations[0]).toMatchObject({ outcome: 'alive', target: { id: MID } });
    expect(observations[0]!.evidence!.body.equals(SHOW)).toBe(true);
  });

  it('a brotli NetEase article is checked alive by the NetEase adapter', async () => {
    const server = await compressingServer(
      'br',
      (b) => brotliCompressSync(b),
      ARTICLE,
      'text/html; charset=utf-8',
    );
    fetcher = new Fetcher({ platforms: platforms({}, { hosts: { 'www.163.com': server.base } }) });
    const adapter = new NeteaseAdapter({ http: fetcher, clock: new ManualClock(1_700_000_000_000) });
    const { observations } = await adapter.check({
      platform: 'netease',
      kind: 'post',
      id: 'KC12OUHK000189FH',
    });

    expect(observations[0]).toMatchObject({ outcome: 'alive' });
  });

  it('a caller that asks for no coding is not overruled', async () => {
    const server = await servers.start((_req, res) => res.end('plain'));
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }) });
    await fetcher.fetch({
      platform: 'weibo',
      url: 'https://m.weibo.cn/x',
      headers: { 'Accept-Encoding': 'identity' },
    });

    expect(server.seen[0]!.headers['accept-encoding']).toBe('identity');
  });
});

describe('a body that does not decode', () => {
  it('a 404 whose gzip is corrupt is unparseable, never gone, its bytes kept', async () => {
    const garbage = Buffer.concat([gzipSync(SHOW).subarray(0, 40), Buffer.from('not gzip at all')]);
    const server = await servers.start((_req, res) =>
      res.writeHead(404, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(garbage),
    );
    fetcher = new Fetcher({ platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }) });
    const adapter = new WeiboAdapter({ http: fetcher, clock: new ManualClock(1_700_000_000_000) });
    const { observations } = await adapter.check({ platform: 'weibo', kind: 'post', id: MID });

    expect(observations).toHaveLength(1);
    expect(observations[0]).toMatchObject({ outcome: 'unparseable' });
    expect(observations[0]!.message).toMatch(/gzip/);
    expect(observations[0]!.evidence!.body.equals(garbage)).toBe(true);
    // Still encoded, so the capture's header rightly says so.
    const [exchange] = observations[0]!.evidence!.exchanges!;
    expect(exchange!.body.equals(garbage)).toBe(true);
    expect(exchange!.responseHeaders).toContainEqual(['content-encoding', 'gzip']);
  });

  it('a gzip bomb stops at the size cap and comes back as an undecodable answer, not a heap', async () => {
    // 64 MiB of zeros, some 64 KiB on the wire: under the cap encoded, far over it decoded.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const server = await servers.start((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(bomb),
    );
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }),
      maxBodySize: 1024 * 1024,
    });
    const res = (await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/x' })) as HttpResponse;

    expect(res.ok).toBe(true);
    expect(res.undecodable).toMatch(/more than 1048576 bytes/);
    expect(res.body.equals(bomb)).toBe(true);
    expect(res.headers['content-encoding']).toBe('gzip');
  });
});
