/**
 * Requests per second on loopback: bare undici `request()` against the Fetcher (remap, gate,
 * headers, body collection). Prints its figures; the target is the Fetcher within 2x of bare undici.
 *
 *   npx tsx bench/http.ts [seconds=3] [concurrency=32]
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { Fetcher } from '../src/http/fetcher';

const seconds = Number(process.argv[2] ?? 3);
const concurrency = Number(process.argv[3] ?? 32);
const BODY = JSON.stringify({ ok: 1, data: { id: '4567890123456789', text: '联合国'.repeat(50) } });

async function loop(label: string, once: () => Promise<void>): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await once();
        done += 1;
      }
    }),
  );
  const rate = done / seconds;
  console.log(`${label.padEnd(12)} ${Math.round(rate)} req/s`);
  return rate;
}

async function main(): Promise<void> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const common = { minInterval: 0, timeout: 20_000, proxies: [], userAgent: 'bench/1' };
  const fetcher = new Fetcher({
    platforms: { weibo: { ...common, hosts: { 'm.weibo.cn': base } }, netease: { ...common, hosts: {} } },
  });
  const bareOnce = async (): Promise<void> => {
    const res = await request(`${base}/statuses/show?id=1`, { dispatcher: agent });
    JSON.parse(await res.body.text());
  };
  const oursOnce = async (): Promise<void> => {
    const res = await fetcher.fetch({ platform: 'weibo', url: 'https://m.weibo.cn/statuses/show?id=1' });
    if (!res.ok) throw new Error(res.code);
    JSON.parse(res.body.toString('utf8'));
  };

  // Alternate, so neither side profits alone from JIT warm-up; the best round of each counts.
  let bare = 0;
  let ours = 0;
  for (let round = 1; round <= 2; round++) {
    bare = Math.max(bare, await loop(`undici #${round}`, bareOnce));
    ours = Math.max(ours, await loop(`Fetcher #${round}`, oursOnce));
  }
  console.log(`bare undici / Fetcher = ${(bare / ours).toFixed(2)} (target: at most 2)`);
  await Promise.all([agent.close(), fetcher.close()]);
  server.closeAllConnections();
  server.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
