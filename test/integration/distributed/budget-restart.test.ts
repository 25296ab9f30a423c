import { parseConfig } from '../../../src/config/load';
import type { Config } from '../../../src/config/types';
import { ManualClock } from '../../../src/domain/clock';
import { BudgetGate } from '../../../src/engine/budget-gate';
import {
  BullMQDispatcher,
  RedisHostHealth,
  connectRedis,
  type Queues,
  type RedisHandle,
} from '../../../src/engine/distributed';
import { LocalHostHealth } from '../../../src/engine/host-health';
import { Scheduler } from '../../../src/engine/scheduler';
import { LeaseStore } from '../../../src/store/leases';
import type { Store } from '../../../src/store/store';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { tempDatabase } from '../../helpers/temp-db';
import { REDIS, obliterate, silent, uniquePrefix, withQueues } from './helpers';

guardAgainstLeaks();

const NOW = Date.UTC(2024, 0, 10, 2, 0, 0);
const DB = '0123456789abcdef0123456789abcdef';
const LEASE_MS = 60_000;
/** Weibo requests per hour. Checks of targets first seen now are `early`: 90% of it, 18. */
const BUDGET = 20;
const EARLY_CAP = 18;

function config(database: string): Config {
  return parseConfig(
    {
      database,
      platforms: { weibo: { budget: BUDGET } },
      watches: [{ id: 'w', name: 'W', weibo: { keywords: ['x'] } }],
    },
    '<test>',
    {},
  );
}

/** `n` Weibo targets of the watch, all due now (no sources: nothing to discover). */
function dueTargets(store: Store, cfg: Config, n: number): void {
  store.syncWatches(cfg.watches, [], NOW);
  for (let i = 0; i < n; i++)
    store.ensureTarget(
      { platform: 'weibo', kind: 'post', id: String(4_900_000_000_000_000 + i) },
      '',
      ['w'],
      'post',
      NOW,
      NOW,
    );
  // The keyword's source is not what this test is about: it is not due for an hour.
  for (const s of store.listSources('w')) store.deferSource(s.id, NOW + 3_600_000);
}

describe('the distributed budget across scheduler restarts', () => {
  let redis: RedisHandle;
  beforeAll(async () => {
    redis = connectRedis(REDIS, 'producer', silent);
    await redis.ready();
  });
  afterAll(() => redis.close());

  it('a scheduler that starts again counts the work out in the pipeline, leased or not yet, and grants no more', async () => {
    const prefix = uniquePrefix();
    const { store, file } = tempDatabase();
    const cfg = config(file);
    const clock = new ManualClock(NOW);
    dueTargets(store, cfg, 40);
    const health = new RedisHostHealth(redis, prefix, new LocalHostHealth((p) => cfg.platforms[p].backoff));
    // One scheduler process: its gate starts from what the store holds, as the role builds it.
    const start = (queues: Queues) => {
      const budget = new BudgetGate(cfg, store, clock.now());
      const scheduler = new Scheduler({
        config: cfg,
        store,
        clock,
        logger: silent,
        health,
        budget,
        leaseMs: LEASE_MS,
      });
      const dispatcher = new BullMQDispatcher({
        queues,
        scheduler,
        health,
        database: DB,
        clock,
        leaseMs: LEASE_MS,
        retryAfter: 1000,
        budget,
      });
      return { budget, scheduler, dispatcher };
    };
    try {
      await withQueues(REDIS, prefix, async (queues) => {
        const first = start(queues);
        const round = await first.dispatcher.dispatchDue();
        expect(round.enqueued).toBe(EARLY_CAP);
        // The scheduler stops before the recorder wrote the leases: the jobs wait in Redis, SQLite
        // shows the rows due and unleased. A new scheduler finds them in the pipeline.
        clock.advanceBy(1000);
        const second = start(queues);
        const afterCrash = await second.dispatcher.dispatchDue();
        expect(afterCrash).toMatchObject({ enqueued: 0, inFlight: EARLY_CAP });
        expect(second.budget.budget.usage('weibo', clock.now()).used).toBe(EARLY_CAP);

        // The recorder has leased them now (none recorded yet, nothing in budget_spend). A third
        // scheduler sees no due rows for them, only the leases, and counts those.
        expect(first.scheduler.applyLeases(round.keys, NOW + LEASE_MS)).toBe(EARLY_CAP);
        clock.advanceBy(1000);
        const third = start(queues);
        const afterLeases = await third.dispatcher.dispatchDue();
        expect(afterLeases.enqueued).toBe(0);
        const usage = third.budget.budget.usage('weibo', clock.now());
        expect(usage.used).toBe(EARLY_CAP);
        expect(usage.byClass.early).toBe(EARLY_CAP);
        expect((await queues.counts()).check.waiting).toBe(EARLY_CAP);

        // A lease counts from when its work went out: an hour after that it no longer does.
        clock.advanceTo(NOW + 3_600_000 + 1);
        const later = start(queues);
        later.scheduler.resyncBudget(true);
        expect(later.budget.budget.usage('weibo', clock.now()).used).toBe(0);
      });
    } finally {
      await obliterate(REDIS, prefix);
    }
  });

  it('work the budget holds back is moved to when it may go, not leased: a lease means sent out', async () => {
    const prefix = uniquePrefix();
    const { store, file } = tempDatabase();
    const cfg = config(file);
    const clock = new ManualClock(NOW);
    dueTargets(store, cfg, 3);
    const health = new RedisHostHealth(redis, prefix, new LocalHostHealth((p) => cfg.platforms[p].backoff));
    const scheduler = new Scheduler({ config: cfg, store, clock, logger: silent, health, leaseMs: LEASE_MS });
    try {
      const [a, b, c] = scheduler.peek(10).map((i) => i.key);
      // `c` went out meanwhile (leased): a hold that crossed it must not call it unsent.
      expect(scheduler.applyLeases([c!], NOW + 3_600_000)).toBe(1);
      const moved = scheduler.applyHolds([
        [a!, NOW + 600_000],
        [b!, NOW + 900_000],
        [c!, NOW + 600_000],
        // A key whose row moved on (another observation count) is left alone.
        [a!.replace(/-\d+$/, '-7'), NOW + 600_000],
      ]);
      expect(moved).toBe(2);
      expect(new LeaseStore(store).countLeases(NOW)).toEqual([{ owner: null, sources: 0, targets: 1 }]);
      expect(store.nextDueAt()).toBe(NOW);
      // Due again when the budget said, under the same key (no observation in between).
      clock.advanceTo(NOW + 600_000);
      expect(scheduler.peek(10).map((i) => i.key)).toEqual([a]);
      clock.advanceTo(NOW + 900_000);
      expect(
        scheduler
          .peek(10)
          .map((i) => i.key)
          .sort(),
      ).toEqual([a, b].sort());
    } finally {
      await obliterate(REDIS, prefix);
    }
  });
});
