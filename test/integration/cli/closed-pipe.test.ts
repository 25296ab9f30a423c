import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/store/store';

const BIN = join(__dirname, '../../../bin/censorwatch.js');
const dir = mkdtempSync(join(tmpdir(), 'censorwatch-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const db = join(dir, 'cw.db');
const config = join(dir, 'watch.yaml');
writeFileSync(config, `database: ${db}\nwatches:\n  - id: w\n    weibo: { keywords: ["联合国"] }\n`);
const store = Store.open(db);
store.syncWatches(
  [{ id: 'w', name: 'w' }],
  [{ watchId: 'w', platform: 'weibo', mode: 'keyword', query: '联合国' }],
  0,
);
store.close();

/** Runs the CLI with its stdout a pipe whose reader is gone before the first write (`… | head -0`). */
function withClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, CENSORWATCH_LOG: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('data piped into a reader that stops early (export | head -1)', () => {
  it.each([
    ['export csv', ['export', '--config', config, '--format', 'csv']],
    ['export events csv', ['export', '--config', config, '--format', 'csv', '--what', 'events']],
    ['report md', ['report', '--config', config, '--format', 'md']],
    ['report html', ['report', '--config', config, '--format', 'html']],
    ['claim', ['claim', '--config', config, '--watch', 'w']],
  ])('%s: exit 0, nothing on stderr (no stack trace)', async (_name, args) => {
    const r = await withClosedStdout(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
