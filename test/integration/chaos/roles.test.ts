import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compareWithTruth } from '../../../src/cli/demo';
import { connectRedis, jobIdOf } from '../../../src/engine/distributed';
import { AppliedResults } from '../../../src/store/applied';
import { databaseIdentity } from '../../../src/store/identity';
import type { Hold } from '../../../src/sim';
import { Store } from '../../../src/store/store';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server';
import {
  READY,
  SEED,
  cleanupDirs,
  killAll,
  readRun,
  scratchDir,
  silent,
  sleep,
  spawnRole,
  startQuickSim,
  uniquePrefix,
  waitIdle,
  withQueues,
  writeConfig,
  type RoleProcess,
  type SimRun,
} from '../distributed/helpers';
import { rawSql } from '../../helpers/sql';

// Five role processes play the quick scenario in real time while the test kills them one by one.
jest.setTimeout(240_000);

/** Generous: on a loaded 2-core machine a role's start-up alone can take half a minute. */
const CAP_MS = 150_000;

let redis: RedisServer;

beforeAll(async () => {
  // A redis-server of this test's own: FLUSHALL touches nothing anyone else uses.
  redis = await startRedisServer();
});

afterAll(async () => {
  await killAll();
  await redis?.stop();
  cleanupDirs();
});

/** Polls `cond` until it holds, naming `what` (and what `why` says is still missing) when the cap runs out. */
async function until(
  what: string,
  cond: () => boolean | Promise<boolean>,
  capMs = CAP_MS,
  why?: () => string,
): Promise<void> {
  const deadline = Date.now() + capMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${why ? `: ${why()}` : ''}`);
    await sleep(100);
  }
}

/** Observations the recorder has committed so far (0 before the database exists). */
function observations(database: string): number {
  try {
    const store = Store.open(database, { readonly: true });
    try {
      return rawSql(store).query<{ n: number }>(`SELECT COUNT(*) AS n FROM observations`)[0]!.n;
    } finally {
      store.close();
    }
  } catch {
    return 0;
  }
}

/** True once the database agrees with the simulator's ground truth, target by target. */
function matchesTruth(database: string, run: SimRun): boolean {
  return truthDifferences(database, run)?.length === 0;
}

/** The targets whose verdict differs from the ground truth, or null while the database cannot be read. */
function truthDifferences(database: string, run: SimRun): readonly string[] | null {
  try {
    const store = Store.open(database, { readonly: true });
    try {
      return compareWithTruth(store, run.sim.groundTruth()).mismatches;
    } finally {
      store.close();
    }
  } catch {
    return null;
  }
}

/** The posts and articles the database tracks, as `platform:id` (none before it exists). */
function trackedIds(database: string): Set<string> {
  try {
    const store = Store.open(database, { readonly: true });
    try {
      return new Set(
        rawSql(store)
          .query<{ key: string }>(
            `SELECT platform || ':' || native_id AS key FROM targets WHERE kind = 'post'`,
          )
          .map((r) => r.key),
      );
    } finally {
      store.close();
    }
  } catch {
    return new Set();
  }
}

/**
 * Holds each fate of the scenario (a post's or article's removal, an account's ban or closure)
 * until the database tracks every post the simulator has served so far. A kill or a FLUSHALL can
 * lose a listing in flight, and a post deleted before the next listing is never discovered: that
 * is a race with the platform, not a lost target, and on a loaded machine a role's restart is slow
 * enough to lose it. The ground truth counts every post served; these holds make it fair.
 */
function recordedHolds(run: SimRun, database: string): Hold[] {
  const { weibo, netease } = run.sim.scenario;
  const times = [
    ...weibo.posts.flatMap((p) => (p.fate ? [p.fate.at] : [])),
    ...weibo.accounts.flatMap((a) => [a.banAt, a.closeAt].filter((t): t is number => t !== undefined)),
    ...netease.articles.flatMap((a) => (a.fate ? [a.fate.at] : [])),
  ];
  return [...new Set(times)].map((at) => {
    // The clock asks on every answer the simulator gives: read the database at most every 200 ms.
    let lookedAt = 0;
    let ready = false;
    return {
      at,
      what: `every served post tracked before the fate at ${at}`,
      ready: () => {
        if (ready || Date.now() - lookedAt < 200) return ready;
        lookedAt = Date.now();
        const tracked = trackedIds(database);
        // `at` given, not the clock's time: this runs inside the clock's own reading.
        ready = run.sim.groundTruth(at).every((r) => tracked.has(`${r.platform}:${r.id}`));
        return ready;
      },
    };
  });
}

/** A webhook receiver noting each `webhook-id` it is sent (a resend after a crash repeats one). */
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
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    ids,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('chaos: kill -9 of every distributed role and a FLUSHALL mid-run', () => {
  it(`quick scenario (seed ${SEED}): loses no target, records no event twice, leaves an intact database`, async () => {
    const run = await startQuickSim({ held: true });
    const hook = await startHook();
    const prefix = uniquePrefix();
    const dir = scratchDir();
    const { path, config } = writeConfig(dir, run, {
      redis: redis.url,
      prefix,
      webhook: hook.url,
      name: 'chaos',
    });
    const database = config.database;
    run.clock.addHolds(recordedHolds(run, database));
    const roles: Record<string, RoleProcess> = {};
    const start = (name: string, role: string, extra?: readonly string[]): RoleProcess =>
      (roles[name] = spawnRole(role, path, dir, extra));
    const fetcher = ['--concurrency', '4'];
    const killed: string[] = [];
    /** Kills a role with SIGKILL once `more` observations were committed since the last kill, and restarts it. */
    let mark = 0;
    const killAndRestart = async (name: string, role: string, extra?: readonly string[]): Promise<void> => {
      await until(
        `${mark + 8} observations before killing the ${name}`,
        () => observations(database) >= mark + 8,
      );
      await roles[name]!.kill9();
      killed.push(name);
      start(name, role, extra);
      await roles[name]!.waitFor(READY);
      mark = observations(database);
    };
    try {
      start('recorder', 'recorder');
      await roles.recorder!.waitFor(READY);
      start('alerter', 'alerter');
      start('fetcherA', 'fetcher', fetcher);
      start('fetcherB', 'fetcher', fetcher);
      start('scheduler', 'scheduler');
      await Promise.all(Object.values(roles).map((r) => r.waitFor(READY)));
      run.go();

      // Paced by what the recorder has committed, not by the clock: each death lands mid-work.
      await killAndRestart('scheduler', 'scheduler');
      await killAndRestart('fetcherA', 'fetcher', fetcher);
      await killAndRestart('alerter', 'alerter');
      await until('more observations before FLUSHALL', () => observations(database) >= mark + 8);
      const flush = connectRedis(redis.url, 'producer', silent);
      try {
        await flush.ready();
        await flush.client.flushall();
      } finally {
        await flush.close();
      }
      await roles.scheduler!.waitFor(/redis lost its queues/);
      mark = observations(database);
      await killAndRestart('recorder', 'recorder');
      expect(killed).toEqual(['scheduler', 'fetcherA', 'alerter', 'recorder']);

      // The run goes on until every fate of the scenario has happened and been confirmed.
      const lastFate = Math.max(
        ...run.sim.scenario.weibo.posts.flatMap((p) => (p.fate ? [p.fate.at] : [])),
        ...run.sim.scenario.weibo.accounts.flatMap((a) => [a.banAt ?? 0, a.closeAt ?? 0]),
        ...run.sim.scenario.netease.articles.flatMap((a) => (a.fate ? [a.fate.at] : [])),
      );
      await until(
        'the database to agree with the ground truth after the last fate',
        () => run.clock.now() > lastFate && matchesTruth(database, run),
        CAP_MS,
        () =>
          `scenario at ${run.clock.now()} ms, last fate at ${lastFate} ms; differences: ${
            truthDifferences(database, run)?.join('; ') ?? 'database unreadable'
          }`,
      );

      const exitCodes: (number | null)[] = [await roles.scheduler!.stop()];
      await waitIdle(redis.url, prefix, CAP_MS);
      for (const name of ['fetcherA', 'fetcherB', 'recorder']) exitCodes.push(await roles[name]!.stop());

      // Every result a fetcher finished since the flush was recorded (the flush took older job records).
      const done = await withQueues(redis.url, prefix, async (q) => [
        ...(await q.completedIds('check')),
        ...(await q.completedIds('discover')),
      ]);
      expect(done.length).toBeGreaterThan(0);
      const r = readRun(database, run);
      const store = Store.open(database, { readonly: true });
      try {
        const db = databaseIdentity(store)!.id;
        const applied = new Set(new AppliedResults(store).keys().map((key) => jobIdOf('w', db, key)));
        expect(done.filter((id) => !applied.has(id))).toEqual([]);
        expect(rawSql(store).query<{ integrity_check: string }>(`PRAGMA integrity_check`)).toEqual([
          { integrity_check: 'ok' },
        ]);
        // No target fell out of the schedule.
        expect(
          rawSql(store).query<{ n: number }>(
            `SELECT COUNT(*) AS n FROM targets WHERE next_check_at IS NULL`,
          )[0]!.n,
        ).toBe(0);
      } finally {
        store.close();
      }

      // No target lost: every post the simulator served is tracked, with the verdict and cause of the truth.
      expect(r.truth.mismatches).toEqual([]);
      expect(Object.keys(r.targets).length).toBeGreaterThanOrEqual(run.sim.groundTruth().length);
      // No event twice: the sorted lists have no two equal neighbours.
      expect(r.events.filter((e, i) => e === r.events[i - 1])).toEqual([]);
      expect(r.commentEvents.filter((e, i) => e === r.commentEvents[i - 1])).toEqual([]);
      expect(r.causeEvents.filter((e, i) => e === r.causeEvents[i - 1])).toEqual([]);
      expect(r.events.some((e) => e.startsWith('post.gone'))).toBe(true);

      // Every event reached the webhook despite the alerter's death; a resend keeps its webhook-id.
      const total = r.events.length + r.commentEvents.length + r.causeEvents.length;
      await until('every event at the webhook', () => new Set(hook.ids).size >= total);
      exitCodes.push(await roles.alerter!.stop());
      expect(new Set(hook.ids).size).toBe(total);
      expect(exitCodes).toEqual([0, 0, 0, 0, 0]);
    } finally {
      await Promise.all(Object.values(roles).map((p) => p.kill9()));
      await run.stop();
      await hook.close();
    }
  });
});
