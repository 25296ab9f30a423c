import { DEGRADED_AFTER, LocalHostHealth, OUTAGE_AFTER } from '../../../src/engine/host-health';

const backoff = () => ({ base: 1000, max: 8000 });

describe('HostHealth', () => {
  it('backs off exponentially on pushback, capped, and says degraded exactly once', () => {
    const h = new LocalHostHealth(backoff);
    const changes = Array.from({ length: 6 }, (_, i) => h.note('weibo', 'rate_limited', 0 + i));
    expect(changes.map((c) => c.degraded)).toEqual(changes.map((_, i) => i + 1 === DEGRADED_AFTER));
    expect(h.retryDelay('weibo')).toBe(8000);
    expect(h.pausedUntil('weibo')).toBe(5 + 8000);
    expect(h.pausedUntil('netease')).toBe(0);
  });

  it('the first normal answer resets the backoff and the degraded state', () => {
    const h = new LocalHostHealth(backoff);
    for (let i = 0; i < DEGRADED_AFTER; i++) h.note('weibo', 'captcha', 0);
    h.note('weibo', 'alive', 10);
    expect(h.isDegraded('weibo')).toBe(false);
    expect(h.pausedUntil('weibo')).toBe(0);
    expect(h.retryDelay('weibo')).toBe(1000);
  });

  it('every request failing at once is an outage: degraded once, no backoff, cleared by an answer', () => {
    const h = new LocalHostHealth(backoff);
    const outcomes = ['network_error', 'server_error', 'unparseable'] as const;
    const degraded = Array.from(
      { length: OUTAGE_AFTER + 5 },
      (_, i) => h.note('netease', outcomes[i % 3]!, i).degraded,
    );
    expect(degraded.filter(Boolean)).toHaveLength(1);
    expect(degraded.indexOf(true)).toBe(OUTAGE_AFTER - 1);
    expect(h.pausedUntil('netease')).toBe(0);
    h.note('netease', 'gone_unspecified', 100);
    expect(h.isDegraded('netease')).toBe(false);
  });

  it('failures with answers in between are not an outage', () => {
    const h = new LocalHostHealth(backoff);
    const degraded = Array.from(
      { length: 40 },
      (_, i) => h.note('netease', i % 5 === 4 ? 'alive' : 'server_error', i).degraded,
    );
    expect(degraded.some(Boolean)).toBe(false);
  });
});
