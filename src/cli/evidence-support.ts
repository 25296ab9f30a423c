/** What the evidence commands (`timestamp`, `evidence`, `show`) share. */
import { statSync } from 'node:fs';
import type { Config } from '../config/types';
import { openExisting } from '../store/open-existing';
import type { Store } from '../store/store';
import { refuseUnwritable } from './recording-store';

type DatabaseOf = Pick<Config, 'database'> & Partial<Pick<Config, 'source'>>;

/**
 * Opens the config's database, which must exist: these commands read evidence, and a database
 * they created would hold none (exit 2 naming the path). The same refusal as every reading
 * command's, through `openExisting`.
 */
export function openExistingStore(config: DatabaseOf): Store {
  return openExisting(config.database, { source: config.source ?? null });
}

/**
 * {@link openExistingStore} for a command that also writes into the database (`timestamp` keeps
 * its token there, `alerts replay` its deliveries): a file this user may only read is exit 2
 * naming `database` before anything is sent, not a SQLite error after a TSA or webhook answered.
 */
export function openExistingWritableStore(config: DatabaseOf): Store {
  let file = false;
  try {
    file = statSync(config.database).isFile();
  } catch {
    // Missing: openExisting names it.
  }
  // Before SQLite opens it: even a read-only open leaves -wal and -shm files beside it.
  if (file) refuseUnwritable(config.database, config.source ?? null);
  return openExisting(config.database, { source: config.source ?? null, writes: true });
}
