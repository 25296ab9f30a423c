import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { cli } from './helpers';

/**
 * Flag mistakes a new user makes that used to get past the usage checks: a `--tsa` that is no URL
 * (exit 1 and a logged stack trace), and a watch compared with itself as its own `--baseline`
 * (a claim of "no more removals than the baseline", always). Each is bad usage: one line naming
 * the flag, exit 2, no stack trace, and no database created. So is a pseudonym key from the
 * environment shorter than the config accepts.
 */
guardAgainstLeaks();

const dir = tempDir('censorwatch-flags-');
const db = join(dir, 'never.db');
const config = join(dir, 'watch.yaml');
writeFileSync(
  config,
  [
    `database: ${db}`,
    'watches:',
    '  - id: topic',
    '    weibo: { keywords: ["联合国 决议"] }',
    '  - id: baseline-weather',
    '    weibo: { keywords: ["天气预报"] }',
    '',
  ].join('\n'),
);

test.each([
  [['timestamp', '--config', config, '--tsa', 'notaurl'], '--tsa'],
  [['timestamp', '--config', config, '--tsa', 'ftp://tsa.example.org/tsr'], '--tsa'],
  [['claim', '--config', config, '--watch', 'topic', '--baseline', 'topic'], '--baseline'],
  [['report', '--config', config, '--format', 'md', '--watch', 'topic', '--baseline', 'topic'], '--baseline'],
])('%j: exit 2 naming %s', async (args, flag) => {
  const r = await cli(args);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(new RegExp(`^censorwatch: ${flag}: `));
  expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  expect(existsSync(db)).toBe(false);
});

test.each([
  [['export', '--config', config, '--format', 'csv', '--pseudonymize']],
  [['report', '--config', config, '--format', 'md', '--pseudonymize']],
])(
  '%j with a short CENSORWATCH_PSEUDONYM_KEY: exit 2 naming it, as a short privacy.pseudonymKey is',
  async (args) => {
    const r = await cli(args, { env: { CENSORWATCH_PSEUDONYM_KEY: 'short' } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^censorwatch: CENSORWATCH_PSEUDONYM_KEY: expected a secret of at least 16 characters/,
    );
    expect(existsSync(db)).toBe(false);
  },
);
