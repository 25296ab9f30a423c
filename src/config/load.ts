import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { decodeUtf8, readUtf8File } from './encoding';
import { ConfigError, type ConfigIssue } from '../errors';
import { LIMITS } from './fields';
import { validateConfig } from './schema';
import type { ConfigEnvironment } from './schema';
import type { Config } from './types';

/** An environment variable that overrides one config key. */
export interface EnvOverride {
  readonly name: string;
  /** The key it replaces, as issue paths name it. */
  readonly path: string;
  readonly description: string;
}

/**
 * Environment variables applied over the file before validation, so deployments can keep
 * secrets and per-host settings out of the config. An empty variable counts as unset.
 *
 * - `CENSORWATCH_DATABASE` → `database`
 * - `CENSORWATCH_REDIS` → `queue.redis` (switches to distributed mode)
 * - `CENSORWATCH_WEIBO_COOKIE` → `platforms.weibo.cookie` (replaces any `cookieFile`)
 * - `CENSORWATCH_CONCURRENCY` → `concurrency` (a positive integer)
 */
export const ENV_OVERRIDES: readonly EnvOverride[] = [
  { name: 'CENSORWATCH_DATABASE', path: 'database', description: 'SQLite file' },
  { name: 'CENSORWATCH_REDIS', path: 'queue.redis', description: 'Redis URL; set for distributed mode' },
  {
    name: 'CENSORWATCH_WEIBO_COOKIE',
    path: 'platforms.weibo.cookie',
    description: 'logged-in Weibo cookie string',
  },
  {
    name: 'CENSORWATCH_CONCURRENCY',
    path: 'concurrency',
    description: 'checks in flight at once in one process',
  },
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Returns a shallow-copied section of `obj` to write into, or null when it is there but not an object. */
function section(obj: Record<string, unknown>, key: string): Record<string, unknown> | null {
  const cur = obj[key];
  if (cur === undefined) return (obj[key] = {}) as Record<string, unknown>;
  if (!isRecord(cur)) return null; // left as is so its type error is reported
  return (obj[key] = { ...cur });
}

/** Applies {@link ENV_OVERRIDES} to raw data; returns the new data and the paths overridden. */
function applyEnv(
  raw: unknown,
  env: NodeJS.ProcessEnv,
): { data: unknown; overridden: Map<string, string>; issues: ConfigIssue[] } {
  const overridden = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  if (!isRecord(raw)) return { data: raw, overridden, issues };
  const data: Record<string, unknown> = { ...raw };
  const value = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };

  const database = value('CENSORWATCH_DATABASE');
  if (database !== undefined) {
    data.database = database;
    overridden.set('database', 'CENSORWATCH_DATABASE');
  }
  const redis = value('CENSORWATCH_REDIS');
  if (redis !== undefined) {
    const queue = section(data, 'queue');
    if (queue) {
      queue.redis = redis;
      overridden.set('queue.redis', 'CENSORWATCH_REDIS');
    }
  }
  const cookie = value('CENSORWATCH_WEIBO_COOKIE');
  if (cookie !== undefined) {
    const platforms = section(data, 'platforms');
    const weibo = platforms && section(platforms, 'weibo');
    if (weibo) {
      weibo.cookie = cookie;
      delete weibo.cookieFile;
      overridden.set('platforms.weibo.cookie', 'CENSORWATCH_WEIBO_COOKIE');
    }
  }
  const concurrency = value('CENSORWATCH_CONCURRENCY');
  if (concurrency !== undefined) {
    if (/^\s*\d+\s*$/.test(concurrency)) {
      data.concurrency = Number(concurrency);
      overridden.set('concurrency', 'CENSORWATCH_CONCURRENCY');
    } else {
      // Every variable is a string: "expected number, received string" would not say what was wrong with "1.5".
      issues.push({
        path: 'concurrency',
        message: `expected a whole number from 1 to ${LIMITS.concurrency}, received ${JSON.stringify(concurrency)} (from CENSORWATCH_CONCURRENCY)`,
      });
    }
  }
  return { data, overridden, issues };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Finds the YAML line an issue path (`a.b[2].c`) points at. */
type Locator = (path: string) => number | undefined;

/** The 1-based line of the deepest YAML node along `issuePath`. */
function yamlLocator(doc: Document, lines: LineCounter): Locator {
  return (issuePath) => {
    if (issuePath === '(root)') return undefined;
    let node: unknown = doc.contents;
    let line: number | undefined;
    // Keys are matched against the node's actual keys so host names containing dots resolve.
    let rest = issuePath;
    while (rest !== '' && node) {
      let next: unknown;
      const index = /^\[(\d+)\]\.?/.exec(rest);
      if (index && isSeq(node)) {
        next = node.items[Number(index[1])];
        rest = rest.slice(index[0].length);
      } else if (isMap(node)) {
        const pair = node.items
          .filter(
            (p) =>
              isScalar(p.key) &&
              (rest === String(p.key.value) ||
                rest.startsWith(`${String(p.key.value)}.`) ||
                rest.startsWith(`${String(p.key.value)}[`)),
          )
          .sort(
            (a, b) =>
              String((b.key as { value: unknown }).value).length -
              String((a.key as { value: unknown }).value).length,
          )[0];
        if (!pair) break;
        const key = String((pair.key as { value: unknown }).value);
        rest = rest.slice(key.length).replace(/^\./, '');
        const keyRange = (pair.key as { range?: [number, number, number] }).range;
        if (keyRange) line = lines.linePos(keyRange[0]).line;
        next = pair.value;
      } else break;
      const range = (next as { range?: [number, number, number] } | null)?.range;
      if (range) line = lines.linePos(range[0]).line;
      node = next;
    }
    return line;
  };
}

function build(
  raw: unknown,
  source: string,
  env: NodeJS.ProcessEnv,
  locate: Locator | null,
  earlier: readonly ConfigIssue[] = [],
): Config {
  const { data, overridden, issues: envIssues } = applyEnv(raw, env);
  const io: ConfigEnvironment = {
    env,
    cwd: process.cwd(),
    home: os.homedir(),
    readFile: readUtf8File,
    fileExists: (file) => fs.existsSync(file),
  };
  const result = validateConfig(data, io);
  if (!result.ok || earlier.length > 0 || envIssues.length > 0) {
    const issues = (result.ok ? [] : result.issues).map((issue): ConfigIssue => {
      const from = overridden.get(issue.path);
      if (from !== undefined) return { ...issue, message: `${issue.message} (from ${from})` };
      const line = locate?.(issue.path);
      return line === undefined ? issue : { ...issue, line };
    });
    throw new ConfigError([...earlier, ...envIssues, ...issues], source);
  }
  return deepFreeze({ source, ...result.value });
}

/**
 * Validates an already-parsed config object (e.g. the demo's embedded config) into a deeply
 * frozen {@link Config}, applying {@link ENV_OVERRIDES} first.
 * @param source - shown in errors and kept as `config.source`, e.g. `<embedded>`
 * @param env - @defaultValue `process.env`
 * @throws ConfigError listing every problem, one per line
 */
export function parseConfig(data: unknown, source: string, env: NodeJS.ProcessEnv = process.env): Config {
  return build(data, source, env, null);
}

/**
 * Reads a YAML config file into a deeply frozen {@link Config}: env overrides applied
 * ({@link ENV_OVERRIDES}), `cookieFile`, `secretEnv` and `secretFile` resolved, relative paths
 * resolved against the working directory, durations in milliseconds.
 * @param env - @defaultValue `process.env`
 * @throws ConfigError listing every problem at once (YAML syntax errors with line and column)
 */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Config {
  const source = path.resolve(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(source);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : err instanceof Error
            ? err.message
            : String(err);
    throw new ConfigError([{ path: '--config', message: `cannot read ${source}: ${why}` }], source);
  }
  // Bad bytes are reported with everything else found in the same pass (on the lenient decoding).
  const { text, problems } = decodeUtf8(bytes);
  const encoding = problems.map((p): ConfigIssue => ({
    path: `${source}:${p.line}:${p.column}`,
    message: p.message,
  }));
  const lines = new LineCounter();
  // logLevel 'error': warnings (a collection used as a key) surface as the config's own issues instead.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, logLevel: 'error' });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      [
        ...encoding,
        ...doc.errors.map((e) => {
          const { line, col } = lines.linePos(e.pos[0]);
          return {
            path: `${source}:${line}:${col}`,
            message: `YAML syntax error: ${e.message.split('\n')[0] ?? ''}`,
          };
        }),
      ],
      source,
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (err) {
    // An alias bomb or an alias to nothing: the document parses but cannot be built.
    throw new ConfigError(
      [
        ...encoding,
        { path: source, message: `YAML error: ${err instanceof Error ? err.message : String(err)}` },
      ],
      source,
    );
  }
  if (raw === null || raw === undefined) {
    throw new ConfigError(
      [...encoding, { path: '(root)', message: 'the file is empty: database and watches are required' }],
      source,
    );
  }
  return build(raw, source, env, yamlLocator(doc, lines), encoding);
}
