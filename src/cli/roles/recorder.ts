/**
 * The recorder role: the single SQLite writer. Applies fetched results and the scheduler's leases.
 * Exactly one recorder process may run per database, on the machine that holds the file.
 *
 *   node dist/workers/recorder.js --config FILE   (same as `censorwatch worker --role recorder`)
 */
import { Engine } from '../../engine/engine';
import { logEvents } from '../log-events';
import { RecorderRole, type Role } from '../../engine/distributed';
import type { RoleContext } from './context';
import { evidenceWorkFor, withEvidenceWork } from '../evidence-work';

/** Builds the recorder: opens the store read-write and brings it in line with the config. */
export function createRecorderRole(ctx: RoleContext): Role {
  const { config, logger, clock } = ctx;
  const store = ctx.writableStore();
  const engine = new Engine({
    config,
    store,
    adapters: ctx.platforms().adapters,
    clock,
    logger,
    leaseMs: ctx.timing.leaseMs,
    onEvents: logEvents(logger),
  });
  engine.sync();
  ctx.recorderEngine = engine;
  const role = new RecorderRole({
    queues: ctx.queues,
    connection: ctx.connection,
    engine,
    store,
    clock,
    logger,
    lockDuration: ctx.lockDuration,
  });
  // The owner of the database stamps its log and takes its screenshots.
  return withEvidenceWork(role, evidenceWorkFor(config, store, ctx.platforms(), clock, logger));
}
