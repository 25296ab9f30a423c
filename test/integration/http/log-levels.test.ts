import type http from 'node:http';
import { Writable } from 'node:stream';
import pino from 'pino';
import { Fetcher } from '../../../src/http/fetcher';
import { Servers, platforms } from './helpers';

/**
 * A user's log shows problems, not noise: a retry that a later attempt makes good, and a request
 * the caller aborted (a run's end), are debug lines; only a fetch that failed for good warns.
 */
const servers = new Servers();
let fetcher: Fetcher | null = null;

afterEach(async () => {
  await fetcher?.close();
  fetcher = null;
  await servers.closeAll();
});

/** pino lines as data, at debug level, so a test can say which level each one was logged at. */
function captureLogs(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      raw.push(chunk.toString());
      cb();
    },
  });
  return {
    logger: pino({ level: 'debug' }, stream),
    lines: () =>
      raw
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const WARN = 40;
const DEBUG = 20;

function reset(req: http.IncomingMessage): void {
  req.socket.resetAndDestroy();
}

describe('fetcher log levels', () => {
  it('a retry that the next attempt makes good is logged at debug, and nothing warns', async () => {
    let calls = 0;
    const server = await servers.start((req, res) => {
      calls += 1;
      if (calls === 1) reset(req);
      else res.end('{"ok":1}');
    });
    const logs = captureLogs();
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }),
      logger: logs.logger,
      retries: 2,
      retryDelay: 5,
    });
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/statuses/show?id=1' });

    expect(res.ok).toBe(true);
    const retries = logs.lines().filter((l) => l.msg === 'http retry');
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ level: DEBUG, attempt: 1 });
    expect(logs.lines().filter((l) => (l.level as number) >= WARN)).toEqual([]);
  });

  it('retries exhausted: each retry at debug, then one warning with the error in words, no stack', async () => {
    const server = await servers.start((req) => reset(req));
    const logs = captureLogs();
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }),
      logger: logs.logger,
      retries: 2,
      retryDelay: 5,
    });
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/statuses/show?id=1' });

    expect(res.ok).toBe(false);
    expect(
      logs
        .lines()
        .filter((l) => l.msg === 'http retry')
        .map((l) => l.level),
    ).toEqual([DEBUG, DEBUG]);
    const warnings = logs.lines().filter((l) => (l.level as number) >= WARN);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      msg: 'http transport failure',
      url: 'https://m.weibo.cn/statuses/show?id=1',
      // The remapped host's address, as the response lines name it: the mirror failed, not Weibo.
      sentTo: server.base,
    });
    expect(warnings[0]?.err).toBeUndefined();
    expect(warnings[0]?.error).toEqual(expect.any(String));
    expect(JSON.stringify(warnings[0])).not.toMatch(/\n\s+at /);
  });

  it('an aborted fetch (the run ending) is one quiet debug line without the error or its stack', async () => {
    const server = await servers.start(() => {
      // Holds the request until the caller aborts.
    });
    const logs = captureLogs();
    fetcher = new Fetcher({
      platforms: platforms({ hosts: { 'm.weibo.cn': server.base } }),
      logger: logs.logger,
    });
    const controller = new AbortController();
    const pending = fetcher.fetch({
      platform: 'weibo',
      url: 'https://m.weibo.cn/x',
      signal: controller.signal,
    });
    while (server.seen.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();

    expect(await pending).toMatchObject({ ok: false, code: 'ABORTED' });
    const lines = logs.lines();
    expect(lines.filter((l) => (l.level as number) >= WARN)).toEqual([]);
    const aborted = lines.filter((l) => l.code === 'ABORTED');
    expect(aborted).toEqual([expect.objectContaining({ level: DEBUG, msg: 'http request aborted' })]);
    expect(aborted[0]).not.toHaveProperty('err');
    expect(JSON.stringify(lines)).not.toContain('DOMException');
  });
});
