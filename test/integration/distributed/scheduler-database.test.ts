import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { REDIS, cleanupDirs, cli, obliterate, scratchDir, uniquePrefix } from './helpers';

// No child process started here outlives this file.
guardAgainstLeaks();

const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await obliterate(REDIS, p);
  cleanupDirs();
});

/** A config of the scheduler role over `database`, on a queue prefix of its own. */
function configFor(dir: string, database: string): string {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  const path = join(dir, 'c.yaml');
  writeFileSync(
    path,
    stringifyYaml({
      database,
      watches: [{ id: 'w', name: 'W', weibo: { keywords: ['x'] } }],
      queue: { redis: REDIS, prefix },
    }),
  );
  return path;
}

/**
 * The scheduler role used to take a database it could not open for one that did not exist yet,
 * and idled as if nothing were due until its duration ended (exit 0). A database path that can
 * never be read as configured now ends it at once: exit 2 naming database, as `run` says it.
 */
describe('the scheduler role and a database it can never read', () => {
  it.each([
    ['a directory', (dir: string) => (mkdirSync(join(dir, 'c.db')), 'is a directory, not a database file')],
    [
      'a file that is not SQLite',
      (dir: string) => (writeFileSync(join(dir, 'c.db'), 'not a database\n'), 'is not a SQLite database'),
    ],
  ])('%s: exit 2 naming database, before its duration ends', async (_name, make) => {
    const dir = scratchDir();
    const database = join(dir, 'c.db');
    const why = make(dir);
    const config = configFor(dir, database);
    const r = await cli(['worker', '--role', 'scheduler', '--config', config, '--duration', '10m']);
    expect(r.stderr).toContain(`censorwatch: bad config ${config}:\n  database: ${database} ${why}\n`);
    expect(r.code).toBe(2);
  });
});
