import Database from 'better-sqlite3';
import { join } from 'node:path';
import {
  PrefixInUseError,
  clearPrefix,
  connectRedis,
  jobIdOf,
  prefixKeys,
  writeHostState,
  type RedisHandle,
} from '../../../src/engine/distributed';
import { AppliedResults } from '../../../src/store/applied';
import { databaseIdentity } from '../../../src/store/identity';
import { MIGRATIONS } from '../../../src/store/schema';
import { Store } from '../../../src/store/store';
import {
  REDIS,
  cleanupDirs,
  obliterate,
  scratchDir,
  silent,
  recorderBench,
  uniquePrefix,
  waitFor,
  withQueues,
} from './helpers';
import { guardAgainstLeaks } from '../../helpers/leak-guard';

// No server or child process started here outlives this file.
guardAgainstLeaks();

afterAll(() => cleanupDirs());

let redis: RedisHandle;
beforeAll(async () => {
  redis = connectRedis(REDIS, 'producer', silent);
  await redis.ready();
});
afterAll(async () => {
  await redis.close();
});

describe('database identity', () => {
  it('each new database gets its own random identity, kept across opens, readable read-only', () => {
    const dir = scratchDir();
    const a = Store.open(join(dir, 'a.db'));
    const b = Store.open(join(dir, 'b.db'));
    const idA = databaseIdentity(a)!;
    const idB = databaseIdentity(b)!;
    a.close();
    b.close();
    expect(idA.id).toMatch(/^[0-9a-f]{32}$/);
    expect(idB.id).toMatch(/^[0-9a-f]{32}$/);
    expect(idA.id).not.toBe(idB.id);
    expect(idA.createdAt).toBeGreaterThan(Date.UTC(2020, 0, 1));
    const again = Store.open(join(dir, 'a.db'), { readonly: true });
    try {
      expect(databaseIdentity(again)).toEqual({ ...idA, file: join(dir, 'a.db') });
    } finally {
      again.close();
    }
  });

  it('a database from before identities has none read-only, and gets one from its first writer', () => {
    const file = join(scratchDir(), 'old.db');
    // The schema an older censorwatch left: every migration before the identity's.
    const before = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE database_identity'));
    expect(before).toBeGreaterThan(0);
    const old = new Database(file);
    for (const m of MIGRATIONS.slice(0, before)) old.exec(m);
    old.pragma(`user_version = ${before}`);
    old.close();
    const ro = Store.open(file, { readonly: true });
    expect(databaseIdentity(ro)).toBeNull();
    ro.close();
    const w = Store.open(file);
    const id = databaseIdentity(w);
    w.close();
    expect(id?.id).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('a queue prefix belongs to one database', () => {
  it('the first database claims it; another is refused with one line naming the prefix and how to go on', async () => {
    const prefix = uniquePrefix();
    const dir = scratchDir();
    const first = Store.open(join(dir, 'first.db'));
    const second = Store.open(join(dir, 'second.db'));
    try {
      await withQueues(REDIS, prefix, async (q) => {
        const a = databaseIdentity(first)!;
        const owner = await q.claim(a, Date.now());
        expect(owner.id).toBe(a.id);
        // Claiming again for the same database is fine (a restart).
        await expect(q.claim(a, Date.now())).resolves.toMatchObject({ id: a.id });
        const refused = await q.claim(databaseIdentity(second)!, Date.now()).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(PrefixInUseError);
        const err = refused as PrefixInUseError;
        expect(err.exitCode).toBe(2);
        expect(err.message).not.toContain('\n');
        expect(err.message).toMatch(
          new RegExp(
            `^queue prefix ${prefix} is in use by another database \\(created ${new Date(a.createdAt).toISOString()}, .*first\\.db on .+\\); set queue\\.prefix or clear it with \`censorwatch queue clear\`$`,
          ),
        );
        // Cleared, the prefix is free for the second database.
        await q.obliterate();
        await expect(q.claim(databaseIdentity(second)!, Date.now())).resolves.toMatchObject({
          id: databaseIdentity(second)!.id,
        });
      });
    } finally {
      first.close();
      second.close();
      await obliterate(REDIS, prefix);
    }
  });

  it('clearing removes exactly the prefix keys, even with glob characters in the prefix; look-alike keys survive', async () => {
    const base = uniquePrefix();
    // Unescaped, `<base>-[ab]*:*` would match the decoys of `<base>-a` and `<base>-b*x` below.
    const prefix = `${base}-[ab]*`;
    const decoys = [
      `${base}-a:check:w-1`,
      `${base}-b*x:record:r-1`,
      `${base}-[ab]*2:check:w-1`,
      `${base}-[ab]*-2:epoch`,
      `${base}-[ab]*:unrelated`,
      `${base}-[ab]*`,
    ];
    try {
      for (const k of decoys) await redis.client.set(k, 'decoy');
      const dir = scratchDir();
      const store = Store.open(join(dir, 'c.db'));
      const identity = databaseIdentity(store)!;
      store.close();
      await withQueues(REDIS, prefix, async (q) => {
        await q.claim(identity, Date.now());
        await q.ensureTicker(60_000);
        await writeHostState(redis, prefix, 'weibo', { strikes: 1, pausedUntil: 0, degraded: false });
        await q.enqueueWork(
          identity.id,
          [{ type: 'check', key: 'c-1-0', rowId: 1, target: { platform: 'weibo', kind: 'post', id: '1' } }],
          1000,
          Date.now(),
        );
        await q.notifyAlerts(identity.id, 3);
      });
      await redis.client.set(`${prefix}:rate:m.weibo.cn`, '0');
      const before = await prefixKeys(redis, prefix);
      // Every kind of key the deployment writes is there: queues, own keys, rate slots.
      for (const k of ['database', 'epoch', 'hosts', 'rate:m.weibo.cn'])
        expect(before).toContain(`${prefix}:${k}`);
      expect(before.some((k) => k.startsWith(`${prefix}:check:`))).toBe(true);
      expect(before.some((k) => k.startsWith(`${prefix}:schedule:`))).toBe(true);
      expect(before.some((k) => k.startsWith(`${prefix}:alert:`))).toBe(true);
      expect(before.filter((k) => decoys.includes(k))).toEqual([]);

      const removed = await clearPrefix(redis, prefix);
      expect(removed).toBe(before.length);
      expect(await prefixKeys(redis, prefix)).toEqual([]);
      expect(
        await redis.client.keys(`${base}*`).then((ks) => ks.filter((k) => k.startsWith(`${prefix}:`))),
      ).toEqual([`${prefix}:unrelated`]);
      for (const k of decoys) expect(await redis.client.get(k)).toBe('decoy');
    } finally {
      if (decoys.length) await redis.client.del(...decoys);
      await clearPrefix(redis, prefix);
    }
  });
});

describe('the recorder applies only its own database work', () => {
  it('a result naming another database fails as a dead letter and changes nothing; its own is applied once', async () => {
    const bench = recorderBench(uniquePrefix());
    const { store, result } = bench;
    try {
      const own = bench.db;
      const other = 'f'.repeat(32);
      await withQueues(REDIS, bench.prefix, async (q) => {
        const role = bench.role(q);
        await role.start();
        expect((await q.owner())?.id).toBe(own);
        await q.pushResult(other, result('c-1-0'));
        await q.pushResult(own, result('c-1-1'));
        await q.pushResult(own, result('c-1-1'));
        await waitFor(
          async () => (await q.deadJobs()).length === 1 && role.isApplied('c-1-1'),
          'both results handled',
        );
        const dead = await q.deadJobs();
        expect(dead[0]).toMatchObject({ queue: 'record', id: jobIdOf('r', other, 'c-1-0') });
        expect(dead[0]!.reason).toContain(`belongs to database ${other}, not to this one (${own})`);
        expect(new AppliedResults(store).keys()).toEqual(['c-1-1']);
        await role.drain();
      });
    } finally {
      await bench.close();
    }
  });
});
