import Database from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../src/errors';
import { openExisting } from '../../../src/store/open-existing';
import { Store } from '../../../src/store/store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'censorwatch-open-existing-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

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
});
