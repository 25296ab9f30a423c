import {
  BUDGET_CLASSES,
  BUDGET_RESERVE,
  BUDGET_WINDOW_MS,
  checkClass,
  classCap,
  classCeiling,
  defaultBudget,
  RequestBudget,
  type BudgetClass,
} from '../../../src/engine/budget';
import { ManualClock } from '../../../src/domain/clock';
import { createRng } from '../../../src/sim/world/rng';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2023, 3, 27, 2, 0, 0);

function granted(a: ReturnType<RequestBudget['admit']>): number {
  if (!('granted' in a)) throw new Error(`refused until ${new Date(a.retryAt).toISOString()}`);
  return a.granted;
}

describe('RequestBudget', () => {
  it('never lets any hour hold more than the budget, whatever asks and when', () => {
    const seed = 1301;
    const random = createRng(seed).next;
    const clock = new ManualClock(T0);
    const budget = new RequestBudget({ weibo: 120 });
    const spent: number[] = [];
    for (let i = 0; i < 5000; i++) {
      clock.advanceBy(Math.floor(random() * 40_000));
      const cls = BUDGET_CLASSES[Math.floor(random() * BUDGET_CLASSES.length)]!;
      const cost = cls === 'discovery' ? 1 + Math.floor(random() * 3) : 1;
      const a = budget.admit('weibo', cls, cost, clock.now(), undefined, 1);
      if ('granted' in a) for (let k = 0; k < a.granted; k++) spent.push(clock.now());
      else expect(a.retryAt).toBeGreaterThan(clock.now());
    }
    // Every window of an hour that starts at a spend (the worst case) holds at most the budget.
    let worst = 0;
    for (let i = 0, j = 0; i < spent.length; i++) {
      while (spent[j]! <= spent[i]! - BUDGET_WINDOW_MS) j++;
      worst = Math.max(worst, i - j + 1);
    }
    expect({ seed, worst }).toEqual({ seed, worst: 120 });
  });

  it('leaves each class its reserve: re-checks stop at 75%, discovery may use all of it', () => {
    const budget = new RequestBudget({ weibo: 100 });
    let rechecks = 0;
    while ('granted' in budget.admit('weibo', 'recheck', 1, T0)) rechecks++;
    expect(rechecks).toBe(classCap(100, 'recheck'));
    expect(rechecks).toBe(75);
    let early = 0;
    while ('granted' in budget.admit('weibo', 'early', 1, T0)) early++;
    expect(early).toBe(90 - 75);
    let confirm = 0;
    while ('granted' in budget.admit('weibo', 'confirm', 1, T0)) confirm++;
    expect(confirm).toBe(95 - 90);
    let discovery = 0;
    while ('granted' in budget.admit('weibo', 'discovery', 1, T0)) discovery++;
    expect(discovery).toBe(5);
    expect(budget.admit('weibo', 'recheck', 1, T0)).toEqual({ retryAt: T0 + HOUR });
    expect(budget.usage('weibo', T0)).toEqual({
      limit: 100,
      used: 100,
      byClass: { discovery: 5, confirm: 5, early: 15, recheck: 75 },
      available: { discovery: 0, confirm: 0, early: 0, recheck: 0 },
    });
  });

  it('keeps discovery to its ceiling, so checks always have 40% of the hour', () => {
    const budget = new RequestBudget({ weibo: 100 });
    let discovery = 0;
    while ('granted' in budget.admit('weibo', 'discovery', 1, T0 + discovery)) discovery++;
    expect(discovery).toBe(classCeiling(100, 'discovery'));
    expect(discovery).toBe(60);
    expect(budget.admit('weibo', 'discovery', 1, T0 + HOUR - 1)).toEqual({ retryAt: T0 + HOUR });
    expect(budget.usage('weibo', T0 + 100).available).toEqual({
      discovery: 0,
      confirm: 35,
      early: 30,
      recheck: 15,
    });
    expect(granted(budget.admit('weibo', 'recheck', 1, T0 + 100))).toBe(1);
  });

  it('says when a refused class may start: when enough of the hour ages out', () => {
    const budget = new RequestBudget({ weibo: 4 });
    // Cap for re-checks: floor(4 × 0.75) = 3.
    expect(granted(budget.admit('weibo', 'recheck', 1, T0))).toBe(1);
    expect(granted(budget.admit('weibo', 'recheck', 1, T0 + 10 * MIN))).toBe(1);
    expect(granted(budget.admit('weibo', 'recheck', 1, T0 + 20 * MIN))).toBe(1);
    expect(budget.admit('weibo', 'recheck', 1, T0 + 30 * MIN)).toEqual({ retryAt: T0 + HOUR });
    // The fourth request of the hour is discovery's.
    expect(granted(budget.admit('weibo', 'discovery', 1, T0 + 30 * MIN))).toBe(1);
    expect(budget.admit('weibo', 'discovery', 1, T0 + 31 * MIN)).toEqual({ retryAt: T0 + HOUR });
    // Discovery's request counts against re-checks too: two must leave the hour before one fits.
    expect(budget.admit('weibo', 'recheck', 1, T0 + HOUR - 1)).toEqual({ retryAt: T0 + 70 * MIN });
    expect(granted(budget.admit('weibo', 'recheck', 1, T0 + 70 * MIN))).toBe(1);
  });

  it('grants a discovery round the pages the hour has room for, at least one', () => {
    const budget = new RequestBudget({ weibo: 10 });
    // Ceiling for discovery: 6 of 10.
    for (let i = 0; i < 4; i++) granted(budget.admit('weibo', 'discovery', 1, T0));
    expect(granted(budget.admit('weibo', 'discovery', 3, T0 + MIN, 'd-1', 1))).toBe(2);
    expect(budget.admit('weibo', 'discovery', 3, T0 + MIN, 'd-2', 1)).toEqual({ retryAt: T0 + HOUR });
  });

  it('settles a round at the pages it fetched, and refunds work that never ran', () => {
    const budget = new RequestBudget({ weibo: 10 });
    granted(budget.admit('weibo', 'discovery', 3, T0, 'd-1', 1));
    granted(budget.admit('weibo', 'recheck', 1, T0, 'c-1'));
    granted(budget.admit('weibo', 'recheck', 1, T0, 'c-2'));
    budget.settle('d-1', 1);
    budget.refund('c-2');
    budget.settle('c-1');
    expect(budget.usage('weibo', T0).byClass).toEqual({ discovery: 1, confirm: 0, early: 0, recheck: 1 });
    // A key is settled once: a late second settle changes nothing.
    budget.settle('c-1', 0);
    expect(budget.usage('weibo', T0).used).toBe(2);
  });

  it('opens a settled spend again as it was admitted when the settling is undone', () => {
    const budget = new RequestBudget({ weibo: 10 });
    granted(budget.admit('weibo', 'discovery', 3, T0, 'd-1', 1));
    const undos: (() => void)[] = [];
    expect(budget.settle('d-1', 1, undos)).toBe(T0);
    expect(budget.usage('weibo', T0).used).toBe(1);
    undos.forEach((u) => u());
    expect(budget.isOpen('d-1')).toBe(true);
    expect(budget.usage('weibo', T0).used).toBe(3);
    // Settled again, it is settled from what was admitted, at the time it was.
    expect(budget.settle('d-1', 2)).toBe(T0);
    expect(budget.usage('weibo', T0).byClass.discovery).toBe(2);
  });

  it('counts what an earlier run spent, until it leaves the hour', () => {
    const budget = new RequestBudget({ netease: 8 });
    budget.seed('netease', 'recheck', T0 - 50 * MIN, 6);
    expect(budget.admit('netease', 'recheck', 1, T0)).toEqual({ retryAt: T0 + 10 * MIN });
    expect(granted(budget.admit('netease', 'recheck', 1, T0 + 10 * MIN))).toBe(1);
  });

  it('an unlimited platform admits everything and shows no limit', () => {
    const budget = new RequestBudget({ weibo: null });
    for (let i = 0; i < 10_000; i++) granted(budget.admit('weibo', 'recheck', 1, T0));
    const u = budget.usage('weibo', T0);
    expect(u.limit).toBeNull();
    expect(u.used).toBe(10_000);
    expect(u.available.recheck).toBeNull();
    // Platforms are separate ledgers.
    expect(budget.usage('netease', T0).used).toBe(0);
  });

  it('an unlimited platform counts a second of requests together and still settles each key alone', () => {
    const budget = new RequestBudget({ weibo: null });
    // Three checks in one second share a spend; a fourth a second later has its own.
    granted(budget.admit('weibo', 'recheck', 1, T0, 'c-1'));
    granted(budget.admit('weibo', 'recheck', 1, T0 + 400, 'c-2'));
    granted(budget.admit('weibo', 'discovery', 3, T0 + 500, 'd-1', 1));
    granted(budget.admit('weibo', 'recheck', 1, T0 + 999, 'c-3'));
    granted(budget.admit('weibo', 'recheck', 1, T0 + 1000, 'c-4'));
    expect(budget.openSpends().map((s) => [s.key, s.at, s.n])).toEqual([
      ['c-1', T0, 1],
      ['c-2', T0 + 400, 1],
      ['d-1', T0 + 500, 3],
      ['c-3', T0 + 999, 1],
      ['c-4', T0 + 1000, 1],
    ]);
    // Each key is settled at its own admission time and corrects only its own share.
    expect(budget.settle('c-2')).toBe(T0 + 400);
    budget.refund('c-3');
    expect(budget.settle('d-1', 2)).toBe(T0 + 500);
    budget.settle('c-1', 2);
    expect(budget.usage('weibo', T0 + 1000).byClass).toEqual({
      discovery: 2,
      confirm: 0,
      early: 0,
      recheck: 4,
    });
    // The hour's totals drop the first second's requests once it has aged out, and not the next one's.
    expect(budget.usage('weibo', T0 + HOUR + 999).used).toBe(1);
    budget.settle('c-4', 0);
    expect(budget.usage('weibo', T0 + HOUR + 999).used).toBe(0);
  });

  it('keeps the classes in priority order: each reserve at least the one above it', () => {
    const reserves = BUDGET_CLASSES.map((c: BudgetClass) => BUDGET_RESERVE[c]);
    expect(reserves[0]).toBe(0);
    expect([...reserves].sort((a, b) => a - b)).toEqual(reserves);
  });
});

describe('checkClass', () => {
  const alive = { verdict: 'alive' as const, firstSeenAt: T0 };
  it('tells confirmations, the first hour and the rest apart', () => {
    expect(checkClass({ verdict: 'unconfirmed', firstSeenAt: T0 - 10 * HOUR }, T0)).toBe('confirm');
    expect(checkClass(alive, T0 + 59 * MIN)).toBe('early');
    expect(checkClass(alive, T0 + HOUR)).toBe('recheck');
    expect(checkClass({ verdict: 'unknown', firstSeenAt: T0 }, T0)).toBe('early');
  });
});

describe('defaultBudget', () => {
  it('is what the politeness wait lets one host serve in an hour, unlimited without one', () => {
    expect(defaultBudget(2000)).toBe(1800);
    expect(defaultBudget(1000)).toBe(3600);
    expect(defaultBudget(7 * MIN)).toBe(8);
    expect(defaultBudget(0)).toBeNull();
  });
});
