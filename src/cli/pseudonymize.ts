/** `--pseudonymize` for export and report: the key, or a usage error naming where to set it. */
import { ConfigError } from '../config';
import type { Config } from '../config/types';
import { PSEUDONYM_KEY_SOURCES, Pseudonymizer, pseudonymKey } from '../report/pseudonym';

/**
 * The pseudonymizer `--pseudonymize` asks for: key from `CENSORWATCH_PSEUDONYM_KEY`, else the
 * config's `privacy.pseudonymKey`; a usage error naming both when neither is set.
 */
export function pseudonymizerFor(config: Config, env: NodeJS.ProcessEnv = process.env): Pseudonymizer {
  const key = pseudonymKey(config.privacy.pseudonymKey, env);
  if (!key) {
    throw new ConfigError([
      {
        path: '--pseudonymize',
        message: `needs a key: set ${PSEUDONYM_KEY_SOURCES} (16 characters or more)`,
      },
    ]);
  }
  return new Pseudonymizer(key);
}
