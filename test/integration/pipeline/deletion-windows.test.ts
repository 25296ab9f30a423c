import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { request } from 'undici';
import { parse } from 'yaml';
import { createEngine, createPlatforms } from '../../../src/cli/compose';
import { seeded } from '../../../src/cli/demo';
import { parseConfig } from '../../../src/config';
import { ManualClock } from '../../../src/domain/clock';
import { buildScenario, Simulator } from '../../../src/sim';
import { Store } from '../../../src/store/store';
import { windowViolations } from './windows';

const START = Date.UTC(2024, 0, 10, 2, 0, 0);

/**
 * Politeness waits and retry backoffs that take time: here they pass on the simulated clock (the
 * fetcher's sleep moves it), so deletions happen while requests wait for their turn. Each deletion
 * window must still hold the real deletion time, which it does only if an observation takes the
 * time its response arrived rather than the time its check began.
 */
describe('deletion windows when waits take time', () => {
  it.each([
    [0, 21],
    [0.3, 22],
  ])('hold every ground-truth deletion time (fault rate %d, seed %i)', async (faultRate, seed) => {
    const clock = new ManualClock(START);
    const scenario = buildScenario('quick', { start: START, seed: 7 });
    const sim = new Simulator({ clock, scenario, faultRate, seed });
    const base = await sim.start(0);
    const dir = mkdtempSync(join(tmpdir(), 'censorwatch-windows-'));
    try {
      const res = await request(`${base}/__sim/config?db=${encodeURIComponent(join(dir, 'w.db'))}`);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const raw: any = parse(await res.body.text());
      // Waits as long as a good part of the quick scenario's ladder steps (1 s to 5 s).
      raw.platforms.weibo.minInterval = '300ms';
      raw.platforms.netease.minInterval = '300ms';
      // One request at a time: another request's wait must not move the shared clock while a
      // response is on its way (in real time a response's own latency is all that passes).
      raw.concurrency = 1;
      const config = parseConfig(raw, '<simulator>');
      const store = Store.open(config.database);
      const logger = pino({ level: 'silent' });
      const platforms = createPlatforms(config, clock, logger, {
        sleep: async (ms) => clock.advanceBy(ms),
        random: seeded(seed),
      });
      try {
        const engine = createEngine({
          config,
          store,
          adapters: platforms.adapters,
          clock,
          logger,
          random: seeded(seed),
        });
        engine.sync();
        await engine.run({ until: START + 120_000, advanceClock: (t) => clock.advanceTo(t) });
        const truth = sim.groundTruth(clock.now());
        const gone = store.listTargets().filter((t) => t.kind === 'post' && t.state.verdict === 'gone');
        expect(gone.length).toBeGreaterThanOrEqual(3);
        expect({ seed, violations: windowViolations(store, truth) }).toEqual({ seed, violations: [] });
      } finally {
        await platforms.close();
        store.close();
      }
    } finally {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
