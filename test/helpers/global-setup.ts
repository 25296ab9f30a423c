/**
 * globalSetup of the integration project: builds dist/ (the tests that spawn the CLI run it) and
 * starts a private redis-server whose URL the distributed tests read from CENSORWATCH_TEST_REDIS.
 * Without redis-server installed the variable stays unset and those tests use 127.0.0.1:6379.
 */
import buildDist from './build-dist';
import { startRedisServer, TEST_REDIS_ENV, type RedisServer } from './redis-server';

/** Handed to globalTeardown, which runs in the same context. */
declare global {
  var censorwatchTestRedis: RedisServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  buildDist();
  if (process.env[TEST_REDIS_ENV]) return; // a Redis chosen by whoever runs the tests
  try {
    const redis = await startRedisServer();
    globalThis.censorwatchTestRedis = redis;
    process.env[TEST_REDIS_ENV] = redis.url;
  } catch (err) {
    process.stderr.write(
      `integration tests: could not start redis-server (${(err as Error).message}); using 127.0.0.1:6379\n`,
    );
  }
}
