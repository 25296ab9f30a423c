import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  DEFAULTS,
  ENV_OVERRIDES,
  loadConfig,
  NETEASE_HOSTS,
  parseConfig,
  WEIBO_HOSTS,
} from '../../../src/config';
import { configError, MINIMAL, removeTempDirs, tempDir, writeYaml } from './helpers';

afterEach(removeTempDirs);

describe('loadConfig defaults', () => {
  it('fills platforms, schedule, alerts, queue and browser when left out', () => {
    const config = loadConfig(writeYaml(MINIMAL), {});
    expect(config.database).toBe(path.resolve('data/test.db'));
    expect(config.platforms.weibo).toMatchObject({
      cookie: '',
      cookieFile: null,
      minInterval: 2_000,
      backoff: { base: 5_000, max: 600_000 },
      timeout: 20_000,
      proxies: [],
      userAgent: null,
    });
    expect(config.platforms.netease.minInterval).toBe(1_000);
    // Unmapped hosts point at the real platform, so a lookup never misses.
    expect(Object.keys(config.platforms.weibo.hosts)).toEqual([...WEIBO_HOSTS]);
    expect(config.platforms.netease.hosts['comment.api.163.com']).toBe('https://comment.api.163.com');
    expect(Object.keys(config.platforms.netease.hosts)).toEqual([...NETEASE_HOSTS]);
    expect(config.schedule).toEqual({
      discoverEvery: 120_000,
      // Adaptive discovery between half and five times discoverEvery.
      discoverMin: 60_000,
      discoverMax: 600_000,
      listingChecks: true,
      ladder: [2, 5, 10, 15, 30, 45, 60, 120, 240, 480, 720, 1440, 2880, 4320, 10080, 20160, 43200].map(
        (m) => m * 60_000,
      ),
      confirmGone: 2,
      confirmAfter: 60_000,
      jitter: 0.1,
    });
    expect(config.alerts).toEqual({ webhooks: [] });
    expect(config.queue).toEqual({ redis: null, prefix: 'censorwatch' });
    expect(config.concurrency).toBe(8);
    expect(config.browser.headless).toBe(true);
    expect(config.browser.executablePath).toBe(
      fs.existsSync(DEFAULTS.browser.executablePath) ? DEFAULTS.browser.executablePath : null,
    );
    expect(config.watches[0]).toEqual({
      id: 'w1',
      name: 'One',
      weibo: {
        keywords: ['联合国 决议'],
        accounts: [],
        posts: [],
        searchType: 1,
        maxPages: 3,
        comments: false,
      },
      netease: { keywords: [], accounts: [], articles: [], maxPages: 3, comments: false },
    });
  });

  it('fills webhook defaults and names a watch by its id when it has no name', () => {
    const config = parseConfig(
      {
        database: ':memory:',
        watches: [{ id: 'a', netease: { articles: ['HUGE1234000189FM'] } }],
        alerts: { webhooks: [{ name: 'n', url: 'https://hooks.example.org/x', unsigned: true }] },
      },
      '<embedded>',
      {},
    );
    expect(config.database).toBe(':memory:');
    expect(config.source).toBe('<embedded>');
    expect(config.watches[0]?.name).toBe('a');
    expect(config.alerts.webhooks[0]).toEqual({
      name: 'n',
      url: 'https://hooks.example.org/x',
      secret: null,
      events: [],
      watches: [],
      format: 'standard',
      digest: null,
      timeout: 10_000,
      maxAttempts: 8,
    });
  });
});

describe('loadConfig conversions', () => {
  it('converts duration strings, and takes a bare 0 as zero', () => {
    const file = writeYaml(
      `${MINIMAL}platforms:\n  weibo: { minInterval: 500ms, backoff: { base: 30s, max: 2h }, timeout: 1500ms }\nschedule:\n  discoverEvery: 1h30m\n  ladder: [1s, 5m, 7d]\n  confirmAfter: 0\n`,
    );
    const config = loadConfig(file, {});
    expect(config.platforms.weibo.minInterval).toBe(500);
    expect(config.platforms.weibo.backoff).toEqual({ base: 30_000, max: 7_200_000 });
    expect(config.platforms.weibo.timeout).toBe(1_500);
    expect(config.schedule.discoverEvery).toBe(5_400_000);
    expect(config.schedule.ladder).toEqual([1_000, 300_000, 604_800_000]);
    expect(config.schedule.confirmAfter).toBe(0);
  });

  it('keeps remapped hosts without a trailing slash and the rest real', () => {
    const file = writeYaml(
      `${MINIMAL}platforms:\n  weibo:\n    hosts: { m.weibo.cn: "http://127.0.0.1:8081/" }\n`,
    );
    const hosts = loadConfig(file, {}).platforms.weibo.hosts;
    expect(hosts['m.weibo.cn']).toBe('http://127.0.0.1:8081');
    expect(hosts['weibo.com']).toBe('https://weibo.com');
  });

  it('keeps numeric post ids as their digits', () => {
    const config = loadConfig(
      writeYaml(
        'database: x.db\nwatches:\n  - id: a\n    weibo: { posts: [4895123456789012, "Mz1AbCdEf"] }\n',
      ),
      {},
    );
    expect(config.watches[0]?.weibo.posts).toEqual(['4895123456789012', 'Mz1AbCdEf']);
  });

  it('reads cookieFile and secretFile, trimming the trailing newline', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'weibo.cookie'), 'SUB=abc; SUBP=def\n');
    fs.writeFileSync(path.join(dir, 'hook.secret'), 'whsec_c2VjcmV0\n');
    const file = writeYaml(
      `${MINIMAL}platforms:\n  weibo: { cookieFile: ${JSON.stringify(path.join(dir, 'weibo.cookie'))} }\n` +
        `alerts:\n  webhooks:\n    - { name: a, url: "https://h.example.org", secretFile: ${JSON.stringify(path.join(dir, 'hook.secret'))} }\n` +
        `    - { name: b, url: "https://h.example.org", secretEnv: CW_HOOK_SECRET, format: slack, digest: 15m }\n`,
    );
    const config = loadConfig(file, { CW_HOOK_SECRET: 'whsec_ZW52' });
    expect(config.platforms.weibo.cookie).toBe('SUB=abc; SUBP=def');
    expect(config.platforms.weibo.cookieFile).toBe(path.join(dir, 'weibo.cookie'));
    expect(config.alerts.webhooks.map((h) => h.secret)).toEqual(['whsec_c2VjcmV0', 'whsec_ZW52']);
    expect(config.alerts.webhooks[1]).toMatchObject({ format: 'slack', digest: 900_000 });
  });
});

describe('env overrides', () => {
  it('lists the four documented variables', () => {
    expect(ENV_OVERRIDES.map((o) => o.name)).toEqual([
      'CENSORWATCH_DATABASE',
      'CENSORWATCH_REDIS',
      'CENSORWATCH_WEIBO_COOKIE',
      'CENSORWATCH_CONCURRENCY',
    ]);
  });

  it('override database, queue.redis, the weibo cookie (over cookieFile) and concurrency', () => {
    const file = writeYaml(`${MINIMAL}platforms:\n  weibo: { cookieFile: absent.cookie }\nconcurrency: 2\n`);
    const config = loadConfig(file, {
      CENSORWATCH_DATABASE: 'other/place.db',
      CENSORWATCH_REDIS: 'redis://127.0.0.1:6379',
      CENSORWATCH_WEIBO_COOKIE: 'SUB=env',
      CENSORWATCH_CONCURRENCY: '16',
    });
    expect(config.database).toBe(path.resolve('other/place.db'));
    expect(config.queue.redis).toBe('redis://127.0.0.1:6379');
    expect(config.platforms.weibo.cookie).toBe('SUB=env');
    expect(config.platforms.weibo.cookieFile).toBeNull();
    expect(config.concurrency).toBe(16);
  });

  it('ignore empty variables', () => {
    const config = loadConfig(writeYaml(MINIMAL), { CENSORWATCH_DATABASE: '', CENSORWATCH_CONCURRENCY: '' });
    expect(config.database).toBe(path.resolve('data/test.db'));
    expect(config.concurrency).toBe(8);
  });

  it('name the variable when its value is invalid', () => {
    const err = configError(() => loadConfig(writeYaml(MINIMAL), { CENSORWATCH_CONCURRENCY: 'lots' }));
    expect(err.message).toBe(
      'concurrency: expected a whole number from 1 to 1000, received "lots" (from CENSORWATCH_CONCURRENCY)',
    );
  });
});

describe('the loaded config', () => {
  it('is deeply frozen', () => {
    const config = loadConfig(writeYaml(MINIMAL), {});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.platforms.weibo.hosts)).toBe(true);
    expect(Object.isFrozen(config.schedule.ladder)).toBe(true);
    expect(Object.isFrozen(config.watches[0]?.weibo.keywords)).toBe(true);
    expect(() => {
      (config.schedule.ladder as number[]).push(1);
    }).toThrow(TypeError);
  });
});
