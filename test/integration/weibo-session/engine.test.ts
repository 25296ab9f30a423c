import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createEngine, createPlatforms, type Platforms } from '../../../src/cli/compose';
import type { Engine } from '../../../src/engine/engine';
import { parseConfig } from '../../../src/config/load';
import type { Config } from '../../../src/config/types';
import type { RecordedEvent } from '../../../src/engine/recorder';
import type { SimBlock } from '../../../src/sim/weibo/session';
import { Store } from '../../../src/store/store';
import { alivePosts, startSim, type SimHarness } from './helpers';

const MINUTE = 60_000;
const silent = pino({ level: 'silent' });

/** The engine, store and platforms of one run against the simulator, on its manual clock. */
interface Rig {
  readonly h: SimHarness;
  readonly config: Config;
  readonly store: Store;
  readonly platforms: Platforms;
  readonly engine: Engine;
  readonly events: RecordedEvent[];
  runFor(ms: number): Promise<void>;
}

let dir: string;
let rig: Rig | null = null;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cw-weibo-session-'));
});
afterEach(async () => {
  if (rig) {
    await rig.platforms.close();
    rig.store.close();
    await rig.h.sim.stop();
    rig = null;
  }
  rmSync(dir, { recursive: true, force: true });
});

async function start(h: SimHarness, targets: number): Promise<Rig> {
  const mids = alivePosts(h.scenario, targets).map((t) => t.id);
  const config = parseConfig(
    {
      database: join(dir, 'cw.db'),
      platforms: { weibo: { hosts: h.hosts, minInterval: '0ms', backoff: { base: '30s', max: '5m' } } },
      schedule: { discoverEvery: '10m', ladder: ['2m', '5m', '10m'], confirmGone: 2, confirmAfter: '1m' },
      watches: [{ id: 'w', name: 'session walls', weibo: { keywords: [], accounts: [], posts: mids } }],
      browser: { executablePath: null },
    },
    '<test>',
    {},
  );
  const store = Store.open(config.database);
  const platforms = createPlatforms(config, h.clock, silent, { sleep: async () => {} });
  const events: RecordedEvent[] = [];
  const engine = createEngine({
    config,
    store,
    adapters: platforms.adapters,
    clock: h.clock,
    logger: silent,
    onEvents: (e) => events.push(...e),
  });
  engine.sync();
  const r: Rig = {
    h,
    config,
    store,
    platforms,
    engine,
    events,
    runFor: (ms) => engine.run({ until: h.clock.now() + ms, advanceClock: (t) => h.clock.advanceTo(t) }),
  };
  rig = r;
  return r;
}

const ofType = (events: readonly RecordedEvent[], type: string): RecordedEvent[] =>
  events.filter((e) => e.type === type);

describe('session walls through the engine', () => {
  it('a login redirect on every target gives ONE monitor.degraded, no verdict, and a session needing login', async () => {
    const r = await start(await startSim({ requireLogin: true }), 6);
    await r.runFor(60 * MINUTE);
    const degraded = ofType(r.events, 'monitor.degraded');
    expect(degraded).toHaveLength(1);
    expect(degraded[0]?.detail).toMatchObject({ reason: 'login_required' });
    expect(ofType(r.events, 'post.gone')).toHaveLength(0);
    // Every target was checked, most more than once, and none got a verdict from the wall.
    expect(r.h.sim.stats()['show']!.requests).toBeGreaterThan(6);
    expect(r.store.listTargets().map((t) => t.state.verdict)).toEqual(Array(6).fill('unknown'));
    expect(r.platforms.weiboSession.needsLogin).toBe(true);
  });

  it('a visitor wall is passed by the HTTP visitor flow: targets alive, nothing degraded', async () => {
    const r = await start(await startSim({ requireCookies: true }), 4);
    await r.runFor(10 * MINUTE);
    expect(ofType(r.events, 'monitor.degraded')).toHaveLength(0);
    expect(r.store.listTargets().map((t) => t.state.verdict)).toEqual(Array(4).fill('alive'));
    expect(r.platforms.weiboSession.snapshot().lastRefresh).toMatchObject({ ok: true });
  });

  const BLOCKS: readonly SimBlock[] = ['http418', 'http432', 'http403_100005'];
  it.each(BLOCKS)(
    'rate limit %s: backoff grows to its cap, one monitor.degraded, never a verdict; lifted, targets come back alive',
    async (block) => {
      const r = await start(await startSim({ block }), 3);
      await r.runFor(90 * MINUTE);
      const degraded = ofType(r.events, 'monitor.degraded');
      expect(degraded).toHaveLength(1);
      expect(degraded[0]?.detail).toMatchObject({ reason: 'rate_limited' });
      expect(ofType(r.events, 'post.gone')).toHaveLength(0);
      expect(r.store.listTargets().map((t) => t.state.verdict)).toEqual(['unknown', 'unknown', 'unknown']);
      // Exponential from 30 s, capped at 5 min.
      expect(r.engine.health.retryDelay('weibo')).toBe(5 * MINUTE);
      expect(r.engine.health.isDegraded('weibo')).toBe(true);
      // A rate limit never refreshes cookies or marks the session.
      expect(r.h.sim.stats()['visitor']).toBeUndefined();
      expect(r.platforms.weiboSession.needsLogin).toBe(false);

      r.h.sim.session.set({ block: null });
      await r.runFor(30 * MINUTE);
      expect(r.store.listTargets().map((t) => t.state.verdict)).toEqual(['alive', 'alive', 'alive']);
      expect(r.engine.health.isDegraded('weibo')).toBe(false);
      expect(ofType(r.events, 'post.gone')).toHaveLength(0);
    },
  );
});
