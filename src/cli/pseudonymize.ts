/** `--pseudonymize` for export and report: the key, or a usage error naming where to set it. */
import { ConfigError } from '../config';
import type { Config } from '../config/types';
import {
  PSEUDONYM_KEY_MIN_CHARS,
  PSEUDONYM_KEY_SOURCES,
  Pseudonymizer,
  pseudonymKey,
} from '../report/pseudonym';

/**
 * The pseudonymizer `--pseudonymize` asks for: key from `CENSORWATCH_PSEUDONYM_KEY`, else the
 * config's `privacy.pseudonymKey`; a usage error naming both when neither is set.
 */
export function pseudonymizerFor(config: Config, env: NodeJS.ProcessEnv = process.env): Pseudonymizer {
  const fromEnv = env.CENSORWATCH_PSEUDONYM_KEY;
  // The config's key is checked by the loader; the environment's only here, by the same rule.
  if (fromEnv && fromEnv.length < PSEUDONYM_KEY_MIN_CHARS) {
    throw new ConfigError([
      {
        path: 'CENSORWATCH_PSEUDONYM_KEY',
        message: `expected a secret of at least ${PSEUDONYM_KEY_MIN_CHARS} characters, got ${fromEnv.length}: a short key lets anyone recompute the pseudonyms from guessed names`,
      },
    ]);
  }
  const key = pseudonymKey(config.privacy.pseudonymKey, env);
  if (!key) {
    throw new ConfigError([
      {
        path: '--pseudonymize',
        message: `needs a key: set ${PSEUDONYM_KEY_SOURCES} (${PSEUDONYM_KEY_MIN_CHARS} characters or more)`,
      },
    ]);
  }
  return new Pseudonymizer(key);
}
