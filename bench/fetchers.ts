/**
 * Distributed checks per second with 1, 2 and 4 fetcher processes against a server that answers
 * each request after a fixed latency (50 ms by default), as real platforms do: where a check's
 * cost is waiting on the network rather than CPU, each fetcher adds its concurrency's worth of
 * checks. The server (bench/weibo-server.ts) and a redis-server of the benchmark's own run as
 * processes beside the roles (the compiled workers, as a deployment runs them). Writes its section
 * of bench/RESULTS.md.
 *
 * Two settings by default: 50 ms with 4 requests in flight per fetcher, and 250 ms with 2 (the
 * latency bound then sits below what the scheduler and recorder manage on a small machine).
 *
 *   npx tsx bench/fetchers.ts [seconds=10] [latencyMs concurrency]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import { probeRedis } from '../src/engine/distributed';
import { Store } from '../src/store/store';
import { machine, writeSection } from './results';
import { postTemplate, startWeiboServer, syntheticMids } from './weibo-server-control';
import { rawSql } from '../test/helpers/sql';

const SECONDS = Number(process.argv[2] ?? 10);
/** [latency ms, concurrency per fetcher] settings measured. */
const SETTINGS: [number, number][] =
  process.argv[3] !== undefined
    ? [[Number(process.argv[3]), Number(process.argv[4] ?? 4)]]
    : [
        [50, 4],
        [250, 2],
      ];
const FETCHERS = [1, 2, 4];
const POSTS = 3000;
const WARMUP_MS = 3000;
const ROOT = join(__dirname, '..');
let measurements = 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** A redis-server of this benchmark's own, without persistence, on a free port. */
async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      await probeRedis(url, 500);
      break;
    } catch (err) {
      if (Date.now() > until || child.exitCode !== null) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function spawnRole(role: string, config: string, extra: readonly string[] = []): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'dist', 'workers', `${role}.js`), '--config', config, '--tick', '100ms', ...extra],
      { cwd: ROOT, env: { ...process.env, CENSORWATCH_LOG: 'info' }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      if (log.includes('"msg":"distributed roles running"')) resolve(child);
    });
    child.once('close', (code) => reject(new Error(`${role} exited ${code}: ${log.slice(-2000)}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('close', () => resolve());
    child.kill('SIGTERM');
  });
}

async function measure(
  base: string,
  redis: string,
  fetchers: number,
  concurrency: number,
): Promise<{ checks: number; perSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), `cw-bench-fetchers-${fetchers}-`));
  const database = join(dir, 'bench.db');
  const config = join(dir, 'bench.yaml');
  const hosts = Object.fromEntries(
    ['m.weibo.cn', 'weibo.com', 'www.weibo.com', 'passport.weibo.com', 'visitor.passport.weibo.cn'].map(
      (h) => [h, base],
    ),
  );
  writeFileSync(
    config,
    stringifyYaml({
      database,
      platforms: { weibo: { hosts, cookie: 'SUB=bench', minInterval: '0ms' } },
      // Every post due again 100 ms after its check: more is always due than the fetchers can take.
      schedule: { ladder: ['100ms'], discoverEvery: '1d', jitter: 0 },
      watches: [{ id: 'bench', name: 'bench', weibo: { posts: syntheticMids(POSTS) } }],
      // A prefix per measurement: a prefix stays bound to the database that first used it.
      queue: { redis, prefix: `cwbench-fetchers-${++measurements}` },
    }),
  );
  const children: ChildProcess[] = [];
  try {
    children.push(await spawnRole('recorder', config));
    const fs = await Promise.all(
      Array.from({ length: fetchers }, () =>
        spawnRole('fetcher', config, ['--concurrency', String(concurrency)]),
      ),
    );
    children.push(...fs);
    children.push(await spawnRole('scheduler', config));
    const began = Date.now();
    await new Promise((r) => setTimeout(r, WARMUP_MS + SECONDS * 1000));
    // Stop in deployment order: scheduler, fetchers, recorder.
    for (const c of [...children].reverse()) await stop(c);
    const store = Store.open(database, { readonly: true });
    try {
      const n = rawSql(store).query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM observations WHERE at >= ? AND at < ? AND outcome = 'alive'`,
        began + WARMUP_MS,
        began + WARMUP_MS + SECONDS * 1000,
      )[0]!.n;
      return { checks: n, perSecond: n / SECONDS };
    } finally {
      store.close();
    }
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' }).status !== 0)
    throw new Error('npm run build failed');
  const template = await postTemplate();
  const redis = await startRedis();
  const rows: string[] = [];
  try {
    for (const [latency, concurrency] of SETTINGS) {
      const server = await startWeiboServer(template, latency);
      const bound = (1000 / latency) * concurrency;
      try {
        for (const n of FETCHERS) {
          const r = await measure(server.base, redis.url, n, concurrency);
          console.log(`${latency} ms, ${n} fetcher(s) × ${concurrency}: ${r.perSecond.toFixed(0)} checks/s`);
          rows.push(
            `| ${latency} ms | ${n} | ${n * concurrency} | ${r.perSecond.toFixed(0)} | ${(n * bound).toFixed(0)} | ${((100 * r.perSecond) / (n * bound)).toFixed(0)}% |`,
          );
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    await redis.stop();
  }
  writeSection(
    'Distributed: fetcher processes against per-request latency (bench/fetchers.ts)',
    [
      `Machine: ${machine()}; load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(
          ', ',
        )} at the end; ${new Date().toISOString().slice(0, 10)}. A server in a process of its own answers every \`statuses/show\` after a fixed latency; a redis-server of the benchmark's own; recorder, scheduler and N fetcher processes (the compiled workers) on ${POSTS.toLocaleString('en')} explicit posts with a 100 ms ladder and no politeness wait, so more is always due than can be fetched. ${SECONDS} s measured after ${WARMUP_MS / 1000} s of warm-up, counted from the alive observations the recorder committed to SQLite.`,
      '',
      '| latency | fetchers | requests in flight | checks/s | latency bound (in flight / latency) | share of the bound |',
      '|---:|---:|---:|---:|---:|---:|',
      ...rows,
      '',
      'Where a check is mostly waiting (latency here; in production also politeness waits, which fetchers share per host through Redis and so cannot multiply for one host), each fetcher adds its requests in flight, so the rate can grow with the number of fetchers only up to what the one scheduler and the one recorder pass through; the last column shows how close each row came to the latency bound.',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
