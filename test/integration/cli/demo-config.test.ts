/**
 * `demo --config`: a researcher's own watches, with keywords and accounts no scenario knows, run
 * through the built CLI against a world made from them; then `report`, `claim` and `export` on the
 * database it kept, through the config it wrote beside it. Bounded on the simulated clock (one
 * day, a ladder of hours), so a loaded machine only makes it slower, never different.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './helpers';

const BIN = join(__dirname, '../../../bin/censorwatch.js');
const dir = mkdtempSync(join(tmpdir(), 'censorwatch-demo-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const OWN_DB = join(dir, 'own', 'real.db');
const WEIBO_KEYWORDS = ['从未见过的关键词 甲', '联合国 决议 投票'];
const WEIBO_UID = '2345678901';
const NETEASE_KEYWORD = '网易 未知 话题';
const NETEASE_ACCOUNT = '从未见过的网易号';
const BASELINE_KEYWORD = '家常菜 做法';
const WEIBO_POST = '4895123456789012';
const NETEASE_ARTICLE = 'JQ3PK0VB0001899O';

const configFile = join(dir, 'watch.yaml');
writeFileSync(
  configFile,
  `# my own watches
database: ${OWN_DB}
platforms:
  weibo:
    cookie: "SUB=not-for-the-simulator"
schedule:
  discoverEvery: 2h
  ladder: [15m, 1h, 4h, 12h]
  confirmGone: 2
  confirmAfter: 1m
alerts:
  webhooks:
    - name: newsroom
      url: https://hooks.example.org/never-called
      unsigned: true
watches:
  - id: my-topic
    name: My topic
    weibo:
      keywords: ${JSON.stringify(WEIBO_KEYWORDS)}
      accounts: ["${WEIBO_UID}"]
      posts: ["https://m.weibo.cn/detail/${WEIBO_POST}"]
    netease:
      keywords: ["${NETEASE_KEYWORD}"]
      accounts: ["${NETEASE_ACCOUNT}"]
      articles: ["https://www.163.com/news/article/${NETEASE_ARTICLE}.html"]
  - id: my-baseline
    name: Everyday cooking (baseline)
    weibo: { keywords: ["${BASELINE_KEYWORD}"] }
`,
);

interface Row {
  platform: string;
  id: string;
  keywords: string[];
  author: string | null;
  authorId: string | null;
  watches: string[];
  verdict: string;
}

describe('demo --config on watches no scenario knows', () => {
  const db = join(dir, 'kept', 'try.db');
  const derived = join(dir, 'kept', 'try.yaml');
  let demo: Awaited<ReturnType<typeof cli>>;

  beforeAll(async () => {
    demo = await cli(['demo', '--config', configFile, '--days', '1', '--db', db], { timeoutMs: 300_000 });
  }, 320_000);

  it('finishes, keeps the database and says how to report on it, never touching the config database', () => {
    expect({ code: demo.code, stderr: demo.code === 0 ? '' : demo.stderr }).toEqual({ code: 0, stderr: '' });
    expect(existsSync(db)).toBe(true);
    expect(existsSync(OWN_DB)).toBe(false);
    expect(existsSync(join(dir, 'own'))).toBe(false);
    expect(demo.stderr).toContain(`database ${db}`);
    expect(demo.stderr).toContain(
      `npx censorwatch report --config ${derived} --watch my-topic --baseline my-baseline --format html`,
    );
    expect(demo.stderr).toContain(
      `npx censorwatch claim --config ${derived} --watch my-topic --baseline my-baseline`,
    );
    // Not a TTY: a line per simulated day and a last one.
    expect(demo.stderr).toMatch(/^demo: day 1\/1 \(simulated .* UTC\): \d+ checks, /m);
    expect(demo.stderr).toMatch(/^demo: done /m);
    // The report and the topic's claim on stdout.
    expect(demo.stdout).toContain('# censorwatch report');
    expect(demo.stdout).toContain('## Claim: My topic');
    expect(demo.stdout).toMatch(/^Ground truth check: (EQUAL|DIFFERENT)$/m);
  });

  it('never logs simulated traffic as if it were real: every request logged names the simulator', () => {
    const logged = demo.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { url?: string; sentTo?: string; simulated?: string });
    const requests = logged.filter(
      (l) => typeof l.url === 'string' && /^https:\/\/[^/]*(weibo|163)\./.test(l.url),
    );
    const unmarked = requests.filter(
      (l) => !/^http:\/\/127\.0\.0\.1:\d+$/.test(l.sentTo ?? '') || l.simulated !== l.sentTo,
    );
    expect(unmarked).toEqual([]);
  });

  it('writes a config that keeps the watches, points every host at the simulator and drops what reaches outside', () => {
    const yaml = readFileSync(derived, 'utf8');
    expect(yaml).toContain(`database: ${db}`);
    expect(yaml).toContain('# my own watches');
    expect(yaml).toMatch(/m\.weibo\.cn: http:\/\/127\.0\.0\.1:\d+/);
    expect(yaml).toMatch(/www\.163\.com: http:\/\/127\.0\.0\.1:\d+/);
    expect(yaml).not.toContain('not-for-the-simulator');
    expect(yaml).not.toContain('hooks.example.org');
    expect(yaml).toContain(NETEASE_ACCOUNT);
  });

  it('has targets for every keyword and account of the config', async () => {
    const r = await cli(['export', '--config', derived, '--format', 'jsonl']);
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Row);
    const count = (f: (x: Row) => boolean): number => rows.filter(f).length;
    const found = {
      ...Object.fromEntries(
        WEIBO_KEYWORDS.map((k) => [
          `weibo ${k}`,
          count((x) => x.platform === 'weibo' && x.keywords.includes(k)),
        ]),
      ),
      [`weibo account ${WEIBO_UID}`]: count((x) => x.platform === 'weibo' && x.authorId === WEIBO_UID),
      [`netease ${NETEASE_KEYWORD}`]: count(
        (x) => x.platform === 'netease' && x.keywords.includes(NETEASE_KEYWORD),
      ),
      [`netease account ${NETEASE_ACCOUNT}`]: count(
        (x) => x.platform === 'netease' && x.author === NETEASE_ACCOUNT,
      ),
      [`weibo post ${WEIBO_POST}`]: count((x) => x.platform === 'weibo' && x.id === WEIBO_POST),
      [`netease article ${NETEASE_ARTICLE}`]: count(
        (x) => x.platform === 'netease' && x.id === NETEASE_ARTICLE,
      ),
      [`baseline ${BASELINE_KEYWORD}`]: count(
        (x) => x.watches.includes('my-baseline') && x.keywords.includes(BASELINE_KEYWORD),
      ),
    };
    // Named, so a failure says which keyword or account found nothing.
    const empty = Object.entries(found).filter(([, n]) => n === 0);
    expect(empty).toEqual([]);
    expect(Object.keys(found)).toHaveLength(8);
    // The world's topic loses posts, some of them to the platform.
    expect(count((x) => x.watches.includes('my-topic') && x.verdict === 'gone')).toBeGreaterThan(0);
    // The demo's last line counts what export has, explicit posts and articles included.
    const done = /^demo: done .*: \d+ checks, \d+ searches and timelines, (\d+) posts, (\d+) gone$/m.exec(
      demo.stderr,
    );
    expect(done && [Number(done[1]), Number(done[2])]).toEqual([
      rows.length,
      count((x) => x.verdict === 'gone'),
    ]);
  });

  it('reports and claims on the kept database', async () => {
    const html = join(dir, 'report.html');
    const report = await cli([
      'report',
      '--config',
      derived,
      '--baseline',
      'my-baseline',
      '--format',
      'html',
      '--out',
      html,
    ]);
    expect({ code: report.code, stderr: report.stderr }).toEqual({ code: 0, stderr: '' });
    expect(readFileSync(html, 'utf8')).toContain('My topic');
    const claim = await cli([
      'claim',
      '--config',
      derived,
      '--watch',
      'my-topic',
      '--baseline',
      'my-baseline',
      '--format',
      'json',
    ]);
    expect({ code: claim.code, stderr: claim.stderr }).toEqual({ code: 0, stderr: '' });
    const json = JSON.parse(claim.stdout) as {
      watch: string;
      topic: { posts: number; seenAlive: number; gone: number };
    };
    expect(json.watch).toBe('my-topic');
    expect(json.topic.seenAlive).toBeGreaterThan(0);
    expect(json.topic.gone).toBeGreaterThan(0);
  });
});

describe('demo usage errors', () => {
  it.each([['0'], ['31'], ['-1'], ['a week']])('--days %s: exit 2 naming --days', async (days) => {
    const r = await cli(['demo', '--config', configFile, '--days', days]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--days');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it("--db that is the config's own database: exit 2 naming --db, nothing written", async () => {
    const r = await cli(['demo', '--config', configFile, '--days', '1', '--db', OWN_DB]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--db');
    expect(r.stderr).toContain("the config's own database");
    expect(existsSync(join(dir, 'own'))).toBe(false);
  });

  it('--db that exists: exit 2 naming --db, the file left as it was', async () => {
    const existing = join(dir, 'existing.db');
    writeFileSync(existing, 'mine');
    const r = await cli(['demo', '--config', configFile, '--db', existing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--db');
    expect(readFileSync(existing, 'utf8')).toBe('mine');
  });
});

describe('an earlier demo’s database', () => {
  it('is replaced, so the quick start runs twice; a file beside a config without the mark is not', async () => {
    const earlier = join(dir, 'earlier.db');
    writeFileSync(earlier, 'an earlier demo');
    writeFileSync(join(dir, 'earlier.yaml'), '# censorwatch demo: the watches of watch.yaml\ndatabase: x\n');
    const r = await cli(['demo', '--config', configFile, '--days', '0.1', '--db', earlier], {
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`replacing ${earlier}, an earlier demo's database`);
    expect(readFileSync(earlier).subarray(0, 15).toString()).toBe('SQLite format 3');
    expect(readFileSync(join(dir, 'earlier.yaml'), 'utf8').startsWith('# censorwatch demo:')).toBe(true);

    const other = join(dir, 'other.db');
    writeFileSync(other, 'mine');
    writeFileSync(join(dir, 'other.yaml'), 'database: other.db\n');
    const refused = await cli(['demo', '--config', configFile, '--db', other]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not an earlier demo');
    expect(readFileSync(other, 'utf8')).toBe('mine');
  }, 130_000);
});

describe('the temporary database', () => {
  it('is removed when the demo ends', async () => {
    const tmp = join(dir, 'tmp-end');
    mkdirSync(tmp);
    const r = await cli(['demo', '--config', configFile, '--days', '0.1'], {
      env: { TMPDIR: tmp },
      timeoutMs: 120_000,
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/database .*demo\.db \(temporary, removed on exit/);
    expect(readdirSync(tmp)).toEqual([]);
  }, 130_000);

  it('is removed on Ctrl-C, and the exit code says interrupted', async () => {
    const tmp = join(dir, 'tmp-int');
    mkdirSync(tmp);
    const child = spawn(process.execPath, [BIN, 'demo', '--config', configFile, '--days', '30'], {
      env: { ...process.env, CENSORWATCH_LOG: 'warn', TMPDIR: tmp },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Interrupt once the run has started and its database exists.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/\(temporary, removed on exit/.test(stderr)) resolve();
      });
      child.on('close', () => reject(new Error(`exited before starting: ${stderr}`)));
    });
    expect(readdirSync(tmp)).toHaveLength(1);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(readdirSync(tmp)).toEqual([]);
    expect(stderr).toMatch(/^demo: interrupted /m);
  }, 120_000);
});
