import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../config/errors';
import type { Metrics } from '../engine/metrics';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Parses `--metrics` values: `9464`, `127.0.0.1:9464`, `[::1]:9464`, `0.0.0.0:9464`. */
export function parseListen(value: string, option = '--metrics'): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]:|([^:]+):)?(\d+)$/.exec(value.trim());
  const port = Number(m?.[3]);
  if (!m || !Number.isInteger(port) || port > 65_535) {
    throw new ConfigError([{ path: option, message: `expected PORT or HOST:PORT, got "${value}"` }]);
  }
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}

/** Binding an HTTP endpoint beyond loopback needs a token: checked before anything starts or is written. */
export function assertMetricsAccess(
  host: string,
  token: string | null,
  option = '--metrics',
  tokenHint = '--metrics-token or CENSORWATCH_METRICS_TOKEN',
): void {
  if (LOOPBACK.has(host) || token) return;
  throw new ConfigError([
    {
      path: option,
      message: `binding to ${host} needs a token (${tokenHint}); 127.0.0.1 needs none`,
    },
  ]);
}

/**
 * Serves `GET /metrics`. On loopback it is open; bound to any other address it needs a token, and
 * a request without `Authorization: Bearer <token>` gets 401.
 */
export async function serveMetrics(o: {
  metrics: Metrics;
  host: string;
  port: number;
  token: string | null;
}): Promise<{ url: string; close: () => Promise<void> }> {
  assertMetricsAccess(o.host, o.token);
  const expected = o.token ? Buffer.from(`Bearer ${o.token}`) : null;
  const server: Server = createServer((req, res) => {
    if (expected) {
      const got = Buffer.from(req.headers.authorization ?? '');
      if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
        res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('unauthorized\n');
        return;
      }
    }
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404).end('not found\n');
      return;
    }
    o.metrics.text().then(
      ({ contentType, body }) => res.writeHead(200, { 'content-type': contentType }).end(body),
      (err: Error) => res.writeHead(500).end(`${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
