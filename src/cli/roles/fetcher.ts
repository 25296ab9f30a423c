/**
 * The fetcher role: stateless (Redis and the config, no database), so any number may run on any
 * machines. Per-host politeness holds across all of them through a shared slot in Redis: the
 * process's HTTP client is built with the Redis politeness (see ../distributed.ts).
 *
 *   node dist/workers/fetcher.js --config FILE [--concurrency N]   (same as `censorwatch worker --role fetcher`)
 */
import { FetcherRole, type Role } from '../../engine/distributed';
import type { RoleContext } from './context';

/** Builds the fetcher over the process's adapters. */
export function createFetcherRole(ctx: RoleContext): Role {
  return new FetcherRole({
    queues: ctx.queues,
    connection: ctx.connection,
    adapters: ctx.platforms().adapters,
    clock: ctx.clock,
    logger: ctx.logger,
    concurrency: ctx.concurrency,
    lockDuration: ctx.lockDuration,
  });
}
