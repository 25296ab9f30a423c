import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'censorwatch-relative-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Overrides from the outer environment would change which database is used; empty counts as unset. */
const ENV = {
  CENSORWATCH_DATABASE: '',
  CENSORWATCH_REDIS: '',
  CENSORWATCH_CONCURRENCY: '',
  CENSORWATCH_WEIBO_COOKIE: '',
};

/**
 * A researcher keeps the config in one folder and starts censorwatch from another: a relative
 * `database` is under the working directory, and every command says which file it is.
 */
describe('relative paths in a config', () => {
  const configDir = join(root, 'cw');
  const elsewhere = join(root, 'elsewhere');
  mkdirSync(configDir);
  mkdirSync(elsewhere);
  const config = join(configDir, 'watch.yaml');
  // Every host on a closed local port: nothing leaves the machine.
  writeFileSync(
    config,
    [
      'database: data/cw.db',
      'platforms:',
      '  weibo: { hosts: { m.weibo.cn: "http://127.0.0.1:9", weibo.com: "http://127.0.0.1:9", passport.weibo.com: "http://127.0.0.1:9", visitor.passport.weibo.cn: "http://127.0.0.1:9", s.weibo.com: "http://127.0.0.1:9" } }',
      '  netease: { hosts: { www.163.com: "http://127.0.0.1:9" } }',
      'watches:',
      '  - id: w',
      '    weibo: { keywords: ["联合国"] }',
      '',
    ].join('\n'),
  );
  const database = join(elsewhere, 'data', 'cw.db');

  it('resolve against the working directory, and run and status name the absolute database path', async () => {
    const run = await cli(['run', '--config', config, '--duration', '1s'], {
      cwd: elsewhere,
      env: { ...ENV, CENSORWATCH_LOG: 'info' },
      timeoutMs: 120_000,
    });
    expect(run.code).toBe(0);
    const monitoring = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; database?: string })
      .find((l) => l.msg === 'monitoring');
    expect(monitoring?.database).toBe(database);
    expect(existsSync(database)).toBe(true);
    expect(existsSync(join(configDir, 'data'))).toBe(false);

    const status = await cli(['status', '--config', config, '--no-session'], { cwd: elsewhere, env: ENV });
    expect(status.code).toBe(0);
    expect(status.stdout.split('\n')[0]).toBe(`database: ${database} (embedded mode)`);
    // From the config's own folder it is another database, which status refuses to create.
    const there = await cli(['status', '--config', config, '--no-session'], { cwd: configDir, env: ENV });
    expect(there.code).toBe(2);
    expect(there.stderr).toContain(`database: ${join(configDir, 'data', 'cw.db')} does not exist`);
  }, 240_000);

  it('--help says so', async () => {
    for (const command of ['run', 'status']) {
      const r = await cli([command, '--help'], { env: ENV });
      expect(r.code).toBe(0);
      expect(r.stdout.replace(/\s+/g, ' ')).toContain(
        'relative paths in it (database, cookieFile, secretFile) resolve against the working directory',
      );
    }
  }, 120_000);
});
