/**
 * A reading command (`status`, `export`, `report`, `claim`, `verify`, `evidence`, `show`) given a
 * database it may write leaves the file as it found it: a database in rollback-journal mode (one
 * copied out of a backup, or made by another tool) stays in that mode, nothing is left beside it,
 * and an older schema is not upgraded under it. They used to open every writable file the way
 * `run` does, switching it to WAL and applying migrations.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from '../../../src/store/schema';
import { tempDir } from '../../helpers/temp';
import { cli } from './helpers';

const dir = tempDir('censorwatch-reading-leaves-');
const out = join(dir, 'out');
mkdirSync(out);

/** What the sqlite3 command, an outside tool, says of the file. */
function sqlite3(file: string, sql: string): string {
  const r = spawnSync('sqlite3', [file, sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sqlite3 ${sql}: ${r.stderr}`);
  return r.stdout.trim();
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A database of its own in a folder of its own, copied from the demo's, and a config naming it. */
function copyOfDemo(name: string): { folder: string; db: string; config: string } {
  const folder = join(dir, name);
  mkdirSync(folder);
  const db = join(folder, 'cw.db');
  copyFileSync(demoDb, db);
  const config = join(dir, `${name}.yaml`);
  writeFileSync(config, readFileSync(demoConfig, 'utf8').replace(/^database: .*$/m, `database: ${db}`));
  return { folder, db, config };
}

function readingCommands(config: string, target: string): [string, string[]][] {
  return [
    ['status', ['status', '--config', config, '--no-session']],
    ['export', ['export', '--config', config, '--format', 'jsonl', '--what', 'events']],
    ['report', ['report', '--config', config, '--format', 'html', '--out', join(out, 'r.html')]],
    ['claim', ['claim', '--config', config, '--watch', 'un-vote-2023', '--baseline', 'baseline-weather']],
    ['verify', ['verify', '--config', config]],
    ['evidence', ['evidence', '--config', config, '--target', target, '--out', join(out, 'e.zip')]],
    ['show', ['show', target, '--config', config]],
  ];
}

const demoDb = join(dir, 'demo', 'demo.db');
const demoConfig = join(dir, 'demo', 'demo.yaml');
let gone: string;

beforeAll(async () => {
  mkdirSync(join(dir, 'demo'));
  const r = await cli(['demo', '--db', demoDb, '--days', '0.5'], { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`demo failed (${r.code}): ${r.stderr}`);
  gone = sqlite3(demoDb, `SELECT platform || ':' || native_id FROM targets WHERE verdict = 'gone' LIMIT 1`);
  expect(gone).toMatch(/^weibo:\d+$|^netease:\w+$/);
}, 300_000);

describe('a reading command and a database it may write', () => {
  it('a database in rollback-journal mode is read as it is and stays in that mode', async () => {
    const d = copyOfDemo('rollback');
    expect(sqlite3(d.db, 'PRAGMA journal_mode = DELETE')).toBe('delete');
    const before = sha256(d.db);
    for (const [name, args] of readingCommands(d.config, gone)) {
      const r = await cli(args);
      expect([name, r.code, r.stderr]).toEqual([name, 0, '']);
      expect([name, sqlite3(d.db, 'PRAGMA journal_mode')]).toEqual([name, 'delete']);
      expect([name, readdirSync(d.folder)]).toEqual([name, ['cw.db']]);
      expect([name, sha256(d.db)]).toEqual([name, before]);
    }
  }, 300_000);

  it('a WAL database with no run beside it: nothing is left beside it', async () => {
    const d = copyOfDemo('wal');
    expect(sqlite3(d.db, 'PRAGMA journal_mode')).toBe('wal');
    for (const [name, args] of readingCommands(d.config, gone).slice(0, 3)) {
      const r = await cli(args);
      expect([name, r.code, r.stderr]).toEqual([name, 0, '']);
      expect([name, readdirSync(d.folder)]).toEqual([name, ['cw.db']]);
    }
    expect(sqlite3(d.db, 'PRAGMA journal_mode')).toBe('wal');
  }, 300_000);

  it('an older schema is exit 2 naming database and saying what upgrades it; a writing command upgrades it', async () => {
    const folder = join(dir, 'old');
    mkdirSync(folder);
    const db = join(folder, 'cw.db');
    const raw = new Database(db);
    for (const m of MIGRATIONS.slice(0, -1)) raw.exec(m);
    raw.pragma(`user_version = ${MIGRATIONS.length - 1}`);
    raw.close();
    const config = join(dir, 'old.yaml');
    writeFileSync(config, `database: ${db}\nwatches:\n  - id: w\n    weibo: { keywords: ["联合国"] }\n`);
    const before = sha256(db);
    const commands = readingCommands(config, 'weibo:4383411844046171').filter(([n]) => n !== 'claim');
    for (const [name, args] of [
      ...commands,
      ['claim', ['claim', '--config', config, '--watch', 'w']],
    ] as const) {
      const r = await cli(args);
      expect([name, r.code, r.stdout]).toEqual([name, 2, '']);
      expect(r.stderr).toBe(
        `censorwatch: bad config ${config}:\n  database: ${db} has schema version ${MIGRATIONS.length - 1}, older than this censorwatch's (${MIGRATIONS.length}), and a command that only reads does not upgrade it: \`censorwatch run\` upgrades it as it starts (its data is kept), or read it with the censorwatch that wrote it\n`,
      );
      expect([name, sha256(db), readdirSync(folder)]).toEqual([name, before, ['cw.db']]);
    }
    expect(sqlite3(db, 'PRAGMA journal_mode')).toBe('delete');
    // `alerts replay` writes its deliveries, so it may bring the schema up to date first.
    const r = await cli(['alerts', 'replay', '--config', config]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(Number(sqlite3(db, 'PRAGMA user_version'))).toBe(MIGRATIONS.length);
  }, 300_000);
});
