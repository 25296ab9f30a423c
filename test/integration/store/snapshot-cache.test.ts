import { decideObservation, type ObservationContext } from '../../../src/domain/decision';
import type { Observation, Outcome } from '../../../src/domain/glossary';
import { Recording } from '../../../src/store/recording';
import { Store } from '../../../src/store/store';
import type { TargetSnapshot } from '../../../src/store/targets';
import { beforeTempRemoval } from '../../helpers/temp';
import { rawSql } from '../../helpers/sql';
import { tempDatabase } from '../../helpers/temp-db';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);
const rules = { ladder: [MIN, 5 * MIN], jitter: 0, confirmGone: 2, confirmAfter: MIN };
const opts = { rules, random: () => 0.5 };
const REF = { platform: 'weibo', kind: 'post', id: '4383000000000011' } as const;
const URL = `https://m.weibo.cn/statuses/show?id=${REF.id}`;

/** An observation with one exchange, its Date header the observation's time (as a real answer's). */
function seen(at: number, outcome: Outcome, text = 'text', author = 'a1'): Observation {
  const body = Buffer.from(outcome === 'alive' ? JSON.stringify({ ok: 1, text }) : '{"ok":0}');
  const exchanges = [
    {
      method: 'GET',
      url: URL,
      requestHeaders: [['accept', 'application/json']] as const,
      status: 200,
      responseHeaders: [
        ['date', new Date(at - (at % 1000)).toUTCString()],
        ['content-type', 'application/json'],
      ] as const,
      body,
    },
  ];
  return {
    target: REF,
    at,
    endpoint: 'm.statuses.show',
    outcome,
    url: URL,
    evidence: { url: URL, finalUrl: URL, status: 200, contentType: 'application/json', body, exchanges },
    ...(outcome === 'alive'
      ? {
          content: {
            html: text,
            text,
            author: { id: author, name: `name-${author}` },
            createdAt: new Date(T0 - MIN).toISOString(),
            counts: { reposts: null, comments: null, likes: null },
            media: [],
            repostOf: null,
            editCount: null,
          },
        }
      : {}),
  } as Observation;
}

function setUp() {
  const { store, file } = tempDatabase('censorwatch-snapshot-cache-');
  store.syncWatches([{ id: 'w', name: 'w' }], [], T0);
  const rowId = store.ensureTarget(REF, URL, ['w'], 'post', T0, T0).row.rowId;
  const other = Store.open(file);
  beforeTempRemoval(() => other.close());
  const recording = new Recording(store);
  /** One check, read and committed as the result recorder does, inside `store`'s transaction. */
  const check = (at: number, outcome: Outcome, text?: string, author?: string) => {
    const obs = seen(at, outcome, text, author);
    const ctx: ObservationContext = { watchIds: ['w'], via: 'check', dedupeKey: `c-${rowId}-${at}#0` };
    const known = recording.checked(rowId)!;
    const snap = recording.snapshot(obs, known);
    recording.commit(snap, decideObservation(snap, obs, ctx, opts));
  };
  /** The snapshot the recorder would use now (kept or read). */
  const snapshot = (): TargetSnapshot => store.transaction(() => store.targets.getWithWatches(rowId)!);
  /** The snapshot as another connection reads it from the file: never from a cache. */
  const fresh = (): TargetSnapshot => other.targets.getWithWatches(rowId)!;
  return { store, other, rowId, check, snapshot, fresh };
}

describe('the snapshots kept of recently recorded targets', () => {
  it('are what a read of the committed rows gives, through unchanged checks, edits, new authors and a deletion', () => {
    const { store, check, snapshot, fresh } = setUp();
    const steps: [number, Outcome, string?, string?][] = [
      [T0, 'alive'],
      [T0 + MIN, 'alive'],
      [T0 + 2 * MIN, 'alive'],
      [T0 + 3 * MIN, 'alive', 'edited'],
      [T0 + 4 * MIN, 'alive', 'edited', 'a2'],
      [T0 + 5 * MIN, 'alive', 'edited', 'a2'],
      [T0 + 6 * MIN, 'deleted_by_author'],
      [T0 + 7 * MIN, 'deleted_by_author'],
      [T0 + 9 * MIN, 'deleted_by_author'],
      [T0 + 10 * MIN, 'alive', 'back'],
    ];
    for (const [i, [at, outcome, text, author]] of steps.entries()) {
      store.transaction(() => check(at, outcome, text, author));
      const kept = snapshot();
      // The same object twice: it was kept, not read again (so the comparison below tests the cache).
      if (i > 0) expect(snapshot()).toBe(kept);
      expect({ step: i, ...kept }).toEqual({ step: i, ...fresh() });
    }
    expect(fresh().row.state.observations).toBe(steps.length);
  });

  it('are read again after a savepoint or a transaction rolls back', () => {
    const { store, check, snapshot, fresh } = setUp();
    store.transaction(() => check(T0, 'alive'));
    store.transaction(() => check(T0 + MIN, 'alive'));
    const kept = snapshot();
    expect(snapshot()).toBe(kept);
    // A result that fails after its writes, in its savepoint of a group, as applyAll records it.
    store.transaction(() => {
      expect(() =>
        store.transaction(() => {
          check(T0 + 2 * MIN, 'alive', 'edited');
          throw new Error('fails after its writes');
        }),
      ).toThrow('fails after its writes');
    });
    const afterSavepoint = snapshot();
    expect(afterSavepoint).not.toBe(kept);
    expect(afterSavepoint).toEqual(fresh());
    expect(afterSavepoint.row.state.observations).toBe(2);
    // The whole transaction fails: its checks are undone, and so is what was kept of them.
    expect(() =>
      store.transaction(() => {
        check(T0 + 3 * MIN, 'alive', 'edited');
        throw new Error('the group fails');
      }),
    ).toThrow('the group fails');
    expect(snapshot()).toEqual(fresh());
    expect(snapshot().row.state.observations).toBe(2);
    expect(snapshot().row.state.lastAliveText).toBe('text');
  });

  it('are read again after another connection commits', () => {
    const { store, other, rowId, check, snapshot, fresh } = setUp();
    store.transaction(() => check(T0, 'alive'));
    store.transaction(() => check(T0 + MIN, 'alive'));
    expect(snapshot()).toBe(snapshot());
    // Another process (a distributed scheduler) moves the target's next check.
    other.scheduleTarget(rowId, T0 + 30 * MIN);
    expect(snapshot().row.nextCheckAt).toBe(T0 + 30 * MIN);
    store.transaction(() => check(T0 + 2 * MIN, 'alive'));
    other.transaction(() => other.setUnlisted(rowId, { missing: T0 + 2 * MIN }));
    expect(snapshot().row.unlistedAt).toBe(T0 + 2 * MIN);
    expect(snapshot()).toEqual(fresh());
  });

  it('are read again after this connection writes the target otherwise', () => {
    const { store, rowId, check, snapshot, fresh } = setUp();
    // Two checks: the first may write more than its check (it reports the target unlisted).
    const again = (at: number) => {
      store.transaction(() => check(at, 'alive'));
      store.transaction(() => check(at + 1000, 'alive'));
      expect(snapshot()).toBe(snapshot());
    };
    again(T0);
    store.syncWatches(
      [
        { id: 'w', name: 'w' },
        { id: 'w2', name: 'w2' },
      ],
      [],
      T0,
    );
    store.ensureTarget(REF, URL, ['w2'], 'keyword:k', T0 + MIN, T0 + MIN);
    expect(snapshot().watches).toEqual(['w', 'w2']);
    again(T0 + MIN);
    store.setUnlisted(rowId, { missing: T0 + MIN });
    expect(snapshot().row.unlistedAt).toBe(T0 + MIN);
    again(T0 + 2 * MIN);
    store.deferTarget(rowId, T0 + 20 * MIN);
    expect(snapshot().row.nextCheckAt).toBe(T0 + 20 * MIN);
    again(T0 + 3 * MIN);
    rawSql(store).run(`UPDATE targets SET author_name = 'renamed' WHERE id = ?`, rowId);
    expect(snapshot().row.authorName).toBe('renamed');
    expect(snapshot()).toEqual(fresh());
  });
});
