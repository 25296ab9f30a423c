/**
 * A fresh SQLite database per call, migrated, in a temp folder of the calling test file; closed and
 * removed after its tests (graphile-worker's helpers give each test file its own database likewise).
 */
import { join } from 'node:path';
import { Store } from '../../src/store/store';
import { beforeTempRemoval, tempDir } from './temp';

/** A migrated store in a new temp folder, with its file path. */
export interface TempDatabase {
  readonly store: Store;
  readonly file: string;
  readonly dir: string;
}

/** Opens a new database; it is closed before its folder is removed after the file's tests. */
export function tempDatabase(prefix = 'censorwatch-db-'): TempDatabase {
  const dir = tempDir(prefix);
  const file = join(dir, 'test.db');
  const store = Store.open(file);
  // Closing is idempotent, so a test may also close it itself.
  beforeTempRemoval(() => store.close());
  return { store, file, dir };
}
