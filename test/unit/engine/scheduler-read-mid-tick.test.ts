import {
  SchedulerRole,
  type BullMQDispatcher,
  type Queues,
  type QueueRound,
} from '../../../src/engine/distributed';
import type { RedisHandle } from '../../../src/engine/distributed/redis';
import type { Scheduler } from '../../../src/engine/scheduler';
import { capturedLogger } from '../../helpers/log-lines';

const ROUND = { due: 1, enqueued: 1 } as unknown as QueueRound;

const busy = (): Error =>
  Object.assign(new Error('database is locked'), { name: 'SqliteError', code: 'SQLITE_BUSY' });

/**
 * A scheduler role whose store opened, and whose rounds fail with what `dispatch` throws while it
 * throws. A tick that threw would reach BullMQ as a failed job, logged on every tick.
 */
function role(dispatch: () => QueueRound): { role: SchedulerRole; lines: Record<string, unknown>[] } {
  const { logger, lines } = capturedLogger('info');
  const scheduler = {} as Scheduler;
  const dispatcher = {
    dispatchDue: async () => dispatch(),
    requeueAll: () => undefined,
  } as unknown as BullMQDispatcher;
  return {
    role: new SchedulerRole({
      queues: { claim: async () => ({}) } as unknown as Queues,
      connection: {} as RedisHandle,
      scheduler: () => scheduler,
      dispatcher: () => dispatcher,
      identity: () => ({ id: 'a'.repeat(32), createdAt: 0, file: 'cw.db' }),
      logger,
      leaseMs: 60_000,
    }),
    lines,
  };
}

describe('the scheduler role and a database read that fails mid-tick', () => {
  it('one warning when it starts failing, one info line when it recovers, the ticks retrying between', async () => {
    let failing = 25;
    const { role: r, lines } = role(() => {
      if (failing > 0) {
        failing--;
        throw busy();
      }
      return ROUND;
    });
    // Each tick returns instead of throwing, so the tick job does not fail.
    for (let i = 0; i < 5; i++) await expect(r.tick()).resolves.toBeNull();
    expect(
      lines.map((l) => [l.level, l.msg, l.ticks, (l.err as { code?: string } | undefined)?.code]),
    ).toEqual([
      [
        40,
        'reading the database failed mid-tick: nothing more is enqueued until it can be read; trying again each tick',
        1,
        'SQLITE_BUSY',
      ],
    ]);
    for (let i = 5; i < 25; i++) await expect(r.tick()).resolves.toBeNull();
    // A failure that lasts is told again after 10 ticks in a row (then 100, 1000), not on each.
    expect(lines.filter((l) => l.level === 40).map((l) => l.ticks)).toEqual([1, 10]);
    await expect(r.tick()).resolves.toBe(ROUND);
    await expect(r.tick()).resolves.toBe(ROUND);
    expect(lines.slice(2).map((l) => [l.level, l.msg, l.ticks])).toEqual([
      [30, 'database readable again', 25],
    ]);
    expect(r.fatal.aborted).toBe(false);
  });

  it('a failure that returns after recovering is told again', async () => {
    const plan = [busy, null, busy, null];
    const { role: r, lines } = role(() => {
      const next = plan.shift();
      if (next) throw next();
      return ROUND;
    });
    for (let i = 0; i < 4; i++) await r.tick();
    expect(lines.map((l) => [l.level, l.ticks])).toEqual([
      [40, 1],
      [30, 1],
      [40, 1],
      [30, 1],
    ]);
  });

  it('an error that is not the database’s (Redis) still fails the tick', async () => {
    const { role: r, lines } = role(() => {
      throw Object.assign(new Error('Connection is closed.'), {});
    });
    await expect(r.tick()).rejects.toThrow('Connection is closed.');
    expect(lines).toEqual([]);
  });
});
