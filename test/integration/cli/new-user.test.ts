import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/temp';
import { guardAgainstLeaks } from '../../helpers/leak-guard';
import { cli, cliRunning, waitUntil } from './helpers';

/**
 * A new user's first runs against a platform mirror nobody here has seen: a tiny local server, in
 * place of Weibo and NetEase through `platforms.<p>.hosts`, answers with pages that state no
 * absence. `run` must never call those posts gone; then the data commands' `--out` mistakes each
 * give one line naming the flag, exit 2, and nothing written.
 */
const MID = '4383411844046171';
const DOCID = 'KC12OUHK000189FH';

/** Requests the mirror answered, by kind. */
const seen = { show: 0, article: 0 };

/**
 * Invented answers, each plausible: statuses/show serves a server-rendered page of a post that
 * quotes Weibo's not-found notice (people quote it when complaining about deletions); the detail
 * page does the same; weibo.com ajax answers `ok:0` with no message; NetEase sends the article to a
 * captcha path on www.163.com (its anti-bot service redirects; a one-segment path looks like a channel).
 */
function answer(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://mirror');
  const html = (status: number, body: string): void => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  };
  const quoting =
    '<html><head><title>微博正文</title></head><body><div class="weibo-text">又被删了，点进去只显示' +
    '“微博不存在或暂无查看权限！”我们一条条记下来。' +
    '截图和原文都存好了，欢迎补充。'.repeat(10) +
    '</div></body></html>';
  if (url.pathname === '/statuses/show') {
    seen.show++;
    return html(200, quoting);
  }
  if (url.pathname.startsWith('/detail/')) return html(200, quoting);
  if (url.pathname === '/ajax/statuses/show') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":0}');
    return;
  }
  if (url.pathname === `/news/article/${DOCID}.html`) {
    seen.article++;
    res.writeHead(302, { location: 'https://www.163.com/captcha?from=article' });
    res.end();
    return;
  }
  if (url.pathname === '/captcha')
    return html(200, '<html><head><title>网易</title></head><body><p>请稍候…</p></body></html>');
  html(404, '<html><body>not here</body></html>');
}

let server: Server;
let dir: string;
let config: string;

beforeAll(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = tempDir('censorwatch-new-user-');
  const weiboHosts = [
    'm.weibo.cn',
    'weibo.com',
    'www.weibo.com',
    'passport.weibo.com',
    'visitor.passport.weibo.cn',
    's.weibo.com',
    'login.sina.com.cn',
  ];
  const neteaseHosts = ['www.163.com', 'comment.api.163.com', 'dy.163.com', 'news.163.com', 'm.163.com'];
  const hosts = (list: string[]): string => list.map((h) => `"${h}": "${base}"`).join(', ');
  config = join(dir, 'watch.yaml');
  writeFileSync(
    config,
    [
      `database: ${join(dir, 'cw.db')}`,
      'platforms:',
      `  weibo: { hosts: { ${hosts(weiboHosts)} }, minInterval: 10ms, backoff: { base: 200ms, max: 1s } }`,
      `  netease: { hosts: { ${hosts(neteaseHosts)} }, minInterval: 10ms, backoff: { base: 200ms, max: 1s } }`,
      'schedule: { discoverEvery: 1h, ladder: [500ms, 1s], confirmGone: 2, confirmAfter: 200ms }',
      'watches:',
      '  - id: mirror',
      `    weibo: { posts: ["${MID}"] }`,
      `    netease: { articles: ["https://www.163.com/news/article/${DOCID}.html"] }`,
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
// After the mirror's own afterAll, so the check sees it closed.
guardAgainstLeaks();

test('pages that only quote a notice, or a redirect to a captcha path, never make a post gone', async () => {
  // Runs until each target was checked at least 4 times (twice what confirmGone needs), however
  // busy the machine; the cap only bounds a run that never gets there.
  const run = cliRunning(['run', '--config', config]);
  await waitUntil(
    '4 checks of each target',
    () => (seen.show >= 4 && seen.article >= 4) || run.child.exitCode !== null,
    240_000,
    () => JSON.stringify(seen),
  );
  expect((await run.stop('SIGINT')).code).toBe(0);
  expect(seen.show).toBeGreaterThanOrEqual(4);
  expect(seen.article).toBeGreaterThanOrEqual(4);

  const exp = await cli(['export', '--config', config, '--format', 'jsonl']);
  expect(exp.code).toBe(0);
  const rows = exp.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; verdict: string; cause: string | null; observations: number });
  expect(rows.map((r) => r.id).sort()).toEqual([MID, DOCID].sort());
  for (const row of rows) {
    expect(row.observations).toBeGreaterThanOrEqual(2);
    expect([row.id, row.verdict, row.cause]).toEqual([row.id, 'unknown', null]);
  }
  const verify = await cli(['verify', '--config', config]);
  expect(verify.code).toBe(0);
}, 600_000);

describe('--out that cannot be written: one line naming --out, exit 2, nothing created', () => {
  test.each([
    [
      'export into a missing folder',
      ['export', '--format', 'csv', '--out'],
      'nope/rows.csv',
      /the folder .*nope does not exist/,
    ],
    [
      'report into a missing folder',
      ['report', '--format', 'md', '--out'],
      'nope/report.md',
      /the folder .*nope does not exist/,
    ],
    ['export onto a folder', ['export', '--format', 'jsonl', '--out'], 'a-folder', /it is a folder/],
    [
      'report under a file',
      ['report', '--format', 'html', '--out'],
      'watch.yaml/report.html',
      /is not a folder/,
    ],
    [
      'evidence into a missing folder',
      ['evidence', '--target', `weibo:${MID}`, '--out'],
      'nope/bundle.zip',
      /the folder .*nope does not exist/,
    ],
  ])('%s', async (_name, args, out, message) => {
    mkdirSync(join(dir, 'a-folder'), { recursive: true });
    const r = await cli([...args, join(dir, out), '--config', config], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^censorwatch: --out: cannot write /);
    expect(lines[0]).toMatch(message);
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });
});

describe('run on a database path that cannot be one: exit 2 naming database, nothing touched', () => {
  const cases: Array<[string, (d: string) => string, RegExp]> = [
    ['a YAML file', (d) => join(d, 'watch.yaml'), /is not a SQLite database/],
    ['a folder', (d) => join(d, 'a-folder'), /is a directory, not a database file/],
    ['a path under a file', (d) => join(d, 'watch.yaml', 'cw.db'), /cannot be created or opened/],
    // Where no folder can be made (mkdir's recursive form never returns under /proc).
    ['a path under /proc', () => '/proc/censorwatch-no-such/cw.db', /cannot be created or opened: ENOENT/],
    [
      'another program\u2019s SQLite file',
      (d) => join(d, 'other.db'),
      /SQLite file but not a censorwatch database/,
    ],
  ];
  test.each(cases)('%s', async (_name, path, message) => {
    mkdirSync(join(dir, 'a-folder'), { recursive: true });
    const other = join(dir, 'other.db');
    if (!existsSync(other)) {
      // A SQLite file some other program made: one table, user_version 0.
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(other);
      db.exec('CREATE TABLE notes (x TEXT)');
      db.close();
    }
    const file = path(dir);
    const size = (): number | null => (existsSync(file) ? statSync(file).size : null);
    const before = size();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(config, 'utf8').replace(/^database: .*$/m, `database: ${file}`));
    const r = await cli(['run', '--config', bad, '--duration', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^censorwatch: bad config /);
    expect(r.stderr).toMatch(/\n {2}database: /);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/SqliteError|\bat .*\.js:\d+/);
    expect(size()).toBe(before);
  });
});
