import { Fetcher } from '../../../src/http/fetcher';
import type { Sleep } from '../../../src/http/fetcher';
import { LocalPoliteness, PolitenessUnavailableError, type Politeness } from '../../../src/http/politeness';
import { Servers, gaps, platforms } from './helpers';

const servers = new Servers();
let fetcher: Fetcher | null = null;

afterEach(async () => {
  await fetcher?.close();
  fetcher = null;
  await servers.closeAll();
});

/**
 * The gate spaces the moments requests are handed to undici. It runs here on a clock the test
 * drives (its sleeps move the clock on), so each grant is read where the gate made it: real time
 * would add the loaded machine's scheduling between a grant and its reading (a gap of 98.6 ms from
 * grants 100 ms apart, once), and a server's arrival times add connection handshakes. The requests
 * themselves are real, so the order of arrivals is still the server's.
 */
describe('per-host politeness', () => {
  it('starts concurrent requests to one host at least minInterval apart, in arrival order', async () => {
    const server = await servers.start((_req, res) => res.end());
    const { politeness, granted, sleeps, sleep } = drivenGate();
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base }, minInterval: 100 }),
      sleep,
      politeness,
    });
    await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/warm-up' });
    server.seen.length = 0;
    sleeps.length = 0;
    granted.length = 0;

    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        fetcher!.fetch({ platform: 'weibo', url: `https://m.weibo.cn/statuses/show?id=${i}` }),
      ),
    );

    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.seen.map((s) => s.url)).toEqual([1, 2, 3, 4, 5].map((i) => `/statuses/show?id=${i}`));
    const spacing = gaps(granted);
    expect(spacing).toHaveLength(4);
    for (const gap of spacing) expect(gap).toBeGreaterThanOrEqual(100);
    // At least the four after the first wait through the injected sleep (the first may find its slot free).
    expect(sleeps.length).toBeGreaterThanOrEqual(4);
  });

  it('lets two hosts proceed independently while each keeps its own interval', async () => {
    const server = await servers.start((_req, res) => res.end());
    const gate = drivenGate();
    fetcher = new Fetcher({
      platforms: platforms({
        hosts: { 'm.weibo.cn': server.base, 'weibo.com': server.base },
        minInterval: 300,
      }),
      politeness: gate.politeness,
      // Intervals exact: with jitter the two hosts' slots would fall in either order.
      jitter: 0,
    });
    await Promise.all([
      fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/warm-up' }),
      fetcher.fetch({ platform: 'weibo', url: 'https://weibo.com/warm-up' }),
    ]);
    gate.byHost.clear();
    gate.hosts.length = 0;

    await Promise.all([
      ...[1, 2].map((i) => fetcher!.fetch({ platform: 'weibo', url: `https://m.weibo.cn/a${i}` })),
      ...[1, 2].map((i) => fetcher!.fetch({ platform: 'weibo', url: `https://weibo.com/b${i}` })),
    ]);

    // weibo.com's first slot is not queued behind m.weibo.cn's second (one gate for both would
    // grant a1, a2, b1, b2), and each host's slots come an interval apart.
    expect(gate.hosts).toEqual(['m.weibo.cn', 'weibo.com', 'm.weibo.cn', 'weibo.com']);
    for (const host of ['m.weibo.cn', 'weibo.com']) {
      const spacing = gaps(gate.byHost.get(host) ?? []);
      expect(spacing).toHaveLength(1);
      expect(spacing[0]).toBeGreaterThanOrEqual(300);
    }
  });

  it('spaces the tries of a retried request too', async () => {
    let calls = 0;
    const server = await servers.start((req, res) => {
      if (req.url === '/x') calls += 1;
      if (calls === 1) req.socket.resetAndDestroy();
      else res.end();
    });
    const gate = drivenGate();
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base }, minInterval: 150 }),
      retryDelay: 1,
      politeness: gate.politeness,
    });
    await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/warm-up' });
    server.seen.length = 0;
    gate.byHost.clear();
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/x' });

    expect(res.ok).toBe(true);
    expect(server.seen).toHaveLength(2);
    // Both tries took a slot of the gate, an interval apart.
    const spacing = gaps(gate.byHost.get('m.weibo.cn') ?? []);
    expect(spacing).toHaveLength(1);
    expect(spacing[0]).toBeGreaterThanOrEqual(150);
  });

  it('stretches each wait by the jitter, never below minInterval', async () => {
    const server = await servers.start((_req, res) => res.end());
    // Measured on the gate's own clock, as above.
    const gate = drivenGate();
    const intervals: number[] = [];
    const politeness: Politeness = {
      wait: (host, interval, signal) => {
        intervals.push(interval);
        return gate.politeness.wait(host, interval, signal);
      },
    };
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base }, minInterval: 100 }),
      politeness,
      jitter: 0.5,
      random: () => 0.99,
    });
    await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/warm-up' });
    intervals.length = 0;
    gate.granted.length = 0;
    await Promise.all(
      [1, 2, 3].map((i) => fetcher!.fetch({ platform: 'weibo', url: `https://m.weibo.cn/x?i=${i}` })),
    );
    // 100 ms stretched by 0.5 × 0.99: 149.5 ms asked for each request, and granted that far apart.
    expect(intervals).toHaveLength(3);
    for (const interval of intervals) expect(interval).toBeCloseTo(149.5, 5);
    const spacing = gaps(gate.granted);
    expect(spacing).toHaveLength(2);
    for (const gap of spacing) expect(gap).toBeGreaterThanOrEqual(149.5);
  });
});

/**
 * The local gate on a virtual clock its sleeps drive: a sleep is woken in a later turn of the event
 * loop, earliest wake first (ties in the order they slept), and the clock moves to that wake. So
 * `granted` (and `byHost`, per host) hold the exact times the gate granted its slots, whatever the
 * machine's load did between a grant and its reading, and the order of grants is the gate's.
 */
function drivenGate(): {
  politeness: Politeness;
  granted: number[];
  byHost: Map<string, number[]>;
  hosts: string[];
  sleeps: number[];
  sleep: Sleep;
} {
  let clock = 0;
  const sleeps: number[] = [];
  const granted: number[] = [];
  const byHost = new Map<string, number[]>();
  const hosts: string[] = [];
  const asleep: { at: number; seq: number; wake: () => void }[] = [];
  let seq = 0;
  const wakeNext = (): void => {
    asleep.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = asleep.shift();
    if (!next) return;
    clock = Math.max(clock, next.at);
    next.wake();
  };
  const sleep: Sleep = (ms, signal) => {
    sleeps.push(ms);
    return new Promise<void>((resolve, reject) => {
      asleep.push({
        at: clock + ms,
        seq: seq++,
        wake: () => (signal?.aborted ? reject(new Error('aborted')) : resolve()),
      });
      setImmediate(wakeNext);
    });
  };
  const local = new LocalPoliteness(sleep, () => clock);
  return {
    granted,
    byHost,
    hosts,
    sleeps,
    sleep,
    politeness: {
      wait: async (host, interval, signal) => {
        await local.wait(host, interval, signal);
        granted.push(clock);
        hosts.push(host);
        byHost.set(host, [...(byHost.get(host) ?? []), clock]);
      },
    },
  };
}

/** A politeness that records what it is asked and answers as the test says. */
class RecordingPoliteness implements Politeness {
  readonly asked: { host: string; interval: number }[] = [];
  constructor(private readonly answer: (signal?: AbortSignal) => Promise<void> = async () => undefined) {}
  wait(host: string, interval: number, signal?: AbortSignal): Promise<void> {
    this.asked.push({ host, interval });
    return this.answer(signal);
  }
}

describe('the politeness seam', () => {
  it('an injected politeness is asked before every hop and every try, with the real host', async () => {
    let tries = 0;
    const server = await servers.start((req, res) => {
      if (req.url === '/old') {
        res.writeHead(302, { location: 'https://weibo.com/new' });
        res.end();
      } else if (req.url === '/new' && ++tries === 1) req.socket.resetAndDestroy();
      else res.end('ok');
    });
    const politeness = new RecordingPoliteness();
    fetcher = new Fetcher({
      platforms: platforms({
        hosts: { 'm.weibo.cn': server.base, 'weibo.com': server.base },
        minInterval: 50,
      }),
      politeness,
      retryDelay: 1,
      jitter: 0,
    });
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/old' });
    expect(res.ok && res.status).toBe(200);
    // The first hop, then the redirect's two tries (a reset, then the answer): three slots, none skipped.
    expect(server.seen.map((s) => s.url)).toEqual(['/old', '/new', '/new']);
    expect(politeness.asked).toEqual([
      { host: 'm.weibo.cn', interval: 50 },
      { host: 'weibo.com', interval: 50 },
      { host: 'weibo.com', interval: 50 },
    ]);
  });

  it('politeness out of reach rejects the fetch and sends nothing: no failed fetch is made up', async () => {
    const server = await servers.start((_req, res) => res.end());
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base }, minInterval: 50 }),
      politeness: new RecordingPoliteness(() => Promise.reject(new PolitenessUnavailableError('redis away'))),
    });
    await expect(fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/x' })).rejects.toBeInstanceOf(
      PolitenessUnavailableError,
    );
    expect(server.seen).toEqual([]);
  });

  it('an abort while waiting for the slot is an aborted request, not an error', async () => {
    const server = await servers.start((_req, res) => res.end());
    const stop = new AbortController();
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base }, minInterval: 50 }),
      // Never grants the slot: only the abort can end the wait.
      politeness: new RecordingPoliteness(
        (signal) =>
          new Promise<void>((_resolve, reject) =>
            signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
          ),
      ),
    });
    const pending = fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/x', signal: stop.signal });
    stop.abort();
    await expect(pending).resolves.toMatchObject({ ok: false, code: 'ABORTED' });
    expect(server.seen).toEqual([]);
  });
});
