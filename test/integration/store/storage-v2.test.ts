/**
 * The compact storage of unchanged checks (observations that refer to the row holding their
 * repeated columns, revisit captures, log heads without their previous head) against a database
 * written before it: test/fixtures/store-v13.sqlite was made by the store as it was then (36
 * observations of three posts, one edited, one deleted), and must open, migrate and verify.
 */
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { Observation } from '../../../src/domain/glossary';
import { Recorder } from '../../../src/engine/recorder';
import { Store } from '../../../src/store/store';
import { verifyStore } from '../../../src/store/verify';
import { rawSql } from '../../helpers/sql';
import { beforeTempRemoval, tempDir } from '../../helpers/temp';

const FIXTURE = join(__dirname, '..', '..', 'fixtures', 'store-v13.sqlite');
const T0 = Date.UTC(2023, 3, 27, 2, 0, 0);
const schedule = {
  discoverEvery: 600_000,
  ladder: [120_000],
  confirmGone: 2,
  confirmAfter: 60_000,
  jitter: 0,
};

function alive(id: string, at: number, version: number): Observation {
  const text = `联合国大会表决 ${id} 第${version}版`;
  const body = Buffer.from(JSON.stringify({ ok: 1, data: { id, text } }));
  const url = `https://m.weibo.cn/statuses/show?id=${id}`;
  return {
    target: { platform: 'weibo', kind: 'post', id },
    at,
    endpoint: 'm.statuses.show',
    outcome: 'alive',
    url: `https://m.weibo.cn/detail/${id}`,
    content: {
      html: text,
      text,
      author: { id: '6548090242', name: '小李' },
      createdAt: null,
      counts: { reposts: 1, comments: 0, likes: 0 },
      media: [],
      repostOf: null,
      editCount: version,
    },
    evidence: {
      url,
      finalUrl: url,
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body,
      exchanges: [
        {
          method: 'GET',
          url,
          requestHeaders: [
            ['host', 'm.weibo.cn'],
            ['accept', 'application/json'],
          ],
          status: 200,
          responseHeaders: [
            ['content-type', 'application/json; charset=utf-8'],
            ['date', new Date(at).toUTCString()],
          ],
          body,
        },
      ],
    },
  };
}

function openCopy(): { store: Store; file: string } {
  const file = join(tempDir('censorwatch-storage-v2-'), 'old.db');
  copyFileSync(FIXTURE, file);
  const store = Store.open(file);
  beforeTempRemoval(() => store.close());
  return { store, file };
}

function oldRows(): {
  observations: Record<string, unknown>[];
  captures: Record<string, unknown>[];
  head: string;
} {
  const raw = new Database(FIXTURE, { readonly: true });
  try {
    return {
      observations: raw.prepare(`SELECT * FROM observations ORDER BY id`).all() as Record<string, unknown>[],
      captures: raw.prepare(`SELECT * FROM captures ORDER BY observation_id`).all() as Record<
        string,
        unknown
      >[],
      head: (raw.prepare(`SELECT head FROM log_entries ORDER BY seq DESC LIMIT 1`).get() as { head: string })
        .head,
    };
  } finally {
    raw.close();
  }
}

function recordAgain(store: Store, id: string, at: number, version: number, dedupeKey?: string): void {
  const recorder = new Recorder(store, schedule, pino({ level: 'silent' }), () => 0.5);
  recorder.recordCheck(
    store.findTarget({ platform: 'weibo', kind: 'post', id })!,
    [alive(id, at, version)],
    dedupeKey ? { dedupeKey } : {},
  );
}

describe('storage of unchanged checks', () => {
  it('opens a database of the earlier layout, migrates it and verifies it clean, every row as it was', () => {
    const before = oldRows();
    expect(before.observations).toHaveLength(36);
    const { store } = openCopy();
    const report = verifyStore(store);
    expect(report.problems).toEqual([]);
    expect(report.entries).toBe(36);
    expect(report.head).toEqual({ seq: 36, head: before.head });
    expect(rawSql(store).query(`SELECT * FROM observations ORDER BY id`)).toEqual(before.observations);
    for (const c of before.captures) {
      const capture = store.captures.get(c.observation_id as number)!;
      expect(capture.sha256).toBe(c.sha256);
      expect(capture.exchanges[0]!.body.length).toBeGreaterThan(0);
    }
    const entries = store.log.entries();
    expect(entries[0]!.prev).toBe('0'.repeat(64));
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prev).toBe(entries[i - 1]!.head);
  });

  it('stores an unchanged check as a reference and a revisit, shows it whole, and verifies', () => {
    const { store } = openCopy();
    const id = '4895000000000001';
    recordAgain(store, id, T0 + 20 * 60_000, 0);
    recordAgain(store, id, T0 + 21 * 60_000, 0);
    const raw = rawSql(store);
    const rows = raw.query<Record<string, unknown>>(
      `SELECT * FROM observation_rows ORDER BY id DESC LIMIT 2`,
    );
    expect(rows.map((r) => [r.url, typeof r.ref])).toEqual([
      [null, 'number'],
      [null, 'number'],
    ]);
    const shown = raw.query<Record<string, unknown>>(
      `SELECT * FROM observations ORDER BY id DESC LIMIT 1`,
    )[0]!;
    expect(shown).toMatchObject({
      endpoint: 'm.statuses.show',
      http_status: 200,
      url: `https://m.weibo.cn/statuses/show?id=${id}`,
    });
    expect(shown.chain).toMatch(/^[0-9a-f]{64}$/);
    const capture = raw.query<Record<string, unknown>>(
      `SELECT * FROM captures WHERE observation_id = ?`,
      shown.id,
    )[0]!;
    expect(capture.sha256).toBeNull();
    expect(JSON.parse(capture.patch as string)).toEqual([[0, 1, (T0 + 21 * 60_000) / 1000]]);
    const exchange = store.captures.get(shown.id as number)!.exchanges[0]!;
    expect(exchange.responseHeaders).toEqual([
      ['content-type', 'application/json; charset=utf-8'],
      ['date', new Date(T0 + 21 * 60_000).toUTCString()],
    ]);
    expect(JSON.parse(exchange.body.toString('utf8'))).toEqual({
      ok: 1,
      data: { id, text: `联合国大会表决 ${id} 第0版` },
    });
    expect(verifyStore(store).problems).toEqual([]);
  });

  it('keeps the shape of a full capture, gives one to an older capture at its first revisit, and patches what differs', () => {
    const { store } = openCopy();
    const id = '4895000000000001';
    const raw = rawSql(store);
    const latestCapture = () =>
      raw.query<{
        observation_id: number;
        refers_to: number | null;
        patch: string | null;
        shape: string | null;
      }>(
        `SELECT observation_id, refers_to, patch, shape FROM captures ORDER BY observation_id DESC LIMIT 1`,
      )[0]!;
    const old = raw.query<{ observation_id: number; shape: string | null }>(
      `SELECT c.observation_id, c.shape FROM captures c JOIN observation_rows o ON o.id = c.observation_id
       JOIN targets t ON t.id = o.target_id WHERE t.native_id = ? ORDER BY c.observation_id DESC LIMIT 1`,
      id,
    )[0]!;
    expect(old.shape).toBeNull();
    recordAgain(store, id, T0 + 20 * 60_000, 0);
    expect(latestCapture().refers_to).toBe(old.observation_id);
    const shape = raw.query<{ shape: string | null }>(
      `SELECT shape FROM captures WHERE observation_id = ?`,
      old.observation_id,
    )[0]!.shape;
    expect(JSON.parse(shape!)).toEqual([
      expect.stringMatching(/^[0-9a-f]{64}$/),
      [[0, 1, expect.any(Number)]],
    ]);

    // A response with one more header is a new full capture, with its shape; a later one whose
    // header of the same name has another value is a revisit of it patching that value and the date.
    const traced = (at: number, trace: string): Observation => {
      const o = alive(id, at, 0);
      const e = o.evidence!.exchanges![0]!;
      return {
        ...o,
        evidence: {
          ...o.evidence!,
          exchanges: [{ ...e, responseHeaders: [...e.responseHeaders, ['x-trace', trace]] }],
        },
      };
    };
    const recorder = new Recorder(store, schedule, pino({ level: 'silent' }), () => 0.5);
    const target = () => store.findTarget({ platform: 'weibo', kind: 'post', id })!;
    recorder.recordCheck(target(), [traced(T0 + 22 * 60_000, 'a1')], {});
    const full = latestCapture();
    expect(full.refers_to).toBeNull();
    expect(full.shape).not.toBeNull();
    recorder.recordCheck(target(), [traced(T0 + 23 * 60_000, 'a1')], {});
    expect(latestCapture()).toMatchObject({ refers_to: full.observation_id });
    expect(JSON.parse(latestCapture().patch!)).toEqual([[0, 1, (T0 + 23 * 60_000) / 1000]]);
    recorder.recordCheck(target(), [traced(T0 + 24 * 60_000, 'b2')], {});
    const last = latestCapture();
    expect(last.refers_to).toBe(full.observation_id);
    expect(JSON.parse(last.patch!)).toEqual([
      [0, 1, (T0 + 24 * 60_000) / 1000],
      [0, 2, 'b2'],
    ]);
    expect(store.captures.get(last.observation_id)!.exchanges[0]!.responseHeaders).toEqual([
      ['content-type', 'application/json; charset=utf-8'],
      ['date', new Date(T0 + 24 * 60_000).toUTCString()],
      ['x-trace', 'b2'],
    ]);
    expect(verifyStore(store).problems).toEqual([]);
    expect(verifyStore(store).firstBroken).toBeNull();
  });

  it("keeps a check's own key as a number and still ignores the same key twice", () => {
    const { store } = openCopy();
    const id = '4895000000000001';
    const row = store.findTarget({ platform: 'weibo', kind: 'post', id })!;
    const key = `c-${row.rowId}-${row.state.observations}`;
    recordAgain(store, id, T0 + 20 * 60_000, 0, key);
    recordAgain(store, id, T0 + 21 * 60_000, 0, key);
    recordAgain(store, id, T0 + 22 * 60_000, 0, 'x-other');
    const raw = rawSql(store);
    expect(
      raw.query(
        `SELECT dedupe_key, check_no FROM observation_rows WHERE target_id = ? ORDER BY id DESC LIMIT 2`,
        row.rowId,
      ),
    ).toEqual([
      { dedupe_key: 'x-other#0', check_no: null },
      { dedupe_key: null, check_no: row.state.observations * 16 },
    ]);
    expect(
      raw.query(
        `SELECT dedupe_key FROM observations WHERE target_id = ? ORDER BY id DESC LIMIT 2`,
        row.rowId,
      ),
    ).toEqual([{ dedupe_key: 'x-other#0' }, { dedupe_key: `${key}#0` }]);
    expect(store.observations.hasDedupeKey(`${key}#0`)).toBe(true);
    expect(store.observations.hasDedupeKey(`${key}#1`)).toBe(false);
    expect(store.observationsOf(row.rowId)).toHaveLength(14);
    expect(verifyStore(store).problems).toEqual([]);
  });

  it('catches a changed revisit, a changed repeated column and a lost original capture', () => {
    const { store } = openCopy();
    const id = '4895000000000001';
    recordAgain(store, id, T0 + 20 * 60_000, 0);
    recordAgain(store, id, T0 + 21 * 60_000, 0);
    const raw = rawSql(store);
    const last = raw.query<{ id: number; ref: number }>(
      `SELECT id, ref FROM observation_rows ORDER BY id DESC LIMIT 1`,
    )[0]!;
    const seq = store.log.entryOf(last.id)!.seq;

    const patch = raw.query<{ patch: string }>(
      `SELECT patch FROM captures WHERE observation_id = ?`,
      last.id,
    )[0]!.patch;
    const later = JSON.stringify([[0, 1, (T0 + 21 * 60_000) / 1000 + 1]]);
    raw.run(`UPDATE captures SET patch = ? WHERE observation_id = ?`, later, last.id);
    expect(verifyStore(store).firstBroken?.seq).toBe(seq);
    raw.run(`UPDATE captures SET patch = ? WHERE observation_id = ?`, patch, last.id);
    expect(verifyStore(store).problems).toEqual([]);

    // The column it shares with the row it refers to: changed there, every referring entry breaks.
    raw.run(`UPDATE observation_rows SET final_url = 'https://example.org/' WHERE id = ?`, last.ref);
    const report = verifyStore(store);
    expect(report.firstBroken?.seq).toBe(store.log.entryOf(last.ref)!.seq);
    expect(report.problems.some((p) => p.startsWith(`log entry ${seq} `))).toBe(true);
    raw.run(
      `UPDATE observations SET final_url = ? WHERE id = ?`,
      `https://m.weibo.cn/statuses/show?id=${id}`,
      last.ref,
    );
    expect(verifyStore(store).problems).toEqual([]);

    const base = raw.query<{ refers_to: number }>(
      `SELECT refers_to FROM captures WHERE observation_id = ?`,
      last.id,
    )[0]!;
    raw.run(`DELETE FROM captures WHERE observation_id = ?`, base.refers_to);
    const lost = verifyStore(store);
    expect(lost.problems).toContain(`capture of observation ${last.id}: the capture it revisits is missing`);
    expect(lost.firstBroken?.seq).toBe(store.log.entryOf(base.refers_to)!.seq);
  });
});
