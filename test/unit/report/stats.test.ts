import {
  compareRates,
  computeWatchStats,
  fisherExactGreater,
  formatP,
  keywordHistory,
  newcombeDifference,
  normalUpperTail,
  proportion,
  quantiles,
  twoProportionZTest,
  wilsonInterval,
  type StatsTarget,
} from '../../../src/report/stats';
import { formatDuration, formatRate, formatSurvival } from '../../../src/report/format';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2023, 2, 1);

function post(over: Partial<StatsTarget>): StatsTarget {
  return {
    kind: 'post',
    verdict: 'alive',
    cause: null,
    firstSeenAt: T0,
    lastAliveAt: T0,
    goneAt: null,
    createdAt: null,
    ...over,
  };
}

describe('wilsonInterval', () => {
  it('matches known values (R prop.test without continuity correction)', () => {
    const [lo0, hi0] = wilsonInterval(0, 10)!;
    expect(lo0).toBe(0);
    expect(hi0).toBeCloseTo(0.277533, 5);
    const [lo5, hi5] = wilsonInterval(5, 10)!;
    expect(lo5).toBeCloseTo(0.236593, 5);
    expect(hi5).toBeCloseTo(0.763407, 5);
    const [lo81, hi81] = wilsonInterval(81, 263)!;
    expect(lo81).toBeCloseTo(0.255289, 5);
    expect(hi81).toBeCloseTo(0.36621, 5);
  });

  it('stays inside [0, 1] at k = n and is null for n = 0', () => {
    const [lo, hi] = wilsonInterval(10, 10)!;
    expect(hi).toBe(1);
    expect(lo).toBeCloseTo(1 - 0.277533, 5);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('normal tail, z-test and Fisher exact test', () => {
  it('gives the standard normal upper tail', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalUpperTail(-1.644854)).toBeCloseTo(0.95, 6);
  });

  it('computes the pooled one-sided z-test by hand: 60/100 vs 40/100', () => {
    // pooled p = 0.5, se = sqrt(0.25 * 0.02) = 0.0707107, z = 0.2 / se = 2.828427, P(Z > z) = 0.0023389
    const r = twoProportionZTest(60, 100, 40, 100)!;
    expect(r.z).toBeCloseTo(2.828427, 5);
    expect(r.pValue).toBeCloseTo(0.0023389, 6);
    // No variance when nothing (or everything) was deleted: there is nothing to test.
    expect(twoProportionZTest(0, 10, 0, 10)).toBeNull();
  });

  it('computes the one-sided Fisher exact test by hand', () => {
    // 3/4 vs 0/4: P(X >= 3) = C(3,3)·C(5,1) / C(8,4) = 5/70
    expect(fisherExactGreater(3, 4, 0, 4)).toBeCloseTo(5 / 70, 10);
    // 2/3 vs 1/5: [C(3,2)·C(5,1) + C(3,3)·C(5,0)] / C(8,3) = 16/56
    expect(fisherExactGreater(2, 3, 1, 5)).toBeCloseTo(16 / 56, 10);
    // The topic no higher than the baseline: p is large.
    expect(fisherExactGreater(0, 4, 3, 4)).toBeCloseTo(1, 10);
  });

  it('reproduces Newcombe (1998) example: 56/70 − 48/80, method 10 → (0.0524, 0.3339)', () => {
    const [lo, hi] = newcombeDifference(proportion(56, 70), proportion(48, 80))!;
    expect(lo).toBeCloseTo(0.0524, 4);
    expect(hi).toBeCloseTo(0.3339, 4);
  });
});

describe('compareRates', () => {
  it('uses Fisher for small expected counts and says so', () => {
    const c = compareRates(proportion(3, 4), proportion(0, 4), 'deletion');
    expect(c.test).toBe('fisher-exact-one-sided');
    expect(c.pValue).toBeCloseTo(5 / 70, 10);
    expect(c.z).toBeNull();
    expect(c.difference).toBeCloseTo(0.75, 10);
    expect(c.statement).toMatch(
      /Fisher's exact test, H1: topic deletion rate > baseline deletion rate; p = 0\.0714/,
    );
  });

  it('uses the z-test when every expected cell is at least 5', () => {
    const c = compareRates(proportion(60, 100), proportion(40, 100), 'censorship');
    expect(c.test).toBe('z-test-pooled-one-sided');
    expect(c.pValue).toBeCloseTo(0.0023389, 6);
    expect(c.statement).toContain(
      'two-proportion z-test, H1: topic censorship rate > baseline censorship rate; p = 0.00234 (z = 2.83)',
    );
    expect(c.statement).toContain('does not say why');
  });

  it('is n/a, not a number, when a watch has no posts seen alive', () => {
    const c = compareRates(proportion(0, 0), proportion(2, 10), 'deletion');
    expect(c.pValue).toBeNull();
    expect(c.difference).toBeNull();
    expect(c.test).toBeNull();
    expect(c.statement).toMatch(/^n\/a: the topic watch/);
  });

  it('formats p-values', () => {
    expect(formatP(0.0023389)).toBe('0.00234');
    expect(formatP(0.00001)).toBe('< 0.0001');
  });
});

describe('quantiles', () => {
  it('interpolates linearly between order statistics (R type 7)', () => {
    expect(quantiles([4, 1, 3, 2])).toEqual({ n: 4, min: 1, q1: 1.75, median: 2.5, q3: 3.25, max: 4 });
    expect(quantiles([10, 20, 30, 40, 50])).toEqual({ n: 5, min: 10, q1: 20, median: 30, q3: 40, max: 50 });
    expect(quantiles([7])).toEqual({ n: 1, min: 7, q1: 7, median: 7, q3: 7, max: 7 });
  });

  it('is all null for an empty sample', () => {
    expect(quantiles([])).toEqual({ n: 0, min: null, q1: null, median: null, q3: null, max: null });
  });
});

describe('computeWatchStats', () => {
  it('gives n/a rates, not NaN, for an empty watch', () => {
    const s = computeWatchStats([]);
    expect(s.targets).toBe(0);
    expect(s.deletionRate).toEqual({ k: 0, n: 0, rate: null, ci95: null });
    expect(s.censorshipRate.rate).toBeNull();
    expect(s.survival.median).toBeNull();
    expect(s.survival.deletedWithin1h.value).toBeNull();
    expect(formatRate(s.deletionRate)).toBe('n/a (0/0)');
    expect(formatSurvival(s.survival)).toBe('n/a (no posts seen alive)');
    expect(JSON.stringify(s)).not.toMatch(/NaN|Infinity/);
  });

  it('counts rates over posts seen alive, censorship as removed_by_platform only', () => {
    const targets: StatsTarget[] = [
      post({}),
      post({}),
      post({ verdict: 'unconfirmed', cause: 'removed_by_platform' }),
      // censored 30 min after creation, window 10 min
      post({
        verdict: 'gone',
        cause: 'removed_by_platform',
        createdAt: T0 - 20 * MIN,
        lastAliveAt: T0,
        goneAt: T0 + 10 * MIN,
      }),
      // author deletion 2 h after first seen (no created time), window 1 h
      post({ verdict: 'gone', cause: 'deleted_by_author', lastAliveAt: T0 + HOUR, goneAt: T0 + 2 * HOUR }),
      // restricted 30 h after creation: gone, but not censorship
      post({
        verdict: 'gone',
        cause: 'restricted',
        createdAt: T0,
        lastAliveAt: T0 + 29 * HOUR,
        goneAt: T0 + 30 * HOUR,
      }),
      // gone at first fetch: no window, outside the rates
      post({ verdict: 'gone', cause: 'gone_unspecified', lastAliveAt: null, goneAt: T0 }),
      // never fetched
      post({ verdict: 'unknown', lastAliveAt: null }),
      // a comment thread: counted by verdict, not in rates
      { ...post({ verdict: 'gone', cause: 'removed_by_platform', goneAt: T0 + MIN }), kind: 'thread' },
    ];
    const s = computeWatchStats(targets);
    expect(s.targets).toBe(9);
    expect(s.byKind).toEqual({ post: 8, thread: 1 });
    expect(s.byVerdict).toEqual({ alive: 2, unconfirmed: 1, gone: 5, unknown: 1 });
    expect(s.postsByVerdict).toEqual({ alive: 2, unconfirmed: 1, gone: 4, unknown: 1 });
    expect(s.goneByCause).toEqual({
      deleted_by_author: 1,
      removed_by_platform: 1,
      restricted: 1,
      account_gone: 0,
      gone_unspecified: 1,
    });
    expect(s.seenAlive).toBe(6);
    expect(s.goneNeverSeenAlive).toBe(1);
    expect(s.deletionRate.k).toBe(3);
    expect(s.deletionRate.n).toBe(6);
    expect(s.deletionRate.rate).toBeCloseTo(0.5, 10);
    expect(s.censorshipRate).toMatchObject({ k: 1, n: 6 });
    expect(s.censorshipRate.ci95![0]).toBeCloseTo(wilsonInterval(1, 6)![0], 12);
    // Curve over the 6 posts seen alive: the two alive and the unconfirmed one are censored at 0
    // (last alive = first seen); events at 30 min, 2 h and 30 h. S = 1, 2/3, 1/3, 0.
    expect(s.survival).toMatchObject({ n: 6, events: 3, censored: 3 });
    expect(s.survival.steps.map((x) => [x.time, x.atRisk, x.events, x.censored])).toEqual([
      [0, 6, 0, 3],
      [30 * MIN, 3, 1, 0],
      [2 * HOUR, 2, 1, 0],
      [30 * HOUR, 1, 1, 0],
    ]);
    expect([s.survival.q1, s.survival.median, s.survival.q3]).toEqual([30 * MIN, 2 * HOUR, 30 * HOUR]);
    expect(s.survival.deletedWithin1h.value).toBeCloseTo(1 / 3, 12);
    expect(s.survival.deletedWithin24h.value).toBeCloseTo(2 / 3, 12);
    expect(s.fromCreatedAt).toBe(2);
    // Censorship: only the 30-min removal is an event; the other two gone posts are censored.
    expect(s.censorshipSurvival).toMatchObject({ events: 1, censored: 5, median: null });
    expect(s.censorshipSurvival.q1).toBe(30 * MIN);
    expect(formatSurvival(s.censorshipSurvival)).toMatch(/^median not reached \(25% by 30 min/);
    // Windows 10 min, 1 h, 1 h.
    expect(s.deletionWindow.median).toBe(HOUR);
  });
});

describe('keywordHistory', () => {
  it('counts searches by outcome and orders transitions with their reasons', () => {
    const h = keywordHistory(
      { platform: 'weibo', query: '联合国 决议', searchState: 'withheld', blocked: true, lastResultsAt: T0 },
      [
        { at: T0, outcome: 'results', results: 12 },
        { at: T0 + HOUR, outcome: 'withheld', results: 0 },
        { at: T0 + 2 * HOUR, outcome: 'rate_limited', results: 0 },
        { at: T0 + 3 * HOUR, outcome: 'withheld', results: 0 },
      ],
      [
        { type: 'search.unblocked', at: T0 + 5 * HOUR, detail: { reason: 'results' } },
        { type: 'search.blocked', at: T0 + HOUR, detail: { reason: 'notice' } },
      ],
    );
    expect(h.searches).toBe(4);
    expect(h.byOutcome).toEqual({ results: 1, withheld: 2, rate_limited: 1 });
    expect(h.firstSearchAt).toBe(T0);
    expect(h.lastSearchAt).toBe(T0 + 3 * HOUR);
    expect(h.transitions).toEqual([
      { type: 'search.blocked', at: T0 + HOUR, reason: 'notice' },
      { type: 'search.unblocked', at: T0 + 5 * HOUR, reason: 'results' },
    ]);
  });
});

describe('formatDuration', () => {
  it('reads like a person would write it', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(12 * MIN)).toBe('12 min');
    expect(formatDuration(3 * HOUR + 5 * MIN)).toBe('3 h 5 min');
    expect(formatDuration(52 * HOUR)).toBe('2 d 4 h');
  });

  it('leaves out a part that is 0, also after rounding', () => {
    expect(formatDuration(HOUR)).toBe('1 h');
    expect(formatDuration(HOUR + 20_000)).toBe('1 h');
    expect(formatDuration(HOUR - 1_000)).toBe('1 h');
    expect(formatDuration(24 * HOUR)).toBe('1 d');
    expect(formatDuration(24 * HOUR - 20_000)).toBe('1 d');
    expect(formatDuration(7 * 24 * HOUR)).toBe('7 d');
    expect(formatDuration(59_600)).toBe('1 min');
    expect(formatDuration(23 * HOUR + 59 * MIN)).toBe('23 h 59 min');
  });
});
