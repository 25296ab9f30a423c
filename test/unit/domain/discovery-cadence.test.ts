import { nextDiscoveryInterval } from '../../../src/domain/discovery-cadence';
import { createRng } from '../../../src/sim/world/rng';

const MIN = 60_000;
const opts = { base: 2 * MIN, min: MIN, max: 16 * MIN };
const quiet = { newTargets: 0, overflowed: false };
const busy = { newTargets: 3, overflowed: false };

describe('nextDiscoveryInterval', () => {
  it('starts at the base, halves after a round with new results and grows by half after a quiet one', () => {
    expect(nextDiscoveryInterval(null, busy, opts)).toBe(MIN);
    expect(nextDiscoveryInterval(null, quiet, opts)).toBe(3 * MIN);
    expect(nextDiscoveryInterval(4 * MIN, busy, opts)).toBe(2 * MIN);
    expect(nextDiscoveryInterval(4 * MIN, quiet, opts)).toBe(6 * MIN);
  });

  it('stays within min and max, whatever the previous interval was', () => {
    expect(nextDiscoveryInterval(MIN, busy, opts)).toBe(MIN);
    expect(nextDiscoveryInterval(15 * MIN, quiet, opts)).toBe(16 * MIN);
    // An interval stored under older bounds is brought inside the new ones first.
    expect(nextDiscoveryInterval(60 * MIN, quiet, opts)).toBe(16 * MIN);
    expect(nextDiscoveryInterval(60 * MIN, busy, opts)).toBe(8 * MIN);
  });

  it('goes straight to min when the round ran out of pages before reaching known posts', () => {
    expect(nextDiscoveryInterval(16 * MIN, { newTargets: 60, overflowed: true }, opts)).toBe(MIN);
  });

  it('with min = max = base it is the fixed discoverEvery', () => {
    const fixed = { base: 2 * MIN, min: 2 * MIN, max: 2 * MIN };
    expect(nextDiscoveryInterval(null, busy, fixed)).toBe(2 * MIN);
    expect(nextDiscoveryInterval(2 * MIN, quiet, fixed)).toBe(2 * MIN);
  });

  it('polls a busy source more often than a quiet one: about 0.46 / rate between the bounds', () => {
    const seed = 46;
    const rng = createRng(seed);
    const settle = (perMinute: number): number => {
      let interval: number | null = null;
      let sum = 0;
      let rounds = 0;
      for (let i = 0; i < 4000; i++) {
        const current: number = interval ?? opts.base;
        // Poisson arrivals: P(no post in the interval) = exp(-rate · interval).
        const got = rng.next() > Math.exp(-perMinute * (current / MIN));
        interval = nextDiscoveryInterval(current, got ? busy : quiet, {
          ...opts,
          min: 10_000,
          max: 60 * MIN,
        });
        if (i > 500) {
          sum += Math.log(interval);
          rounds++;
        }
      }
      return Math.exp(sum / rounds) / MIN;
    };
    const busyTopic = settle(1); // a post a minute
    const quietTopic = settle(1 / 20); // three an hour
    expect({ seed, busyTopic: busyTopic < 1.5, quietTopic: quietTopic > 5 }).toEqual({
      seed,
      busyTopic: true,
      quietTopic: true,
    });
    expect(quietTopic / busyTopic).toBeGreaterThan(8);
  });
});
