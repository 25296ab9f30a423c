/** globalTeardown of the integration project: stops the redis-server globalSetup started. */
export default async function globalTeardown(): Promise<void> {
  const redis = globalThis.censorwatchTestRedis;
  globalThis.censorwatchTestRedis = undefined;
  if (redis) await redis.stop();
}
