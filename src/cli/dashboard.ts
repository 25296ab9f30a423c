import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import express from 'express';
import type { Queues } from '../engine/distributed';
import { assertMetricsAccess, listenError } from './metrics-server';

/**
 * Serves Bull Board for a deployment's queues. On loopback it is open; on any other address it
 * needs a token, and a request without `Authorization: Bearer <token>` gets 401. The token is
 * never taken from the URL: URLs end up in browser history, proxy logs and Referer headers.
 */
export async function serveDashboard(o: {
  queues: Queues;
  host: string;
  port: number;
  token: string | null;
}): Promise<{ url: string; close: () => Promise<void> }> {
  assertMetricsAccess(o.host, o.token, '--listen', '--token or CENSORWATCH_DASHBOARD_TOKEN');
  const app = express();
  if (o.token) {
    const expected = Buffer.from(`Bearer ${o.token}`);
    app.use((req, res, next) => {
      const got = Buffer.from(req.headers.authorization ?? '');
      if (got.length === expected.length && timingSafeEqual(got, expected)) return next();
      res.status(401).set('www-authenticate', 'Bearer').send('unauthorized\n');
    });
  }
  app.use('/', o.queues.dashboardRouter('/'));
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(o.port, o.host, (err?: Error) =>
      err ? reject(listenError(err, '--listen', o.host, o.port)) : resolve(s),
    );
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
