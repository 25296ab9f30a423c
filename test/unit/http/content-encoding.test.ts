import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { ManualClock } from '../../../src/domain/clock';
import { decodeContent } from '../../../src/http/content-encoding';
import type { FetchResult, HttpClient, HttpRequest } from '../../../src/http/types';
import { NeteaseAdapter } from '../../../src/platforms/netease/adapter';
import { WeiboAdapter } from '../../../src/platforms/weibo/adapter';

const TEXT = Buffer.from(JSON.stringify({ ok: 1, data: { text: '联合国'.repeat(200) } }), 'utf8');
const CAP = 1024 * 1024;

describe('decodeContent', () => {
  it.each([
    ['gzip', gzipSync(TEXT)],
    ['x-gzip', gzipSync(TEXT)],
    ['GZIP', gzipSync(TEXT)],
    ['deflate', deflateSync(TEXT)],
    ['deflate', deflateRawSync(TEXT)],
    ['br', brotliCompressSync(TEXT)],
    ['identity, gzip', gzipSync(TEXT)],
    ['deflate, br', brotliCompressSync(deflateSync(TEXT))],
  ])('decodes %s', (coding, body) => {
    const d = decodeContent({ 'content-encoding': coding, 'content-length': String(body.length) }, body, CAP);
    expect(d.ok && d.body.equals(TEXT)).toBe(true);
    expect(d.ok && d.headers).toEqual({
      'x-archive-orig-content-encoding': coding,
      'x-archive-orig-content-length': String(body.length),
    });
  });

  it('leaves an identity body and its headers as they are', () => {
    const headers = { 'content-encoding': 'identity', 'content-length': '3' };
    const d = decodeContent(headers, Buffer.from('abc'), CAP);
    expect(d).toEqual({ ok: true, body: Buffer.from('abc'), headers });
  });

  it('leaves an empty body alone whatever its header says (204, 304)', () => {
    const d = decodeContent({ 'content-encoding': 'gzip' }, Buffer.alloc(0), CAP);
    expect(d.ok).toBe(true);
  });

  it.each([
    ['gzip', Buffer.from('this is not gzip'), /gzip body does not decode/],
    ['gzip', gzipSync(TEXT).subarray(0, 30), /gzip body does not decode/],
    ['br', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00]), /br body does not decode/],
    ['deflate', Buffer.from('not deflate either'), /deflate body does not decode/],
    ['zstd', gzipSync(TEXT), /unknown content-encoding "zstd"/],
    ['compress', gzipSync(TEXT), /unknown content-encoding/],
    // An Object property name is no coding.
    ['constructor', gzipSync(TEXT), /unknown content-encoding/],
    ['gzip, snappy', gzipSync(TEXT), /unknown content-encoding/],
  ])('%s that does not decode says why', (coding, body, reason) => {
    const d = decodeContent({ 'content-encoding': coding }, body, CAP);
    expect(d.ok).toBe(false);
    expect(!d.ok && d.reason).toMatch(reason);
  });

  it.each([
    ['gzip', gzipSync(Buffer.alloc(4 * CAP))],
    ['br', brotliCompressSync(Buffer.alloc(4 * CAP))],
    ['deflate', deflateSync(Buffer.alloc(4 * CAP))],
  ])('%s that decodes past the cap stops there', (coding, body) => {
    const d = decodeContent({ 'content-encoding': coding }, body, CAP);
    expect(!d.ok && d.reason).toBe(`${coding} body decodes to more than ${CAP} bytes`);
  });
});

/** Answers every request with the same undecodable response. */
class Undecodable implements HttpClient {
  readonly asked: string[] = [];
  constructor(private readonly status: number) {}
  fetch(req: HttpRequest): Promise<FetchResult> {
    this.asked.push(req.url);
    return Promise.resolve({
      ok: true,
      url: req.url,
      finalUrl: req.url,
      redirects: [],
      status: this.status,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      setCookies: [],
      body: Buffer.from('garbage'),
      undecodable: 'gzip body does not decode: incorrect header check',
    });
  }
}

const clock = new ManualClock(1_700_000_000_000);

describe('adapters never read an undecodable body', () => {
  it.each([200, 404, 410])(
    'a Weibo post whose answer (HTTP %i) did not decode is unparseable',
    async (status) => {
      const http = new Undecodable(status);
      const { observations } = await new WeiboAdapter({ http, clock }).check({
        platform: 'weibo',
        kind: 'post',
        id: '4383411844046171',
      });
      expect(observations).toHaveLength(1);
      expect(observations[0]).toMatchObject({
        outcome: 'unparseable',
        message: `HTTP ${status}: gzip body does not decode: incorrect header check`,
      });
      expect(observations[0]!.evidence!.body.toString()).toBe('garbage');
    },
  );

  it('a Weibo comment thread whose page did not decode is unparseable', async () => {
    const { observations } = await new WeiboAdapter({ http: new Undecodable(404), clock }).check({
      platform: 'weibo',
      kind: 'thread',
      id: '4383411844046171',
    });
    expect(observations.map((o) => o.outcome)).toEqual(['unparseable']);
  });

  it('a Weibo search page that did not decode is an unparseable listing', async () => {
    const l = await new WeiboAdapter({ http: new Undecodable(200), clock }).discover({
      mode: 'keyword',
      query: '联合国',
    });
    expect(l).toMatchObject({ outcome: 'unparseable', observations: [], nextCursor: null });
    expect(l.evidence!.body.toString()).toBe('garbage');
  });

  it.each([
    ['post', 404],
    ['thread', 404],
  ] as const)('a NetEase %s whose answer (HTTP %i) did not decode is unparseable', async (kind, status) => {
    const { observations } = await new NeteaseAdapter({ http: new Undecodable(status), clock }).check({
      platform: 'netease',
      kind,
      id: 'KC12OUHK000189FH',
    });
    expect(observations.map((o) => o.outcome)).toEqual(['unparseable']);
  });

  it('a NetEase search page that did not decode is an unparseable listing', async () => {
    const l = await new NeteaseAdapter({ http: new Undecodable(200), clock }).discover({
      mode: 'keyword',
      query: '联合国',
    });
    expect(l.outcome).toBe('unparseable');
  });
});
