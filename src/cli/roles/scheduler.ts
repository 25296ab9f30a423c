/**
 * The scheduler role: ticks from a BullMQ job scheduler, reads due work from SQLite (read-only) and
 * enqueues it. Runs on the machine that holds the database file, beside the recorder.
 *
 *   node dist/workers/scheduler.js --config FILE   (same as `censorwatch worker --role scheduler`)
 */
import { accessSync, constants, statSync } from 'node:fs';
import { BullMQDispatcher, RedisHostHealth, SchedulerRole, type Role } from '../../engine/distributed';
import { ConfigError } from '../../errors';
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
      const opened = openToSchedule(config.database, config.source);
      // The recorder creates the database; until then there is nothing due.
      if (!opened) return null;
      store = opened;
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

/**
 * The scheduler's read-only store, or null while there is no database yet (or an empty file the
 * recorder is creating). What no wait can mend is a {@link ConfigError} naming `database`, which
 * stops the role (exit 2); any other error (a WAL database whose `-shm` file this user cannot make
 * until the recorder runs, a busy lock) is thrown as it is, for the role to log and retry.
 */
function openToSchedule(file: string, source: string): Store | null {
  const refuse = (why: string, cause?: unknown): ConfigError =>
    new ConfigError([{ path: 'database', message: `${file} ${why}` }], source, { cause });
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw refuse('is a directory, not a database file');
    size = st.size;
    accessSync(file, constants.R_OK);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT') return null;
    throw refuse(
      code === 'EACCES' || code === 'EPERM'
        ? 'is not readable by this user, so the scheduler cannot see what is due'
        : `cannot be read: ${err instanceof Error ? err.message : String(err)}`,
      err,
    );
  }
  if (size === 0) return null;
  const store = Store.open(file, { readonly: true });
  try {
    // Opening reads nothing: a file that is not SQLite, or cannot be read, shows at the first read.
    databaseIdentity(store);
  } catch (err) {
    store.close();
    if ((err as { code?: unknown }).code === 'SQLITE_NOTADB') throw refuse('is not a SQLite database', err);
    throw err;
  }
  return store;
}
