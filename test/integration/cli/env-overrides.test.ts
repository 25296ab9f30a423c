import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/store/store';
import { cli } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'censorwatch-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every override unset, so the outer environment cannot change what a case sees. */
const UNSET = {
  CENSORWATCH_DATABASE: '',
  CENSORWATCH_REDIS: '',
  CENSORWATCH_CONCURRENCY: '',
  CENSORWATCH_WEIBO_COOKIE: '',
};

const inFile = join(dir, 'in-file.db');
const config = join(dir, 'watch.yaml');
writeFileSync(config, `database: ${inFile}\nwatches:\n  - id: w\n    weibo: { keywords: ["联合国"] }\n`);

/** The environment overrides the README documents, through the real CLI. */
describe('environment overrides', () => {
  it('CENSORWATCH_DATABASE replaces the config database', async () => {
    const other = join(dir, 'from-env.db');
    Store.open(other).close();
    const r = await cli(['status', '--config', config, '--no-session'], {
      env: { ...UNSET, CENSORWATCH_DATABASE: other },
    });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`database: ${other} (embedded mode)`);
  }, 120_000);

  it.each([
    [
      'CENSORWATCH_CONCURRENCY',
      'many',
      'concurrency: expected a whole number from 1 to 1000, received "many" (from CENSORWATCH_CONCURRENCY)',
    ],
    [
      'CENSORWATCH_CONCURRENCY',
      '0',
      'concurrency: expected a number >= 1, received 0 (from CENSORWATCH_CONCURRENCY)',
    ],
    [
      'CENSORWATCH_REDIS',
      'localhost:6379',
      'queue.redis: expected a redis://HOST[:PORT][/DB] or rediss://… URL, received "localhost:6379" (from CENSORWATCH_REDIS)',
    ],
    [
      'CENSORWATCH_WEIBO_COOKIE',
      'SUB=a\nSUBP=b',
      'platforms.weibo.cookie: a cookie string must be one line (from CENSORWATCH_WEIBO_COOKIE)',
    ],
  ])(
    'a bad %s (%j) is exit 2 naming the key and the variable',
    async (name, value, line) => {
      const r = await cli(['verify', '--config', config], { env: { ...UNSET, [name]: value } });
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toBe(`censorwatch: bad config ${config}:\n  ${line}\n`);
    },
    120_000,
  );

  it('a bad CENSORWATCH_LOG is exit 2 naming it, in one line, not a stack trace', async () => {
    const r = await cli(['status', '--config', config], { env: { ...UNSET, CENSORWATCH_LOG: 'verbose' } });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(
      'censorwatch: CENSORWATCH_LOG: expected one of fatal, error, warn, info, debug, trace, silent, received "verbose"\n',
    );
  }, 120_000);
});
