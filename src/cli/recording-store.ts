/** Opening the database a recording command writes, with bad paths told as config errors. */
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors';
import { openExisting } from '../store/open-existing';
import { Store } from '../store/store';

/**
 * Why this process cannot write the existing database `file` (SQLite also writes its `-wal` and
 * `-shm` files beside it), or null when it can: a read-only file would open, then fail at the
 * first write with a SQLite stack trace instead of one line naming `database`.
 */
export function notWritable(file: string): string | null {
  const abs = resolve(file);
  try {
    accessSync(abs, constants.W_OK);
  } catch {
    return `${abs} is read-only to this user (make it writable, or point database at a copy)`;
  }
  try {
    accessSync(dirname(abs), constants.W_OK);
  } catch {
    return `${abs} is in a folder this user cannot write, where SQLite keeps its journal beside the database (make ${dirname(abs)} writable, or point database at a copy elsewhere)`;
  }
  return null;
}

/** Throws a ConfigError naming `database` when {@link notWritable} says why `file` cannot be written. */
export function refuseUnwritable(file: string, source: string | null): void {
  const why = notWritable(file);
  if (why !== null) throw new ConfigError([{ path: 'database', message: why }], source);
}

/**
 * The database a recording command (`run`, the recorder and alerter roles) writes, created when
 * missing. An existing file is checked first the way reading commands check it (a directory, not
 * SQLite, another program's SQLite file) and must be writable, and a path that cannot be created is
 * named, so each is exit 2 naming `database` rather than a SQLite stack trace or another program's
 * file given our tables.
 */
export function openRecordingStore(file: string, source: string | null = null): Store {
  if (file !== ':memory:') {
    let existing: 'no' | 'file' | 'folder';
    try {
      const st = statSync(file);
      // An empty file (`touch`) is one SQLite starts afresh.
      existing = st.isDirectory() ? 'folder' : st.size > 0 ? 'file' : 'no';
    } catch {
      existing = 'no';
    }
    // Before SQLite opens it: even a read-only open leaves -wal and -shm files beside it.
    if (existing === 'file') refuseUnwritable(file, source);
    if (existing !== 'no') openExisting(file, { source, writes: true }).close();
  }
  try {
    return Store.open(file);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (
      typeof code !== 'string' ||
      !/^(?:SQLITE_CANTOPEN|SQLITE_NOTADB|SQLITE_READONLY|SQLITE_PERM|ENOTDIR|ENOENT|EACCES|EPERM|EEXIST|EROFS)/.test(
        code,
      )
    )
      throw err;
    const why = err instanceof Error ? err.message : String(err);
    throw new ConfigError(
      [{ path: 'database', message: `${resolve(file)} cannot be created or opened: ${why}` }],
      source,
      {
        cause: err,
      },
    );
  }
}
