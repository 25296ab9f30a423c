import { BudgetSpendStore } from '../../../src/store/budget-spend';
import type { Store } from '../../../src/store/store';
import { rawSql } from '../../helpers/sql';
import { tempDatabase } from '../../helpers/temp-db';

const T0 = Date.UTC(2024, 0, 10, 2, 0, 30);
const HOUR = 3_600_000;

/** Rows inserted, updated or deleted on the store's connection so far. */
const changes = (store: Store): number =>
  rawSql(store).query<{ n: number }>('SELECT total_changes() AS n')[0]!.n;

/** Requests by class, in class order. */
const byClass = (rows: readonly { cls: string; requests: number }[]): [string, number][] =>
  rows.map((r): [string, number] => [r.cls, r.requests]).sort((a, b) => a[0].localeCompare(b[0]));

describe('budget spending', () => {
  it('writes a group of results as one row per platform, class and minute when the group commits', () => {
    const { store } = tempDatabase('censorwatch-spend-');
    const spend = new BudgetSpendStore(store);
    const before = changes(store);
    store.transaction(() => {
      for (let i = 0; i < 5; i++) store.transaction(() => spend.add('weibo', 'recheck', T0 + i, 1));
      store.transaction(() => spend.add('weibo', 'new', T0, 1));
      // Read inside the group: what it added counts already.
      expect(byClass(spend.since(T0 + 10, HOUR))).toEqual([
        ['new', 1],
        ['recheck', 5],
      ]);
    });
    // Two upserts and the once-a-minute prune, not one upsert per result.
    expect(changes(store) - before).toBeLessThanOrEqual(2);
    expect(byClass(new BudgetSpendStore(store).since(T0 + 10, HOUR))).toEqual([
      ['new', 1],
      ['recheck', 5],
    ]);
  });

  it('takes back the share of a result whose savepoint rolled back, and of a group rolled back whole', () => {
    const { store } = tempDatabase('censorwatch-spend-');
    const spend = new BudgetSpendStore(store);
    store.transaction(() => {
      store.transaction(() => spend.add('weibo', 'recheck', T0, 1));
      expect(() =>
        store.transaction(() => {
          spend.add('weibo', 'recheck', T0, 1);
          // A nested write released into the failing result goes with it.
          store.transaction(() => spend.add('weibo', 'recheck', T0, 4));
          throw new Error('result failed');
        }),
      ).toThrow('result failed');
      store.transaction(() => spend.add('weibo', 'recheck', T0, 1));
    });
    expect(spend.since(T0, HOUR).map((r) => r.requests)).toEqual([2]);
    expect(() =>
      store.transaction(() => {
        spend.add('weibo', 'recheck', T0, 7);
        throw new Error('group failed');
      }),
    ).toThrow('group failed');
    store.transaction(() => spend.add('weibo', 'recheck', T0, 1));
    expect(new BudgetSpendStore(store).since(T0, HOUR).map((r) => r.requests)).toEqual([3]);
  });

  it('writes at once outside a transaction', () => {
    const { store } = tempDatabase('censorwatch-spend-');
    new BudgetSpendStore(store).add('netease', 'discovery', T0, 3);
    expect(new BudgetSpendStore(store).since(T0, HOUR)).toEqual([
      { platform: 'netease', cls: 'discovery', minute: T0 - 30_000, requests: 3 },
    ]);
  });
});
