import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What the compiled program loads before a command needs it is memory every run carries for its
 * whole life (bench/scale.ts): Playwright alone is some 60 MB of RSS, BullMQ, ioredis and the
 * dashboard's Express another 35. These are loaded when a browser starts, Redis is used or
 * metrics are served, and never by an embedded `run` that does none of that.
 */
const ROOT = join(__dirname, '../../..');
const LAZY = ['playwright-core', 'bullmq', 'ioredis', 'express', '@bull-board/api', 'prom-client'];

const dir = mkdtempSync(join(tmpdir(), 'censorwatch-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The packages under node_modules a node process had loaded when it exited, after `args`. */
function packagesLoaded(args: readonly string[]): string[] {
  const report = join(dir, 'loaded.txt');
  const probe = join(dir, 'probe.js');
  writeFileSync(
    probe,
    `process.on('exit', () => {
      const seen = new Set();
      for (const k of Object.keys(require.cache)) {
        const m = /node_modules[\\\\/]((@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(k);
        if (m) seen.add(m[1].replace(/\\\\/g, '/'));
      }
      require('node:fs').writeFileSync(${JSON.stringify(report)}, [...seen].join('\\n'));
    });`,
  );
  const r = spawnSync(process.execPath, ['--require', probe, join(ROOT, 'bin', 'censorwatch.js'), ...args], {
    cwd: dir,
    env: { ...process.env, CENSORWATCH_LOG: 'warn' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status).toBe(0);
  return readFileSync(report, 'utf8').split('\n');
}

describe('the program loads heavy dependencies only for the commands that use them', () => {
  it('an embedded run with no browser, Redis or metrics loads none of them', () => {
    const config = join(dir, 'w.yaml');
    // A post on a host nothing listens on: the run tries it, fails, and ends with its duration.
    writeFileSync(
      config,
      [
        `database: ${join(dir, 'w.db')}`,
        'platforms:',
        '  weibo: { hosts: { "m.weibo.cn": "http://127.0.0.1:9" }, minInterval: 0ms }',
        'watches:',
        '  - id: w',
        '    weibo: { posts: ["4990000000000000"] }',
        '',
      ].join('\n'),
    );
    const loaded = packagesLoaded(['run', '--config', config, '--duration', '1s']);
    // What a run does need is loaded: the probe sees packages at all.
    expect(loaded).toEqual(expect.arrayContaining(['better-sqlite3', 'undici', 'commander']));
    expect(loaded.filter((p) => LAZY.includes(p))).toEqual([]);
  });
});
