import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp';
import { cli } from './helpers';

const dir = tempDir('censorwatch-cli-');

function configFile(name: string, yaml: string): string {
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

const GOOD_WATCH = `watches:\n  - id: un-vote-2023\n    name: UN vote\n    weibo: { keywords: ["联合国 欧洲委员会 决议"] }\n`;

describe('bad config exits 2 with a message naming the field, and writes nothing', () => {
  const cases: [string, string, RegExp][] = [
    ['missing key', GOOD_WATCH, /database: required/],
    [
      'wrong type',
      `database: ${dir}/a.db\nwatches:\n  - id: w\n    weibo: { keywords: "联合国" }\n`,
      /watches\[0\]\.weibo\.keywords: expected array/,
    ],
    [
      'bad duration',
      `database: ${dir}/b.db\nschedule: { ladder: [2m, 5m, soon] }\n${GOOD_WATCH}`,
      /schedule\.ladder\[2\]/,
    ],
    [
      'unknown host',
      `database: ${dir}/c.db\nplatforms:\n  weibo:\n    hosts: { "m.weibo.com": "http://127.0.0.1:1" }\n${GOOD_WATCH}`,
      /platforms\.weibo\.hosts\.m\.weibo\.com|platforms\.weibo\.hosts\["m\.weibo\.com"\]/,
    ],
    [
      'duplicate watch id',
      `database: ${dir}/d.db\n${GOOD_WATCH}  - id: un-vote-2023\n    weibo: { keywords: ["x"] }\n`,
      /watches\[1\]\.id/,
    ],
    [
      'unusable post URL',
      `database: ${dir}/e.db\nwatches:\n  - id: w\n    weibo: { posts: ["https://example.com/not-weibo"] }\n`,
      /watches\[0\]\.weibo\.posts\[0\]/,
    ],
    [
      'the same post twice in one watch, as URL and as mid',
      `database: ${dir}/f.db\nwatches:\n  - id: w\n    weibo:\n      posts:\n        - "https://m.weibo.cn/detail/4383411844046171"\n        - "4383411844046172"\n        - "4383411844046171"\n`,
      /^ {2}watches\[0\]\.weibo\.posts\[2\]: same post as watches\[0\]\.weibo\.posts\[0\] \(both are mid 4383411844046171\); remove one \(line 8\)$/m,
    ],
    [
      'a watch id in Chinese',
      `database: ${dir}/g.db\nwatches:\n  - id: 联合国\n    weibo: { keywords: ["联合国"] }\n`,
      /^ {2}watches\[0\]\.id: expected an id of ASCII letters A-Z a-z, digits 0-9, "-" and "_" only \(no spaces or Chinese characters: put the topic's own words in name\), received "联合国"/m,
    ],
  ];

  it.each(cases)('%s', async (_name, yaml, message) => {
    const file = configFile(`${_name.replace(/\W+/g, '-')}.yaml`, yaml);
    const r = await cli(['run', '--config', file, '--duration', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    // Nothing written: no database file appeared.
    const db = /database: (\S+)/.exec(yaml)?.[1];
    if (db) expect(existsSync(db)).toBe(false);
  });

  it('the same post in two watches is allowed: it belongs to both', async () => {
    const db = join(dir, 'two-watches.db');
    const file = configFile(
      'two-watches.yaml',
      `database: ${db}\nwatches:\n  - id: a\n    weibo: { posts: ["4383411844046171"] }\n  - id: b\n    weibo: { posts: ["https://m.weibo.cn/detail/4383411844046171"] }\n`,
    );
    const r = await cli(['status', '--config', file, '--no-session']);
    // Past the config: the next complaint is the database that was never created.
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`database: ${db} does not exist`);
    expect(r.stderr).not.toContain('same post');
  });

  it('an unknown watch id on the command line', async () => {
    const file = configFile('ok.yaml', `database: ${dir}/ok.db\n${GOOD_WATCH}`);
    const r = await cli(['export', '--config', file, '--format', 'jsonl', '--watch', 'no-such-watch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--watch: unknown watch id "no-such-watch" \(known: un-vote-2023\)/);
    expect(r.stdout).toBe('');
  });

  it('a bad option value is bad usage too', async () => {
    const file = configFile('ok2.yaml', `database: ${dir}/ok2.db\n${GOOD_WATCH}`);
    const r = await cli(['run', '--config', file, '--duration', 'forever']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/duration/);
  });

  it('metrics off loopback without a token is bad usage, and nothing is written', async () => {
    const file = configFile('ok3.yaml', `database: ${dir}/ok3.db\n${GOOD_WATCH}`);
    const r = await cli(['run', '--config', file, '--duration', '1s', '--metrics', '0.0.0.0:9464'], {
      env: { CENSORWATCH_METRICS_TOKEN: '' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--metrics: binding to 0\.0\.0\.0 needs a token/);
    expect(existsSync(`${dir}/ok3.db`)).toBe(false);
  });
});
