import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createEngine, createPlatforms, type Platforms } from '../../../src/cli/compose';
import { parseConfig } from '../../../src/config/load';
import { Store } from '../../../src/store/store';
import { Servers } from '../http/helpers';
import { alivePosts, startSim, type SimHarness } from '../weibo-session/helpers';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const TARGETS = 6;
const BASE = 5 * SECOND;
const MAX = 2 * MINUTE;
const DOWN_FOR = 30 * MINUTE;
const silent = pino({ level: 'silent' });

const servers = new Servers();
let dir: string;
let h: SimHarness | null = null;
let platforms: Platforms | null = null;
let store: Store | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cw-unreachable-'));
});
afterEach(async () => {
  await platforms?.close();
  store?.close();
  await servers.closeAll();
  await h?.sim.stop();
  [platforms, store, h] = [null, null, null];
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A Weibo host that resets every connection (an overloaded or filtering middlebox) and, once told,
 * answers again from the simulator. Every request is counted at the simulated time it arrived.
 */
describe('a host that resets every connection', () => {
  it('is backed off, doubling up to backoff.max, and checked again at once when it answers', async () => {
    h = await startSim({});
    const sim = h;
    let down = true;
    const arrivals: { at: number; url: string }[] = [];
    const front = await servers.start((req, res) => {
      arrivals.push({ at: sim.clock.now(), url: req.url ?? '' });
      if (down) {
        req.socket.resetAndDestroy();
        return;
      }
      const upstream = http.request(
        `${sim.base}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      upstream.end();
    });
    const mids = alivePosts(sim.scenario, TARGETS).map((t) => t.id);
    const config = parseConfig(
      {
        database: join(dir, 'cw.db'),
        platforms: {
          weibo: {
            hosts: { 'm.weibo.cn': front.base, 'weibo.com': front.base, 'passport.weibo.com': front.base },
            minInterval: '0ms',
            backoff: { base: '5s', max: '2m' },
          },
        },
        schedule: { ladder: ['2m', '5m', '10m'], confirmAfter: '1m' },
        watches: [{ id: 'w', weibo: { posts: mids } }],
        browser: { executablePath: null },
      },
      '<test>',
      {},
    );
    store = Store.open(config.database);
    platforms = createPlatforms(config, sim.clock, silent, { sleep: async () => {}, retryDelay: 0 });
    const engine = createEngine({
      config,
      store,
      adapters: platforms.adapters,
      clock: sim.clock,
      logger: silent,
    });
    engine.sync();
    const runFor = (ms: number) =>
      engine.run({ until: sim.clock.now() + ms, advanceClock: (t) => sim.clock.advanceTo(t) });

    const start = sim.clock.now();
    await runFor(DOWN_FOR);
    const down30 = arrivals.filter((a) => a.at < start + DOWN_FOR);
    // Requests come in bursts at the ends of the pauses; the gaps between bursts double from
    // backoff.base up to backoff.max and stay there.
    const bursts = [...new Set(down30.map((a) => a.at))];
    const gaps = bursts.slice(1).map((t, i) => t - bursts[i]!);
    expect(gaps.length).toBeGreaterThan(5);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(Math.min(MAX, BASE * 2 ** i)));
    expect(gaps.slice(-5)).toEqual(gaps.slice(-5).map(() => MAX));
    // A burst is at most one check of each target, each with its fetcher retry (and, in the
    // first, the session's visitor cookie request).
    const checks = down30.filter((a) => a.url.startsWith('/statuses/'));
    const perBurst = bursts.map((b) => checks.filter((a) => a.at === b).length);
    expect(Math.max(...perBurst)).toBeLessThanOrEqual(2 * TARGETS);
    // Without backoff every target would be retried every backoff.base: 2 × 6 targets × 360 =
    // 4,320 requests in the half hour. With it, about one burst per pause.
    expect(bursts.length).toBeLessThanOrEqual(Math.ceil(DOWN_FOR / MAX) + 6);
    expect(down30.length).toBeLessThan(4_320 / 10);
    expect(engine.health.pausedUntil('weibo')).toBeGreaterThan(sim.clock.now() - MAX);

    // The host answers again: the first answer after the pause ends it, and every target is seen alive.
    down = false;
    const upAt = sim.clock.now();
    await runFor(MAX + MINUTE);
    expect(engine.health.pausedUntil('weibo')).toBe(0);
    for (const mid of mids) {
      const target = store.findTarget({ platform: 'weibo', kind: 'post', id: mid })!;
      const alive = store.observationsOf(target.rowId).filter((o) => o.outcome === 'alive');
      expect(alive.length).toBeGreaterThan(0);
      expect(alive[0]!.at).toBeLessThanOrEqual(upAt + MAX + SECOND);
      expect(store.getTarget(target.rowId)?.state.verdict).toBe('alive');
    }
  }, 120_000);
});
