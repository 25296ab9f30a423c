import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppliedResults } from '../../../src/store/applied';
import { databaseIdentity } from '../../../src/store/identity';
import { Store } from '../../../src/store/store';
import { jobIdOf } from '../../../src/engine/distributed';
import {
  REDIS,
  at,
  cleanupDirs,
  distributedRun,
  embeddedRun,
  restartableRedis,
  sleep,
  type RunResult,
} from './helpers';

// Each run plays the quick scenario in real time (20 s, longer while its changes wait for the
// crawler or confirmations are pending) with five processes; keep them sequential.
jest.setTimeout(240_000);

let baseline: RunResult;

beforeAll(async () => {
  baseline = await embeddedRun();
}, 150_000);

afterAll(() => {
  cleanupDirs();
});

/** The baseline itself is right, so equal-to-baseline means right. */
function expectSameAsBaseline(r: RunResult): void {
  expect(r.holdsRanOut).toEqual([]);
  expect(r.truth.mismatches).toEqual([]);
  expect(r.targets).toEqual(baseline.targets);
  expect(r.events).toEqual(baseline.events);
  // No event twice: the sorted lists have no two equal neighbours.
  expect(r.events.filter((e, i) => e === r.events[i - 1])).toEqual([]);
  expect(r.commentEvents.filter((e, i) => e === r.commentEvents[i - 1])).toEqual([]);
  expect(r.causeEvents.filter((e, i) => e === r.causeEvents[i - 1])).toEqual([]);
}

describe('distributed mode against the simulator and a real redis-server', () => {
  it('the embedded baseline matches the ground truth and covers every cause', () => {
    expect(baseline.holdsRanOut).toEqual([]);
    expect(baseline.truth.mismatches).toEqual([]);
    const causes = new Set(
      Object.values(baseline.targets)
        .map((t) => t.cause)
        .filter(Boolean),
    );
    expect(causes.size).toBe(5);
    expect(baseline.events.some((e) => e.startsWith('post.edited'))).toBe(true);
    expect(baseline.events.some((e) => e.startsWith('search.blocked'))).toBe(true);
  });

  it('scheduler, recorder, alerter and two fetchers give the same targets and events as embedded mode; webhooks once each', async () => {
    const hook = await startHook();
    try {
      const r = await distributedRun({
        webhook: hook.url,
        after: async (ctx, queues) => {
          // Both fetcher processes took checks: the load is spread.
          const by = new Set((await queues.completed('check')).map((j) => j.processedBy?.split('-').pop()));
          for (const f of [ctx.roles.fetcherA!, ctx.roles.fetcherB!])
            expect(by).toContain(String(f.child.pid));
        },
      });
      expectSameAsBaseline(r);
      expect(r.exitCodes).toEqual([0, 0, 0, 0, 0]);
      // Every event reached the webhook exactly once.
      const total = r.events.length + r.commentEvents.length + r.causeEvents.length;
      await waitUntil(() => hook.ids.length >= total, 60_000);
      expect(hook.ids.length).toBe(total);
      expect(new Set(hook.ids).size).toBe(hook.ids.length);
    } finally {
      await hook.close();
    }
  });

  it('kill -9 of a fetcher and of the recorder mid-run, then restart: nothing lost, no event twice', async () => {
    const r = await distributedRun({
      // The recorder is down for about 3 s; the scenario gets that time back at the end.
      runMs: 23_000,
      during: async (ctx) => {
        // Both die after the scenario's last change (12 s), while gone posts are still being
        // confirmed and re-checked. Earlier, a death could hide a change that really happened: a
        // fetcher's jobs wait for their locks to expire (an edit seen only after it was made looks
        // like no edit), and while the recorder is down no new run of a source is scheduled (the
        // search block at 9.5–11.5 s), as in embedded mode with the process down.
        await at(ctx, 12_300);
        await ctx.roles.recorder!.kill9();
        ctx.roles.recorder = ctx.respawn('recorder');
        await ctx.roles.recorder.waitFor(/"msg":"distributed roles running"/);
        await ctx.roles.fetcherA!.kill9();
        ctx.roles.fetcherA = ctx.respawn('fetcher', ['--concurrency', '4']);
      },
      after: async (ctx, queues) => {
        // Every fetched result (a completed check or discover job) was recorded.
        const done = [...(await queues.completedIds('check')), ...(await queues.completedIds('discover'))];
        expect(done.length).toBeGreaterThan(20);
        const store = Store.open(ctx.config.database, { readonly: true });
        try {
          const db = databaseIdentity(store)!.id;
          const applied = new Set(new AppliedResults(store).keys().map((key) => jobIdOf('w', db, key)));
          expect(done.filter((id) => !applied.has(id))).toEqual([]);
        } finally {
          store.close();
        }
      },
    });
    expectSameAsBaseline(r);
  });

  it('FLUSHDB mid-run (a dedicated Redis DB): the scheduler rebuilds the work from SQLite and the run ends the same', async () => {
    const redis = `${REDIS.replace(/\/\d*$/, '')}/5`;
    const r = await distributedRun({
      redis,
      during: async (ctx) => {
        await at(ctx, 7000);
        await flushDb(redis);
        await ctx.roles.scheduler!.waitFor(/redis lost its queues/);
      },
    });
    expectSameAsBaseline(r);
  });

  it('Redis restarted mid-run (its own redis-server, no persistence): workers reconnect, the work is rebuilt, the run ends the same', async () => {
    const server = await restartableRedis();
    try {
      const r = await distributedRun({
        redis: server.url,
        during: async (ctx) => {
          await at(ctx, 6500);
          await server.stop();
          await sleep(500);
          await server.start();
          await ctx.roles.scheduler!.waitFor(/redis lost its queues/);
        },
      });
      expectSameAsBaseline(r);
      expect(r.exitCodes).toEqual([0, 0, 0, 0, 0]);
    } finally {
      await server.stop();
    }
  });
});

/** FLUSHDB through redis-cli-free means: a raw connection from the queue seam's own client. */
async function flushDb(redis: string): Promise<void> {
  const { connectRedis } = await import('../../../src/engine/distributed');
  const pino = (await import('pino')).default;
  const h = connectRedis(redis, 'producer', pino({ level: 'silent' }));
  try {
    await h.ready();
    await h.client.flushdb();
  } finally {
    await h.close();
  }
}

async function waitUntil(cond: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond() && Date.now() < until) await sleep(100);
}

/** A webhook receiver that notes each `webhook-id`. */
async function startHook(): Promise<{ url: string; ids: string[]; close(): Promise<void> }> {
  const ids: string[] = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      ids.push(String(req.headers['webhook-id'] ?? ''));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    ids,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
