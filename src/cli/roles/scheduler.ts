/**
 * The scheduler role: ticks from a BullMQ job scheduler, reads due work from SQLite (read-only) and
 * enqueues it. Runs on the machine that holds the database file, beside the recorder.
 *
 *   node dist/workers/scheduler.js --config FILE   (same as `censorwatch worker --role scheduler`)
 */
import { BullMQDispatcher, RedisHostHealth, SchedulerRole, type Role } from '../../engine/distributed';
import { BudgetGate } from '../../engine/budget-gate';
import { LocalHostHealth } from '../../engine/host-health';
import { Scheduler } from '../../engine/scheduler';
import { databaseIdentity } from '../../store/identity';
import { Store } from '../../store/store';
import type { RoleContext } from './context';

/**
 * Builds the scheduler over the recorder's store (same process) or a read-only store of its own,
 * holding back the platforms the recorder's published host health pauses, and admitting work
 * against the request budget as embedded mode does: its gate starts from the hour the recorder
 * stored and counts what this scheduler hands out.
 */
export function createSchedulerRole(ctx: RoleContext): Role {
  const { config, logger, clock } = ctx;
  const health = new RedisHostHealth(
    ctx.producer,
    config.queue.prefix,
    new LocalHostHealth((p) => config.platforms[p].backoff),
  );
  let own: { scheduler: Scheduler; store: Store; budget: BudgetGate } | null = null;
  const scheduler = (): Scheduler | null => {
    if (own) return own.scheduler;
    let store: Store;
    if (ctx.recorderRuns) store = ctx.writableStore();
    else {
      try {
        store = Store.open(config.database, { readonly: true });
      } catch {
        // The recorder creates the database; until then there is nothing due.
        return null;
      }
      const opened = store;
      ctx.onClose(() => opened.close());
    }
    const budget = new BudgetGate(config, store, clock.now());
    own = {
      scheduler: new Scheduler({ config, store, clock, logger, health, budget, leaseMs: ctx.timing.leaseMs }),
      store,
      budget,
    };
    return own.scheduler;
  };
  return new SchedulerRole({
    queues: ctx.queues,
    connection: ctx.connection,
    scheduler,
    dispatcher: (s, database) =>
      new BullMQDispatcher({
        queues: ctx.queues,
        scheduler: s,
        health,
        database,
        clock,
        leaseMs: ctx.timing.leaseMs,
        budget: own?.budget,
        // A job that failed for good is tried again no sooner than a transient outcome would be.
        retryAfter: Math.max(1000, config.schedule.confirmAfter),
      }),
    identity: () => (scheduler() && own ? databaseIdentity(own.store) : null),
    logger,
    tickEvery: ctx.timing.tickEvery,
    leaseMs: ctx.timing.leaseMs,
    lockDuration: ctx.lockDuration,
  });
}
