import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { loadConfig } from '../../../src/config';
import { createEngine } from '../../../src/cli/compose';
import { systemClock } from '../../../src/domain/clock';
import { RecorderRole, connectRedis } from '../../../src/engine/distributed';
import type { WorkResult } from '../../../src/engine/work';
import { AppliedResults } from '../../../src/store/applied';
import { databaseIdentity } from '../../../src/store/identity';
import { DatabaseOwner, DatabaseTakenOverError } from '../../../src/store/owner';
import { Store } from '../../../src/store/store';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import {
  REDIS,
  cleanupDirs,
  obliterate,
  scratchDir,
  silent,
  sleep,
  uniquePrefix,
  withQueues,
} from './helpers';

/**
 * A recorder whose database another process took over (it judged this one dead) writes nothing
 * more: the result that arrives after the takeover is not applied, stays queued for the new owner,
 * and the role's `disowned` signal carries the error naming that owner.
 */
guardAgainstLeaks();
afterAll(() => cleanupDirs());

async function waitFor(cond: () => Promise<boolean> | boolean, what: string, capMs = 30_000): Promise<void> {
  const until = Date.now() + capMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`not within ${capMs} ms: ${what}`);
    await sleep(100);
  }
}

it('after a takeover the next result is left queued, nothing written, and disowned names the new owner', async () => {
  const prefix = uniquePrefix();
  const dir = scratchDir();
  const path = join(dir, 'c.yaml');
  writeFileSync(
    path,
    stringifyYaml({
      database: join(dir, 'c.db'),
      watches: [{ id: 'w', name: 'W', weibo: { keywords: ['x'] } }],
      queue: { redis: REDIS, prefix },
    }),
  );
  const config = loadConfig(path);
  const store = Store.open(config.database);
  const worker = connectRedis(REDIS, 'worker', silent);
  let role: RecorderRole | null = null;
  try {
    const engine = createEngine({ config, store, adapters: {}, clock: systemClock, logger: silent });
    engine.sync();
    const owners = new DatabaseOwner(store);
    const now = Date.now();
    const self = {
      id: `here:1:${now}:a`,
      pid: 1,
      hostname: 'here',
      startedAt: now,
      role: 'recorder' as const,
    };
    expect(owners.claim(self, () => true, now).claimed).toBe(true);
    expect(owners.current()?.id).toBe(self.id);

    const ref = { platform: 'weibo', kind: 'post', id: '4900000000000001' } as const;
    const target = store.ensureTarget(
      ref,
      'https://m.weibo.cn/detail/4900000000000001',
      ['w'],
      'test',
      now,
      now,
    ).row;
    const db = databaseIdentity(store)!.id;
    const result = (key: string): WorkResult => ({
      type: 'check',
      item: { type: 'check', key, rowId: target.rowId, target },
      observations: [],
    });
    await withQueues(REDIS, prefix, async (q) => {
      const r = new RecorderRole({
        queues: q,
        connection: worker,
        results: engine.results,
        scheduler: engine.scheduler,
        store,
        clock: systemClock,
        logger: silent,
        owner: { id: self.id, database: config.database },
      });
      role = r;
      await r.start();
      await q.pushResult(db, result('c-1-1'));
      await waitFor(() => r.isApplied('c-1-1'), 'the first result applied');
      expect(r.disowned.aborted).toBe(false);

      const later = Date.now();
      const other = {
        id: `there:2:${later}:b`,
        pid: 2,
        hostname: 'there',
        startedAt: later,
        role: 'recorder' as const,
      };
      expect(owners.claim(other, () => true, later).claimed).toBe(true);
      await q.pushResult(db, result('c-1-2'));
      await waitFor(() => r.disowned.aborted, 'the recorder to notice the takeover');

      const reason: unknown = r.disowned.reason;
      expect(reason).toBeInstanceOf(DatabaseTakenOverError);
      const err = reason as DatabaseTakenOverError;
      expect(err.exitCode).toBe(1);
      expect(err.by?.id).toBe(other.id);
      expect(err.message).toContain(
        `database ${config.database} was taken over by the recorder role (pid 2 on there`,
      );
      expect(r.fatal).toBe(r.disowned);
      // Nothing of the second result was written, and it was not given up: it waits for a retry.
      expect(new AppliedResults(store).keys()).toEqual(['c-1-1']);
      expect(r.isApplied('c-1-2')).toBe(false);
      expect(await q.deadJobs()).toEqual([]);
      const counts = (await q.counts()).record;
      expect(counts.waiting + counts.active + counts.delayed).toBe(1);
      // A direct write is refused the same way.
      expect(() => r.apply(result('c-1-3'))).toThrow(/no longer owns the database/);
      expect(r.isApplied('c-1-3')).toBe(false);
      await r.drain();
      role = null;
    });
  } finally {
    await (role as RecorderRole | null)?.force('test over');
    await worker.close();
    store.close();
    await obliterate(REDIS, prefix);
  }
});
