import type { ProblemTrack } from '../../../src/domain/problems';
import { ProblemStore } from '../../../src/store/problems';
import { Store } from '../../../src/store/store';
import { beforeTempRemoval } from '../../helpers/temp';
import { rawSql } from '../../helpers/sql';
import { tempDatabase } from '../../helpers/temp-db';

const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);
const REF = { platform: 'weibo', kind: 'post', id: '4383000000000012' } as const;
const URL = `https://m.weibo.cn/statuses/show?id=${REF.id}`;
const failing = (count: number): ProblemTrack => ({
  streak: { kind: 'url_failing', count, since: T0 },
  open: count >= 3 ? { kind: 'url_failing', since: T0 } : null,
});
const CLEAR: ProblemTrack = { streak: null, open: null };

function setUp() {
  const { store, file } = tempDatabase('censorwatch-problem-tracks-');
  store.syncWatches([{ id: 'w', name: 'w' }], [], T0);
  const rowId = store.ensureTarget(REF, URL, ['w'], 'post', T0, T0).row.rowId;
  const other = Store.open(file);
  beforeTempRemoval(() => other.close());
  const key = { targetRowId: rowId };
  // Two repositories on one connection, as the engine's problem hook and the progress line hold.
  const problems = new ProblemStore(store);
  const beside = new ProblemStore(store);
  /** The track as the recorder reads it, inside a write transaction of `store`. */
  const tracked = (p = problems): ProblemTrack => store.transaction(() => p.track(key));
  /** The track as another connection reads it from the file: never from this connection's cache. */
  const fresh = (): ProblemTrack => other.transaction(() => new ProblemStore(other).track(key));
  return { store, other, key, problems, beside, tracked, fresh };
}

describe("a target's problem track read inside a transaction", () => {
  it('follows saves made in the same transaction, by another repository on the connection, and outside one', () => {
    const { key, problems, beside, tracked, fresh, store } = setUp();
    expect(tracked()).toEqual(CLEAR);
    store.transaction(() => {
      expect(problems.track(key)).toEqual(CLEAR);
      problems.save(key, failing(1), T0, 'HTTP 500', false);
      expect(problems.track(key)).toEqual(failing(1));
    });
    beside.save(key, failing(2), T0 + 1, 'HTTP 500', false);
    expect(tracked()).toEqual(failing(2));
    store.transaction(() => beside.save(key, failing(3), T0 + 2, 'HTTP 500', false));
    expect(tracked()).toEqual(failing(3));
    expect(tracked(beside)).toEqual(failing(3));
    expect(fresh()).toEqual(failing(3));
  });

  it('does not keep a save that was rolled back, in a savepoint or the whole transaction', () => {
    const { key, problems, tracked, fresh, store } = setUp();
    store.transaction(() => problems.save(key, failing(1), T0, null, false));
    expect(tracked()).toEqual(failing(1));
    store.transaction(() => {
      expect(() =>
        store.transaction(() => {
          problems.save(key, failing(2), T0 + 1, null, false);
          expect(problems.track(key)).toEqual(failing(2));
          throw new Error('the result fails after its problem was saved');
        }),
      ).toThrow('the result fails');
      expect(problems.track(key)).toEqual(failing(1));
    });
    expect(() =>
      store.transaction(() => {
        problems.save(key, failing(3), T0 + 2, null, false);
        throw new Error('the group fails');
      }),
    ).toThrow('the group fails');
    expect(tracked()).toEqual(failing(1));
    expect(fresh()).toEqual(failing(1));
  });

  it("sees another connection's commit, and rows changed by SQL run beside the repository", () => {
    const { key, problems, tracked, other, store } = setUp();
    expect(tracked()).toEqual(CLEAR);
    // Another process (a recorder role, a second run) opens a problem between two of this one's transactions.
    other.transaction(() => new ProblemStore(other).save(key, failing(3), T0, 'HTTP 500', false));
    expect(tracked()).toEqual(failing(3));
    expect(problems.track(key)).toEqual(failing(3));
    other.transaction(() => new ProblemStore(other).save(key, CLEAR, T0 + 1, null, true));
    expect(tracked()).toEqual(CLEAR);
    store.transaction(() => {
      expect(problems.track(key)).toEqual(CLEAR);
      rawSql(store).run(
        `UPDATE watch_problems SET streak_kind = 'url_failing', streak_count = 4, streak_since = ?`,
        T0,
      );
      expect(problems.track(key)).toEqual({
        streak: { kind: 'url_failing', count: 4, since: T0 },
        open: null,
      });
    });
    expect(tracked()).toEqual({ streak: { kind: 'url_failing', count: 4, since: T0 }, open: null });
  });
});
