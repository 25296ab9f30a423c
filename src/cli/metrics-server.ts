import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../errors';
import type { Metrics } from '../engine/metrics';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Parses a port option (`sim --port`): a whole number from 0 (any free port) to 65535.
 * @throws ConfigError naming `option`
 */
export function parsePort(value: string, option = '--port'): number {
  const port = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(port)) {
    throw new ConfigError([
      { path: option, message: `expected a port number, got ${JSON.stringify(value)}` },
    ]);
  }
  if (port > 65_535) {
    throw new ConfigError([{ path: option, message: `port ${port} is out of range (0 to 65535)` }]);
  }
  return port;
}

/** Parses `--metrics` values: `9464`, `127.0.0.1:9464`, `[::1]:9464`, `0.0.0.0:9464`. */
export function parseListen(value: string, option = '--metrics'): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]:|([^:]+):)?(\d+)$/.exec(value.trim());
  if (!m) {
    throw new ConfigError([{ path: option, message: `expected PORT or HOST:PORT, got "${value}"` }]);
  }
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port: parsePort(m[3] ?? '', option) };
}

/**
 * Turns a failure to listen that the user can fix by choosing another address (in use, not
 * allowed, not on this machine) into a ConfigError naming `option`; anything else is rethrown.
 */
export function listenError(err: unknown, option: string, host: string, port: number): Error {
  const code = (err as { code?: unknown } | null)?.code;
  const why =
    code === 'EADDRINUSE'
      ? 'the address is in use'
      : code === 'EACCES'
        ? 'permission denied (ports below 1024 need privileges)'
        : code === 'EADDRNOTAVAIL'
          ? 'no such address on this machine'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'unknown host'
            : null;
  if (why === null) return err instanceof Error ? err : new Error(String(err));
  const where = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return new ConfigError([{ path: option, message: `cannot listen on ${where}: ${why}` }]);
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
 * a request without `Authorization: Bearer <token>` gets 401. The token is never read from the
 * URL, which ends up in proxy logs and scraper configs shown to whoever can read them.
 * @throws ConfigError naming `option` when the address cannot be listened on
 */
export async function serveMetrics(o: {
  /** What `/metrics` answers; only its text is read, per request. */
  metrics: Pick<Metrics, 'text'>;
  host: string;
  port: number;
  token: string | null;
  /** The option that gave the address, for errors. @defaultValue '--metrics' */
  option?: string;
}): Promise<{ url: string; close: () => Promise<void> }> {
  const option = o.option ?? '--metrics';
  assertMetricsAccess(o.host, o.token, option);
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
    server.once('error', (err) => reject(listenError(err, option, o.host, o.port)));
    server.listen(o.port, o.host, resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
