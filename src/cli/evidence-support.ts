/** What the evidence commands (`timestamp`, `evidence`, `show`) share. */
import type { Config } from '../config/types';
import { openExisting } from '../store/open-existing';
import type { Store } from '../store/store';

/**
 * Opens the config's database, which must exist: these commands read evidence, and a database
 * they created would hold none (exit 2 naming the path). The same refusal as every reading
 * command's, through `openExisting`.
 */
export function openExistingStore(config: Pick<Config, 'database'> & Partial<Pick<Config, 'source'>>): Store {
  return openExisting(config.database, { source: config.source ?? null });
}
