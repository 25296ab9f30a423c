import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { request } from 'undici';
import { parse } from 'yaml';
import { createEngine, createPlatforms } from '../../../src/cli/compose';
import { seeded } from '../../../src/cli/demo';
import { ProgressReporter, progressLine } from '../../../src/cli/progress';
import { parseConfig } from '../../../src/config';
import { ManualClock } from '../../../src/domain/clock';
import type { TargetRef } from '../../../src/domain/glossary';
import type { CheckHint, DiscoveryRequest, PlatformAdapter } from '../../../src/platforms/platform';
import { buildScenario, Simulator } from '../../../src/sim';
import { Store } from '../../../src/store/store';
import { beforeTempRemoval, tempDir } from '../../helpers/temp';

const MIN = 60_000;
const START = Date.UTC(2024, 0, 10, 2, 0, 0);

/** Foreign rows under test (parsed YAML). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function lines(): { stream: Writable; got: Record<string, unknown>[] } {
  const got: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) got.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { stream, got };
}

/**
 * The embedded engine on the quick scenario with eight items in flight and the fetcher's real
 * politeness wait (the simulator's 5 ms per host), so items queue on each host as in a real run.
 */
describe('a run on the simulated clock', () => {
  it('writes a progress line once a minute of its clock, with one abort listener on the run signal for all items in flight', async () => {
    const clock = new ManualClock(START);
    const sim = new Simulator({
      clock,
      scenario: buildScenario('quick', { start: START, seed: 7 }),
      faultRate: 0,
      seed: 5,
    });
    const base = await sim.start(0);
    const dir = tempDir('censorwatch-progress-');
    const res = await request(`${base}/__sim/config?db=${encodeURIComponent(join(dir, 'p.db'))}`);
    const raw: Json = parse(await res.body.text());
    raw.concurrency = 8;
    raw.schedule = { discoverEvery: '20s', ladder: ['20s'], confirmGone: 2, confirmAfter: '5s' };
    raw.watches[0].weibo.accounts = ['国际观察员小李']; // one open watch problem
    const config = parseConfig(raw, '<test>');
    const store = Store.open(config.database);
    const { stream, got } = lines();
    const logger = pino({ level: 'info' }, stream);
    const platforms = createPlatforms(config, clock, pino({ level: 'silent' }));
    beforeTempRemoval(async () => {
      await platforms.close();
      store.close();
      await sim.stop();
    });
    // One signal for the whole run, as `run` gives the engine (its duration and Ctrl-C).
    const stop = new AbortController();
    let most = 0;
    // What each item's signal carries when the item starts: the listeners of earlier items, if any stayed.
    const signals = new Set<AbortSignal>();
    let uses = 0;
    let leftOver = 0;
    const seen = (signal: AbortSignal | undefined): void => {
      if (!signal) return;
      signals.add(signal);
      uses++;
      leftOver = Math.max(leftOver, getEventListeners(signal, 'abort').length);
    };
    const watched = (a: PlatformAdapter): PlatformAdapter =>
      Object.assign(Object.create(a) as PlatformAdapter, {
        check: (t: TargetRef, signal?: AbortSignal, o?: CheckHint) => {
          seen(signal);
          return a.check(t, signal, o);
        },
        discover: (r: DiscoveryRequest, signal?: AbortSignal) => {
          seen(signal);
          return a.discover(r, signal);
        },
      });
    const engine = createEngine({
      config,
      store,
      adapters: { weibo: watched(platforms.adapters.weibo), netease: watched(platforms.adapters.netease) },
      clock,
      logger: pino({ level: 'silent' }),
      random: seeded(3),
      // Sampled while items are in flight: every request's waits hang listeners on some signal.
      onResult: () => {
        most = Math.max(most, getEventListeners(stop.signal, 'abort').length);
      },
    });
    engine.sync();
    const progress = new ProgressReporter({ store, clock, logger, counters: () => engine.counters });
    expect(progress.tick()).toBeNull(); // not a minute yet

    const readings = [];
    for (let m = 1; m <= 3; m++) {
      await engine.run({
        until: START + m * MIN,
        signal: stop.signal,
        advanceClock: (t) => clock.advanceTo(t),
      });
      readings.push(progress.tick());
      expect(progress.tick()).toBeNull(); // one line per minute, however often it is ticked
    }
    // Each item gets its worker's signal as the item before it left it: a listener left behind
    // per item would pile up there over the round (Node warns past ten on one signal). The
    // fetcher keeps one of its own per signal for the signal's whole life, and no more.
    expect(signals.size).toBeGreaterThan(0);
    expect(uses).toBeGreaterThan(signals.size);
    expect(leftOver).toBeLessThanOrEqual(1);
    expect(readings.every((r) => r !== null)).toBe(true);
    const last = readings[2]!;
    expect(last.checks).toBe(engine.counters.checks);
    expect(last.discoveries).toBe(engine.counters.discoveries);
    expect(last.checks).toBeGreaterThan(readings[0]!.checks);
    const gone = store.countTargetsByVerdict().gone ?? 0;
    expect(last.gone).toBe(gone);
    expect(last.goneThisRun).toBe(gone);
    expect(last.problems).toBe(1);
    expect(got.map((l) => l.msg)).toEqual(readings.map((r) => progressLine(r!)));
    expect(got[2]!.msg).toMatch(
      /^progress: \d+ checks, \d+ discovery rounds, \d+ due, \d+ gone \(\+\d+ this run\), 1 open watch problem$/,
    );

    // Eight items in flight, each waiting on politeness and requests, yet the run's signal holds
    // one listener for them all (the pool's fan-out): Node warns past ten.
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
  });
});
