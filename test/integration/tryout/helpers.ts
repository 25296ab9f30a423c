import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../../src/domain/clock';
import { Fetcher } from '../../../src/http';
import type { FetcherPlatformConfig } from '../../../src/http/fetcher';
import { NeteaseAdapter } from '../../../src/platforms/netease/adapter';
import { NETEASE_HOSTS } from '../../../src/platforms/netease/hosts';
import { WeiboAdapter } from '../../../src/platforms/weibo/adapter';
import { WEIBO_HOSTS } from '../../../src/platforms/weibo/hosts';

/** One canned answer. */
export interface Canned {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
}

/** Answers a request to a real host and path (with query), or undefined for a 599 "no route". */
export type Route = (host: string, path: string) => Canned | undefined;

/** A platform as an outsider's mirror serves it: one local server standing for every host, the real fetcher and adapters. */
export interface Mirror {
  readonly weibo: WeiboAdapter;
  readonly netease: NeteaseAdapter;
  /** `host path` of every request the server saw, in order. */
  readonly seen: string[];
  close(): Promise<void>;
}

export const json = (
  value: unknown,
  status = 200,
  contentType = 'application/json;charset=UTF-8',
): Canned => ({
  status,
  headers: { 'content-type': contentType },
  body: JSON.stringify(value),
});

export const html = (body: string, status = 200, contentType = 'text/html; charset=utf-8'): Canned => ({
  status,
  headers: { 'content-type': contentType },
  body,
});

/**
 * Serves `route` on 127.0.0.1 port 0 with every Weibo and NetEase host remapped to it under its own
 * path prefix (`/__h/<host>`), as `platforms.<p>.hosts` does for a recorded mirror.
 */
export async function startMirror(route: Route): Promise<Mirror> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const m = /^\/__h\/([^/]+)(\/.*)?$/.exec(req.url ?? '/');
    const host = m?.[1] ?? '';
    const path = m?.[2] ?? '/';
    seen.push(`${host} ${path}`);
    const c = route(host, path) ?? { status: 599, body: 'no route' };
    res.writeHead(c.status ?? 200, { ...(c.headers ?? {}) });
    res.end(c.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const platform = (hosts: readonly string[]): FetcherPlatformConfig => ({
    hosts: Object.fromEntries(hosts.map((h) => [h, `http://127.0.0.1:${port}/__h/${h}`])),
    minInterval: 0,
    timeout: 10_000,
    proxies: [],
    userAgent: null,
  });
  const clock = new ManualClock(Date.UTC(2026, 11, 3, 12));
  const fetcher = new Fetcher({
    platforms: { weibo: platform(WEIBO_HOSTS), netease: platform(NETEASE_HOSTS) },
    clock,
    jitter: 0,
    retries: 0,
  });
  const ctx = { http: fetcher, clock };
  return {
    weibo: new WeiboAdapter(ctx),
    netease: new NeteaseAdapter(ctx),
    seen,
    close: async () => {
      await fetcher.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
