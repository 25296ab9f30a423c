import { hostname } from 'node:os';
import {
  connectRedis,
  escapeGlob,
  jobIdOf,
  prefixKeys,
  prefixOwner,
  type RedisHandle,
} from '../../../src/engine/distributed';
import { databaseIdentity, type DatabaseIdentity } from '../../../src/store/identity';
import { Store } from '../../../src/store/store';
import {
  READY,
  REDIS,
  cleanupDirs,
  cli,
  distributedRun,
  obliterate,
  scratchDir,
  silent,
  spawnRole,
  startQuickSim,
  uniquePrefix,
  withQueues,
  writeConfig,
  type RunResult,
} from './helpers';
import { guardAgainstLeaks } from '../../helpers/leak-guard';

// No server or child process started here outlives this file.
guardAgainstLeaks();

// Each run plays the quick scenario in real time with five processes.
jest.setTimeout(300_000);

let redis: RedisHandle;
beforeAll(async () => {
  redis = connectRedis(REDIS, 'producer', silent);
  await redis.ready();
});
afterAll(async () => {
  await redis.close();
  cleanupDirs();
});

function identityOf(database: string): DatabaseIdentity {
  const store = Store.open(database, { readonly: true });
  try {
    return databaseIdentity(store)!;
  } finally {
    store.close();
  }
}

/** Deletions the ground truth has, and that the run found every one of them (and nothing else). */
function expectEveryDeletion(r: RunResult): void {
  expect(r.truth.mismatches).toEqual([]);
  const gone = Object.entries(r.truth.truth)
    .filter(([bucket]) => bucket !== 'alive')
    .reduce((n, [, count]) => n + count, 0);
  // The quick scenario deletes a post for every cause.
  expect(gone).toBeGreaterThanOrEqual(5);
}

/**
 * Whether a key expires by itself: BullMQ's stalled-job checker's marker, and the politeness slots
 * (a minute after a host's last request, which on a loaded machine can pass between two reads).
 * They come and go with time, not with anything a process did.
 */
function expiring(key: string): boolean {
  return key.endsWith(':stalled-check') || /:rate:[^:]+$/.test(key);
}

/** A prefix's keys without the {@link expiring} ones. */
async function lastingKeys(prefix: string): Promise<string[]> {
  return (await prefixKeys(redis, prefix)).filter((k) => !expiring(k)).sort();
}

/** The line a process prints when the prefix belongs to another database. */
function inUseLine(prefix: string, owner: DatabaseIdentity): string {
  return (
    `censorwatch: queue prefix ${prefix} is in use by another database (created ${new Date(owner.createdAt).toISOString()}, ` +
    `${owner.file} on `
  );
}

describe('a queue prefix serves one database', () => {
  it('two runs in a row on one prefix, each with a new database: the second refuses with one clear line; after `queue clear` a third finds every deletion', async () => {
    const prefix = uniquePrefix();
    try {
      const first = await distributedRun({ prefix, keepQueues: true });
      expectEveryDeletion(first);
      const owner = identityOf(first.database);
      expect((await prefixOwner(redis, prefix))?.id).toBe(owner.id);
      const kept = await lastingKeys(prefix);
      // Finished jobs stay in Redis: they are what used to swallow the next database's work.
      expect(kept.some((k) => k.startsWith(`${prefix}:check:${jobIdOf('w', owner.id, '')}`))).toBe(true);

      // A researcher deletes the database (a new directory here) and starts again.
      const sim = await startQuickSim();
      const dir = scratchDir();
      try {
        const { path, config } = writeConfig(dir, sim, { redis: REDIS, prefix, name: 'second' });
        const recorder = spawnRole('recorder', path, dir);
        expect(await recorder.exited()).toBe(2);
        expect(recorder.log()).toContain(inUseLine(prefix, owner));
        expect(recorder.log()).toContain('; set queue.prefix or clear it with `censorwatch queue clear`\n');
        expect(recorder.log()).not.toMatch(READY);
        // The recorder created the new database before it refused; scheduler, alerter and
        // `run --redis` (all roles) refuse the same way.
        const second = identityOf(config.database);
        expect(second.id).not.toBe(owner.id);
        for (const args of [
          ['worker', '--role', 'scheduler'],
          ['worker', '--role', 'alerter'],
          ['run', '--duration', '10m'],
        ]) {
          const r = await cli([...args, '--config', path]);
          expect({ args, code: r.code }).toEqual({ args, code: 2 });
          expect(r.stderr).toContain(inUseLine(prefix, owner));
        }
        // Refusing wrote nothing: the prefix is the first database's, key for key.
        expect((await prefixOwner(redis, prefix))?.id).toBe(owner.id);
        expect(await lastingKeys(prefix)).toEqual(kept);

        // Without a terminal and without --yes nothing is deleted.
        const unconfirmed = await cli(['queue', 'clear', '--config', path]);
        expect(unconfirmed.code).toBe(2);
        expect(unconfirmed.stderr).toContain('pass --yes');
        expect(await lastingKeys(prefix)).toEqual(kept);

        const cleared = await cli(['queue', 'clear', '--config', path, '--yes']);
        expect(cleared.code).toBe(0);
        expect(cleared.stdout).toContain(`cleared: queue prefix ${prefix} on ${REDIS} holds `);
        expect(cleared.stdout).toContain(`belongs to database ${owner.id}`);
        expect(await prefixKeys(redis, prefix)).toEqual([]);
      } finally {
        await sim.stop();
      }

      const third = await distributedRun({
        prefix,
        after: async (ctx) => {
          expect((await prefixOwner(redis, prefix))?.id).toBe(identityOf(ctx.config.database).id);
        },
      });
      expectEveryDeletion(third);
    } finally {
      await obliterate(REDIS, prefix);
    }
  });

  it('two databases on two prefixes of one Redis at the same time: each finds every deletion, neither touches the other one keys, and clearing one leaves the other whole', async () => {
    const base = uniquePrefix();
    // Unescaped, the second prefix as a glob (`<base>-[a]*:*`) matches every key of the first.
    const prefixes = [`${base}-a`, `${base}-[a]*`] as const;
    const decoys = [`${base}-[a]*:unrelated`, `${base}-[a]*x:check:w-1`, `${base}-ab:check:w-1`];
    try {
      for (const k of decoys) await redis.client.set(k, 'decoy');
      const runs = await Promise.all(prefixes.map((prefix) => distributedRun({ prefix, keepQueues: true })));
      for (const r of runs) expectEveryDeletion(r);
      const ids = runs.map((r) => identityOf(r.database).id);
      expect(ids[0]).not.toBe(ids[1]);

      const sets = await Promise.all(prefixes.map(lastingKeys));
      // Every key under the common base is one prefix's or a decoy: nothing else was written.
      const all = (await redis.client.keys(`${escapeGlob(base)}*`)).filter((k) => !expiring(k)).sort();
      expect(all).toEqual([...sets[0]!, ...sets[1]!, ...decoys].sort());
      expect(sets[0]!.filter((k) => sets[1]!.includes(k))).toEqual([]);
      for (const [i, prefix] of prefixes.entries()) {
        expect(sets[i]!.length).toBeGreaterThan(10);
        expect((await prefixOwner(redis, prefix))?.id).toBe(ids[i]);
        // Each prefix's work carries its own database only.
        const done = await withQueues(REDIS, prefix, async (q) => [
          ...(await q.completedIds('check')),
          ...(await q.completedIds('discover')),
          ...(await q.completedIds('record')).filter((id) => id.startsWith('r-')),
        ]);
        expect(done.length).toBeGreaterThan(20);
        expect(done.filter((id) => !id.includes(`-${ids[i]}-`))).toEqual([]);
      }

      // Clearing the glob-looking prefix leaves the other prefix and the decoys as they were.
      const dir = scratchDir();
      const sim = await startQuickSim();
      try {
        const { path } = writeConfig(dir, sim, { redis: REDIS, prefix: prefixes[1] });
        const r = await cli(['queue', 'clear', '--config', path, '--yes']);
        expect(r.code).toBe(0);
      } finally {
        await sim.stop();
      }
      expect(await prefixKeys(redis, prefixes[1])).toEqual([]);
      expect(await lastingKeys(prefixes[0])).toEqual(sets[0]);
      for (const k of decoys) expect(await redis.client.get(k)).toBe('decoy');
    } finally {
      await redis.client.del(...decoys);
      for (const p of prefixes) await obliterate(REDIS, p);
    }
  });

  it('queue clear refuses while a role still consumes the prefix, and names it', async () => {
    const prefix = uniquePrefix();
    const sim = await startQuickSim();
    const dir = scratchDir();
    try {
      const { path } = writeConfig(dir, sim, { redis: REDIS, prefix });
      const fetcher = spawnRole('fetcher', path, dir);
      await fetcher.waitFor(READY);
      const before = await lastingKeys(prefix);
      const r = await cli(['queue', 'clear', '--config', path, '--yes']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`queue prefix ${prefix} still has consumers connected (`);
      expect(r.stderr).toContain(`check ${hostname()}-${fetcher.child.pid}`);
      expect(await lastingKeys(prefix)).toEqual(before);
      expect(await fetcher.stop()).toBe(0);
      const after = await cli(['queue', 'clear', '--config', path, '--yes']);
      expect(after.code).toBe(0);
      expect(await prefixKeys(redis, prefix)).toEqual([]);
    } finally {
      await sim.stop();
      await obliterate(REDIS, prefix);
    }
  });
});
