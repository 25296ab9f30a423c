/**
 * The fetcher role: stateless (Redis and the config, no database), so any number may run on any
 * machines. Per-host politeness holds across all of them through a shared slot in Redis.
 *
 *   node dist/workers/fetcher.js --config FILE [--concurrency N]   (same as `censorwatch worker --role fetcher`)
 *
 * The role itself is built in src/cli/roles/fetcher.ts.
 */
import { runMain } from '../src/cli/program';

runMain(['worker', '--role', 'fetcher', ...process.argv.slice(2)]);
