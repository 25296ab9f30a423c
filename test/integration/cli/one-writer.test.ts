import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseOwner } from '../../../src/store/owner';
import { Store } from '../../../src/store/store';
import { rawSql } from '../../helpers/sql';
import { testRedisUrl } from '../../helpers/redis-server';
import { cli, cliRunning, waitUntil, type RunningCli } from './helpers';

/**
 * One writer per database: a second `run` (or a run beside the recorder role, or a second
 * recorder) refuses with one line naming the database and the live owner; an owner that no longer
 * runs (killed on this host, or silent for over two minutes on another) is taken over.
 */
const CAP_MS = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'censorwatch-one-writer-'));
const REDIS = testRedisUrl();
const PREFIX = `cwtest-one-writer-${process.pid}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let port = 0;
beforeAll(async () => {
  // Every platform host points at a port nothing listens on: the runs fail their fetches, which is data.
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
});

function writeConfig(name: string, database: string, queue = false, prefix = PREFIX): string {
  const to = `"http://127.0.0.1:${port}"`;
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `database: ${database}\n` +
      `platforms:\n  weibo:\n    hosts: { m.weibo.cn: ${to}, weibo.com: ${to}, passport.weibo.com: ${to}, visitor.passport.weibo.cn: ${to}, s.weibo.com: ${to} }\n` +
      `  netease:\n    hosts: { www.163.com: ${to}, comment.api.163.com: ${to} }\n` +
      `watches:\n  - id: w\n    weibo: { keywords: ["联合国"] }\n` +
      (queue ? `queue:\n  redis: ${REDIS}\n  prefix: ${prefix}\n` : ''),
  );
  return file;
}

interface Row {
  id: string;
  pid: number;
  hostname: string;
  ended_at: number | null;
  role: string;
}

function rows(database: string): Row[] {
  try {
    const store = Store.open(database, { readonly: true });
    try {
      return rawSql(store).query<Row>(
        `SELECT id, pid, hostname, ended_at, role FROM runs ORDER BY started_at, id`,
      );
    } finally {
      store.close();
    }
  } catch {
    return []; // not created or not migrated yet
  }
}

const live = (database: string, pid: number | undefined): boolean =>
  rows(database).some((r) => r.pid === pid && r.ended_at === null);

function inUseLine(database: string, what: string, pid: number | string, host: string): RegExp {
  const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(
    `^censorwatch: database ${esc(database)} is in use by ${esc(what)} \\(pid ${pid} on ${esc(host)}, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z, last heartbeat \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\); stop that process first, or point this config at another database\\n$`,
  );
}

const started: RunningCli[] = [];
afterAll(async () => {
  await Promise.all(started.map((r) => r.stop('SIGKILL')));
});

function start(args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const r = cliRunning(args, { env });
  started.push(r);
  return r;
}

describe('two embedded runs on one database', () => {
  it('the second refuses naming the first; after the first is killed, the next takes over', async () => {
    const db = join(dir, 'two.db');
    const config = writeConfig('two', db);
    const first = start(['run', '--config', config]);
    await waitUntil(
      'the first run to own the database',
      () => live(db, first.child.pid),
      CAP_MS,
      first.stderr,
    );

    const second = await cli(['run', '--config', config, '--duration', '1m']);
    expect(second.stderr).toMatch(inUseLine(db, '`censorwatch run`', first.child.pid!, hostname()));
    expect(second.stdout).toBe('');
    expect(second.code).toBe(2);
    // Refusing wrote nothing: the first run is still the only one.
    expect(rows(db).map((r) => r.pid)).toEqual([first.child.pid]);

    const killed = await first.stop('SIGKILL');
    expect(killed.code).toBeNull();
    const third = start(['run', '--config', config]);
    await waitUntil('the third run to take over', () => live(db, third.child.pid), CAP_MS, third.stderr);
    expect(rows(db).find((r) => r.pid === first.child.pid)?.ended_at).not.toBeNull();
    expect((await third.stop()).code).toBe(0);
    expect(rows(db).every((r) => r.ended_at !== null)).toBe(true);
  }, 180_000);
});

describe('an owner on another host', () => {
  /** A database with an owner on another machine whose last heartbeat was `ageMs` ago. */
  function ownedElsewhere(name: string, ageMs: number): string {
    const db = join(dir, `${name}.db`);
    const store = Store.open(db);
    try {
      const at = Date.now() - ageMs;
      const claim = new DatabaseOwner(store).claim(
        {
          id: `lab-elsewhere:4242:${at}:x`,
          pid: 4242,
          hostname: 'lab-elsewhere',
          startedAt: at,
          role: 'run',
        },
        () => true,
        at,
      );
      expect(claim.claimed).toBe(true);
    } finally {
      store.close();
    }
    return db;
  }

  it('with a recent heartbeat refuses the run (its pid cannot be asked about from here)', async () => {
    const db = ownedElsewhere('elsewhere-live', 0);
    const r = await cli(['run', '--config', writeConfig('elsewhere-live', db), '--duration', '1m']);
    expect(r.stderr).toMatch(inUseLine(db, '`censorwatch run`', 4242, 'lab-elsewhere'));
    expect(r.code).toBe(2);
    expect(rows(db).map((x) => x.hostname)).toEqual(['lab-elsewhere']);
  });

  it('silent for over two minutes is taken over, the log line naming it under previous', async () => {
    const db = ownedElsewhere('elsewhere-stale', 3 * 60_000);
    const run = start(['run', '--config', writeConfig('elsewhere-stale', db)], { CENSORWATCH_LOG: 'info' });
    await waitUntil('the run to take over', () => live(db, run.child.pid), CAP_MS, run.stderr);
    expect(rows(db).find((x) => x.hostname === 'lab-elsewhere')?.ended_at).not.toBeNull();
    const result = await run.stop();
    expect(result.code).toBe(0);
    const lines = result.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; database?: string; previous?: Record<string, unknown> });
    const took = lines.filter((l) => l.msg === 'took over the database from a process that no longer runs');
    expect(took).toHaveLength(1);
    expect(took[0]!.database).toBe(db);
    expect(took[0]!.previous).toEqual({
      pid: 4242,
      host: 'lab-elsewhere',
      role: 'run',
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastSeen: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  }, 120_000);
});

describe('the recorder role and an embedded run use the same claim', () => {
  afterAll(async () => {
    for (const name of ['queued', 'taken'])
      await cli(['queue', 'clear', '--config', join(dir, `${name}.yaml`), '--yes']);
  });

  it('a run, and a second recorder, refuse while a recorder owns the database', async () => {
    const db = join(dir, 'recorded.db');
    const queued = writeConfig('queued', db, true);
    const recorder = start(['worker', '--role', 'recorder', '--config', queued], { CENSORWATCH_LOG: 'info' });
    await waitUntil(
      'the recorder to run',
      () => recorder.stderr().includes('"msg":"distributed roles running"'),
      CAP_MS,
      recorder.stderr,
    );
    expect(rows(db).map((r) => [r.pid, r.role, r.ended_at])).toEqual([
      [recorder.child.pid, 'recorder', null],
    ]);

    const run = await cli(['run', '--config', writeConfig('embedded', db), '--duration', '1m']);
    expect(run.stderr).toMatch(inUseLine(db, 'the recorder role', recorder.child.pid!, hostname()));
    expect(run.code).toBe(2);
    const second = await cli(['worker', '--role', 'recorder', '--config', queued]);
    expect(second.stderr).toMatch(inUseLine(db, 'the recorder role', recorder.child.pid!, hostname()));
    expect(second.code).toBe(2);

    expect((await recorder.stop()).code).toBe(0);
    expect(rows(db).map((r) => r.ended_at !== null)).toEqual([true]);
  }, 120_000);

  it('a recorder whose database another process took over stops, exit 1, one line naming the new owner', async () => {
    const db = join(dir, 'taken.db');
    const queued = writeConfig('taken', db, true, `${PREFIX}-taken`);
    const recorder = start(['worker', '--role', 'recorder', '--config', queued], { CENSORWATCH_LOG: 'warn' });
    await waitUntil(
      'the recorder to own the database',
      () => live(db, recorder.child.pid),
      CAP_MS,
      recorder.stderr,
    );

    // What another host does when it judges the recorder dead (its heartbeats stopped).
    const store = Store.open(db);
    try {
      const at = Date.now();
      const claim = new DatabaseOwner(store).claim(
        {
          id: `lab-elsewhere:4343:${at}:y`,
          pid: 4343,
          hostname: 'lab-elsewhere',
          startedAt: at,
          role: 'recorder',
        },
        () => true,
        at,
      );
      expect(claim.claimed).toBe(true);
    } finally {
      store.close();
    }

    // The recorder notices on its next heartbeat (every 20 s) or write, whichever comes first.
    const stopped = await Promise.race([
      recorder.exited(),
      new Promise<null>((r) => setTimeout(() => r(null), 90_000).unref()),
    ]);
    expect(stopped).not.toBeNull();
    expect(stopped!.code).toBe(1);
    expect(stopped!.stdout).toBe('');
    const lines = stopped!.stderr.trim().split('\n');
    expect(lines.filter((l) => l.includes('taken over'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^censorwatch: database ${db.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} was taken over by the recorder role \\(pid 4343 on lab-elsewhere, since .*\\), which found this one not running; this process stopped writing to it$`,
        ),
      ),
    ]);
    expect(stopped!.stderr).not.toMatch(/\bat .*\.js:\d+/);
    // It wrote nothing more: its row stays as the takeover ended it, the new owner's stays open.
    expect(rows(db).map((r) => [r.hostname, r.role, r.ended_at === null])).toEqual([
      [hostname(), 'recorder', false],
      ['lab-elsewhere', 'recorder', true],
    ]);
  }, 150_000);
});
