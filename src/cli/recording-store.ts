/** Opening the database a recording command writes, with bad paths told as config errors. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors';
import { openExisting } from '../store/open-existing';
import { Store } from '../store/store';

/**
 * The database a recording command (`run`, the recorder) writes, created when missing. An existing
 * file is checked first the way reading commands check it (a directory, not SQLite, another
 * program's SQLite file), and a path that cannot be created is named, so each is exit 2 naming
 * `database` rather than a SQLite stack trace.
 */
export function openRecordingStore(file: string, source: string | null = null): Store {
  if (file !== ':memory:') {
    let existing: boolean;
    try {
      const st = statSync(file);
      // An empty file (`touch`) is one SQLite starts afresh.
      existing = st.isDirectory() || st.size > 0;
    } catch {
      existing = false;
    }
    if (existing) openExisting(file, { source }).close();
  }
  try {
    return Store.open(file);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (
      typeof code !== 'string' ||
      !/^(?:SQLITE_CANTOPEN|SQLITE_NOTADB|SQLITE_READONLY|SQLITE_PERM|ENOTDIR|EACCES|EPERM|EEXIST|EROFS)/.test(
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
