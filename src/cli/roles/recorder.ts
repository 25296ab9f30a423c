/**
 * The recorder role: the single SQLite writer. Applies fetched results and the scheduler's leases.
 * Exactly one recorder process may run per database, on the machine that holds the file.
 *
 *   node dist/workers/recorder.js --config FILE   (same as `censorwatch worker --role recorder`)
 */
import { RecorderRole, RedisHostHealth, type Role } from '../../engine/distributed';
import { BudgetGate } from '../../engine/budget-gate';
import { resolveExplicitTargets } from '../../engine/explicit-targets';
import { LocalHostHealth } from '../../engine/host-health';
import { ResultRecorder } from '../../engine/result-recorder';
import { Scheduler } from '../../engine/scheduler';
import { logEvents } from '../log-events';
import type { RoleContext } from './context';
import { evidenceWorkFor, withEvidenceWork } from '../evidence-work';
import { claimDatabase } from '../db-owner';
import { resolve } from 'node:path';

/**
 * Builds the recorder: opens the store read-write, claims it (refused while an embedded run or
 * another recorder owns it), brings it in line with the config, and shares the host health it
 * decides through Redis for the scheduler role.
 *
 * @throws DatabaseInUseError when another live process owns the database
 */
export function createRecorderRole(ctx: RoleContext): Role {
  const { config, logger, clock } = ctx;
  const store = ctx.writableStore();
  // The same claim as an embedded run's: one writer per database, of either kind.
  // The role is built after the claim; a takeover the heartbeat finds is handed to it.
  let role: RecorderRole | null = null;
  const claim = claimDatabase({
    store,
    database: config.database,
    role: 'recorder',
    clock,
    logger,
    onLost: (err) => role?.disown(err),
  });
  ctx.onClose(() => claim.release());
  const health = new RedisHostHealth(
    ctx.producer,
    config.queue.prefix,
    new LocalHostHealth((p) => config.platforms[p].backoff),
  );
  const scheduler = new Scheduler({ config, store, clock, logger, health, leaseMs: ctx.timing.leaseMs });
  // The recorder stores what each result spent of the budget, as in embedded mode.
  const budget = new BudgetGate(config, store, clock.now());
  const results = new ResultRecorder({
    config,
    store,
    clock,
    logger,
    health,
    budget,
    onEvents: logEvents(logger),
  });
  results.sync(resolveExplicitTargets(config, ctx.platforms().adapters));
  ctx.recorderRuns = true;
  role = new RecorderRole({
    queues: ctx.queues,
    connection: ctx.connection,
    results,
    scheduler,
    store,
    clock,
    logger,
    lockDuration: ctx.lockDuration,
    owner: { id: claim.self.id, database: resolve(config.database) },
  });
  // The owner of the database stamps its log and takes its screenshots.
  return withEvidenceWork(role, evidenceWorkFor(config, store, ctx.platforms(), clock, logger));
}
