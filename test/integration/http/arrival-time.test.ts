import { ManualClock } from '../../../src/domain/clock';
import { Fetcher } from '../../../src/http/fetcher';
import { Servers, platforms } from './helpers';

const T0 = Date.UTC(2024, 0, 10, 2, 0, 0);
const servers = new Servers();
let fetcher: Fetcher | null = null;

afterEach(async () => {
  await fetcher?.close();
  fetcher = null;
  await servers.closeAll();
});

/**
 * A result carries the time its answer arrived on the injected clock, after the politeness wait,
 * the retries and the server's own slowness, never the time the request was asked for: that is
 * the time an observation takes, so a deletion window ends after what the platform showed.
 */
describe('arrival time of a fetch', () => {
  it('is read when the last response arrived, after politeness waits and retries', async () => {
    const clock = new ManualClock(T0);
    let calls = 0;
    const server = await servers.start((req, res) => {
      calls += 1;
      // The first answer is a reset; the second arrives after the platform "took" 30 s to answer.
      if (calls === 1) return req.socket.resetAndDestroy();
      clock.advanceBy(30_000);
      res.end('{"ok":1}');
    });
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base }, minInterval: 1_000 }),
      clock,
      retries: 2,
      jitter: 0,
      // Every wait (politeness, retry backoff) passes on the injected clock as it would in real time.
      sleep: async (ms) => clock.advanceBy(ms),
    });
    await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/api/warm' });
    const asked = clock.now();
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/api/x' });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(calls).toBe(3);
    // The politeness wait, the retry's backoff and the server's 30 s all lie before the arrival.
    expect(res.receivedAt).toBe(clock.now());
    expect(res.receivedAt!).toBeGreaterThanOrEqual(asked + 30_000);
  });

  it('of a failure is when the fetcher gave up, after its retries', async () => {
    const clock = new ManualClock(T0);
    const server = await servers.start((req) => {
      clock.advanceBy(1_000);
      req.socket.resetAndDestroy();
    });
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }),
      clock,
      retries: 2,
      sleep: async (ms) => clock.advanceBy(ms),
    });
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/api/x' });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(server.seen).toHaveLength(3);
    expect(res.failedAt).toBe(clock.now());
    expect(res.failedAt!).toBeGreaterThanOrEqual(T0 + 3_000);
  });
});
