import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/helpers';

/**
 * `run --duration` ends the run whatever wait is in progress: a host that accepts connections and
 * never answers, a 10-minute response timeout and a 5-minute politeness interval mean that without
 * the abort reaching the fetch and the politeness gate the run could not end for minutes. The test
 * asserts where the abort landed (in flight and in the gate), not how fast the process was.
 */
describe('run --duration against a host that never answers', () => {
  let server: Server;
  let dir: string;
  const sockets = new Set<Socket>();
  let requests = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'censorwatch-duration-'));
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('data', (d: Buffer) => {
        requests += (d.toString('latin1').match(/^(GET|POST) /gm) ?? []).length;
      });
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });

  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('aborts fetches in flight and politeness waits, and exits cleanly', async () => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = join(dir, 'watch.yaml');
    const slow = `minInterval: 5m\n    timeout: 10m\n    backoff: { base: 10m, max: 1h }`;
    writeFileSync(
      config,
      `database: ${join(dir, 'run.db')}
platforms:
  weibo:
    hosts: { "m.weibo.cn": "${base}", "weibo.com": "${base}", "passport.weibo.com": "${base}" }
    ${slow}
  netease:
    hosts: { "www.163.com": "${base}", "comment.api.163.com": "${base}" }
    ${slow}
watches:
  - id: w
    name: never answered
    weibo: { keywords: ["联合国", "决议", "投票"], accounts: ["6548090242"] }
    netease: { keywords: ["联合国"] }
`,
    );
    // The cap is far below the first timeout (10 min) and politeness slot (5 min) the run faces.
    const run = await cli(['run', '--config', config, '--duration', '2s'], {
      env: { CENSORWATCH_LOG: 'debug' },
      timeoutMs: 120_000,
    });
    expect(run.code).toBe(0);
    const lines = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map(
        (l) => JSON.parse(l) as { msg?: string; code?: string; url?: string; level?: number; err?: unknown },
      );
    const aborted = lines.filter((l) => l.msg === 'http request aborted' && l.code === 'ABORTED');
    // The run's end is no problem of the host: quiet (debug), no error object, no stack.
    expect(aborted.every((l) => l.level === 20 && l.err === undefined)).toBe(true);
    expect(lines.filter((l) => (l.level ?? 0) >= 40).map((l) => l.msg)).toEqual([]);
    // Requests the server received were cut off in flight; the rest never left the politeness gate.
    expect(requests).toBeGreaterThan(0);
    expect(aborted.length).toBeGreaterThan(requests);
    expect(lines.some((l) => l.msg === 'http retry')).toBe(false);
    expect(lines.filter((l) => l.code && l.code !== 'ABORTED').map((l) => l.code)).toEqual([]);
    expect(lines.some((l) => l.msg === 'stopped')).toBe(true);
  }, 150_000);
});
