import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cliRunning, waitUntil, type CliResult } from '../cli/helpers';

interface LogLine {
  msg?: string;
  code?: string;
  url?: string;
  level?: number;
  err?: unknown;
}

/**
 * The end of a run (`--duration`, or a signal: both abort the same controller) ends it whatever
 * wait is in progress: a host that accepts connections and never answers, a 10-minute response
 * timeout and a 5-minute politeness interval mean that without the abort reaching the fetch and
 * the politeness gate the run could not end for minutes. The tests assert where the abort landed
 * (in flight and in the gate), not how fast the process was, and stop the run once what they look
 * at is there rather than after a time a loaded machine might not meet.
 */
describe('the end of a run against a host that never answers', () => {
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

  /** A config of the never-answering host, with a database of its own; returns its path. */
  function writeConfig(name: string): string {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = join(dir, `${name}.yaml`);
    const slow = `minInterval: 5m\n    timeout: 10m\n    backoff: { base: 10m, max: 1h }`;
    writeFileSync(
      config,
      `database: ${join(dir, `${name}.db`)}
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
    return config;
  }

  /** The run ended the way a stop should: exit 0, every abort a quiet debug line, "stopped" said. */
  function expectCleanStop(run: CliResult): LogLine[] {
    expect(run.code).toBe(0);
    const lines = run.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as LogLine);
    const aborted = lines.filter((l) => l.msg === 'http request aborted' && l.code === 'ABORTED');
    // The run's end is no problem of the host: quiet (debug), no error object, no stack.
    expect(aborted.every((l) => l.level === 20 && l.err === undefined)).toBe(true);
    expect(lines.filter((l) => (l.level ?? 0) >= 40).map((l) => l.msg)).toEqual([]);
    expect(lines.some((l) => l.msg === 'http retry')).toBe(false);
    expect(lines.filter((l) => l.code && l.code !== 'ABORTED').map((l) => l.code)).toEqual([]);
    expect(lines.some((l) => l.msg === 'stopped')).toBe(true);
    return aborted;
  }

  it('a stop aborts the fetches in flight and the politeness waits, and the run exits cleanly', async () => {
    const config = writeConfig('stopped');
    requests = 0;
    const run = cliRunning(['run', '--config', config], { env: { CENSORWATCH_LOG: 'debug' } });
    // Both platforms' first request at the server, however long the start took: those two are in
    // flight, and the rest of the round's requests wait for their host's 5-minute slot.
    await waitUntil(
      'the first request of each platform',
      () => requests >= 2 || run.child.exitCode !== null,
      120_000,
    );
    const aborted = expectCleanStop(await run.stop('SIGINT'));
    // Requests the server received were cut off in flight; the rest never left the politeness gate.
    expect(requests).toBeGreaterThanOrEqual(2);
    expect(aborted.length).toBeGreaterThan(requests);
  }, 150_000);

  it('--duration ends the run by itself, whatever wait it is in', async () => {
    const config = writeConfig('duration');
    // The cap is far below the first timeout (10 min) and politeness slot (5 min) the run faces:
    // that it ends at all means the duration's end reached whichever wait was in progress.
    const run = await cli(['run', '--config', config, '--duration', '2s'], {
      env: { CENSORWATCH_LOG: 'debug' },
      timeoutMs: 120_000,
    });
    expectCleanStop(run);
  }, 150_000);
});
