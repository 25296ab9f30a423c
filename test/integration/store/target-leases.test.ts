/**
 * Target leases live in `target_leases`, not in the targets' own rows: a database written when
 * they were columns of `targets` keeps the leases it held (live ones stay live, with their owners;
 * one that ran out stays out), and taking, giving back and running out work as before.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { LeaseStore } from '../../../src/store/leases';
import { MIGRATIONS } from '../../../src/store/schema';
import { Store } from '../../../src/store/store';
import { rawSql } from '../../helpers/sql';
import { tempDatabase } from '../../helpers/temp-db';
import { beforeTempRemoval, tempDir } from '../../helpers/temp';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
const LEASE = 600_000;

const post = (id: string) => ({ platform: 'weibo' as const, kind: 'post' as const, id });

describe('target leases', () => {
  it('a database whose leases were columns of targets keeps them, owners and ends, when it is migrated', () => {
    const file = join(tempDir('censorwatch-leases-'), 'old.db');
    const to = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE target_leases'));
    expect(to).toBeGreaterThan(0);
    const old = new Database(file);
    for (const m of MIGRATIONS.slice(0, to)) old.exec(m);
    old.pragma(`user_version = ${to}`);
    const add = old.prepare(
      `INSERT INTO targets (id, platform, kind, native_id, url, first_seen_at, next_check_at, leased_until, leased_by)
       VALUES (?, 'weibo', 'post', ?, '', ?, ?, ?, ?)`,
    );
    // Due, leased to a run; due, leased by the recorder for a distributed scheduler; due, its lease
    // run out; due, never leased; not due, leased to the run (taken, then moved by its result).
    add.run(1, 'a', NOW - 1000, NOW - 1000, NOW + LEASE, 'run-a');
    add.run(2, 'b', NOW - 1000, NOW - 900, NOW + LEASE, null);
    add.run(3, 'c', NOW - 1000, NOW - 800, NOW - 1, 'run-b');
    add.run(4, 'd', NOW - 1000, NOW - 700, null, null);
    add.run(5, 'e', NOW - 1000, NOW + 60_000, NOW + LEASE, 'run-a');
    old.close();

    const store = Store.open(file);
    beforeTempRemoval(() => store.close());
    const columns = rawSql(store)
      .query<{ name: string }>(`SELECT name FROM pragma_table_info('targets')`)
      .map((c) => c.name);
    expect(columns).not.toContain('leased_until');
    expect(columns).not.toContain('leased_by');
    const leases = new LeaseStore(store);
    expect(leases.countLeases(NOW)).toEqual([
      { owner: null, sources: 0, targets: 1 },
      { owner: 'run-a', sources: 0, targets: 2 },
    ]);
    expect(leases.leasedBy('run-a', NOW).targets).toEqual([1, 5]);
    // Only what no live lease holds is taken: the one whose lease ran out, and the one never leased.
    expect(store.takeDueTargets(NOW, 10, LEASE, 'run-c').map((t) => t.id)).toEqual(['c', 'd']);
    expect(leases.leasedBy('run-c', NOW).targets).toEqual([3, 4]);
    // A dead run's leases are given back: its due target is taken again at once.
    expect(leases.release('run-a', NOW)).toEqual({ sources: 0, targets: 2 });
    expect(store.takeDueTargets(NOW, 10, LEASE, 'run-c').map((t) => t.id)).toEqual(['a']);
  });

  it('a taken target is not taken again until its lease runs out or is given back', () => {
    const { store } = tempDatabase();
    const ids = ['p1', 'p2', 'p3'].map(
      (id, i) => store.ensureTarget(post(id), '', [], 'test', NOW - 10_000, NOW - 1000 + i).row.rowId,
    );
    const leases = new LeaseStore(store);
    expect(store.takeDueTargets(NOW, 2, LEASE, 'run').map((t) => t.id)).toEqual(['p1', 'p2']);
    expect(store.takeDueTargets(NOW, 2, LEASE, 'other').map((t) => t.id)).toEqual(['p3']);
    expect(store.takeDueTargets(NOW, 2, LEASE, 'other')).toEqual([]);
    // Given back by its owner only.
    leases.releaseTarget(ids[0]!, 'other');
    expect(store.takeDueTargets(NOW, 2, LEASE, 'other')).toEqual([]);
    leases.releaseTarget(ids[0]!, 'run');
    expect(store.takeDueTargets(NOW, 2, LEASE, 'other').map((t) => t.id)).toEqual(['p1']);
    // Deferred (its platform backs off): given back, due at its new time.
    store.deferTarget(ids[1]!, NOW + 5000);
    expect(leases.leasedBy('run', NOW).targets).toEqual([]);
    expect(store.takeDueTargets(NOW + 5000, 5, LEASE, 'run').map((t) => t.id)).toEqual(['p2']);
    // Every lease runs out: all three are taken again, earliest first.
    expect(store.takeDueTargets(NOW + 5000 + LEASE, 5, LEASE, 'run').map((t) => t.id)).toEqual([
      'p1',
      'p3',
      'p2',
    ]);
    expect(leases.countLeases(NOW + 5000 + LEASE)).toEqual([{ owner: 'run', sources: 0, targets: 3 }]);
  });

  it('the leases of a group of saved results are given back at its commit, but not a rolled-back one', () => {
    const { store } = tempDatabase();
    const ids = ['g1', 'g2', 'g3'].map(
      (id) => store.ensureTarget(post(id), '', [], 'test', NOW - 10_000, NOW - 1000).row.rowId,
    );
    const leases = new LeaseStore(store);
    expect(store.takeDueTargets(NOW, 5, LEASE, 'run')).toHaveLength(3);
    const save = (i: number) =>
      store.saveTargetState(ids[i]!, store.getTarget(ids[i]!)!.state, {
        lastOutcome: 'alive',
        lastCheckedAt: NOW,
        nextCheckAt: NOW + LEASE * 2,
        chain: '',
      });
    store.transaction(() => {
      store.transaction(() => save(0));
      expect(() =>
        store.transaction(() => {
          save(1);
          throw new Error('fails after its save');
        }),
      ).toThrow('fails after its save');
      store.transaction(() => save(2));
      // Not given back before the commit.
      expect(leases.leasedBy('run', NOW).targets).toEqual(ids);
    });
    expect(leases.leasedBy('run', NOW).targets).toEqual([ids[1]]);
    // Outside a transaction, at once.
    save(1);
    expect(leases.leasedBy('run', NOW).targets).toEqual([]);
  });
});
