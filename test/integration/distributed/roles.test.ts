import { writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import {
  RedisPoliteness,
  connectRedis,
  decodePayload,
  encodePayload,
  superviseRoles,
  type Role,
} from '../../../src/engine/distributed';
import type { WorkItem } from '../../../src/engine/work';
import { Store } from '../../../src/store/store';
import { REDIS, cleanupDirs, cli, obliterate, scratchDir, silent, uniquePrefix, withQueues } from './helpers';
import { guardAgainstLeaks } from '../../helpers/leak-guard';

// No server or child process started here outlives this file.
guardAgainstLeaks();

afterAll(() => cleanupDirs());

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

function writeConfig(redis: string | null, prefix = 'censorwatch'): string {
  const dir = scratchDir();
  const path = join(dir, 'c.yaml');
  writeFileSync(
    path,
    stringifyYaml({
      database: join(dir, 'c.db'),
      watches: [{ id: 'w', name: 'W', weibo: { keywords: ['x'] } }],
      ...(redis ? { queue: { redis, prefix } } : {}),
    }),
  );
  return path;
}

/** A database identity for jobs enqueued by hand. */
const DB = '0123456789abcdef0123456789abcdef';

/** The config of {@link writeConfig} with its database created, as `status` reads and never creates one. */
function withDatabase(configPath: string): string {
  Store.open(join(dirname(configPath), 'c.db')).close();
  return configPath;
}

const check = (rowId: number, n: number): WorkItem => ({
  type: 'check',
  key: `c-${rowId}-${n}`,
  rowId,
  target: { platform: 'weibo', kind: 'post', id: String(4_900_000_000_000_000 + rowId) },
});

describe('distributed roles: start-up, queues, shared politeness, shutdown', () => {
  it('Redis unreachable at start: a clear error naming the URL, exit 1 (worker and run --redis)', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    const config = writeConfig(null);
    const [worker, run] = await Promise.all([
      cli(['worker', '--config', config, '--role', 'fetcher', '--redis', url]),
      cli(['run', '--config', config, '--redis', url]),
    ]);
    for (const r of [worker, run]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`censorwatch: cannot reach Redis at ${url}`);
    }
  });

  it('a worker without any Redis URL is bad config (exit 2) naming queue.redis', async () => {
    const r = await cli(['worker', '--config', writeConfig(null), '--role', 'recorder']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('queue.redis');
  });

  it('enqueueing the same due items again is harmless: deterministic job ids', async () => {
    const prefix = uniquePrefix();
    try {
      await withQueues(REDIS, prefix, async (q) => {
        const items = [check(1, 0), check(2, 3), { ...check(3, 1), key: 'c-3-1:odd' }];
        const first = await q.enqueueWork(DB, items, 1000, Date.now());
        expect(first).toMatchObject({ enqueued: 3, inFlight: 0 });
        const again = await q.enqueueWork(DB, items, 1000, Date.now());
        expect(again).toMatchObject({ enqueued: 0, inFlight: 3 });
        expect([...again.keys].sort()).toEqual(items.map((i) => i.key).sort());
        const counts = await q.counts();
        expect(counts.check.waiting).toBe(3);
        expect(counts.discover.waiting).toBe(0);
      });
    } finally {
      await obliterate(REDIS, prefix);
    }
  });

  it('status shows queue depths and dead letters from Redis, and says when Redis is unreachable', async () => {
    const prefix = uniquePrefix();
    try {
      await withQueues(REDIS, prefix, (q) => q.enqueueWork(DB, [check(7, 0), check(8, 0)], 1000, Date.now()));
      const up = await cli([
        'status',
        '--config',
        withDatabase(writeConfig(REDIS, prefix)),
        '--json',
        '--no-session',
      ]);
      expect(up.code).toBe(0);
      const s = JSON.parse(up.stdout) as {
        queue: { reachable: boolean; queues: Record<string, { waiting: number; failed: number }> };
      };
      expect(s.queue.reachable).toBe(true);
      expect(s.queue.queues.check).toMatchObject({ waiting: 2, failed: 0 });

      const url = `redis://127.0.0.1:${await closedPort()}`;
      const down = await cli(['status', '--config', withDatabase(writeConfig(url)), '--no-session']);
      expect(down.code).toBe(0);
      expect(down.stdout).toContain(`queues (redis ${url}`);
      expect(down.stdout).toContain('unreachable: cannot reach Redis');
    } finally {
      await obliterate(REDIS, prefix);
    }
  });

  it('the per-host limit holds across fetchers: slots of one host are minInterval apart, whoever takes them', async () => {
    const prefix = uniquePrefix();
    const a = connectRedis(REDIS, 'worker', silent);
    const b = connectRedis(REDIS, 'worker', silent);
    try {
      const interval = 40;
      const limits = [a, b].map((h) => new RedisPoliteness(h, prefix));
      const slots = await Promise.all(
        Array.from({ length: 12 }, (_, i) => limits[i % 2]!.reserve('m.weibo.cn', interval)),
      );
      const sorted = slots.map((s) => s.slot).sort((x, y) => x - y);
      for (let i = 1; i < sorted.length; i++)
        expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(interval);
      // Another host has its own slots: no wait behind weibo.
      expect((await limits[0]!.reserve('www.163.com', interval)).wait).toBe(0);
    } finally {
      await obliterate(REDIS, prefix);
      await a.close();
      await b.close();
    }
  });

  it('payloads keep evidence bodies as Buffers through the queue', () => {
    const body = Buffer.from('抱歉，此微博已被作者删除。\u0000\xff', 'utf8');
    const back = decodePayload<{ o: { body: Buffer; n: null; s: string } }>(
      encodePayload({ o: { body, n: null, s: 'x' } }),
    );
    expect(Buffer.isBuffer(back.o.body)).toBe(true);
    expect(back.o.body.equals(body)).toBe(true);
    expect(back.o).toMatchObject({ n: null, s: 'x' });
  });

  it('two-stage shutdown: the first signal drains producers first; a second one forces what is still running', async () => {
    const order: string[] = [];
    const role = (name: string, drainMs: number): Role => {
      let release: (() => void) | null = null;
      let timer: NodeJS.Timeout | undefined;
      return {
        name,
        start: async () => undefined,
        drain: () =>
          new Promise<void>((resolve) => {
            order.push(`drain ${name}`);
            release = resolve;
            timer = setTimeout(resolve, drainMs);
          }),
        force: async () => {
          order.push(`force ${name}`);
          clearTimeout(timer);
          release?.();
        },
      };
    };
    const drain = new AbortController();
    const force = new AbortController();
    const done = superviseRoles(
      [role('scheduler', 0), role('fetcher', 60_000), role('recorder', 0)],
      { drain: drain.signal, force: force.signal },
      60_000,
      silent,
    );
    drain.abort();
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual(['drain scheduler', 'drain fetcher']);
    force.abort();
    await expect(done).resolves.toBe('forced');
    expect(order).toContain('force fetcher');

    // With nothing slow, the first stage alone ends it.
    const calm = new AbortController();
    const ended = superviseRoles(
      [role('scheduler', 0)],
      { drain: calm.signal, force: new AbortController().signal },
      1000,
      silent,
    );
    calm.abort();
    await expect(ended).resolves.toBe('drained');
  });
});
