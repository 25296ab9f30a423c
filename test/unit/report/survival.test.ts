import { kaplanMeier, survivalAt, type SurvivalSubject } from '../../../src/report/survival';

const HOUR = 3_600_000;
const ev = (time: number): SurvivalSubject => ({ time, event: true });
const cens = (time: number): SurvivalSubject => ({ time, event: false });

describe('kaplanMeier', () => {
  it('without censoring is the empirical survival function, read as the first time S ≤ 1 − p', () => {
    const c = kaplanMeier([ev(4), ev(2), ev(1), ev(3)]);
    expect(c).toMatchObject({ n: 4, events: 4, censored: 0 });
    expect(c.steps.map((s) => [s.time, s.atRisk, s.events, s.survival])).toEqual([
      [1, 4, 1, 0.75],
      [2, 3, 1, 0.5],
      [3, 2, 1, 0.25],
      [4, 1, 1, 0],
    ]);
    expect([c.q1, c.median, c.q3]).toEqual([1, 2, 3]);
    // Greenwood on the log(−log) scale at t = 1 (S = 3/4, Σ d/(n(n−d)) = 1/12), worked by hand:
    // se = √(1/12) / |ln 0.75| = 1.00345; S^exp(±1.96·se) = 0.75^7.1471, 0.75^(1/7.1471).
    const [lo, hi] = c.steps[0]!.ci95!;
    expect(lo).toBeCloseTo(0.12796, 4);
    expect(hi).toBeCloseTo(0.96055, 4);
    expect(c.steps[3]!.ci95).toBeNull();
  });

  it('keeps a post censored at an event time at risk at that time (events first)', () => {
    // 7 posts: events at 1, 2, 2, 4; censored at 2, 3, 5.
    const c = kaplanMeier([ev(1), ev(2), ev(2), cens(2), cens(3), ev(4), cens(5)]);
    expect(c).toMatchObject({ n: 7, events: 4, censored: 3 });
    const rows = c.steps.map((s) => [s.time, s.atRisk, s.events, s.censored]);
    expect(rows).toEqual([
      [1, 7, 1, 0],
      [2, 6, 2, 1],
      [3, 3, 0, 1],
      [4, 2, 1, 0],
      [5, 1, 0, 1],
    ]);
    // S(1) = 6/7; S(2) = 6/7 · 4/6 = 4/7 (with censoring first it would be 6/7 · 3/5); S(4) = 4/7 · 1/2.
    const s = c.steps.map((x) => x.survival);
    expect(s[0]).toBeCloseTo(6 / 7, 12);
    expect(s[1]).toBeCloseTo(4 / 7, 12);
    expect(s[2]).toBeCloseTo(4 / 7, 12);
    expect(s[3]).toBeCloseTo(2 / 7, 12);
    expect(s[4]).toBeCloseTo(2 / 7, 12);
    expect(c.q1).toBe(2); // 4/7 ≤ 0.75
    expect(c.median).toBe(4); // 4/7 > 0.5, 2/7 ≤ 0.5
    expect(c.q3).toBeNull(); // never ≤ 0.25: not reached
  });

  it('with every post censored never falls: no quantile is reached, nothing deleted', () => {
    const c = kaplanMeier([cens(HOUR), cens(2 * HOUR), cens(30 * HOUR)]);
    expect(c).toMatchObject({ n: 3, events: 0, censored: 3, q1: null, median: null, q3: null });
    expect(c.steps.every((s) => s.survival === 1)).toBe(true);
    expect(c.deletedWithin1h).toEqual({ within: HOUR, value: 0, ci95: null, atRisk: 2 });
    expect(c.deletedWithin24h).toEqual({ within: 24 * HOUR, value: 0, ci95: null, atRisk: 1 });
  });

  it('reads deleted-within-1h/24h from the curve, counting censored posts in the risk set', () => {
    // Events at 30 min and 2 h, one post censored at 45 min, one still alive at 3 days.
    const c = kaplanMeier([ev(HOUR / 2), cens(0.75 * HOUR), ev(2 * HOUR), cens(72 * HOUR)]);
    // S(1 h) = 3/4; S(24 h) = 3/4 · (1 − 1/2) = 3/8.
    expect(c.deletedWithin1h.value).toBeCloseTo(1 / 4, 12);
    expect(c.deletedWithin1h.atRisk).toBe(2);
    expect(c.deletedWithin24h.value).toBeCloseTo(5 / 8, 12);
    expect(c.deletedWithin24h.atRisk).toBe(1);
    const [lo, hi] = c.deletedWithin1h.ci95!;
    expect(lo).toBeLessThan(0.25);
    expect(hi).toBeGreaterThan(0.25);
    // A gone-only median would say 75 min; the curve says 2 h.
    expect(c.median).toBe(2 * HOUR);
  });

  it('is empty and null, never NaN, without subjects', () => {
    const c = kaplanMeier([]);
    expect(c).toMatchObject({ n: 0, events: 0, censored: 0, steps: [], median: null });
    expect(c.deletedWithin1h.value).toBeNull();
    expect(JSON.stringify(c)).not.toMatch(/NaN|Infinity/);
  });

  it('survivalAt is the last step at or before a time', () => {
    const c = kaplanMeier([ev(1), ev(3)]);
    expect(survivalAt(c.steps, 0)).toBeNull();
    expect(survivalAt(c.steps, 2)!.survival).toBe(0.5);
    expect(survivalAt(c.steps, 3)!.survival).toBe(0);
  });
});
