import { AppliedResults } from '../../../src/store/applied';
import { DatabaseOwner, DatabaseTakenOverError } from '../../../src/store/owner';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { REDIS, cleanupDirs, recorderBench, uniquePrefix, waitFor, withQueues } from './helpers';
import { capturedLogger } from '../../helpers/log-lines';

/**
 * A recorder whose database another process took over (it judged this one dead) writes nothing
 * more: the result that arrives after the takeover is not applied, stays queued for the new owner,
 * and the role's `disowned` signal carries the error naming that owner. Leaving the result is the
 * hand-over working: one log line without a stack, where it used to be a "job failed" warning
 * with the whole stack of the error.
 */
guardAgainstLeaks();
afterAll(() => cleanupDirs());

/** The role's log lines, read back as data. */
const capture = (): ReturnType<typeof capturedLogger> => capturedLogger('debug');

it('after a takeover the next result is left queued, nothing written, and disowned names the new owner', async () => {
  const bench = recorderBench(uniquePrefix());
  const { config, store, db, result } = bench;
  try {
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

    await withQueues(REDIS, bench.prefix, async (q) => {
      const { logger, lines } = capture();
      const r = bench.role(q, { id: self.id, database: config.database }, logger);
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
      await waitFor(() => lines.some((l) => l.msg === 'job handed over'), 'the hand-over logged');
      const handedOver = lines.filter((l) => l.msg === 'job handed over');
      expect(handedOver[0]).toMatchObject({
        level: 30,
        queue: 'record',
        reason: 'this recorder no longer owns the database; left for the one that does',
      });
      expect(handedOver[0]).not.toHaveProperty('err');
      expect(lines.filter((l) => l.msg === 'job failed')).toEqual([]);
      expect(JSON.stringify(lines)).not.toMatch(/\bat .*\.(?:js|ts):\d+/);
      await r.drain();
    });
  } finally {
    await bench.close();
  }
});
