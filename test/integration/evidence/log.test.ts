import Database from 'better-sqlite3';
import { gunzipSync, gzipSync } from 'node:zlib';
import { GENESIS } from '../../../src/store/log';
import { MIGRATIONS } from '../../../src/store/schema';
import { chainHash, Store } from '../../../src/store/store';
import { verifyStore } from '../../../src/store/verify';
import pino from 'pino';
import { Recorder } from '../../../src/engine/recorder';
import { alive, check, POSTS, recordStory, ref, removed, SCHEDULE, T0, MIN, tempDb } from './helpers';

/**
 * Whoever holds the database file is the adversary here: each test tampers with the file directly
 * (as `sqlite3` would) and expects `verify` to notice and to name the first broken link.
 */
describe('one log over every observation', () => {
  let db: ReturnType<typeof tempDb>;
  beforeEach(() => {
    db = tempDb();
    recordStory(db.store, db.recorder);
    db.store.close();
  });
  afterEach(() => db.cleanup());

  /** Runs `tamper` on a raw connection, then verifies through a fresh store. */
  function tamperThenVerify(tamper: (raw: Database.Database) => void): ReturnType<typeof verifyStore> {
    const raw = new Database(db.file);
    try {
      raw.pragma('foreign_keys = ON');
      tamper(raw);
    } finally {
      raw.close();
    }
    const store = Store.open(db.file);
    try {
      return verifyStore(store);
    } finally {
      store.close();
    }
  }

  it('holds one entry per observation, in order, each linked to the one before, and verifies clean', () => {
    const r = tamperThenVerify(() => undefined);
    expect(r.problems).toEqual([]);
    expect(r.firstBroken).toBeNull();
    expect(r.observations).toBe(8);
    expect(r.entries).toBe(8);
    const store = Store.open(db.file);
    try {
      const entries = store.log.entries();
      expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(entries[0]!.prev).toBe(GENESIS);
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.prev).toBe(entries[i - 1]!.head);
      expect(store.log.head()).toEqual({ seq: 8, head: entries[7]!.head });
      // The facts line names the target, outcome, time, notice and body digest.
      const facts = JSON.parse(store.log.factsOf(entries[5]!)!) as Record<string, unknown>;
      expect(facts).toMatchObject({
        platform: 'weibo',
        kind: 'post',
        id: POSTS[2],
        outcome: 'removed_by_platform',
        notice: expect.stringContaining('已被删除'),
      });
      expect(facts.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      store.close();
    }
  });

  it('catches one flipped byte in any stored body, even re-compressed so it still reads', () => {
    const raw = new Database(db.file, { readonly: true });
    const hashes = raw.prepare(`SELECT hash FROM blobs`).all() as { hash: string }[];
    raw.close();
    expect(hashes.length).toBeGreaterThan(3);
    for (const { hash } of hashes) {
      const r = tamperThenVerify((t) => {
        const { gz } = t.prepare(`SELECT gz FROM blobs WHERE hash = ?`).get(hash) as { gz: Buffer };
        const body = gunzipSync(gz);
        body[Math.floor(body.length / 2)]! ^= 0x01;
        t.prepare(`UPDATE blobs SET gz = ? WHERE hash = ?`).run(gzipSync(body), hash);
      });
      expect(r.problems).toContain(`blob ${hash}: content does not match its hash`);
      // Put it back so the next blob is tampered alone.
      tamperThenVerify((t) => {
        const { gz } = t.prepare(`SELECT gz FROM blobs WHERE hash = ?`).get(hash) as { gz: Buffer };
        const body = gunzipSync(gz);
        body[Math.floor(body.length / 2)]! ^= 0x01;
        t.prepare(`UPDATE blobs SET gz = ? WHERE hash = ?`).run(gzipSync(body), hash);
      });
    }
  });

  it('catches one changed field of any observation and names its log entry as the first broken link', () => {
    const raw = new Database(db.file);
    const rows = raw.prepare(`SELECT * FROM observations ORDER BY id`).all() as Record<string, unknown>[];
    const seqOf = new Map(
      (
        raw.prepare(`SELECT seq, observation_id FROM log_entries`).all() as {
          seq: number;
          observation_id: number;
        }[]
      ).map((e) => [e.observation_id, e.seq]),
    );
    raw.close();
    const columns = Object.keys(rows[0]!).filter((c) => c !== 'id');
    // Every column an observation has, not a chosen few: a new column must be covered too.
    expect(columns).toEqual(
      expect.arrayContaining(['at', 'outcome', 'message', 'body_hash', 'content', 'chain']),
    );
    for (const row of rows) {
      for (const column of columns) {
        const before = row[column];
        const after = changed(before, column);
        const r = tamperThenVerify((t) =>
          t.prepare(`UPDATE observations SET ${column} = ? WHERE id = ?`).run(after, row.id),
        );
        const label = `observation ${String(row.id)}.${column}: ${String(before)} -> ${String(after)}`;
        expect({ label, caught: r.problems.length > 0 }).toEqual({ label, caught: true });
        if (column !== 'chain')
          expect({ label, seq: r.firstBroken?.seq }).toEqual({ label, seq: seqOf.get(row.id as number) });
        tamperThenVerify((t) =>
          t.prepare(`UPDATE observations SET ${column} = ? WHERE id = ?`).run(before, row.id),
        );
      }
    }
  });

  it('catches a target deleted with its whole history', () => {
    const r = tamperThenVerify((t) => t.prepare(`DELETE FROM targets WHERE native_id = ?`).run(POSTS[2]));
    expect(r.observations).toBe(5);
    expect(r.problems.filter((p) => /observation is missing/.test(p))).toHaveLength(3);
    // Post C's first observation was the third one logged.
    expect(r.firstBroken).toMatchObject({ seq: 3, reason: expect.stringMatching(/missing/) });
  });

  it('catches a target deleted with its history and its log entries', () => {
    const r = tamperThenVerify((t) => {
      const id = (t.prepare(`SELECT id FROM targets WHERE native_id = ?`).get(POSTS[2]) as { id: number }).id;
      t.prepare(
        `DELETE FROM log_entries WHERE observation_id IN (SELECT id FROM observations WHERE target_id = ?)`,
      ).run(id);
      t.prepare(`DELETE FROM targets WHERE id = ?`).run(id);
    });
    // Post C's entries were the third, sixth and seventh: the third is the first link broken.
    expect(r.firstBroken).toMatchObject({
      seq: 3,
      observationId: null,
      reason: expect.stringMatching(/missing/),
    });
    expect(r.problems).toEqual(
      expect.arrayContaining([
        'log entry 3: missing (removed from the log)',
        'log entry 6: missing, up to entry 7 (removed from the log)',
      ]),
    );
  });

  it('catches an observation written around the log', () => {
    const r = tamperThenVerify((t) => {
      const o = t.prepare(`SELECT * FROM observations ORDER BY id DESC LIMIT 1`).get() as Record<
        string,
        unknown
      >;
      const cols = Object.keys(o).filter((c) => c !== 'id' && c !== 'dedupe_key');
      t.prepare(
        `INSERT INTO observations (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
      ).run(...cols.map((c) => (c === 'at' ? (o.at as number) + 1 : o[c])));
    });
    expect(r.problems.some((p) => /not in the log/.test(p))).toBe(true);
  });

  it('logs the observations of a database made before the log, once, when its migration runs', () => {
    const file = `${db.dir}/old.db`;
    const raw = new Database(file);
    const logMigration = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE log_entries'));
    for (const m of MIGRATIONS.slice(0, logMigration)) raw.exec(m);
    raw.pragma(`user_version = ${logMigration}`);
    raw
      .prepare(
        `INSERT INTO targets (id, platform, kind, native_id, url, first_seen_at) VALUES (1, 'weibo', 'post', ?, '', 0)`,
      )
      .run(POSTS[0]);
    let prev = '';
    for (let i = 1; i <= 3; i++) {
      const o = {
        target_id: 1,
        at: i * 1000,
        endpoint: 'm.statuses.show',
        outcome: 'alive',
        message: null,
        content_hash: null,
        body_hash: null,
      };
      const chain = chainHash(prev, o);
      raw
        .prepare(
          `INSERT INTO observations (target_id, at, endpoint, outcome, chain) VALUES (1, ?, 'm.statuses.show', 'alive', ?)`,
        )
        .run(o.at, chain);
      prev = chain;
    }
    raw.prepare(`UPDATE targets SET chain = ?`).run(prev);
    raw.close();
    const store = Store.open(file);
    try {
      expect(store.log.head().seq).toBe(3);
      expect(verifyStore(store).problems).toEqual([]);
    } finally {
      store.close();
    }
    // Opened again: nothing is logged twice.
    const again = Store.open(file);
    try {
      expect(again.log.head().seq).toBe(3);
    } finally {
      again.close();
    }
  });

  it('chains every entry of one transaction from the last kept one, past a result rolled back in between', () => {
    const store = Store.open(db.file);
    try {
      const [a, b, c] = POSTS;
      const recorder = tempRecorder(store);
      store.transaction(() => {
        check(store, recorder, alive(a, T0 + 20 * MIN, '联合国大会表决'));
        // A result that fails after its observation was logged rolls back alone (as applyAll's savepoints do).
        expect(() =>
          store.transaction(() => {
            check(store, recorder, alive(b, T0 + 20 * MIN + 1000, '欧洲委员会决议草案（已修改）'));
            throw new Error('the result fails after its log entry');
          }),
        ).toThrow('the result fails');
        check(store, recorder, removed(c, T0 + 20 * MIN + 2000));
      });
      const entries = store.log.entries();
      expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.prev).toBe(entries[i - 1]!.head);
      expect(store.observationsOf(store.findTarget(ref(b))!.rowId)).toHaveLength(2);
      expect(verifyStore(store).problems).toEqual([]);
      expect(verifyStore(store).firstBroken).toBeNull();
    } finally {
      store.close();
    }
  });
});

function tempRecorder(store: Store): Recorder {
  return new Recorder(store, SCHEDULE, pino({ level: 'silent' }), () => 0.5);
}

/** A different value of the same kind, so the tamper is one a careful forger would make. */
function changed(value: unknown, column: string): unknown {
  if (value === null || value === undefined) return column === 'http_status' ? 500 : 'x';
  // Moved to another of the three targets (the foreign key holds).
  if (column === 'target_id') return ((value as number) % 3) + 1;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'string') {
    if (/^[0-9a-f]{64}$/.test(value)) return (value[0] === '0' ? '1' : '0') + value.slice(1);
    return value.length > 0 ? value.slice(0, -1) + (value.endsWith('x') ? 'y' : 'x') : 'x';
  }
  return 'x';
}
