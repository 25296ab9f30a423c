import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/store/store';
import { cli } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'censorwatch-status-unreachable-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('status when the Weibo session check cannot reach its host', () => {
  it('prints one line naming the host and the failure, the rest of status, no stack, exit 0', async () => {
    const port = await closedPort();
    const db = join(dir, 'cw.db');
    Store.open(db).close();
    const config = join(dir, 'c.yaml');
    writeFileSync(
      config,
      `database: ${db}\nplatforms:\n  weibo:\n    hosts: { m.weibo.cn: "http://127.0.0.1:${port}" }\n` +
        `watches:\n  - id: w\n    weibo: { keywords: ["联合国"] }\n`,
    );
    const r = await cli(['status', '--config', config]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`database: ${db}`);
    expect(r.stdout).toContain('watch w');
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('weibo session:'));
    expect(lines).toEqual([
      `weibo session: not checked, m.weibo.cn (sent to http://127.0.0.1:${port}) unreachable: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:${port}`,
    ]);
    expect(r.code).toBe(0);

    const json = await cli(['status', '--config', config, '--json']);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout).weiboSession).toMatchObject({ state: 'network_error' });
    expect(json.code).toBe(0);
  });
});
