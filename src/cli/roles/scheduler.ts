/**
 * The scheduler role: ticks from a BullMQ job scheduler, reads due work from SQLite (read-only) and
 * enqueues it. Runs on the machine that holds the database file, beside the recorder.
 *
 *   node dist/workers/scheduler.js --config FILE   (same as `censorwatch worker --role scheduler`)
 */
import { Engine } from '../../engine/engine';
import { SchedulerRole, type Role } from '../../engine/distributed';
import { databaseIdentity } from '../../store/identity';
import { Store } from '../../store/store';
import type { RoleContext } from './context';

/** Builds the scheduler over the recorder's engine (same process) or a read-only store of its own. */
export function createSchedulerRole(ctx: RoleContext): Role {
  const { config, logger, clock } = ctx;
  let own: Engine | null = null;
  let ownStore: Store | null = null;
  const engine = (): Engine | null => {
    if (ctx.recorderEngine) return ctx.recorderEngine;
    if (own) return own;
    let store: Store;
    try {
      store = Store.open(config.database, { readonly: true });
    } catch {
      // The recorder creates the database; until then there is nothing due.
      return null;
    }
    ctx.onClose(() => store.close());
    ownStore = store;
    own = new Engine({ config, store, adapters: {}, clock, logger, leaseMs: ctx.timing.leaseMs });
    return own;
  };
  return new SchedulerRole({
    queues: ctx.queues,
    connection: ctx.connection,
    engine,
    identity: () => {
      if (ctx.recorderEngine) return databaseIdentity(ctx.writableStore());
      return engine() && ownStore ? databaseIdentity(ownStore) : null;
    },
    clock,
    logger,
    tickEvery: ctx.timing.tickEvery,
    leaseMs: ctx.timing.leaseMs,
    // A job that failed for good is tried again no sooner than a transient outcome would be.
    retryAfter: Math.max(1000, config.schedule.confirmAfter),
    lockDuration: ctx.lockDuration,
  });
}
