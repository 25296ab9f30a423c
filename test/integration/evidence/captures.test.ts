import { createHash } from 'node:crypto';
import { WARCParser } from 'warcio';
import { writeWarc, cdxjOf } from '../../../src/evidence/warc';
import { Fetcher } from '../../../src/http/fetcher';
import { evidenceOf } from '../../../src/platforms/evidence';
import { verifyStore } from '../../../src/store/verify';
import { Servers, platforms } from '../http/helpers';
import { MIN, REMOVED, T0, check, content, ref, tempDb } from './helpers';
import { rawSql } from '../../helpers/sql';

const servers = new Servers();
let fetcher: Fetcher | null = null;
let db: ReturnType<typeof tempDb>;
beforeEach(() => (db = tempDb()));
afterEach(async () => {
  await fetcher?.close();
  fetcher = null;
  await servers.closeAll();
  db.cleanup();
});

const ID = '4895000000000044';
const sha256 = (b: Buffer | Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A statuses/show stand-in: alive until `gone` is set, with a fixed Date so responses repeat byte for byte. */
async function weibo(state: { gone: boolean }): Promise<string> {
  const server = await servers.start((_req, res) => {
    const body = state.gone
      ? JSON.stringify({ ok: 0, msg: REMOVED })
      : JSON.stringify({ ok: 1, data: { id: ID, text: '联合国大会表决' } });
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      date: 'Thu, 27 Apr 2023 02:00:00 GMT',
      'set-cookie': ['SUB=secret-session-token; Path=/; HttpOnly', 'XSRF-TOKEN=abc123; Path=/'],
    });
    res.end(body);
  });
  return server.base;
}

async function fetchShow() {
  const r = await fetcher!.fetch({
    platform: 'weibo',
    url: `https://m.weibo.cn/statuses/show?id=${ID}`,
    headers: { cookie: 'SUB=my-login-cookie; SUBP=0033', accept: 'application/json' },
  });
  if (!r.ok) throw new Error(r.message);
  return r;
}

describe('captures', () => {
  it('archives what the wire carried as WARC/1.1 request and response records, cookie values redacted', async () => {
    const state = { gone: false };
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': await weibo(state) }, minInterval: 0 }),
    });
    const res = await fetchShow();
    check(db.store, db.recorder, {
      target: ref(ID),
      at: T0,
      endpoint: 'm.statuses.show',
      outcome: 'alive',
      content: content('联合国大会表决'),
      evidence: evidenceOf(res),
    });
    const obs = db.store.observationsOf(db.store.findTarget(ref(ID))!.rowId);
    const capture = db.store.captures.get(obs[0]!.id as number)!;
    expect(capture).toBeDefined();
    expect(JSON.parse(db.store.log.factsOf(db.store.log.at(1)!)!).captureSha256).toBe(capture.sha256);

    const warc = await writeWarc(
      'captures.warc.gz',
      [
        {
          at: T0,
          exchanges: capture.exchanges,
          key: `${capture.sha256}@${T0}`,
          metadata: [['observation', '1']],
        },
      ],
      [],
      'censorwatch test',
    );
    const records = [];
    for await (const r of WARCParser.iterRecords([warc.bytes])) {
      const payload = Buffer.from(await r.readFully(false));
      records.push({ r, payload });
    }
    expect(records.map((x) => x.r.warcType)).toEqual(['warcinfo', 'response', 'request', 'metadata']);
    const [, response, request, metadata] = records;
    expect(response!.r.warcHeader('WARC-Target-URI')).toBe(`https://m.weibo.cn/statuses/show?id=${ID}`);
    expect(response!.r.warcHeader('WARC-Date')).toBe(new Date(T0).toISOString());
    expect(response!.r.httpHeaders!.statusline).toBe('HTTP/1.1 200 OK');
    expect(response!.payload.equals(res.body)).toBe(true);
    expect(response!.r.warcHeader('WARC-Payload-Digest')).toBe(`sha256:${obs[0]!.body_hash as string}`);
    expect(response!.r.warcHeader('WARC-Payload-Digest')).toBe(`sha256:${sha256(response!.payload)}`);
    const setCookies = response!.r.httpHeaders!.headers as unknown as Iterable<[string, string]>;
    const cookies = [...setCookies].filter(([k]) => k.toLowerCase() === 'set-cookie').map(([, v]) => v);
    expect(cookies).toEqual(['SUB=[redacted]; Path=/; HttpOnly', 'XSRF-TOKEN=[redacted]; Path=/']);
    expect(request!.r.httpHeaders!.statusline).toBe(`GET /statuses/show?id=${ID} HTTP/1.1`);
    expect(request!.r.httpHeaders!.headers.get('host')).toBe('m.weibo.cn');
    expect(request!.r.httpHeaders!.headers.get('cookie')).toBe('SUB=[redacted]; SUBP=[redacted]');
    expect(request!.r.warcHeader('WARC-Concurrent-To')).toBe(response!.r.warcHeader('WARC-Record-ID'));
    expect(response!.r.warcHeader('WARC-Concurrent-To')).toBe(request!.r.warcHeader('WARC-Record-ID'));
    // The fetch's metadata record is of the same capture event as both.
    expect(metadata!.r.warcHeader('Content-Type')).toBe('application/warc-fields');
    expect(metadata!.payload.toString('utf8')).toBe('observation: 1\r\n');
    expect(metadata!.r.warcHeader('WARC-Concurrent-To')).toBe(
      `${response!.r.warcHeader('WARC-Record-ID')!}, ${request!.r.warcHeader('WARC-Record-ID')!}`,
    );
    expect(warc.bytes.includes('secret-session-token')).toBe(false);
    expect(warc.bytes.includes('my-login-cookie')).toBe(false);

    const cdxj = await cdxjOf('captures.warc.gz', warc.bytes);
    expect(cdxj).toMatch(/^cn,weibo,m\)\/statuses\/show\?id=4895000000000044 20230427020000 \{/);
    const line = JSON.parse(cdxj.slice(cdxj.indexOf('{'))) as Record<string, string>;
    expect(Number(line.offset)).toBe(warc.records[1]!.offset);
    expect(line.status).toBe('200');
  });

  it('stores only digests and a time for a response that did not change, and a new body when it did', async () => {
    const state = { gone: false };
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': await weibo(state) }, minInterval: 0 }),
    });
    const observe = async (at: number) => {
      const res = await fetchShow();
      const gone = state.gone;
      check(db.store, db.recorder, {
        target: ref(ID),
        at,
        endpoint: 'm.statuses.show',
        outcome: gone ? 'removed_by_platform' : 'alive',
        ...(gone ? { message: REMOVED } : { content: content('联合国大会表决') }),
        evidence: evidenceOf(res),
      });
    };
    const blobs = () => rawSql(db.store).query<{ n: number }>(`SELECT COUNT(*) AS n FROM blobs`)[0]!.n;
    await observe(T0);
    const afterFirst = blobs();
    await observe(T0 + 2 * MIN);
    await observe(T0 + 4 * MIN);
    expect(blobs()).toBe(afterFirst);
    state.gone = true;
    await observe(T0 + 6 * MIN);
    // The new body and the new response document; the request did not change.
    expect(blobs()).toBe(afterFirst + 2);
    expect(verifyStore(db.store).problems).toEqual([]);
  });

  it("gives the observation, its capture and its blob the body's own SHA-256, and an exchange with a body of its own its own", () => {
    const body = Buffer.from(JSON.stringify({ ok: 0, msg: REMOVED }), 'utf8');
    // The same bytes in another Buffer, and other bytes: neither is the observation's body object.
    const twin = Buffer.from(body);
    const page = Buffer.from('{"ok":1,"page":2}', 'utf8');
    const exchange = (b: Buffer) => ({
      method: 'GET',
      url: `https://m.weibo.cn/statuses/show?id=${ID}`,
      requestHeaders: [['host', 'm.weibo.cn']] as const,
      status: 200,
      responseHeaders: [['content-type', 'application/json']] as const,
      body: b,
    });
    const url = `https://m.weibo.cn/statuses/show?id=${ID}`;
    check(db.store, db.recorder, {
      target: ref(ID),
      at: T0,
      endpoint: 'm.statuses.show',
      outcome: 'removed_by_platform',
      message: REMOVED,
      evidence: {
        url,
        finalUrl: url,
        status: 200,
        contentType: 'application/json',
        body,
        exchanges: [exchange(page), exchange(body), exchange(twin)],
      },
    });
    const [obs] = db.store.observationsOf(db.store.findTarget(ref(ID))!.rowId);
    expect(obs!.body_hash).toBe(sha256(body));
    const capture = db.store.captures.get(obs!.id as number)!;
    expect(capture.exchanges.map((e) => e.payloadSha256)).toEqual([sha256(page), sha256(body), sha256(body)]);
    expect(capture.exchanges.map((e) => e.body.toString('utf8'))).toEqual([
      page.toString('utf8'),
      body.toString('utf8'),
      body.toString('utf8'),
    ]);
    expect(db.store.getBlob(sha256(body))?.equals(body)).toBe(true);
    expect(verifyStore(db.store).problems).toEqual([]);
  });

  it('a capture whose digest or documents were changed fails verify', async () => {
    const state = { gone: false };
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': await weibo(state) }, minInterval: 0 }),
    });
    check(db.store, db.recorder, {
      target: ref(ID),
      at: T0,
      endpoint: 'm.statuses.show',
      outcome: 'alive',
      content: content('联合国大会表决'),
      evidence: evidenceOf(await fetchShow()),
    });
    const other = db.store.putBlob(Buffer.from('[]'));
    for (const column of ['request_hash', 'response_hash', 'sha256']) {
      const before = rawSql(db.store).query<Record<string, string>>(`SELECT ${column} AS v FROM captures`)[0]!
        .v;
      rawSql(db.store).run(`UPDATE captures SET ${column} = ?`, other);
      const r = verifyStore(db.store);
      expect({ column, problems: r.problems.some((p) => p.startsWith('capture of observation')) }).toEqual({
        column,
        problems: true,
      });
      // The log entry commits to the capture's digest: a replaced digest breaks the log there.
      if (column === 'sha256') expect(r.firstBroken?.seq).toBe(1);
      rawSql(db.store).run(`UPDATE captures SET ${column} = ?`, before);
    }
    expect(verifyStore(db.store).problems).toEqual([]);
  });
});
