import { MAX_RETRY_AFTER, classifyStatus, parseRetryAfter, retryDelay } from '../../../src/alerts/retry';

describe('retryDelay', () => {
  const policy = { base: 1_000, max: 10_000 };
  test('doubles per attempt up to the cap, with equal jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => retryDelay(a, policy, () => 0))).toEqual([
      500, 1000, 2000, 4000, 5000, 5000,
    ]);
    expect([1, 2, 3, 4, 5].map((a) => retryDelay(a, policy, () => 0.999999))).toEqual([
      1000, 2000, 4000, 8000, 10000,
    ]);
  });
  test('jitter spreads delays between half and all of the backoff', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const d = retryDelay(3, policy, Math.random);
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
      seen.add(d);
    }
    expect(seen.size).toBeGreaterThan(1);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2023-04-27T01:00:00Z');
  test('delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(['7'], now)).toBe(7_000);
    expect(parseRetryAfter('Thu, 27 Apr 2023 01:02:30 GMT', now)).toBe(150_000);
  });
  test('absent, unreadable, past and absurd values', () => {
    expect(parseRetryAfter(undefined, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter('Wed, 26 Apr 2023 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('99999999', now)).toBe(MAX_RETRY_AFTER);
  });
});

test('classifyStatus: 2xx delivered; 5xx, 429 and 408 retried; other 4xx and redirects fail', () => {
  expect([200, 202, 204].map(classifyStatus)).toEqual(['delivered', 'delivered', 'delivered']);
  expect([500, 502, 503, 504, 429, 408].map(classifyStatus)).toEqual(Array(6).fill('retry'));
  expect([400, 401, 403, 404, 410, 413, 301, 302].map(classifyStatus)).toEqual(Array(8).fill('fail'));
});
