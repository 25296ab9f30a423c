import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FetcherPlatformConfig } from '../../../src/http/fetcher';
import type { Platform } from '../../../src/domain/glossary';

/** One request as the test server saw it. */
export interface SeenRequest {
  readonly method: string;
  /** The raw request target, exactly as sent on the wire. */
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** performance.now() when the request arrived. */
  readonly at: number;
}

/** A real node:http server on 127.0.0.1, port 0, recording every request. */
export interface TestServer {
  readonly base: string;
  readonly port: number;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, seen: SeenRequest) => void;

/** Servers started by a test file; `closeAll` in afterEach so no handle outlives a test. */
export class Servers {
  private readonly open: TestServer[] = [];

  async start(handler: Handler): Promise<TestServer> {
    const seen: SeenRequest[] = [];
    const server = http.createServer((req, res) => {
      const at = performance.now();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const entry: SeenRequest = {
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at,
        };
        seen.push(entry);
        handler(req, res, entry);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const ts: TestServer = {
      base: `http://127.0.0.1:${port}`,
      port,
      seen,
      close: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    };
    this.open.push(ts);
    return ts;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((s) => s.close()));
  }
}

/** Fetcher platform config with weibo set as given and netease unmapped. */
export function platforms(
  weibo: Partial<FetcherPlatformConfig>,
  netease: Partial<FetcherPlatformConfig> = {},
): Record<Platform, FetcherPlatformConfig> {
  const defaults: FetcherPlatformConfig = {
    hosts: {},
    minInterval: 0,
    timeout: 5_000,
    proxies: [],
    userAgent: null,
  };
  return { weibo: { ...defaults, ...weibo }, netease: { ...defaults, ...netease } };
}

/** Gaps between consecutive values, in order. */
export function gaps(times: readonly number[]): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).map((t, i) => t - (sorted[i] ?? t));
}
