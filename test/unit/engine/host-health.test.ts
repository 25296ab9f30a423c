import {
  DEGRADED_AFTER,
  LocalHostHealth,
  OUTAGE_AFTER,
  RECOVERED_AFTER,
  UNREACHABLE_AFTER,
} from '../../../src/engine/host-health';

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

  it('says a pause started only for the refusal that paused a platform not paused, not for those lengthening it', () => {
    const h = new LocalHostHealth(backoff);
    const storm = [0, 1, 2].map((at) => h.note('weibo', 'rate_limited', at));
    expect(storm.map((c) => [c.paused, c.started])).toEqual([
      [true, true],
      [true, false],
      [true, false],
    ]);
    h.note('weibo', 'alive', 100);
    expect(h.note('weibo', 'captcha', 101).started).toBe(true);
    expect(h.note('weibo', 'alive', 102).started).toBe(false);
  });

  it('the first normal answer resets the backoff; RECOVERED_AFTER in a row end the degraded state', () => {
    const h = new LocalHostHealth(backoff);
    for (let i = 0; i < DEGRADED_AFTER; i++) h.note('weibo', 'captcha', 0);
    h.note('weibo', 'alive', 10);
    expect(h.pausedUntil('weibo')).toBe(0);
    expect(h.retryDelay('weibo')).toBe(1000);
    expect(h.isDegraded('weibo')).toBe(true);
    for (let i = 1; i < RECOVERED_AFTER; i++) h.note('weibo', 'alive', 10 + i);
    expect(h.isDegraded('weibo')).toBe(false);
  });

  it('a platform that answers once between runs of failures is degraded once for the episode', () => {
    const h = new LocalHostHealth(backoff);
    const raised: number[] = [];
    let at = 0;
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < OUTAGE_AFTER; i++)
        if (h.note('weibo', 'unparseable', at++).degraded) raised.push(round);
      for (let i = 0; i < RECOVERED_AFTER - 1; i++) h.note('weibo', 'alive', at++);
    }
    expect(raised).toEqual([0]);
    expect(h.isDegraded('weibo')).toBe(true);
    // Recovered for good, a new outage is a new episode.
    for (let i = 0; i < RECOVERED_AFTER; i++) h.note('weibo', 'alive', at++);
    expect(h.isDegraded('weibo')).toBe(false);
    const again = Array.from({ length: OUTAGE_AFTER }, () => h.note('weibo', 'server_error', at++).degraded);
    expect(again.filter(Boolean)).toHaveLength(1);
  });

  it('every request failing at once with answers among them is an outage: degraded once, no backoff, cleared by answers', () => {
    const h = new LocalHostHealth(backoff);
    const outcomes = ['network_error', 'server_error', 'unparseable'] as const;
    const degraded = Array.from(
      { length: OUTAGE_AFTER + 5 },
      (_, i) => h.note('netease', outcomes[i % 3]!, i).degraded,
    );
    expect(degraded.filter(Boolean)).toHaveLength(1);
    expect(degraded.indexOf(true)).toBe(OUTAGE_AFTER - 1);
    expect(h.pausedUntil('netease')).toBe(0);
    for (let i = 0; i < RECOVERED_AFTER; i++) h.note('netease', 'gone_unspecified', 100 + i);
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

  it('transport failures in a row pause the platform, doubling per pause, capped', () => {
    const h = new LocalHostHealth(backoff);
    const changes = Array.from({ length: UNREACHABLE_AFTER }, (_, i) => h.note('weibo', 'network_error', i));
    // A blip or two is not a pause; the UNREACHABLE_AFTER-th failure in a row is.
    expect(changes.map((c) => c.paused)).toEqual(changes.map((_, i) => i === UNREACHABLE_AFTER - 1));
    const first = UNREACHABLE_AFTER - 1;
    expect(h.pausedUntil('weibo')).toBe(first + 1000);
    expect(h.pausedUntil('netease')).toBe(0);
    // Each failure after a pause ran out doubles the next one, up to max.
    let at = h.pausedUntil('weibo');
    const pauses: number[] = [];
    for (let i = 0; i < 6; i++) {
      expect(h.note('weibo', 'network_error', at).paused).toBe(true);
      pauses.push(h.pausedUntil('weibo') - at);
      at = h.pausedUntil('weibo');
    }
    expect(pauses).toEqual([2000, 4000, 8000, 8000, 8000, 8000]);
    // The targets' own retries wait as long.
    expect(h.retryDelay('weibo')).toBe(8000);
    expect(h.snapshot().weibo).toMatchObject({ pausedUntil: at, strikes: 7 });
  });

  it('failures of requests already in flight when a pause began do not lengthen it', () => {
    const h = new LocalHostHealth(backoff);
    for (let i = 0; i < UNREACHABLE_AFTER; i++) h.note('weibo', 'network_error', 100);
    const until = h.pausedUntil('weibo');
    for (let i = 0; i < 20; i++) expect(h.note('weibo', 'network_error', 100 + i).paused).toBe(false);
    expect(h.pausedUntil('weibo')).toBe(until);
    expect(h.retryDelay('weibo')).toBe(1000);
  });

  it('any answer between transport failures starts the count again, and ends a pause they began', () => {
    const h = new LocalHostHealth(backoff);
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < UNREACHABLE_AFTER - 1; i++) h.note('netease', 'network_error', round * 10 + i);
      h.note('netease', round % 2 ? 'server_error' : 'gone_unspecified', round * 10 + 5);
    }
    expect(h.pausedUntil('netease')).toBe(0);
    for (let i = 0; i < UNREACHABLE_AFTER; i++) h.note('netease', 'network_error', 100);
    expect(h.pausedUntil('netease')).toBe(1100);
    // The host answers again (a 5xx is an answer too): no pause, no longer retry delay.
    h.note('netease', 'server_error', 200);
    expect(h.pausedUntil('netease')).toBe(0);
    expect(h.retryDelay('netease')).toBe(1000);
    expect(h.note('netease', 'network_error', 201).paused).toBe(false);
  });

  it('an answer does not end a pause a rate limit began', () => {
    const h = new LocalHostHealth(backoff);
    h.note('weibo', 'rate_limited', 0);
    for (let i = 0; i < UNREACHABLE_AFTER; i++) h.note('weibo', 'network_error', 10 + i);
    h.note('weibo', 'server_error', 20);
    expect(h.pausedUntil('weibo')).toBe(1000);
  });

  it('goes back to a restore point, forgetting what was noted since', () => {
    const h = new LocalHostHealth(backoff);
    h.note('weibo', 'rate_limited', 0);
    const restore = h.restorePoint();
    for (let i = 1; i < 6; i++) h.note('weibo', 'rate_limited', i);
    h.note('netease', 'captcha', 6);
    expect(h.isDegraded('weibo')).toBe(true);
    restore();
    expect(h.snapshot()).toEqual({ weibo: { strikes: 1, pausedUntil: 1000, degraded: false } });
    // Noted again from there, as if the outcomes after the point had never been.
    const again = [1, 2].map((at) => h.note('weibo', 'rate_limited', at));
    expect(again.map((c) => c.degraded)).toEqual([false, true]);
  });
});
