/** What the evidence commands (`timestamp`, `evidence`, `show`) share. */
import { existsSync } from 'node:fs';
import type { Config } from '../config/types';
import { ConfigError } from '../errors';
import { Store } from '../store/store';

/**
 * Opens the config's database, which must exist: these commands read evidence, and a database
 * they created would hold none (exit 2 naming the path).
 */
export function openExistingStore(config: Pick<Config, 'database'>): Store {
  if (config.database !== ':memory:' && !existsSync(config.database))
    throw new ConfigError([{ path: 'database', message: `no database at ${config.database}` }]);
  return Store.open(config.database);
}
