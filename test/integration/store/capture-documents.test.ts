import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import pino from 'pino';
import type { Exchange, HeaderPair, Observation } from '../../../src/domain/glossary';
import { Recorder } from '../../../src/engine/recorder';
import { verifyStore } from '../../../src/store/verify';
import { rawSql } from '../../helpers/sql';
import { tempDatabase } from '../../helpers/temp-db';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);
const schedule = { ladder: [MIN], jitter: 0, confirmGone: 2, confirmAfter: MIN, discoverEvery: MIN };
const REFERENCE = join(__dirname, '../../fixtures/reference');
const sha256 = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');

/** Real responses (test/fixtures/reference), each with the headers a platform sends and some it might. */
const BODIES = {
  weibo: readFileSync(join(REFERENCE, 'weibo/m_statuses_show_repost_2019.json')),
  netease: readFileSync(join(REFERENCE, 'netease/article_news_KC12OUHK000189FH.trimmed.html')),
};

function responseHeaders(at: number, trace: string): HeaderPair[] {
  const date = new Date(at - (at % 1000)).toUTCString();
  return [
    ['server', 'SHANHAI-SERVER'],
    ['date', date],
    ['content-type', 'application/json; charset=utf-8'],
    // Not dates, though 29 characters ending in GMT: a wrong weekday, a 60th second.
    ['x-not-a-date', 'Mon, 10 Jan 2024 02:00:00 GMT'],
    ['x-leap', 'Wed, 10 Jan 2024 02:00:60 GMT'],
    ['last-modified', new Date(T0 - 86_400_000).toUTCString()],
    ['x-quoted', `"etag\\${trace}" \u0007 \u2028 微博 \ud83d\ude00`],
    ['set-cookie', `SUB=[redacted]; expires=${date}; path=/`],
  ];
}

function exchange(url: string, at: number, body: Buffer, trace: string): Exchange {
  return {
    method: 'GET',
    url,
    requestHeaders: [
      ['accept', 'application/json, text/plain, */*'],
      ['user-agent', 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_0 like Mac OS X)'],
      ['cookie', 'SUB=[redacted]'],
    ],
    status: 200,
    responseHeaders: responseHeaders(at, trace),
    body,
  };
}

function observation(id: string, at: number, body: Buffer, trace: string, second?: Buffer): Observation {
  const url = `https://m.weibo.cn/statuses/show?id=${id}`;
  const exchanges = [exchange(url, at, body, trace)];
  if (second) exchanges.push({ ...exchange(`${url}&more=1`, at, second, trace), status: 404 });
  return {
    target: { platform: 'weibo', kind: 'post', id },
    at,
    endpoint: 'm.statuses.show',
    outcome: 'alive',
    url,
    evidence: { url, finalUrl: url, status: 200, contentType: 'application/json', body, exchanges },
    content: {
      html: 'text',
      text: 'text',
      author: { id: 'a1', name: 'name-a1' },
      createdAt: new Date(T0 - MIN).toISOString(),
      counts: { reposts: null, comments: null, likes: null },
      media: [],
      repostOf: null,
      editCount: null,
    },
  } as Observation;
}

/** The response document as captures have always stored it: JSON.stringify of status, headers, payload. */
function documentOf(o: Observation): string {
  return JSON.stringify(
    o.evidence!.exchanges!.map((e) => ({
      status: e.status,
      headers: e.responseHeaders,
      payload: sha256(e.body),
    })),
  );
}

/** Its shape: the digest of the document with every value that prints back as an HTTP date nulled. */
function shapeOf(o: Observation): string {
  const dates: number[][] = [];
  const skeleton = o.evidence!.exchanges!.map((e, i) => ({
    status: e.status,
    headers: e.responseHeaders.map(([name, value], j) => {
      const ms = Date.parse(value);
      if (value.length !== 29 || !Number.isFinite(ms) || new Date(ms).toUTCString() !== value)
        return [name, value];
      dates.push([i, j, ms / 1000]);
      return [name, null];
    }),
    payload: sha256(e.body),
  }));
  return JSON.stringify([sha256(JSON.stringify(skeleton)), dates]);
}

describe('the documents of a capture', () => {
  it('are stored byte for byte as JSON.stringify gave them, real responses and odd header values alike, and so are their shapes and revisits', () => {
    const { store } = tempDatabase('censorwatch-capture-documents-');
    store.syncWatches([{ id: 'w', name: 'w' }], [], T0);
    const recorder = new Recorder(store, schedule, pino({ level: 'silent' }), () => 0.5);
    const raw = rawSql(store);
    const captureOf = (observationId: number) =>
      raw.query<{
        response_hash: string | null;
        shape: string | null;
        refers_to: number | null;
        patch: string | null;
        sha256: string | null;
      }>(
        `SELECT response_hash, shape, refers_to, patch, sha256 FROM captures WHERE observation_id = ?`,
        observationId,
      )[0]!;
    const blob = (hash: string) =>
      gunzipSync(raw.query<{ gz: Buffer }>(`SELECT gz FROM blobs WHERE hash = ?`, hash)[0]!.gz).toString(
        'utf8',
      );
    const cases: [string, Buffer, Buffer?][] = [
      ['4383000000000001', BODIES.weibo],
      ['4383000000000002', BODIES.netease],
      ['4383000000000003', BODIES.weibo, BODIES.netease],
    ];
    for (const [id, body, second] of cases) {
      store.ensureTarget({ platform: 'weibo', kind: 'post', id }, '', ['w'], 'post', T0, T0);
      let full: number | undefined;
      // A first check, two unchanged ones a minute apart, one whose quoted header changed.
      for (const [k, trace] of ['a', 'a', 'a', 'b'].entries()) {
        const o = observation(id, T0 + k * MIN + 123, body, trace, second);
        recorder.recordCheck(store.findTarget(o.target)!, [o], {});
        const observationId = raw.query<{ id: number }>(`SELECT MAX(id) AS id FROM observation_rows`)[0]!.id;
        const row = captureOf(observationId);
        const capture = store.captures.get(observationId)!;
        expect(capture.responseHash).toBe(sha256(documentOf(o)));
        expect(capture.exchanges.map((e) => e.responseHeaders)).toEqual(
          o.evidence!.exchanges!.map((e) => e.responseHeaders),
        );
        if (k === 0) {
          full = observationId;
          expect(blob(row.response_hash!)).toBe(documentOf(o));
          expect(row.shape).toBe(shapeOf(o));
        } else {
          expect(row.refers_to).toBe(full);
          const patch = JSON.parse(row.patch!) as unknown[];
          const dates = (second ? [0, 1] : [0]).flatMap((i) => [
            [i, 1, (T0 + k * MIN) / 1000],
            [i, 7, `SUB=[redacted]; expires=${new Date(T0 + k * MIN).toUTCString()}; path=/`],
          ]);
          const quoted = (second ? [0, 1] : [0]).map((i) => [i, 6, responseHeaders(0, 'b')[6]![1]]);
          expect(patch).toEqual(
            trace === 'b'
              ? [...dates, ...quoted].sort(
                  (x, y) => Number(x[0]) - Number(y[0]) || Number(x[1]) - Number(y[1]),
                )
              : dates,
          );
        }
      }
    }
    // What the documents, shapes and patches hashed to as captures stored them before.
    const all = raw.query<Record<string, unknown>>(
      `SELECT observation_id, request_hash, response_hash, payload_hash, sha256, refers_to, patch, shape FROM captures ORDER BY observation_id`,
    );
    expect(sha256(JSON.stringify(all))).toBe(
      'cb25d7693f1306cee9707b7280cf51f89bed3126e0d388eb6a69db987cb99864',
    );
    expect(verifyStore(store).problems).toEqual([]);
  });
  it('are a revisit only while the requests are those of the base, even when the caller changes its header arrays in place', () => {
    const { store } = tempDatabase('censorwatch-capture-requests-');
    store.syncWatches([{ id: 'w', name: 'w' }], [], T0);
    const recorder = new Recorder(store, schedule, pino({ level: 'silent' }), () => 0.5);
    const raw = rawSql(store);
    const id = '4383000000000009';
    store.ensureTarget({ platform: 'weibo', kind: 'post', id }, '', ['w'], 'post', T0, T0);
    const headers: [string, string][] = [
      ['accept', 'application/json'],
      ['cookie', 'SUB=[redacted]'],
    ];
    const requestsOf = (o: Observation): string =>
      JSON.stringify(
        o.evidence!.exchanges!.map((e) => ({ method: e.method, url: e.url, headers: e.requestHeaders })),
      );
    const check = (k: number): { request: string; refersTo: number | null; hash: string } => {
      const o = observation(id, T0 + k * MIN, BODIES.weibo, 'a');
      const exchanges = o.evidence!.exchanges!.map((e) => ({ ...e, requestHeaders: headers }));
      const withHeaders = { ...o, evidence: { ...o.evidence!, exchanges } } as Observation;
      recorder.recordCheck(store.findTarget(o.target)!, [withHeaders], {});
      const observationId = raw.query<{ id: number }>(`SELECT MAX(id) AS id FROM observation_rows`)[0]!.id;
      const row = raw.query<{ refers_to: number | null }>(
        `SELECT refers_to FROM captures WHERE observation_id = ?`,
        observationId,
      )[0]!;
      return {
        request: requestsOf(withHeaders),
        refersTo: row.refers_to,
        hash: store.captures.get(observationId)!.requestHash,
      };
    };
    const first = check(0);
    expect(first.refersTo).toBeNull();
    expect(first.hash).toBe(sha256(first.request));
    const same = check(1);
    expect(same.refersTo).not.toBeNull();
    expect(same.hash).toBe(first.hash);
    // The very array the first check was recorded with, changed: a new request document.
    headers[1] = ['cookie', 'SUB=[other]'];
    const changed = check(2);
    expect(changed.refersTo).toBeNull();
    expect(changed.hash).toBe(sha256(changed.request));
    expect(changed.hash).not.toBe(first.hash);
    expect(verifyStore(store).problems).toEqual([]);
  });
});
