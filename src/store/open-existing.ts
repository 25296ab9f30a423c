import Database from 'better-sqlite3';
import { accessSync, constants, statSync } from 'node:fs';
import { ConfigError } from '../errors';
import { MIGRATIONS } from './schema';
import { Store } from './store';

/** Where the database path came from, for the error a user sees. */
export interface OpenExistingOptions {
  /** The config key or option that named the file. @defaultValue 'database' */
  readonly field?: string;
  /** The config file it came from (`config.source`); null for a command-line option. @defaultValue null */
  readonly source?: string | null;
}

function refuse(file: string, why: string, o: OpenExistingOptions): ConfigError {
  return new ConfigError([{ path: o.field ?? 'database', message: `${file} ${why}` }], o.source ?? null);
}

/**
 * Opens a censorwatch database that must already exist, for every command that reads one
 * (`status`, `export`, `report`, `verify`, `claim`, `evidence`, `show`, …). It never creates a file:
 * a mistyped path would otherwise become an empty database that reads as "0 observations, all
 * intact". The schema is brought up to date when the file is writable (read-mostly); a file this
 * process may not write is opened read-only as it is.
 *
 * Use it instead of `Store.open` wherever a command only reads; `Store.open` is for the roles that
 * record (`run`, the recorder, the demo's own database).
 *
 * @throws ConfigError (exit 2) naming `options.field` and the path when the file is missing, is a
 *   directory or empty, is not SQLite, or is a SQLite file of some other program
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

  // Look before migrating, so another program's SQLite file is never given our tables.
  let version: number;
  try {
    const peek = new Database(file, { readonly: true, fileMustExist: true });
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
    throw refuse(file, `cannot be opened: ${err instanceof Error ? err.message : String(err)}`, options);
  }
  if (version === 0) throw refuse(file, 'is a SQLite file but not a censorwatch database', options);
  if (version > MIGRATIONS.length)
    throw refuse(
      file,
      `was written by a newer censorwatch (schema version ${version}; this one knows ${MIGRATIONS.length}): use that version or a newer one`,
      options,
    );

  let writable = true;
  try {
    accessSync(file, constants.W_OK);
  } catch {
    writable = false;
  }
  // A file this process may not write is read as it is, so its schema must be the current one.
  if (!writable && version < MIGRATIONS.length)
    throw refuse(
      file,
      `has schema version ${version}, older than this censorwatch's (${MIGRATIONS.length}), and is read-only here: open it once with write access to upgrade it (its data is kept)`,
      options,
    );
  return Store.open(file, writable ? { mustExist: true } : { readonly: true });
}
