import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { testRedisUrl } from '../../helpers/redis-server';
import { tempDir } from '../../helpers/temp';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { cli, databaseInFolder, otherUser } from './helpers';

/**
 * Commands that write into a database (`run`, the recorder role, `timestamp`, `alerts replay`)
 * given one they cannot write, or one that is not theirs: each is exit 2 in one line naming
 * `database`, before a request goes out, and the file is left as it was. A read-only file used to
 * open and then fail at the first write with a SQLite stack trace (exit 1; `timestamp` after the
 * TSA had answered), and the recorder role opened any path without the checks `run` makes, so it
 * gave another program's SQLite file censorwatch's tables.
 */
guardAgainstLeaks();

const WATCH = 'watches:\n  - id: w\n    weibo: { keywords: ["联合国"] }\n';

const as = otherUser();

const dir = tempDir('censorwatch-writable-');
chmodSync(dir, 0o755);

/** A censorwatch database in a new folder of its own, with a config naming it, given these modes. */
function database(name: string, mode: { file: number; folder: number }): { db: string; config: string } {
  const { folder, db, config } = databaseInFolder(dir, name);
  chmodSync(db, mode.file);
  chmodSync(folder, mode.folder);
  return { db, config };
}

function expectOneLine(r: { code: number | null; stdout: string; stderr: string }, config: string): void {
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/SqliteError|\bat .*\.js:\d+/);
  expect(r.stderr.split('\n')[0]).toBe(`censorwatch: bad config ${config}:`);
  expect(r.stderr.split('\n').slice(1, -1)).toHaveLength(1);
  expect(r.code).toBe(2);
}

describe('a database this user may only read', () => {
  const ro = database('read-only-file', { file: 0o444, folder: 0o777 });
  const roFolder = database('read-only-folder', { file: 0o666, folder: 0o555 });

  it('run refuses it, exit 2 naming database, and leaves the file as it was', async () => {
    const r = await cli(['run', '--config', ro.config, '--duration', '5s'], { ...as });
    expectOneLine(r, ro.config);
    expect(r.stderr).toContain(`  database: ${ro.db} is read-only to this user`);
    expect(readdirSync(join(dir, 'read-only-file'))).toEqual(['cw.db']);
  });

  it('run refuses a file in a folder it cannot write (SQLite journals beside it)', async () => {
    const r = await cli(['run', '--config', roFolder.config, '--duration', '5s'], { ...as });
    expectOneLine(r, roFolder.config);
    expect(r.stderr).toContain(`  database: ${roFolder.db} is in a folder this user cannot write`);
  });

  it('timestamp refuses it before it asks the TSA', async () => {
    let asked = 0;
    const tsa = createServer((_req, res) => {
      asked++;
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => tsa.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(tsa.address() as AddressInfo).port}/tsr`;
      const r = await cli(['timestamp', '--config', ro.config, '--tsa', url], { ...as });
      expectOneLine(r, ro.config);
      expect(r.stderr).toContain(`  database: ${ro.db} is read-only to this user`);
      expect(asked).toBe(0);
      expect(readdirSync(join(dir, 'read-only-file'))).toEqual(['cw.db']);
    } finally {
      await new Promise((r) => tsa.close(r));
    }
  });

  it('alerts replay refuses it', async () => {
    const r = await cli(['alerts', 'replay', '--config', ro.config], { ...as });
    expectOneLine(r, ro.config);
  });

  it('reading commands refuse it rather than leave -wal and -shm files of this user beside it', async () => {
    const r = await cli(['verify', '--config', ro.config], { ...as });
    expectOneLine(r, ro.config);
    expect(r.stderr).toContain(`  database: ${ro.db} is read-only to this user, and SQLite can read it`);
    expect(readdirSync(join(dir, 'read-only-file'))).toEqual(['cw.db']);
  });
});

describe('the recorder role checks the file as run does', () => {
  const redis = testRedisUrl();
  const prefix = `cw-writable-${process.pid}`;
  const config = (name: string, db: string): string => {
    const file = join(dir, `${name}-role.yaml`);
    writeFileSync(file, `database: ${db}\nqueue: { prefix: ${prefix}-${name} }\n${WATCH}`);
    return file;
  };
  const recorder = (file: string): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    cli(['worker', '--role', 'recorder', '--config', file, '--redis', redis, '--duration', '5s']);

  it("another program's SQLite file: exit 2, and it gets no tables of ours", async () => {
    const db = join(dir, 'notes.db');
    const other = new Database(db);
    other.exec('CREATE TABLE notes (body TEXT)');
    other.close();
    const file = config('other', db);
    const r = await recorder(file);
    expectOneLine(r, file);
    expect(r.stderr).toContain(`  database: ${db} is a SQLite file but not a censorwatch database`);
    const check = new Database(db);
    expect(check.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()).toEqual([
      'notes',
    ]);
    check.close();
  });

  it('a directory and a file that is not SQLite: exit 2 naming database', async () => {
    const folder = join(dir, 'a-folder.db');
    mkdirSync(folder);
    const text = join(dir, 'text.db');
    writeFileSync(text, 'not a database\n');
    for (const [name, db, why] of [
      ['folder', folder, 'is a directory, not a database file'],
      ['text', text, 'is not a SQLite database'],
    ] as const) {
      const file = config(name, db);
      const r = await recorder(file);
      expectOneLine(r, file);
      expect(r.stderr).toContain(`  database: ${db} ${why}`);
    }
  });

  it('a read-only file: exit 2 naming database', async () => {
    const ro = database('role-read-only', { file: 0o444, folder: 0o777 });
    const file = config('ro', ro.db);
    chmodSync(file, 0o644);
    const r = await cli(
      ['worker', '--role', 'recorder', '--config', file, '--redis', redis, '--duration', '5s'],
      {
        ...as,
      },
    );
    expectOneLine(r, file);
    expect(r.stderr).toContain(`  database: ${ro.db} is read-only to this user`);
  });
});
