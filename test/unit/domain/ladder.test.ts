import { nextLadderCheck } from '../../../src/domain/ladder';

const m = 60_000;
const opts = { ladder: [2 * m, 5 * m, 10 * m], jitter: 0 };

describe('ladder', () => {
  it('places checks by age at the running sums of the intervals', () => {
    expect(nextLadderCheck(0, 0, opts)).toBe(2 * m);
    expect(nextLadderCheck(0, 2 * m, opts)).toBe(7 * m);
    expect(nextLadderCheck(0, 3 * m, opts)).toBe(7 * m);
    expect(nextLadderCheck(0, 7 * m, opts)).toBe(17 * m);
  });

  it('continues at the last interval after the last rung', () => {
    expect(nextLadderCheck(0, 17 * m, opts)).toBe(27 * m);
    expect(nextLadderCheck(0, 30 * m, opts)).toBe(37 * m);
  });

  it('a late check does not shift the schedule: the next one is by age', () => {
    expect(nextLadderCheck(1000, 1000 + 6 * m, opts)).toBe(1000 + 7 * m);
  });

  it('jitter stays within the fraction of the interval and never in the past', () => {
    const j = { ...opts, jitter: 0.1 };
    expect(nextLadderCheck(0, 2 * m, j, () => 0)).toBe(7 * m - 30_000);
    expect(nextLadderCheck(0, 2 * m, j, () => 1)).toBe(7 * m + 30_000);
    expect(nextLadderCheck(0, 2 * m - 1, { ladder: [2 * m], jitter: 1 }, () => 0)).toBeGreaterThan(2 * m - 1);
  });
});

describe('ladder near a rung edge', () => {
  it('a check inside the jitter window before an edge moves on to the next rung', () => {
    const j = { ladder: [2 * m, 5 * m, 10 * m], jitter: 0.1 };
    // Due at 2m ± 12s; a check at 1m55s with the jitter pulling the edge to 1m48s must not fire again at once.
    const next = nextLadderCheck(0, 115_000, j, () => 0);
    expect(next).toBe(7 * m - 30_000);
  });

  it('never returns a time at or before now, for any random draw', () => {
    const j = { ladder: [1000, 2000, 3000], jitter: 0.5 };
    for (let now = 0; now < 20_000; now += 37) {
      for (const r of [0, 0.25, 0.5, 0.99]) expect(nextLadderCheck(0, now, j, () => r)).toBeGreaterThan(now);
    }
  });
});
