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
