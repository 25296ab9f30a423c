import type { Config, WatchConfig } from './types';

/** One problem found in a config, located by its path (`watches[1].weibo.keywords`). */
export interface ConfigIssue {
  /** `a.b[2].c` form; `(root)` for the document itself; `file:line:col` for YAML syntax errors. */
  readonly path: string;
  readonly message: string;
  /** 1-based line in the YAML file the path points at, when known. */
  readonly line?: number;
}

/**
 * Bad config or bad usage: every problem found, one per line in `message`
 * (`watches[1].weibo.keywords: expected array, received string`). The CLI exits with `exitCode`.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Exit code for bad usage or bad config, as the CLI contract fixes it. */
  readonly exitCode = 2;
  readonly issues: readonly ConfigIssue[];
  /** The config file (absolute) or `<embedded>`; null for usage errors not tied to a file. */
  readonly source: string | null;

  constructor(issues: readonly ConfigIssue[], source: string | null = null) {
    super(issues.map(formatIssue).join('\n'));
    this.issues = issues;
    this.source = source;
  }
}

/** Formats one issue as `path: message`, adding the YAML line when known. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line === undefined ? '' : ` (line ${issue.line})`;
  return `${issue.path}: ${issue.message}${where}`;
}

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
 * The watch with this id, for CLI commands taking `--watch`.
 * @throws ConfigError naming `--watch` and the known ids when there is none.
 */
export function requireWatch(config: Pick<Config, 'watches'>, id: string): WatchConfig {
  const watch = config.watches.find((w) => w.id === id);
  if (watch) return watch;
  const known = config.watches.map((w) => w.id).join(', ');
  throw new ConfigError([
    { path: '--watch', message: `unknown watch id ${JSON.stringify(id)} (known: ${known})` },
  ]);
}
