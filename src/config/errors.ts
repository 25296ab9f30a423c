import { ConfigError } from '../errors';
import type { Config, WatchConfig } from './types';

// ConfigError belongs to the one error hierarchy in src/errors.ts; re-exported for config's users.
export { ConfigError, formatIssue, type ConfigIssue } from '../errors';

/** Formats a path as `a.b[2].c`; the empty path is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * The watch with this id, for CLI commands taking `--watch` or `--baseline`.
 * @param option - the flag that gave the id, named in the error. @defaultValue '--watch'
 * @throws ConfigError naming `option` and the known ids when there is none.
 */
export function requireWatch(config: Pick<Config, 'watches'>, id: string, option = '--watch'): WatchConfig {
  const watch = config.watches.find((w) => w.id === id);
  if (watch) return watch;
  const known = config.watches.map((w) => w.id).join(', ');
  throw new ConfigError([
    { path: option, message: `unknown watch id ${JSON.stringify(id)} (known: ${known})` },
  ]);
}

/**
 * The `--baseline` watch of a comparison: known, and not the watch it is compared with (a watch
 * against itself always differs by nothing, which would read as "no more censorship than usual").
 */
export function requireBaseline(
  config: Pick<Config, 'watches'>,
  baseline: string,
  watch: string | undefined,
): WatchConfig {
  if (watch !== undefined && baseline === watch)
    throw new ConfigError([
      {
        path: '--baseline',
        message: `is the same watch as --watch (${JSON.stringify(watch)}): compare a topic with another watch, an everyday topic`,
      },
    ]);
  return requireWatch(config, baseline, '--baseline');
}
