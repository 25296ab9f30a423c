import { parseConfig } from '../../../src/config/load';
import type { Config } from '../../../src/config/types';
import { ManualClock } from '../../../src/domain/clock';
import {
  BullMQDispatcher,
  PIPELINE_RECHECK_MS,
  RedisHostHealth,
  RedisPoliteness,
  connectRedis,
  readHostStates,
  type RedisHandle,
} from '../../../src/engine/distributed';
import { LocalHostHealth } from '../../../src/engine/host-health';
import { Scheduler } from '../../../src/engine/scheduler';
import { PolitenessUnavailableError } from '../../../src/http/politeness';
import { LeaseStore } from '../../../src/store/leases';
import type { Store } from '../../../src/store/store';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { tempDatabase } from '../../helpers/temp-db';
import { REDIS, obliterate, silent, uniquePrefix, withQueues } from './helpers';

guardAgainstLeaks();

const NOW = Date.UTC(2024, 0, 10, 2, 0, 0);
const DB = '0123456789abcdef0123456789abcdef';

function config(database: string): Config {
  return parseConfig(
    {
      database,
      platforms: { weibo: { backoff: { base: '5s', max: '10m' } } },
      watches: [{ id: 'w', name: 'W', weibo: { keywords: ['x'] } }],
    },
    '<test>',
    {},
  );
}

/** One Weibo and one NetEase target of the watch, both due now (no sources: nothing to discover). */
function dueTargets(store: Store, cfg: Config): void {
  store.syncWatches(cfg.watches, [], NOW);
  store.ensureTarget(
    { platform: 'weibo', kind: 'post', id: '4900000000000001' },
    '',
    ['w'],
    'post',
    NOW,
    NOW,
  );
  store.ensureTarget(
    { platform: 'netease', kind: 'post', id: 'J0A1B2C3D4E5F6G7' },
    '',
    ['w'],
    'post',
    NOW,
    NOW,
  );
}

describe('the distributed adapters of the engine seams', () => {
  let redis: RedisHandle;
  beforeAll(async () => {
    redis = connectRedis(REDIS, 'producer', silent);
    await redis.ready();
  });
  afterAll(() => redis.close());

  it('host health decided by the recorder reaches the scheduler through Redis, and its work waits', async () => {
    const prefix = uniquePrefix();
    const { store, file } = tempDatabase();
    const cfg = config(file);
    const clock = new ManualClock(NOW);
    const rules = (): LocalHostHealth => new LocalHostHealth((p) => cfg.platforms[p].backoff);
    const recorderSide = new RedisHostHealth(redis, prefix, rules());
    const schedulerSide = new RedisHostHealth(redis, prefix, rules());
    const scheduler = new Scheduler({ config: cfg, store, clock, logger: silent, health: schedulerSide });
    dueTargets(store, cfg);
    try {
      const platformsDue = (): string[] =>
        scheduler.peek(10).map((i) => (i.type === 'check' ? i.target.platform : i.platform));
      expect(platformsDue().sort()).toEqual(['netease', 'weibo']);

      recorderSide.note('weibo', 'rate_limited', NOW);
      // Nothing is shared before it is published and refreshed.
      await schedulerSide.refresh();
      expect(schedulerSide.pausedUntil('weibo')).toBe(0);
      await recorderSide.publish();
      await schedulerSide.refresh();
      expect(schedulerSide.pausedUntil('weibo')).toBe(NOW + 5000);
      expect(platformsDue()).toEqual(['netease']);
      expect((await readHostStates(redis, prefix)).weibo).toEqual({
        strikes: 1,
        pausedUntil: NOW + 5000,
        degraded: false,
      });

      // A normal answer lifts the pause for the scheduler too.
      recorderSide.note('weibo', 'alive', NOW + 6000);
      await recorderSide.publish();
      await schedulerSide.refresh();
      expect(platformsDue().sort()).toEqual(['netease', 'weibo']);
    } finally {
      await obliterate(REDIS, prefix);
    }
  });

  it('the BullMQ dispatcher enqueues what the scheduler reads, leaving SQLite untouched', async () => {
    const prefix = uniquePrefix();
    const { store, file } = tempDatabase();
    const cfg = config(file);
    const clock = new ManualClock(NOW);
    const health = new RedisHostHealth(redis, prefix, new LocalHostHealth((p) => cfg.platforms[p].backoff));
    const scheduler = new Scheduler({ config: cfg, store, clock, logger: silent, health });
    dueTargets(store, cfg);
    try {
      await withQueues(REDIS, prefix, async (queues) => {
        const dispatcher = new BullMQDispatcher({
          queues,
          scheduler,
          health,
          database: DB,
          clock,
          leaseMs: 60_000,
          retryAfter: 1000,
        });
        const first = await dispatcher.dispatchDue();
        expect(first).toMatchObject({ due: 2, enqueued: 2, dispatched: 2, inFlight: 0 });
        // The same due work again, its leases not yet written: the dispatcher knows the keys are
        // in the pipeline and passes over them without asking Redis or the recorder again.
        expect(await dispatcher.dispatchDue()).toMatchObject({ due: 0, enqueued: 0, inFlight: 0 });
        // Past the recheck time it asks Redis, which still has them: already in the pipeline, nothing new.
        clock.advanceBy(PIPELINE_RECHECK_MS);
        expect(await dispatcher.dispatchDue()).toMatchObject({ due: 2, enqueued: 0, inFlight: 2 });
        expect((await queues.counts()).check.waiting).toBe(2);
        // Leases are the recorder's to write: the dispatcher asked for them and wrote none.
        expect(new LeaseStore(store).countLeases(NOW)).toEqual([]);
        expect((await queues.counts()).record.waiting).toBe(2);
      });
    } finally {
      await obliterate(REDIS, prefix);
    }
  });

  it('shared politeness that cannot reach Redis says so with a retryable error', async () => {
    const dead = connectRedis('redis://127.0.0.1:1', 'producer', silent);
    try {
      const politeness = new RedisPoliteness(dead, uniquePrefix());
      await expect(politeness.wait('m.weibo.cn', 1000)).rejects.toBeInstanceOf(PolitenessUnavailableError);
      // No spacing asked: no round trip, so no failure either.
      await expect(politeness.wait('m.weibo.cn', 0)).resolves.toBeUndefined();
    } finally {
      await dead.close();
    }
  });
});
