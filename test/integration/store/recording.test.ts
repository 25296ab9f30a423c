import { decideObservation, type ObservationContext } from '../../../src/domain/decision';
import type { Observation, Outcome } from '../../../src/domain/glossary';
import { LATEST_COLUMNS, LATEST_JOINS } from '../../../src/store/observations';
import { ProblemStore } from '../../../src/store/problems';
import { Recording } from '../../../src/store/recording';
import { rawSql } from '../../helpers/sql';
import { tempDatabase } from '../../helpers/temp-db';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);
const rules = { ladder: [MIN, 5 * MIN], jitter: 0, confirmGone: 2, confirmAfter: MIN };
const opts = { rules, random: () => 0.5 };
const REF = { platform: 'weibo', kind: 'post', id: '4383000000000009' } as const;

const seen = (at: number, outcome: Outcome): Observation => ({
  target: REF,
  at,
  endpoint: 'm.statuses.show',
  outcome,
  url: `https://m.weibo.cn/detail/${REF.id}`,
  ...(outcome === 'alive'
    ? {
        content: {
          html: 'text',
          text: 'text',
          author: null,
          createdAt: null,
          counts: { reposts: null, comments: null, likes: null },
          media: [],
          repostOf: null,
          editCount: null,
        },
      }
    : {}),
});

/** Read, decide, commit, as the recorder does for one observation. */
function record(recording: Recording, obs: Observation, ctx: ObservationContext) {
  const snap = recording.snapshot(obs);
  return recording.commit(snap, decideObservation(snap, obs, ctx, opts));
}

describe('committing a decision', () => {
  it('writes only the columns an unchanged re-check changes, and all that a change of verdict does', () => {
    const { store } = tempDatabase('censorwatch-recording-');
    store.syncWatches([{ id: 'w', name: 'w' }], [], T0);
    const recording = new Recording(store);
    const ctx = { watchIds: ['w'], via: 'keyword:k' };
    const raw = rawSql(store);
    // An UPDATE OF trigger fires when its columns are in the statement's SET list, whatever the values.
    raw.run(`CREATE TABLE verdict_writes (at INTEGER)`);
    raw.run(`CREATE TRIGGER verdict_written AFTER UPDATE OF verdict, last_alive_text ON targets
      BEGIN INSERT INTO verdict_writes VALUES (NEW.last_checked_at); END`);
    const writes = (): number => raw.query<{ n: number }>(`SELECT COUNT(*) AS n FROM verdict_writes`)[0]!.n;
    // Each check reads its snapshot in its own transaction, as the recorder does.
    const check = (at: number, outcome: Outcome) =>
      store.transaction(() => record(recording, seen(at, outcome), { ...ctx, dedupeKey: `d-${at}#0` }));
    const first = check(T0, 'alive');
    const afterFirst = writes();
    check(T0 + MIN, 'alive');
    check(T0 + 2 * MIN, 'alive');
    expect(writes()).toBe(afterFirst);
    const again = store.getTarget(first.rowId)!;
    expect(again.lastCheckedAt).toBe(T0 + 2 * MIN);
    expect(again.state.observations).toBe(3);
    expect(again.state.lastAliveText).toBe('text');
    check(T0 + 3 * MIN, 'deleted_by_author');
    check(T0 + 5 * MIN, 'deleted_by_author');
    expect(writes()).toBeGreaterThan(afterFirst);
    expect(store.getTarget(first.rowId)!.state.verdict).toBe('gone');
  });

  it('stops at the observation when its dedupe key is stored: no second state change, no second event', () => {
    const { store } = tempDatabase('censorwatch-recording-');
    store.syncWatches([{ id: 'w', name: 'w' }], [], T0);
    const recording = new Recording(store);
    const ctx = { watchIds: ['w'], via: 'keyword:k' };
    const first = store.transaction(() =>
      record(recording, seen(T0, 'alive'), { ...ctx, dedupeKey: 'd-1#0' }),
    );
    expect(first.stored).toBe(true);
    expect(first.events.map((e) => e.type)).toEqual(['post.discovered']);
    store.transaction(() =>
      record(recording, seen(T0 + 2 * MIN, 'deleted_by_author'), { ...ctx, dedupeKey: 'd-2#0' }),
    );
    const gone = store.transaction(() =>
      record(recording, seen(T0 + 3 * MIN, 'deleted_by_author'), { ...ctx, dedupeKey: 'd-3#0' }),
    );
    expect(gone.events.map((e) => e.type)).toEqual(['post.gone']);
    const before = store.getTarget(gone.rowId)!;
    expect(before.state.verdict).toBe('gone');

    // The same result again, as a re-delivery brings it: the target is already gone and counted.
    const again = store.transaction(() =>
      record(recording, seen(T0 + 3 * MIN, 'deleted_by_author'), { ...ctx, dedupeKey: 'd-3#0' }),
    );
    expect(again.stored).toBe(false);
    expect(again.events).toEqual([]);
    expect(store.getTarget(gone.rowId)).toEqual(before);
    expect(store.observationsOf(gone.rowId)).toHaveLength(3);
    expect(store.listEvents().map((e) => e.type)).toEqual(['post.discovered', 'post.gone']);
  });

  it('reads a target and its watches in one snapshot, and links a known target to a new watch once', () => {
    const { store } = tempDatabase('censorwatch-recording-');
    store.syncWatches(
      [
        { id: 'a', name: 'a' },
        { id: 'b', name: 'b' },
      ],
      [],
      T0,
    );
    const recording = new Recording(store);
    store.transaction(() => record(recording, seen(T0, 'alive'), { watchIds: ['b'], via: 'keyword:k' }));
    const joined = store.transaction(() =>
      record(recording, seen(T0 + MIN, 'alive'), { watchIds: ['a', 'b'], via: 'embedded-in:1' }),
    );
    expect(joined.events.map((e) => [e.type, e.watch])).toEqual([['post.discovered', 'a']]);
    expect(recording.checked(joined.rowId)?.watches).toEqual(['a', 'b']);
    expect(recording.snapshot(seen(T0 + 2 * MIN, 'alive')).watches).toEqual(['a', 'b']);
  });

  it('reads the row as stored, its watches sorted with the configured ones marked, and its latest observation', () => {
    const { store } = tempDatabase('censorwatch-recording-');
    store.syncWatches(
      ['c', 'a', 'b', 'd'].map((id) => ({ id, name: id })),
      [],
      T0,
    );
    const recording = new Recording(store);
    // Configured as a post in c and a; found by a keyword in b; d does not have it.
    const { row } = store.ensureTarget(
      REF,
      `https://m.weibo.cn/detail/${REF.id}`,
      ['c', 'a'],
      'post',
      T0,
      T0,
    );
    store.transaction(() => record(recording, seen(T0, 'alive'), { watchIds: ['b'], via: 'keyword:k' }));
    store.transaction(() =>
      record(recording, seen(T0 + MIN, 'deleted_by_author'), {
        watchIds: [],
        via: 'check',
        dedupeKey: 'x#0',
      }),
    );
    store.transaction(() => record(recording, seen(T0 + 2 * MIN, 'alive'), { watchIds: [], via: 'check' }));
    const snap = store.transaction(() => recording.checked(row.rowId))!;
    expect(snap.row).toEqual(store.getTarget(row.rowId));
    expect(snap.row.state.observations).toBe(3);
    expect(snap.watches).toEqual(['a', 'b', 'c']);
    expect(snap.configuredIn).toEqual(['a', 'c']);
    expect(snap.configuredIn).toEqual(new ProblemStore(store).configuredIn(row.rowId));
    const latest = rawSql(store).query(
      `SELECT t.platform, t.kind, t.native_id, ${LATEST_COLUMNS} FROM targets t ${LATEST_JOINS} WHERE t.id = ?`,
      row.rowId,
    )[0];
    expect(latest?.last_outcome_of).toBe('alive');
    expect({ ...snap.latest }).toEqual(latest);
    // By platform id, as an embedded observation's target is read: the same snapshot.
    expect(store.transaction(() => recording.snapshot(seen(T0 + 3 * MIN, 'alive')))).toEqual({
      target: snap.row,
      watches: snap.watches,
      latest: snap.latest,
    });
  });
});
