/**
 * The config a `demo --config` run uses, derived from the researcher's own: the same watches and
 * schedule, every platform host pointed at the simulator, the demo's own database, and nothing
 * that could reach the outside (webhooks, queue, proxies, cookies, browser, time-stamping). It is
 * written beside the demo's database, so `report`, `claim` and `export` read the demo's data with
 * the same `--config` flag they always take.
 */
import { existsSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { isMap, parseDocument, type Document } from 'yaml';
import { KNOWN_HOSTS, parseConfig } from '../config';
import type { Config } from '../config/types';
import { ConfigError } from '../errors';

/** Env overrides that would point a demo at the real database, Redis or account. */
const REAL_WORLD_ENV = ['CENSORWATCH_DATABASE', 'CENSORWATCH_REDIS', 'CENSORWATCH_WEIBO_COOKIE'];

/** `env` without the overrides a demo must not follow. */
export function demoEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const k of REAL_WORLD_ENV) delete out[k];
  return out;
}

/** The first line of every config a demo writes beside its database: how a later demo knows the pair is its own. */
export const DEMO_MARK = '# censorwatch demo:';

/** The config file written beside a demo database: `data/try.db` → `data/try.yaml`. */
export function demoConfigPath(database: string): string {
  const ext = extname(database);
  return join(dirname(database), `${basename(database, ext)}.yaml`);
}

function sameFile(a: string, b: string): boolean {
  const real = (p: string): string => {
    const abs = resolve(p);
    try {
      return realpathSync(abs);
    } catch {
      return abs;
    }
  };
  return real(a) === real(b);
}

/** Whether `db` and the config beside it were both written by an earlier demo. */
function writtenByDemo(db: string): boolean {
  try {
    return readFileSync(demoConfigPath(db), 'utf8').startsWith(DEMO_MARK);
  } catch {
    return false;
  }
}

/**
 * Refuses a `--db` that is the config's own database (as configured or overridden by env), one
 * whose derived config would overwrite the researcher's config file, or one that exists already
 * and is not an earlier demo's (a demo starts a fresh database, and reusing one would mix two
 * simulated runs). An earlier demo's database, told by the marked config beside it, is replaced,
 * so the quick start can be run again; the answer says so.
 * @throws ConfigError naming `--db`
 */
export function checkDemoDatabase(
  db: string,
  own: Config | null,
  configFile: string | null,
): { replaces: boolean } {
  const fail = (message: string): never => {
    throw new ConfigError([{ path: '--db', message }]);
  };
  if (own && sameFile(db, own.database))
    fail(`${db} is the config's own database; demo never writes into it (name another file)`);
  if (configFile && sameFile(demoConfigPath(db), configFile))
    fail(`${db} would put the demo's config over ${configFile} (name another file)`);
  if (!existsSync(db)) return { replaces: false };
  if (!writtenByDemo(db))
    fail(
      `${db} already exists and is not an earlier demo's; demo starts a fresh database (remove it or name another file)`,
    );
  return { replaces: true };
}

/** Removes an earlier demo's database with its SQLite journal files (the config beside it is rewritten). */
export function removeDemoDatabase(db: string): void {
  for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}-journal`]) rmSync(f, { force: true });
}

/**
 * The derived YAML for a config file's text: `database` the demo's (absolute), every known host of
 * both platforms at `base`, and the outward-facing parts removed. Comments and order are kept, so
 * the researcher recognises their own file.
 */
export function deriveDemoYaml(
  text: string,
  o: { base: string; database: string; original: string; written: string; from: number; to: number },
): { yaml: string; config: Config } {
  const doc: Document = parseDocument(text);
  // deleteIn throws when a parent is missing or not a map; a key that is not there is fine.
  const drop = (path: string[]): void => {
    if (isMap(doc.getIn(path.slice(0, -1)))) doc.deleteIn(path);
  };
  doc.set('database', resolve(o.database));
  for (const platform of ['weibo', 'netease'] as const) {
    const path = ['platforms', platform];
    if (!isMap(doc.getIn(path))) doc.setIn(path, doc.createNode({}));
    doc.setIn(
      [...path, 'hosts'],
      doc.createNode(Object.fromEntries(KNOWN_HOSTS[platform].map((h) => [h, o.base]))),
    );
    // A real cookie or proxy has no business with the simulator.
    for (const key of ['cookie', 'cookieFile', 'proxies']) drop([...path, key]);
  }
  doc.delete('queue');
  if (!isMap(doc.get('alerts'))) doc.set('alerts', doc.createNode({}));
  doc.setIn(['alerts', 'webhooks'], doc.createNode([]));
  // The browser does not go through the host remap, so it would reach the real platforms.
  drop(['browser', 'executablePath']);
  drop(['evidence', 'timestamp']);
  if (isMap(doc.get('evidence'))) doc.setIn(['evidence', 'screenshots'], false);
  const iso = (t: number): string => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  doc.commentBefore =
    `${DEMO_MARK.slice(1)} the watches of ${o.original}, run against the simulator at ${o.base}\n` +
    ` on a simulated clock from ${iso(o.from)} to ${iso(o.to)}. For report, claim, export and verify on\n` +
    ` ${resolve(o.database)}; not for run (the simulator is gone). CENSORWATCH_DATABASE, if set, overrides database.` +
    (doc.commentBefore ? `\n${doc.commentBefore}` : '');
  const yaml = doc.toString();
  const config = parseConfig(parseDocument(yaml).toJS() as unknown, o.written, demoEnv());
  return { yaml, config };
}
