/**
 * A target's row names its latest observation (`targets.last_observation`) instead of an index
 * on (target_id, id) finding it: the pointer must follow every way an observation is written, and
 * a database of the earlier layout (test/fixtures/store-v13.sqlite) gets it on migration.
 */
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
const ID = '4895000000000001';
const schedule = {
  discoverEvery: 600_000,
  ladder: [120_000],
  confirmGone: 2,
  confirmAfter: 60_000,
  jitter: 0,
};

function alive(at: number): Observation {
  const text = `联合国大会表决 ${ID} 第0版`;
  const body = Buffer.from(JSON.stringify({ ok: 1, data: { id: ID, text } }));
  const url = `https://m.weibo.cn/statuses/show?id=${ID}`;
  return {
    target: { platform: 'weibo', kind: 'post', id: ID },
    at,
    endpoint: 'm.statuses.show',
    outcome: 'alive',
    url: `https://m.weibo.cn/detail/${ID}`,
    content: {
      html: text,
      text,
      author: { id: '6548090242', name: '小李' },
      createdAt: null,
      counts: { reposts: 1, comments: 0, likes: 0 },
      media: [],
      repostOf: null,
      editCount: 0,
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
          requestHeaders: [['host', 'm.weibo.cn']],
          status: 200,
          responseHeaders: [['date', new Date(at).toUTCString()]],
          body,
        },
      ],
    },
  };
}

function openCopy(): Store {
  const file = join(tempDir('censorwatch-latest-pointer-'), 'old.db');
  copyFileSync(FIXTURE, file);
  const store = Store.open(file);
  beforeTempRemoval(() => store.close());
  return store;
}

function check(store: Store, at: number, dedupeKey?: string): void {
  const recorder = new Recorder(store, schedule, pino({ level: 'silent' }), () => 0.5);
  recorder.recordCheck(
    store.findTarget({ platform: 'weibo', kind: 'post', id: ID })!,
    [alive(at)],
    dedupeKey ? { dedupeKey } : {},
  );
}

/** Targets whose pointer is not their newest observation. */
function misPointed(store: Store): unknown[] {
  return rawSql(store).query(
    `SELECT t.id, t.last_observation, (SELECT MAX(o.id) FROM observation_rows o WHERE o.target_id = t.id) AS newest
     FROM targets t WHERE t.last_observation IS NOT (SELECT MAX(o.id) FROM observation_rows o WHERE o.target_id = t.id)`,
  );
}

const targetRow = (store: Store): number =>
  rawSql(store).query<{ id: number }>(`SELECT id FROM targets WHERE native_id = ?`, ID)[0]!.id;

describe("a target's pointer to its latest observation", () => {
  it('is set on migration, the (target_id, id) index is gone and the check index covers every row', () => {
    const store = openCopy();
    expect(misPointed(store)).toEqual([]);
    const indexes = rawSql(store).query<{ name: string; partial: number; unique: number }>(
      `SELECT name, partial, "unique" FROM pragma_index_list('observation_rows') ORDER BY name`,
    );
    expect(indexes).toEqual([
      { name: 'observation_rows_check', partial: 0, unique: 1 },
      { name: 'observation_rows_dedupe', partial: 1, unique: 1 },
    ]);
  });

  it('follows each recorded check, and a check recorded twice under its key is stored once', () => {
    const store = openCopy();
    const count = (): number =>
      rawSql(store).query<{ n: number }>(`SELECT COUNT(*) AS n FROM observation_rows`)[0]!.n;
    const rowId = targetRow(store);
    check(store, T0 + 20 * 60_000, `c-${rowId}-12`);
    check(store, T0 + 21 * 60_000, `c-${rowId}-13`);
    const n = count();
    check(store, T0 + 22 * 60_000, `c-${rowId}-13`);
    expect(count()).toBe(n);
    expect(misPointed(store)).toEqual([]);
    // The last check is stored as a reference to a row of its own target.
    const last = rawSql(store).query<{ target_id: number; ref: number | null; ref_target: number | null }>(
      `SELECT o.target_id, o.ref, r.target_id AS ref_target FROM observation_rows o
       LEFT JOIN observation_rows r ON r.id = o.ref ORDER BY o.id DESC LIMIT 1`,
    )[0]!;
    expect(last.ref).not.toBeNull();
    expect(last.ref_target).toBe(rowId);
    expect(verifyStore(store).problems).toEqual([]);
  });

  it('follows rows written and deleted through the view, and a check after them is stored whole or by reference alike', () => {
    const store = openCopy();
    const rowId = targetRow(store);
    check(store, T0 + 20 * 60_000);
    const raw = rawSql(store);
    const newest = raw.query<{ id: number }>(
      `SELECT MAX(id) AS id FROM observation_rows WHERE target_id = ?`,
      rowId,
    )[0]!.id;
    raw.run(`DELETE FROM observations WHERE id = ?`, newest);
    expect(misPointed(store)).toEqual([]);
    raw.run(
      `INSERT INTO observations (target_id, at, endpoint, outcome, message, http_status, url, final_url, chain)
       VALUES (?, ?, 'm.statuses.show', 'rate_limited', NULL, 418, 'u', 'u', 'x')`,
      rowId,
      T0 + 21 * 60_000,
    );
    expect(misPointed(store)).toEqual([]);
    check(store, T0 + 22 * 60_000);
    expect(misPointed(store)).toEqual([]);
    const shown = raw.query<Record<string, unknown>>(
      `SELECT outcome, http_status, url FROM observations WHERE target_id = ? ORDER BY id DESC LIMIT 1`,
      rowId,
    )[0]!;
    expect(shown).toEqual({
      outcome: 'alive',
      http_status: 200,
      url: `https://m.weibo.cn/statuses/show?id=${ID}`,
    });
  });
});
