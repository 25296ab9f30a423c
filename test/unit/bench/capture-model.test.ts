import {
  FAST_CDF,
  generateTopic,
  quantile,
  sampleDelay,
  seededRandom,
  simulate,
  ZHU_CDF,
  type Schedule,
} from '../../../bench/capture-model';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const SEED = 20130801;

const share = (xs: readonly number[], pred: (x: number) => boolean): number =>
  xs.filter(pred).length / xs.length;

describe('capture model', () => {
  const random = seededRandom(SEED);
  const zhu = Array.from({ length: 20_000 }, () => sampleDelay(ZHU_CDF, random()));

  it(`deletion delays match Zhu et al.: ~30% in 5–30 min, ~90% within 24 h (seed ${SEED})`, () => {
    expect(share(zhu, (x) => x >= 5 * MIN && x <= 30 * MIN)).toBeCloseTo(0.3, 1);
    expect(share(zhu, (x) => x <= DAY)).toBeCloseTo(0.9, 1);
    expect(Math.min(...zhu)).toBeGreaterThanOrEqual(MIN);
  });

  it('the fast variant puts ~40% of deletions in the first 10 minutes', () => {
    const r = seededRandom(SEED);
    const fast = Array.from({ length: 20_000 }, () => sampleDelay(FAST_CDF, r()));
    expect(share(fast, (x) => x <= 10 * MIN)).toBeCloseTo(0.4, 1);
    expect(quantile(fast, 0.5)).toBeLessThan(quantile(zhu, 0.5));
  });

  const topic = {
    days: 2,
    basePerHour: 20,
    burstsPerDay: 2,
    burstMeanMinutes: 45,
    burstFactor: 10,
    deletedShare: 0.13,
    cdf: ZHU_CDF,
  };
  const schedule: Schedule = {
    name: 't',
    discoverEvery: 2 * MIN,
    ladder: [2 * MIN, 5 * MIN, 10 * MIN, HOUR],
    jitter: 0.1,
    confirmGone: 2,
    confirmAfter: MIN,
    listingChecks: false,
    discoveryFirst: false,
  };
  const host = { minInterval: 2000, pageSize: 20, maxPages: 3, tailMs: DAY };

  it('a host that allows no requests captures and detects nothing', () => {
    const posts = generateTopic(topic, seededRandom(SEED));
    const r = simulate(posts, schedule, { ...host, minInterval: Infinity }, 2 * DAY, seededRandom(SEED));
    expect(r.deleted).toBeGreaterThan(0);
    expect(r.captured).toBe(0);
    expect(r.detected).toBe(0);
  });

  it('never confirms a deletion before it happens, and never spends more than the budget', () => {
    const posts = generateTopic(topic, seededRandom(SEED));
    const r = simulate(posts, schedule, host, 2 * DAY, seededRandom(SEED));
    expect(r.detected).toBeGreaterThan(0);
    expect(r.detected).toBeLessThanOrEqual(r.captured);
    expect(Math.min(...r.earlyDelays)).toBeGreaterThanOrEqual(MIN); // two absences, confirmAfter apart
    expect(r.requests).toBeLessThanOrEqual((3 * DAY) / 2000 + 3);
  });

  it('is deterministic for a seed', () => {
    const run = () =>
      simulate(generateTopic(topic, seededRandom(SEED)), schedule, host, 2 * DAY, seededRandom(SEED + 1));
    expect(run()).toEqual(run());
  });
});
