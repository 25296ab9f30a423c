/**
 * The server every loop of bench/compare.ts checks against, in a process of its own so it takes no
 * share of the measured loop's event loop: it answers `statuses/show?id=MID` with the simulator's
 * rendering of one alive post (the template file, `{{MID}}` replaced by the id asked for) and
 * counts requests by path, so the benchmark can say what each loop really asked for.
 *
 *   node --import tsx bench/compare/server.ts TEMPLATE_FILE [latencyMs=0]
 *
 * Prints `listening PORT` on stdout; GET /__stats answers the counts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';

const template = readFileSync(process.argv[2] ?? '', 'utf8');
const latencyMs = Number(process.argv[3] ?? 0);
const counts: Record<string, number> = {};

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(counts));
    return;
  }
  counts[url.pathname] = (counts[url.pathname] ?? 0) + 1;
  const answer = (): void => {
    const mid = url.searchParams.get('id');
    if (url.pathname === '/statuses/show' && mid && /^\d{16}$/.test(mid)) {
      res
        .writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
        .end(template.replaceAll('{{MID}}', mid));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not served by the benchmark server');
    }
  };
  if (latencyMs > 0) setTimeout(answer, latencyMs);
  else answer();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
