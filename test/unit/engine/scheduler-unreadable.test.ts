import {
  SchedulerRole,
  type BullMQDispatcher,
  type Queues,
  type QueueRound,
} from '../../../src/engine/distributed';
import type { RedisHandle } from '../../../src/engine/distributed/redis';
import type { Scheduler } from '../../../src/engine/scheduler';
import { ConfigError } from '../../../src/errors';
import { capturedLogger } from '../../helpers/log-lines';

/** The role's log lines, read back as data. */
const capture = (): ReturnType<typeof capturedLogger> => capturedLogger('info');

const ROUND = { due: 1, enqueued: 1 } as unknown as QueueRound;

/**
 * A scheduler role over a database opened by `open` (which throws while it cannot be read). Its
 * queues answer only what a tick asks of them: the prefix claim.
 */
function role(open: () => Scheduler | null): { role: SchedulerRole; lines: Record<string, unknown>[] } {
  const { logger, lines } = capture();
  const queues = { claim: async () => ({}) } as unknown as Queues;
  const dispatcher = {
    dispatchDue: async () => ROUND,
    requeueAll: () => undefined,
  } as unknown as BullMQDispatcher;
  return {
    role: new SchedulerRole({
      queues,
      connection: {} as RedisHandle,
      scheduler: open,
      dispatcher: () => dispatcher,
      identity: () => (open() ? { id: 'a'.repeat(32), createdAt: 0, file: 'cw.db' } : null),
      logger,
      leaseMs: 60_000,
    }),
    lines,
  };
}

describe('the scheduler role and a database it cannot read', () => {
  it('logs each failure as an error and retries, instead of idling as if nothing were due', async () => {
    let failing = 3;
    const scheduler = {} as Scheduler;
    const { role: r, lines } = role(() => {
      if (failing > 0) {
        failing--;
        throw Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' });
      }
      return scheduler;
    });
    expect(await r.tick()).toBeNull();
    expect(await r.tick()).toBeNull();
    expect(await r.tick()).toBeNull();
    // The same error again is not logged on every tick; the first is, with its cause.
    const errors = lines.filter((l) => l.level === 50);
    expect(errors.map((l) => [l.msg, l.ticks, (l.err as { message?: string }).message])).toEqual([
      [
        'cannot read the database: nothing is enqueued until it can be; trying again',
        1,
        'unable to open database file',
      ],
    ]);
    expect(r.fatal.aborted).toBe(false);
    // Once it can be read, the tick goes on as usual and says so.
    expect(await r.tick()).toBe(ROUND);
    expect(lines.at(-1)).toMatchObject({ level: 30, msg: 'database readable again', ticks: 3 });
  });

  it('a database that can never be read as configured stops the role with its error', async () => {
    const refusal = new ConfigError([
      { path: 'database', message: '/srv/cw is a directory, not a database file' },
    ]);
    const { role: r, lines } = role(() => {
      throw refusal;
    });
    expect(await r.tick()).toBeNull();
    expect(r.fatal.aborted).toBe(true);
    expect(r.fatal.reason).toBe(refusal);
    expect(lines.filter((l) => l.level === 50).map((l) => l.msg)).toEqual([
      'cannot read the database: database: /srv/cw is a directory, not a database file',
    ]);
  });

  it('no database yet is a wait for the recorder, said once', async () => {
    const { role: r, lines } = role(() => null);
    expect(await r.tick()).toBeNull();
    expect(await r.tick()).toBeNull();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [30, 'no database yet: waiting for the recorder to create it'],
    ]);
    expect(r.fatal.aborted).toBe(false);
  });
});
