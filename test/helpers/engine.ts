/**
 * The embedded engine as `run` composes it, on a test's own clock: the store opened on the
 * config's database, the platforms' adapters with no real politeness or retry sleeps (on a
 * simulated clock they mean nothing), a seeded random, and the watches synced.
 */
import pino from 'pino';
import { createEngine, createPlatforms, type Platforms } from '../../src/cli/compose';
import { seeded } from '../../src/cli/demo';
import type { Config } from '../../src/config/types';
import type { Clock } from '../../src/domain/clock';
import { Store } from '../../src/store/store';

export interface TestEngine {
  readonly store: Store;
  readonly platforms: Platforms;
  readonly engine: ReturnType<typeof createEngine>;
}

export function engineOnClock(config: Config, clock: Clock): TestEngine {
  const store = Store.open(config.database);
  const logger = pino({ level: 'silent' });
  const platforms = createPlatforms(config, clock, logger, { sleep: async () => {} });
  const engine = createEngine({
    config,
    store,
    adapters: platforms.adapters,
    clock,
    logger,
    random: seeded(3),
  });
  engine.sync();
  return { store, platforms, engine };
}
