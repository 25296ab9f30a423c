import * as path from 'node:path';
import { loadConfig, parseConfig, requireWatch } from '../../../src/config';
import { configError, MINIMAL, removeTempDirs, writeYaml } from './helpers';

const env = {};
afterEach(removeTempDirs);

describe('config mistakes: each names its path and exits 2', () => {
  it('reports a missing database', () => {
    const err = configError(() =>
      loadConfig(writeYaml('watches:\n  - id: a\n    weibo: { keywords: [x] }\n'), env),
    );
    expect(err.message).toBe('database: required');
    expect(err.issues).toEqual([{ path: 'database', message: 'required' }]);
  });

  it('reports missing watches', () => {
    const err = configError(() => loadConfig(writeYaml('database: x.db\n'), env));
    expect(err.message).toBe('watches: required');
  });

  it('reports a wrong type with the YAML line', () => {
    const file = writeYaml('database: x.db\nwatches:\n  - id: a\n    weibo:\n      keywords: 联合国\n');
    const err = configError(() => loadConfig(file, env));
    expect(err.message).toBe('watches[0].weibo.keywords: expected array, received string (line 5)');
    expect(err.issues[0]).toMatchObject({ path: 'watches[0].weibo.keywords', line: 5 });
  });

  it('reports a bad duration at its index', () => {
    const file = writeYaml(`${MINIMAL}schedule:\n  ladder: [2m, 5m, 10m, 15mins, 30m]\n`);
    const err = configError(() => loadConfig(file, env));
    expect(err.issues).toHaveLength(1);
    expect(err.message).toMatch(/^schedule\.ladder\[3\]: invalid duration "15mins"/);
  });

  it('reports a zero ladder rung and a duration of the wrong type', () => {
    const err = configError(() =>
      parseConfig(
        {
          database: 'x.db',
          watches: [{ id: 'a', weibo: { keywords: ['k'] } }],
          schedule: { ladder: [0], confirmAfter: true },
        },
        '<t>',
        env,
      ),
    );
    expect(err.issues.map((i) => i.path)).toEqual(['schedule.ladder[0]', 'schedule.confirmAfter']);
    expect(err.issues[0]?.message).toBe('expected a duration > 0, received 0');
    expect(err.issues[1]?.message).toMatch(/^expected a duration, received boolean/);
  });

  it('refuses a bare-number duration, asking for its unit; a bare 0 is zero', () => {
    const file = writeYaml(
      `${MINIMAL}platforms:\n  weibo: { minInterval: 2 }\n  netease: { minInterval: 0, timeout: 1.5 }\nschedule:\n  ladder: [2m, 300]\n  confirmAfter: 0\n`,
    );
    const err = configError(() => loadConfig(file, env));
    expect(err.issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'platforms.weibo.minInterval: a bare number has no unit: write 2s for seconds or 2ms for milliseconds',
      'platforms.netease.timeout: a bare number has no unit: write 1.5s for seconds or 1.5ms for milliseconds',
      'schedule.ladder[1]: a bare number has no unit: write 300s for seconds or 300ms for milliseconds',
    ]);
    const ok = loadConfig(writeYaml(`${MINIMAL}platforms:\n  netease: { minInterval: 0 }\n`), env);
    expect(ok.platforms.netease.minInterval).toBe(0);
  });

  it('refuses a ladder rung shorter than the one before it, and takes equal rungs', () => {
    const err = configError(() => loadConfig(writeYaml(`${MINIMAL}schedule:\n  ladder: [1h, 5m]\n`), env));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ path: 'schedule.ladder[1]', line: expect.any(Number) });
    expect(err.issues[0]?.message).toBe(
      '5m is shorter than the rung before it (1h): the ladder goes from dense to sparse, each interval at least as long as the one before',
    );
    // Every rung out of order is named, not only the first.
    const two = configError(() =>
      loadConfig(writeYaml(`${MINIMAL}schedule:\n  ladder: [10m, 2m, 1h, 30m, 30m]\n`), env),
    );
    expect(two.issues.map((i) => i.path)).toEqual(['schedule.ladder[1]', 'schedule.ladder[3]']);
    const flat = loadConfig(writeYaml(`${MINIMAL}schedule:\n  ladder: [5m, 5m, 1h, 1h]\n`), env);
    expect(flat.schedule.ladder).toEqual([300_000, 300_000, 3_600_000, 3_600_000]);
  });

  it('reports an unknown host naming platforms.<p>.hosts.<host>', () => {
    const file = writeYaml(
      `${MINIMAL}platforms:\n  weibo:\n    hosts: { "m.weibo.com": "http://127.0.0.1:8081" }\n`,
    );
    const err = configError(() => loadConfig(file, env));
    expect(err.issues[0]?.path).toBe('platforms.weibo.hosts.m.weibo.com');
    expect(err.message).toMatch(
      /^platforms\.weibo\.hosts\.m\.weibo\.com: unknown weibo host \(known: m\.weibo\.cn, /,
    );
  });

  it('reports a host remapped to something other than an http(s) base URL', () => {
    const err = configError(() =>
      parseConfig(
        {
          database: 'x.db',
          watches: [{ id: 'a', weibo: { keywords: ['k'] } }],
          platforms: { netease: { hosts: { 'www.163.com': 'ftp://mirror' } } },
        },
        '<t>',
        env,
      ),
    );
    expect(err.message).toBe(
      'platforms.netease.hosts.www.163.com: expected an http(s) base URL, received "ftp://mirror"',
    );
  });

  it('reports a duplicate watch id at the second occurrence', () => {
    const file = writeYaml(
      'database: x.db\nwatches:\n  - id: a\n    weibo: { keywords: [x] }\n  - id: b\n    weibo: { keywords: [y] }\n  - id: a\n    netease: { keywords: [z] }\n',
    );
    const err = configError(() => loadConfig(file, env));
    expect(err.message).toBe('watches[2].id: duplicate watch id "a" (also watches[0]) (line 7)');
  });

  it('reports a watch with nothing to watch', () => {
    const err = configError(() =>
      parseConfig({ database: 'x.db', watches: [{ id: 'empty', weibo: { keywords: [] } }] }, '<t>', env),
    );
    expect(err.issues).toHaveLength(1);
    expect(err.message).toMatch(/^watches\[0\]: nothing to watch/);
  });

  it('reports an unknown watch id asked for with --watch', () => {
    const config = parseConfig(
      {
        database: 'x.db',
        watches: [
          { id: 'a', weibo: { keywords: ['k'] } },
          { id: 'b', netease: { accounts: ['n'] } },
        ],
      },
      '<t>',
      env,
    );
    expect(requireWatch(config, 'b').id).toBe('b');
    const err = configError(() => requireWatch(config, 'x'));
    expect(err.message).toBe('--watch: unknown watch id "x" (known: a, b)');
  });

  it('reports an unknown top-level key with a suggestion', () => {
    const err = configError(() => loadConfig(writeYaml(`${MINIMAL}watchs: []\n`), env));
    expect(err.message).toBe('watchs: unknown key (did you mean "watches"?) (line 6)');
  });

  it('reports an unknown nested key', () => {
    const file = writeYaml(`${MINIMAL}platforms:\n  weibo:\n    minIntervall: 2s\n`);
    const err = configError(() => loadConfig(file, env));
    expect(err.issues[0]?.path).toBe('platforms.weibo.minIntervall');
    expect(err.issues[0]?.message).toBe('unknown key (did you mean "minInterval"?)');
  });

  it('reports a YAML syntax error with its line and column', () => {
    const file = writeYaml('database: x.db\nwatches:\n  - id: a\n    weibo: { keywords: [x }\n');
    const err = configError(() => loadConfig(file, env));
    expect(err.issues.length).toBeGreaterThan(0);
    expect(err.issues[0]?.path).toMatch(
      new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:\\d+$`),
    );
    expect(err.message).toContain('YAML syntax error');
    expect(err.message.split('\n')).toHaveLength(err.issues.length);
  });

  it('reports several errors at once, one per line', () => {
    const file = writeYaml(
      [
        'database: 7',
        'concurrency: many',
        'watches:',
        '  - id: "bad id"',
        '    weibo: { keywords: x, searchType: 2 }',
        'schedule: { confirmAfter: soon }',
        '',
      ].join('\n'),
    );
    const err = configError(() => loadConfig(file, env));
    const lines = err.message.split('\n');
    expect(lines).toHaveLength(6);
    expect(err.issues.map((i) => i.path).sort()).toEqual(
      [
        'concurrency',
        'database',
        'schedule.confirmAfter',
        'watches[0].id',
        'watches[0].weibo.keywords',
        'watches[0].weibo.searchType',
      ].sort(),
    );
    expect(lines).toContain('watches[0].weibo.searchType: expected one of 1, 60, 61, received 2 (line 5)');
  });

  it('reports a missing cookieFile with its resolved path', () => {
    const file = writeYaml(`${MINIMAL}platforms:\n  weibo:\n    cookieFile: no-such-dir/weibo.cookie\n`);
    const err = configError(() => loadConfig(file, env));
    const expected = path.resolve('no-such-dir/weibo.cookie');
    expect(err.message).toBe(`platforms.weibo.cookieFile: cannot read ${expected}: no such file (line 8)`);
  });

  it('reports a webhook secretEnv that is not set and a webhook naming an unknown watch', () => {
    const err = configError(() =>
      parseConfig(
        {
          database: 'x.db',
          watches: [{ id: 'a', weibo: { keywords: ['k'] } }],
          alerts: {
            webhooks: [
              { name: 'n', url: 'https://hooks.example.org/x', secretEnv: 'CW_TEST_UNSET', watches: ['zz'] },
            ],
          },
        },
        '<t>',
        {},
      ),
    );
    expect(err.message.split('\n')).toEqual([
      'alerts.webhooks[0].secretEnv: environment variable CW_TEST_UNSET is not set',
      'alerts.webhooks[0].watches[0]: unknown watch id "zz" (known: a)',
    ]);
  });

  it('reports a webhook secret that is not whsec_ base64, without showing it', () => {
    const err = configError(() =>
      parseConfig(
        {
          database: 'x.db',
          watches: [{ id: 'a', weibo: { keywords: ['k'] } }],
          alerts: { webhooks: [{ name: 'n', url: 'https://hooks.example.org/x', secretEnv: 'CW_BAD' }] },
        },
        '<t>',
        { CW_BAD: 'whsec_not*base64!' },
      ),
    );
    expect(err.message).toBe('alerts.webhooks[0].secretEnv: webhook secret is not whsec_ followed by base64');
    expect(err.message).not.toContain('not*base64!');
  });

  it('reports a config file that does not exist', () => {
    const err = configError(() => loadConfig(path.join(writeYaml(''), '..', 'absent.yaml'), env));
    expect(err.issues[0]?.path).toBe('--config');
    expect(err.message).toMatch(/absent\.yaml: no such file$/);
  });

  it('asks for quotes around ids that lost digits as YAML numbers', () => {
    // 20 digits: YAML reads it as a float that has already lost its last digits.
    const file = writeYaml(
      'database: x.db\nwatches:\n  - id: a\n    weibo: { posts: [48951234567890123456] }\n',
    );
    const err = configError(() => loadConfig(file, env));
    expect(err.issues[0]?.path).toBe('watches[0].weibo.posts[0]');
    expect(err.issues[0]?.message).toMatch(/^quote this id/);
    // The rounded number is named as what YAML read, never offered as the id to quote.
    expect(err.issues[0]?.message).toBe(
      'quote this id so every digit is kept: unquoted, YAML reads it as the number 48951234567890125000, which has lost digits',
    );
  });
});
