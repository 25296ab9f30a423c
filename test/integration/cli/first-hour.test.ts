import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { cli } from './helpers';

/**
 * Mistakes of a new user's first hour that used to be taken at their word: a zero or negative
 * `--duration`, `--tick`, `--lease`, `--drain-timeout` or `login --timeout` (a run that stops before it checks
 * anything, a scheduler that never pauses), and an evidence bundle written under a name that is no
 * zip. Each is bad usage: one line naming the flag, exit 2, no stack trace, nothing created.
 */
guardAgainstLeaks();

const dir = tempDir('censorwatch-first-hour-');
const db = join(dir, 'never.db');
const config = join(dir, 'watch.yaml');
writeFileSync(config, `database: ${db}\nwatches:\n  - id: topic\n    weibo: { keywords: ["联合国"] }\n`);

function expectUsage(r: { code: number | null; stdout: string; stderr: string }, flag: string): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(new RegExp(`^censorwatch: ${flag}: `));
  expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  expect(readdirSync(dir).sort()).toEqual(['watch.yaml']);
}

describe('a duration that must be above zero', () => {
  test.each([
    [['run', '--config', config, '--duration', '0s'], '--duration'],
    [['run', '--config', config, '--duration', '-5s'], '--duration'],
    [['run', '--config', config, '--duration=-1m'], '--duration'],
    [['run', '--config', config, '--redis', 'redis://127.0.0.1:1', '--tick', '0ms'], '--tick'],
    [['run', '--config', config, '--redis', 'redis://127.0.0.1:1', '--lease', '0s'], '--lease'],
    [['worker', '--config', config, '--role', 'scheduler', '--tick', '-1s'], '--tick'],
    [['worker', '--config', config, '--role', 'scheduler', '--lease', '0m'], '--lease'],
    [['worker', '--config', config, '--role', 'recorder', '--duration', '0h'], '--duration'],
    [
      ['run', '--config', config, '--redis', 'redis://127.0.0.1:1', '--drain-timeout', '0s'],
      '--drain-timeout',
    ],
    [['worker', '--config', config, '--role', 'fetcher', '--drain-timeout', '0ms'], '--drain-timeout'],
    [['worker', '--config', config, '--role', 'fetcher', '--drain-timeout', '-3s'], '--drain-timeout'],
    [['login', 'weibo', '--config', config, '--timeout', '0s'], '--timeout'],
    [['login', 'weibo', '--config', config, '--timeout', '-10m'], '--timeout'],
  ])('%j: exit 2 naming %s', async (args, flag) => {
    const r = await cli(args);
    expectUsage(r, flag);
    expect(r.stderr).toContain('expected a duration above zero');
  });

  it('login --help states its default timeout as a duration, not as milliseconds', async () => {
    const r = await cli(['login', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /--timeout <duration>\s+how long to wait for the QR code to be scanned\s+\(default:\s+10m\)/,
    );
    expect(r.stdout).not.toContain('600000');
  });
});

describe('evidence --target --out must be a .zip', () => {
  test.each([join(dir, 'bundle.txt'), join(dir, 'bundle'), join(dir, 'bundle.zip.bak')])(
    '%s: exit 2 naming --out',
    async (out) => {
      const r = await cli([
        'evidence',
        '--config',
        config,
        '--target',
        'weibo:4895123456789012',
        '--out',
        out,
      ]);
      expectUsage(r, '--out');
      expect(r.stderr).toContain('expected a file name ending in .zip');
    },
  );

  it('a .zip name passes the check and meets the missing database next', async () => {
    const r = await cli([
      'evidence',
      '--config',
      config,
      '--target',
      'weibo:4895123456789012',
      '--out',
      join(dir, 'bundle.ZIP'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`database: ${db} does not exist`);
    expect(existsSync(db)).toBe(false);
  });
});
