import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { ConfigError } from '../errors';
import { MIGRATIONS } from './schema';
import { Store } from './store';

/** Where the database path came from, for the error a user sees. */
export interface OpenExistingOptions {
  /** The config key or option that named the file. @defaultValue 'database' */
  readonly field?: string;
  /** The config file it came from (`config.source`); null for a command-line option. @defaultValue null */
  readonly source?: string | null;
  /** The command writes too (`timestamp`, `alerts replay`, a run's check): it may upgrade the schema. @defaultValue false */
  readonly writes?: boolean;
}

function refuse(file: string, why: string, o: OpenExistingOptions): ConfigError {
  return new ConfigError([{ path: o.field ?? 'database', message: `${file} ${why}` }], o.source ?? null);
}

/**
 * Opens a censorwatch database that must already exist, for every command that reads one
 * (`status`, `export`, `report`, `verify`, `claim`, `evidence`, `show`, …). It never creates a file:
 * a mistyped path would otherwise become an empty database that reads as "0 observations, all
 * intact". The schema is brought up to date when the file and its folder are writable
 * (read-mostly); otherwise the file is opened read-only as it is, and a WAL database then only
 * while its `-wal` and `-shm` files are there (see `refuseUnreadableWal`).
 *
 * Use it instead of `Store.open` wherever a command only reads; `Store.open` is for the roles that
 * record (`run`, the recorder, the demo's own database).
 *
 * @throws ConfigError (exit 2) naming `options.field` and the path when the file is missing, is a
 *   directory or empty, is not SQLite, or is a SQLite file of some other program, or is a WAL
 *   database this user cannot read without leaving files beside it
 */
export function openExisting(file: string, options: OpenExistingOptions = {}): Store {
  if (file === ':memory:') throw refuse(file, 'holds nothing to read: give the file `run` writes', options);
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw refuse(file, 'is a directory, not a database file', options);
    size = st.size;
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw refuse(
        file,
        'does not exist (a command that reads a database never creates one: check the path, or run `censorwatch run` first)',
        options,
      );
    }
    throw refuse(file, `cannot be read: ${err instanceof Error ? err.message : String(err)}`, options);
  }
  if (size === 0) throw refuse(file, 'is empty, not a censorwatch database', options);

  const writable = canWrite(file) && canWrite(dirname(file));
  // Before the peek below, which would itself leave the files this guards against.
  if (!writable && isWal(file)) refuseUnreadableWal(file, options);

  // Look before migrating, so another program's SQLite file is never given our tables.
  let version: number;
  try {
    // Read-write where it may: a read-only peek at a WAL file would leave -wal and -shm behind.
    const peek = new Database(file, { readonly: !writable, fileMustExist: true });
    try {
      version = peek.pragma('user_version', { simple: true }) as number;
    } finally {
      peek.close();
    }
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw refuse(file, 'is not a SQLite database', options);
    }
    // Its run stopped (and took its -wal and -shm away) between the look above and the peek.
    if (!writable && isWal(file)) refuseUnreadableWal(file, options);
    throw refuse(file, `cannot be opened: ${err instanceof Error ? err.message : String(err)}`, options);
  }
  if (version === 0) throw refuse(file, 'is a SQLite file but not a censorwatch database', options);
  if (version > MIGRATIONS.length)
    throw refuse(
      file,
      `was written by a newer censorwatch (schema version ${version}; this one knows ${MIGRATIONS.length}): use that version or a newer one`,
      options,
    );

  // A file this process may not write is read as it is, so its schema must be the current one.
  if (!writable && version < MIGRATIONS.length)
    throw refuse(
      file,
      `has schema version ${version}, older than this censorwatch's (${MIGRATIONS.length}), and is read-only here: open it once with write access to upgrade it (its data is kept)`,
      options,
    );
  // A command that only reads leaves the file as it found it; upgrading under an older run would break it.
  if (!options.writes && version < MIGRATIONS.length)
    throw refuse(
      file,
      `has schema version ${version}, older than this censorwatch's (${MIGRATIONS.length}), and a command that only reads does not upgrade it: \`censorwatch run\` upgrades it as it starts (its data is kept), or read it with the censorwatch that wrote it`,
      options,
    );
  if (!writable) return Store.open(file, { readonly: true });
  return Store.open(file, options.writes ? { mustExist: true } : { reading: true });
}

function canWrite(p: string): boolean {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether the file's header says WAL mode (bytes 18 and 19 of a SQLite header are 2). */
function isWal(file: string): boolean {
  const header = Buffer.alloc(20);
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false; // the peek names why it cannot be opened
  }
  try {
    const n = readSync(fd, header, 0, header.length, 0);
    return (
      n === header.length && header.toString('latin1', 0, 16) === 'SQLite format 3\0' && header[18] === 2
    );
  } finally {
    closeSync(fd);
  }
}

/**
 * A WAL database opened read-only is read through its `-wal` and `-shm` files. While its writer
 * runs they are there, and SQLite reads them as they are, uncheckpointed observations included.
 * Once it has stopped they are gone, and SQLite would create them: in a folder this user cannot
 * write it cannot, and elsewhere they would stay behind with this user's permissions (a read-only
 * connection never removes them), where the owner's next `run` cannot write them and fails.
 * SQLite's way round both, `immutable=1`, reads the file without any lock, so a run that
 * starts meanwhile and checkpoints would give a torn read without an error: refused instead.
 */
function refuseUnreadableWal(file: string, o: OpenExistingOptions): void {
  if (existsSync(`${file}-wal`) && existsSync(`${file}-shm`)) return;
  const name = basename(file);
  const dir = dirname(file);
  const why = canWrite(dir)
    ? `is read-only to this user, and SQLite can read it (a WAL database) only by creating ${name}-wal and ${name}-shm beside it, which would stay there with this user's permissions and stop the next censorwatch run from writing the database`
    : `cannot be read by this user: SQLite reads a WAL database by creating ${name}-wal and ${name}-shm beside it, and this user cannot write ${dir}`;
  throw refuse(
    file,
    `${why}. Copy it to a folder of yours while no censorwatch run writes it (cp ${file} ~/) and point database at the copy, or read it while its censorwatch run is running`,
    o,
  );
}
