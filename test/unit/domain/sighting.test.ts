import { checkAfterSighting, rungAt } from '../../../src/domain/sighting';

const m = 60_000;
const opts = { ladder: [2 * m, 4 * m, 10 * m], jitter: 0 };
// Checks fall at ages 2, 6, 16, 26, … min.
const target = { firstSeenAt: 0, nextCheckAt: 6 * m, checkedDirectly: true, confirming: false };

describe('checkAfterSighting', () => {
  it('a sighting late in the due check’s rung stands in for it: the next check moves a rung on', () => {
    expect(checkAfterSighting(target, 4 * m, opts)).toBe(16 * m);
    expect(checkAfterSighting(target, 6 * m - 1, opts)).toBe(16 * m);
  });

  it('a sighting early in the rung changes nothing', () => {
    expect(checkAfterSighting(target, 4 * m - 1, opts)).toBeNull();
    expect(checkAfterSighting(target, 2 * m + 1, opts)).toBeNull();
  });

  it('an overdue check is answered by the sighting: the ladder goes on from it', () => {
    expect(checkAfterSighting(target, 7 * m, opts)).toBe(16 * m);
    expect(checkAfterSighting({ ...target, nextCheckAt: 15 * m }, 17 * m, opts)).toBe(26 * m);
  });

  it('never stands in for a first check or a confirmation, nor for a target without a check', () => {
    expect(checkAfterSighting({ ...target, checkedDirectly: false }, 5 * m, opts)).toBeNull();
    expect(checkAfterSighting({ ...target, confirming: true }, 5 * m, opts)).toBeNull();
    expect(checkAfterSighting({ ...target, nextCheckAt: null }, 5 * m, opts)).toBeNull();
  });

  it('with jitter, the rung after is still the one found, even when the due check was placed early', () => {
    const j = { ...opts, jitter: 0.1 };
    // Due at 6 min − 24 s (jitter −10% of the 4-minute rung), seen at 5 min.
    const next = checkAfterSighting({ ...target, nextCheckAt: 6 * m - 24_000 }, 5 * m, j, () => 0.5);
    expect(next).toBe(16 * m);
  });
});

describe('rungAt', () => {
  it('names the rung whose check falls at a time, jitter either side, and the last past the end', () => {
    expect(rungAt(0, 2 * m, opts.ladder)).toBe(2 * m);
    expect(rungAt(0, 6 * m - 20_000, opts.ladder)).toBe(4 * m);
    expect(rungAt(0, 6 * m + 20_000, opts.ladder)).toBe(4 * m);
    expect(rungAt(0, 16 * m, opts.ladder)).toBe(10 * m);
    expect(rungAt(0, 90 * m, opts.ladder)).toBe(10 * m);
  });
});
