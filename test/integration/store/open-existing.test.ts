import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { ConfigError } from '../../../src/errors';
import { MIGRATIONS } from '../../../src/store/schema';
import { openExisting } from '../../../src/store/open-existing';
import { Store } from '../../../src/store/store';
import { rawSql } from '../../helpers/sql';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'censorwatch-open-existing-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const ROOT = join(__dirname, '..', '..', '..');

function refusal(file: string, options?: Parameters<typeof openExisting>[1]): ConfigError {
  try {
    openExisting(file, options).close();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`expected ${file} to be refused`);
}

describe('openExisting: reading commands never create a database', () => {
  it('refuses a path that does not exist, naming it, and creates nothing', () => {
    const file = join(dir, 'typo', 'censorwatch.db');
    const err = refusal(file, { source: '/etc/watch.yaml' });
    expect(err.exitCode).toBe(2);
    expect(err.source).toBe('/etc/watch.yaml');
    expect(err.issues).toEqual([
      {
        path: 'database',
        message: `${file} does not exist (a command that reads a database never creates one: check the path, or run \`censorwatch run\` first)`,
      },
    ]);
    expect(existsSync(join(dir, 'typo'))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names the option the path came from', () => {
    expect(refusal(join(dir, 'x.db'), { field: '--db' }).issues[0]?.path).toBe('--db');
  });

  it('refuses a directory, an empty file, a file that is not SQLite and another program’s database', () => {
    mkdirSync(join(dir, 'adir'));
    writeFileSync(join(dir, 'empty.db'), '');
    writeFileSync(join(dir, 'watch.yaml'), 'database: x.db\n'.repeat(200));
    const other = new Database(join(dir, 'other.db'));
    other.exec('CREATE TABLE notes (t TEXT)');
    other.close();
    expect(refusal(join(dir, 'adir')).message).toMatch(/adir is a directory, not a database file$/);
    expect(refusal(join(dir, 'empty.db')).message).toMatch(/empty\.db is empty, not a censorwatch database$/);
    expect(refusal(join(dir, 'watch.yaml')).message).toMatch(/watch\.yaml is not a SQLite database$/);
    expect(refusal(join(dir, 'other.db')).message).toMatch(
      /other\.db is a SQLite file but not a censorwatch database$/,
    );
    // The other program's file was not given our tables.
    const check = new Database(join(dir, 'other.db'), { readonly: true });
    expect(check.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()).toEqual([
      'notes',
    ]);
    check.close();
  });

  it('refuses :memory:, which would read as an empty database', () => {
    expect(refusal(':memory:').message).toMatch(/^database: :memory: holds nothing to read/);
  });

  it('opens a database that run wrote, and one this process may only read', () => {
    const file = join(dir, 'cw.db');
    const store = Store.open(file);
    store.syncWatches([{ id: 'w', name: 'W' }], [], 1);
    store.close();
    const again = openExisting(file);
    expect(again.listWatches()).toEqual([{ id: 'w', name: 'W' }]);
    again.close();
    if (process.getuid?.() !== 0) {
      chmodSync(file, 0o444);
      const ro = openExisting(file);
      expect(ro.listWatches()).toEqual([{ id: 'w', name: 'W' }]);
      ro.close();
    }
  });

  it('refuses a database a newer censorwatch wrote, naming both versions, and changes nothing', () => {
    const file = join(dir, 'future.db');
    Store.open(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 3}`);
    raw.close();
    expect(refusal(file).message).toBe(
      `database: ${file} was written by a newer censorwatch (schema version ${MIGRATIONS.length + 3}; this one knows ${MIGRATIONS.length}): use that version or a newer one`,
    );
    expect(() => Store.open(file)).toThrow(/schema is version \d+, newer than this censorwatch knows/);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 3);
    check.close();
  });
});

describe('two processes opening one new database', () => {
  it('a process that found a step unapplied and waited for the lock does not apply it again', async () => {
    // A file at schema version 3, in WAL mode, as `run` leaves it between two of its migrations.
    const file = join(dir, 'racing.db');
    const raw = new Database(file);
    raw.pragma('journal_mode = WAL');
    for (let v = 0; v < 3; v++) raw.exec(MIGRATIONS[v]!);
    raw.pragma('user_version = 3');
    // This connection plays the creating run: it holds the write lock while the other process reads
    // version 3 and waits for the lock, then applies step 3 itself.
    raw.exec('BEGIN IMMEDIATE');
    const child = spawn(
      process.execPath,
      [
        '-e',
        `const { Store } = require(${JSON.stringify(join(ROOT, 'dist/src/store/store.js'))});
         process.stdout.write('opening\\n');
         try { Store.open(process.argv[1]).close(); process.stdout.write('opened\\n'); }
         catch (e) { process.stdout.write('failed: ' + e.message + '\\n'); process.exitCode = 1; }`,
        file,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const until = Date.now() + 60_000;
    while (!out.includes('opening') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    // The child reads the version microseconds after saying so; this leaves it ample time to, well
    // inside its busy timeout of 5 s.
    await new Promise((r) => setTimeout(r, 1_000));
    raw.exec(MIGRATIONS[3]!);
    raw.pragma('user_version = 4');
    raw.exec('COMMIT');
    raw.close();
    expect(await exited).toBe(0);
    expect(out).toContain('opened');
    const store = openExisting(file);
    expect(rawSql(store).query<{ user_version: number }>('PRAGMA user_version')[0]!.user_version).toBe(
      MIGRATIONS.length,
    );
    store.close();
  });
});
