/**
 * The alerter role: delivers webhooks for recorded events (the alerts module), woken by the
 * recorder through the alert queue. It reads events from SQLite and writes only its own delivery
 * bookkeeping there, so it runs on the machine that holds the database file.
 *
 *   node dist/workers/alerter.js --config FILE   (same as `censorwatch worker --role alerter`)
 */
import { Alerter } from '../../alerts';
import { AlerterRole, type Role } from '../../engine/distributed';
import { databaseIdentity } from '../../store/identity';
import type { RoleContext } from './context';

/** Builds the alerter over the read-write store (shared with the recorder in one process). */
export function createAlerterRole(ctx: RoleContext): Role {
  const store = ctx.writableStore();
  const alerter = new Alerter({
    store,
    webhooks: ctx.config.alerts.webhooks,
    clock: ctx.clock,
    logger: ctx.logger,
  });
  ctx.onClose(() => alerter.close());
  return new AlerterRole({
    queues: ctx.queues,
    connection: ctx.connection,
    poller: alerter,
    identity: () => databaseIdentity(store),
    logger: ctx.logger,
  });
}
