import * as fs from 'node:fs';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { configWarnings, decodeUtf8, LIMITS, loadConfig, parseConfig } from '../../../src/config';
import { configError, MINIMAL, removeTempDirs, tempDir, writeYaml } from './helpers';

const env = {};
afterEach(removeTempDirs);

const WATCHES = [{ id: 'a', weibo: { keywords: ['k'] } }];

/** Parses `extra` merged over a minimal valid config and returns the issues as `path: message`. */
function problems(extra: Record<string, unknown>, vars: NodeJS.ProcessEnv = env): string[] {
  return configError(() =>
    parseConfig({ database: 'x.db', watches: WATCHES, ...extra }, '<t>', vars),
  ).message.split('\n');
}

describe('a config file that is not UTF-8', () => {
  it('names the line of a GBK keyword instead of running it as mojibake', () => {
    const dir = tempDir();
    const file = path.join(dir, 'gbk.yaml');
    const gbk = iconv.encode('联合国 决议', 'gbk');
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('database: x.db\nwatches:\n  - id: a\n    weibo:\n      keywords:\n        - "'),
        gbk,
        Buffer.from('"\n'),
      ]),
    );
    const err = configError(() => loadConfig(file, env));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]?.path).toBe(`${file}:6:12`);
    expect(err.issues[0]?.message).toBe(
      `not UTF-8 (bytes ${[...gbk.subarray(0, 4)].map((b) => `0x${b.toString(16).toUpperCase()}`).join(' ')}); it reads as GBK/GB18030: "- "联合国 决议"": save the file as UTF-8`,
    );
  });

  it('reports bad bytes together with every other problem in the file', () => {
    const file = path.join(tempDir(), 'mixed.yaml');
    fs.writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('database: x.db\nconcurrency: 0\nwatches:\n  - id: a\n    name: "'),
        Buffer.from([0xff, 0xfe, 0x41]),
        Buffer.from('"\n    weibo: { keywords: [k] }\n'),
      ]),
    );
    const err = configError(() => loadConfig(file, env));
    expect(err.issues.map((i) => i.path)).toEqual([`${file}:5:12`, 'concurrency']);
    expect(err.issues[0]?.message).toBe('not UTF-8 (bytes 0xFF 0xFE 0x41 0x22): save the file as UTF-8');
  });

  it('says UTF-16 when the file starts with a UTF-16 byte order mark', () => {
    const file = path.join(tempDir(), 'utf16.yaml');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MINIMAL, 'utf16le')]));
    const err = configError(() => loadConfig(file, env));
    expect(err.message.split('\n')[0]).toBe(`${file}:1:1: the file is UTF-16: save it as UTF-8`);
  });

  it('accepts UTF-8 with a byte order mark', () => {
    const file = path.join(tempDir(), 'bom.yaml');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MINIMAL)]));
    expect(loadConfig(file, env).watches[0]?.weibo.keywords).toEqual(['联合国 决议']);
  });

  it('caps the report of a file full of bad lines', () => {
    const lines = Array.from({ length: 30 }, () => iconv.encode('# 注释\n', 'gbk'));
    const { problems } = decodeUtf8(Buffer.concat([Buffer.from(MINIMAL), ...lines]));
    expect(problems).toHaveLength(11);
    expect(problems[10]?.message).toBe('and 20 more lines that are not UTF-8');
  });

  it('refuses a cookie file that is not UTF-8, naming the field', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'weibo.cookie'), iconv.encode('SUB=微博', 'gbk'));
    const file = writeYaml(
      `${MINIMAL}platforms:\n  weibo:\n    cookieFile: ${JSON.stringify(path.join(dir, 'weibo.cookie'))}\n`,
    );
    const err = configError(() => loadConfig(file, env));
    expect(err.issues[0]?.path).toBe('platforms.weibo.cookieFile');
    expect(err.issues[0]?.message).toMatch(/: line 1: not UTF-8 \(bytes /);
  });
});

describe('numbers have bounds, each error naming its path', () => {
  it('concurrency, maxPages, confirmGone and maxAttempts', () => {
    expect(
      problems({
        concurrency: 1e12,
        watches: [{ id: 'a', weibo: { keywords: ['k'], maxPages: 101 }, netease: { maxPages: 0 } }],
        schedule: { confirmGone: 1e12 },
        alerts: {
          webhooks: [{ name: 'n', url: 'https://h.example.org', unsigned: true, maxAttempts: 1000 }],
        },
      }).sort(),
    ).toEqual(
      [
        'concurrency: expected a number <= 1000, received 1000000000000',
        'watches[0].weibo.maxPages: expected a number <= 100, received 101',
        'watches[0].netease.maxPages: expected a number >= 1, received 0',
        'schedule.confirmGone: expected a number <= 100, received 1000000000000',
        'alerts.webhooks[0].maxAttempts: expected a number <= 100, received 1000',
      ].sort(),
    );
  });

  it('the largest allowed values load', () => {
    const config = parseConfig(
      {
        database: 'x.db',
        watches: [{ id: 'a', weibo: { keywords: ['k'], maxPages: LIMITS.maxPages } }],
        concurrency: LIMITS.concurrency,
        schedule: { confirmGone: LIMITS.confirmGone, ladder: ['365d'], confirmAfter: `${LIMITS.timerMs}ms` },
        platforms: { weibo: { minInterval: `${LIMITS.timerMs}ms` } },
      },
      '<t>',
      env,
    );
    expect(config.concurrency).toBe(1000);
    expect(config.platforms.weibo.minInterval).toBe(2 ** 31 - 1);
    expect(config.schedule.ladder).toEqual([365 * 86_400_000]);
  });

  it('a minInterval of 2^31 ms would overflow the timer and turn politeness off', () => {
    expect(problems({ platforms: { weibo: { minInterval: `${2 ** 31}ms` } } })).toEqual([
      'platforms.weibo.minInterval: expected a duration of at most 2147483647 ms (about 24.8 days, the longest a timer can wait), received "2147483648ms"',
    ]);
  });

  it('every duration that becomes a wait is within the timer range', () => {
    const paths = problems({
      platforms: { netease: { minInterval: '25d', backoff: { base: '25d', max: '30d' }, timeout: '4w' } },
      schedule: { discoverEvery: '25d', confirmAfter: '25d', ladder: ['2m', '366d'] },
      alerts: {
        webhooks: [
          { name: 'n', url: 'https://h.example.org', unsigned: true, digest: '25d', timeout: '25d' },
        ],
      },
    }).map((line) => line.split(':')[0]);
    expect(paths.sort()).toEqual(
      [
        'platforms.netease.minInterval',
        'platforms.netease.backoff.base',
        'platforms.netease.backoff.max',
        'platforms.netease.timeout',
        'schedule.discoverEvery',
        'schedule.confirmAfter',
        'schedule.ladder[1]',
        'alerts.webhooks[0].digest',
        'alerts.webhooks[0].timeout',
      ].sort(),
    );
  });

  it('an infinite or huge duration string is refused, not turned into Infinity', () => {
    expect(problems({ schedule: { discoverEvery: `${'9'.repeat(400)}d` } })).toEqual([
      `schedule.discoverEvery: invalid duration "${'9'.repeat(400)}d": use a duration such as 500ms, 30s, 5m, 2h, 7d`,
    ]);
  });

  it.each(['1.5', 'eight', '-1', ' '])(
    'CENSORWATCH_CONCURRENCY=%j is named with what was given, not as "received string"',
    (value) => {
      const err = configError(() => loadConfig(writeYaml(MINIMAL), { CENSORWATCH_CONCURRENCY: value }));
      expect(err.message).toBe(
        `concurrency: expected a whole number from 1 to 1000, received ${JSON.stringify(value)} (from CENSORWATCH_CONCURRENCY)`,
      );
    },
  );

  it("a bad CENSORWATCH_CONCURRENCY is reported with the file's own problems", () => {
    const err = configError(() =>
      loadConfig(writeYaml(`${MINIMAL}schedule: { confirmGone: 0 }\n`), { CENSORWATCH_CONCURRENCY: 'x' }),
    );
    expect(err.issues.map((i) => i.path).sort()).toEqual(['concurrency', 'schedule.confirmGone']);
  });

  it('CENSORWATCH_CONCURRENCY is bounded like the key it overrides', () => {
    const err = configError(() => loadConfig(writeYaml(MINIMAL), { CENSORWATCH_CONCURRENCY: '99999' }));
    expect(err.message).toBe(
      'concurrency: expected a number <= 1000, received 99999 (from CENSORWATCH_CONCURRENCY)',
    );
  });
});

describe('webhooks', () => {
  it('a webhook without a secret is refused unless it says unsigned: true', () => {
    expect(problems({ alerts: { webhooks: [{ name: 'n', url: 'https://h.example.org' }] } })).toEqual([
      'alerts.webhooks[0]: no secret: give secretEnv, secretFile or secret (whsec_…), or unsigned: true to send deliveries without a signature',
    ]);
    expect(
      problems({ alerts: { webhooks: [{ name: 'n', url: 'https://h.example.org', unsigned: false }] } }),
    ).toHaveLength(1);
  });

  it('unsigned: true loads, and the start-up warning names the webhook', () => {
    const config = parseConfig(
      {
        database: 'x.db',
        watches: WATCHES,
        alerts: {
          webhooks: [
            { name: 'lab', url: 'https://h.example.org', unsigned: true },
            { name: 'signed', url: 'https://h.example.org', secretEnv: 'CW_S' },
          ],
        },
      },
      '<t>',
      { CW_S: 'whsec_c2VjcmV0' },
    );
    expect(config.alerts.webhooks.map((h) => h.secret)).toEqual([null, 'whsec_c2VjcmV0']);
    expect(configWarnings(config)).toEqual([
      {
        path: 'alerts.webhooks[0]',
        message:
          'webhook "lab" sends unsigned deliveries (unsigned: true): its receiver cannot tell them from forged ones',
      },
    ]);
  });

  it('unsigned: true beside a secret is a contradiction', () => {
    expect(
      problems(
        {
          alerts: {
            webhooks: [{ name: 'n', url: 'https://h.example.org', secretEnv: 'CW_S', unsigned: true }],
          },
        },
        { CW_S: 'whsec_c2VjcmV0' },
      ),
    ).toEqual([
      'alerts.webhooks[0].unsigned: a webhook with a secretEnv is signed: drop unsigned: true or the secret',
    ]);
  });

  it('keeps a query string in a webhook URL, refuses a fragment and other schemes', () => {
    const url = 'https://chat.example.org/v1/spaces/AAA/messages?key=k1&token=t%3D2';
    const config = parseConfig(
      { database: 'x.db', watches: WATCHES, alerts: { webhooks: [{ name: 'n', url, unsigned: true }] } },
      '<t>',
      env,
    );
    expect(config.alerts.webhooks[0]?.url).toBe(url);
    expect(
      problems({
        alerts: {
          webhooks: [
            { name: 'a', url: 'https://h.example.org/x#frag', unsigned: true },
            { name: 'b', url: 'ftp://h.example.org/x', unsigned: true },
            { name: 'c', url: 'not a url', unsigned: true },
          ],
        },
      }),
    ).toEqual([
      'alerts.webhooks[0].url: a fragment (#…) is never sent to the receiver: leave it out',
      'alerts.webhooks[1].url: expected an http(s) URL, received "ftp://h.example.org/x"',
      'alerts.webhooks[2].url: expected an http(s) URL, received "not a url"',
    ]);
  });
});

describe('queue.redis', () => {
  it.each(['rediss://', 'redis://', 'rediss://:password@', 'redis:///0'])('%s needs a host', (url) => {
    const [line] = problems({ queue: { redis: url } });
    expect(line).toMatch(/^queue\.redis: rediss?:\/\/ needs a host, e\.g\. /);
  });

  it('accepts a host, a port, credentials and a database number', () => {
    for (const url of ['redis://127.0.0.1:6379', 'rediss://user:pw@redis.example.org:6380/2', 'redis://r']) {
      expect(
        parseConfig({ database: 'x.db', watches: WATCHES, queue: { redis: url } }, '<t>', env).queue.redis,
      ).toBe(url);
    }
  });

  it('refuses other schemes and a path that is not a database number, also from CENSORWATCH_REDIS', () => {
    expect(problems({ queue: { redis: 'http://r:6379' } })).toEqual([
      'queue.redis: expected a redis://HOST[:PORT][/DB] or rediss://… URL, received "http://r:6379"',
    ]);
    expect(problems({ queue: { redis: 'redis://r/queue' } })).toEqual([
      'queue.redis: the path is a database number (/0 to /15), received "/queue"',
    ]);
    const err = configError(() => loadConfig(writeYaml(MINIMAL), { CENSORWATCH_REDIS: 'rediss://' }));
    expect(err.message).toMatch(/^queue\.redis: rediss:\/\/ needs a host.* \(from CENSORWATCH_REDIS\)$/);
  });
});

describe('header values', () => {
  it('a User-Agent must be one line', () => {
    expect(problems({ platforms: { netease: { userAgent: 'Mozilla/5.0\r\nX-Injected: 1' } } })).toEqual([
      'platforms.netease.userAgent: a User-Agent must be one line without control characters',
    ]);
  });
});

describe('fails once, completely', () => {
  it('an explicit post or article the platform cannot read is reported with the other problems', () => {
    expect(
      problems({
        concurrency: 0,
        watches: [
          {
            id: 'a',
            weibo: { posts: ['https://example.com/not-weibo', 4895123456789012] },
            netease: { articles: ['not an article!'] },
          },
        ],
      }),
    ).toEqual([
      'watches[0].weibo.posts[0]: not a weibo URL or id: "https://example.com/not-weibo"',
      'watches[0].netease.articles[0]: not a netease URL or id: "not an article!"',
      'concurrency: expected a number >= 1, received 0',
    ]);
  });
});
