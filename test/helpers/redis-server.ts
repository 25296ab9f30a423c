/**
 * A private redis-server for the integration tests, so they never touch a Redis someone else uses
 * on 6379: started on a free loopback port by the integration project's globalSetup, which exports
 * its URL as CENSORWATCH_TEST_REDIS, and stopped by globalTeardown. {@link testRedisUrl} falls back
 * to 127.0.0.1:6379 when the variable is missing (a test file run outside that setup).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { probeRedis } from '../../src/engine/distributed';

/** The environment variable carrying the test Redis URL. */
export const TEST_REDIS_ENV = 'CENSORWATCH_TEST_REDIS';

/** The Redis the tests use: the private one when globalSetup started it. */
export function testRedisUrl(): string {
  return process.env[TEST_REDIS_ENV] ?? 'redis://127.0.0.1:6379';
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is released before redis-server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A running redis-server child. */
export interface RedisServer {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts redis-server on a free loopback port without persistence and waits (up to `timeoutMs`)
 * until it answers PING.
 */
export async function startRedisServer(timeoutMs = 30_000): Promise<RedisServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const failed = new Promise<never>((_, reject) => child.once('error', reject));
  failed.catch(() => {}); // seen through the race below; never unhandled
  const stop = async (): Promise<void> => {
    if (child.pid === undefined) return; // never started (no redis-server installed)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await Promise.race([probeRedis(url, 500), failed]);
      return { url, child, stop };
    } catch (err) {
      if (Date.now() > until || child.exitCode !== null) {
        await stop();
        throw err;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
