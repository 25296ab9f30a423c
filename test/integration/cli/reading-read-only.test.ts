import Database from 'better-sqlite3';
import { chmodSync, readdirSync } from 'node:fs';
import { tempDir } from '../../helpers/temp';
import { Store } from '../../../src/store/store';
import { cli, databaseInFolder, otherUser } from './helpers';

/**
 * A reading command given a database this user may not write leaves its folder as it found it.
 * SQLite reads a WAL database through `-wal` and `-shm` files beside it: while its run is running
 * they are there and are read as they are; once it has stopped, a read-only reader would have to
 * create them. That used to fail with "attempt to write a readonly database" in a folder this user
 * cannot write, and elsewhere left them behind owned by this user, where the owner's next run
 * could not write them. Now it is exit 2 saying what to do; no file is read with `immutable=1`,
 * which would give a torn read without an error if the owner's run checkpointed meanwhile.
 */
const as = otherUser();

const dir = tempDir('censorwatch-reading-ro-');
chmodSync(dir, 0o755);
/** A censorwatch database in a new folder of its own, with a config naming it. */
const database = (name: string): ReturnType<typeof databaseInFolder> => databaseInFolder(dir, name);

describe('a reading command and a database this user cannot write', () => {
  it('a WAL database in a folder this user cannot write, no run: exit 2 saying what to do', async () => {
    const d = database('locked-folder');
    chmodSync(d.db, 0o644);
    chmodSync(d.folder, 0o755);
    for (const args of [
      ['verify', '--config', d.config],
      ['status', '--config', d.config, '--no-session'],
      ['export', '--config', d.config, '--format', 'jsonl'],
    ]) {
      const r = await cli(args, { ...as });
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toMatch(/SqliteError|\bat .*\.js:\d+/);
      expect(r.stderr).toContain(
        `  database: ${d.db} cannot be read by this user: SQLite reads a WAL database by creating cw.db-wal and cw.db-shm beside it, and this user cannot write ${d.folder}. Copy it to a folder of yours while no censorwatch run writes it (cp ${d.db} ~/) and point database at the copy, or read it while its censorwatch run is running`,
      );
      expect(r.code).toBe(2);
    }
    expect(readdirSync(d.folder)).toEqual(['cw.db']);
  });

  it('a read-only WAL database in a folder this user can write: exit 2, nothing left beside it', async () => {
    const d = database('read-only-file');
    chmodSync(d.db, 0o444);
    chmodSync(d.folder, 0o777);
    const r = await cli(['report', '--config', d.config, '--format', 'md'], { ...as });
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `  database: ${d.db} is read-only to this user, and SQLite can read it (a WAL database) only by creating cw.db-wal and cw.db-shm beside it, which would stay there with this user's permissions and stop the next censorwatch run from writing the database.`,
    );
    expect(r.code).toBe(2);
    expect(readdirSync(d.folder)).toEqual(['cw.db']);
  });

  it('while its run is running it is read, uncheckpointed rows included, and its files are left as they were', async () => {
    const d = database('running');
    chmodSync(d.folder, 0o755);
    // The owner's process: its rows are in cw.db-wal, not yet in cw.db.
    const owner = Store.open(d.db);
    try {
      owner.syncWatches(
        [{ id: 'w', name: 'w' }],
        [{ watchId: 'w', platform: 'weibo', mode: 'keyword', query: '联合国' }],
        0,
      );
      const before = readdirSync(d.folder).sort();
      expect(before).toEqual(['cw.db', 'cw.db-shm', 'cw.db-wal']);
      const r = await cli(['status', '--config', d.config, '--no-session', '--json'], { ...as });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const status = JSON.parse(r.stdout) as { watches: { keywords: { query: string }[] }[] };
      expect(status.watches[0]?.keywords.map((k) => k.query)).toEqual(['keyword:联合国']);
      expect(readdirSync(d.folder).sort()).toEqual(before);
    } finally {
      owner.close();
    }
  });

  it('a database in rollback-journal mode needs no files beside it: read as it is', async () => {
    const d = database('rollback');
    const db = new Database(d.db);
    db.pragma('journal_mode = DELETE');
    db.close();
    chmodSync(d.folder, 0o755);
    const r = await cli(['verify', '--config', d.config], { ...as });
    expect(r.stdout).toMatch(/^0 observations, .*all intact\n/);
    expect(r.code).toBe(0);
    expect(readdirSync(d.folder)).toEqual(['cw.db']);
  });
});
