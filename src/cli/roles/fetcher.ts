/**
 * The fetcher role: stateless (Redis and the config, no database), so any number may run on any
 * machines. Per-host politeness holds across all of them through a shared slot in Redis.
 *
 *   node dist/workers/fetcher.js --config FILE [--concurrency N]   (same as `censorwatch worker --role fetcher`)
 */
import { FetcherRole, SharedRateLimit, type Role } from '../../engine/distributed';
import type { RoleContext } from './context';

/** Builds the fetcher: the adapters, with every request first taking its host's shared slot. */
export function createFetcherRole(ctx: RoleContext): Role {
  const { config } = ctx;
  const platforms = ctx.platforms();
  const limit = new SharedRateLimit(
    ctx.connection,
    config.queue.prefix,
    (p) => config.platforms[p].minInterval,
  );
  // Adapters and the Weibo session share this one client: wrapping its fetch puts every request
  // they make, session refreshes included, behind the shared per-host slot.
  const http = platforms.http;
  const direct = http.fetch.bind(http);
  http.fetch = limit.wrap({ fetch: direct }).fetch;
  return new FetcherRole({
    queues: ctx.queues,
    connection: ctx.connection,
    adapters: platforms.adapters,
    clock: ctx.clock,
    logger: ctx.logger,
    concurrency: ctx.concurrency,
    lockDuration: ctx.lockDuration,
  });
}
