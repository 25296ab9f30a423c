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
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import pino from 'pino';
import { Queues, connectRedis } from '../src/engine/distributed';
import { cpuMs } from './proc-cpu';
import { Store } from '../src/store/store';
import { startRedis } from './redis-server';
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

/** One measurement: the rate, CPU per check by role, and how deep the queues stood. */
interface Measurement {
  readonly checks: number;
  readonly perSecond: number;
  /** CPU ms per check over the window: scheduler, recorder, all fetchers, redis-server. */
  readonly cpu: { scheduler: number; recorder: number; fetchers: number; redis: number };
  /** Mean jobs waiting in the check queue and in the record queue, sampled every 250 ms. */
  readonly checkWaiting: number;
  readonly recordWaiting: number;
  /** Mean check jobs running (requests in flight) over the samples. */
  readonly active: number;
}

/** Samples the queues of `prefix` every 250 ms until stopped; returns the means. */
function sampleQueues(
  redisUrl: string,
  prefix: string,
): { stop(): Promise<{ checkWaiting: number; recordWaiting: number; active: number }> } {
  const silent = pino({ level: 'silent' });
  const handle = connectRedis(redisUrl, 'producer', silent);
  const queues = new Queues(handle, prefix, silent, { inspectOnly: true });
  const samples: { cw: number; rw: number; a: number }[] = [];
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void queues
      .counts()
      .then((c) => samples.push({ cw: c.check.waiting, rw: c.record.waiting, a: c.check.active }))
      .catch(() => {})
      .finally(() => (busy = false));
  }, 250);
  return {
    async stop() {
      clearInterval(timer);
      await queues.close();
      await handle.close();
      const mean = (f: (x: (typeof samples)[number]) => number): number =>
        samples.length ? samples.reduce((a, x) => a + f(x), 0) / samples.length : 0;
      return { checkWaiting: mean((x) => x.cw), recordWaiting: mean((x) => x.rw), active: mean((x) => x.a) };
    },
  };
}

async function measure(
  base: string,
  redis: { url: string; pid: number },
  fetchers: number,
  concurrency: number,
): Promise<Measurement> {
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
      queue: { redis: redis.url, prefix: `cwbench-fetchers-${++measurements}` },
    }),
  );
  const children: ChildProcess[] = [];
  try {
    const recorder = await spawnRole('recorder', config);
    children.push(recorder);
    const fs = await Promise.all(
      Array.from({ length: fetchers }, () =>
        spawnRole('fetcher', config, ['--concurrency', String(concurrency)]),
      ),
    );
    children.push(...fs);
    const scheduler = await spawnRole('scheduler', config);
    children.push(scheduler);
    const began = Date.now();
    await new Promise((r) => setTimeout(r, WARMUP_MS));
    const cpu = (): number[] => [
      cpuMs(scheduler.pid!),
      cpuMs(recorder.pid!),
      fs.reduce((a, f) => a + cpuMs(f.pid!), 0),
      cpuMs(redis.pid),
    ];
    const cpu0 = cpu();
    const sampler = sampleQueues(redis.url, `cwbench-fetchers-${measurements}`);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    const cpu1 = cpu();
    const queues = await sampler.stop();
    // Stop in deployment order: scheduler, fetchers, recorder.
    for (const c of [...children].reverse()) await stop(c);
    const store = Store.open(database, { readonly: true });
    try {
      const n = rawSql(store).query<{ n: number }>(
        `SELECT COUNT(*) AS n FROM observations WHERE at >= ? AND at < ? AND outcome = 'alive'`,
        began + WARMUP_MS,
        began + WARMUP_MS + SECONDS * 1000,
      )[0]!.n;
      const per = (i: number): number => (n ? (cpu1[i]! - cpu0[i]!) / n : 0);
      return {
        checks: n,
        perSecond: n / SECONDS,
        cpu: { scheduler: per(0), recorder: per(1), fetchers: per(2), redis: per(3) },
        ...queues,
      };
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
          const r = await measure(server.base, redis, n, concurrency);
          const c = r.cpu;
          console.log(
            `${latency} ms, ${n} fetcher(s) × ${concurrency}: ${r.perSecond.toFixed(0)} checks/s; CPU ms/check scheduler ${c.scheduler.toFixed(2)} recorder ${c.recorder.toFixed(2)} fetchers ${c.fetchers.toFixed(2)} redis ${c.redis.toFixed(2)}; waiting check ${r.checkWaiting.toFixed(0)} record ${r.recordWaiting.toFixed(0)}; active ${r.active.toFixed(1)}`,
          );
          rows.push(
            `| ${latency} ms | ${n} | ${n * concurrency} | ${r.active.toFixed(1)} | ${r.perSecond.toFixed(0)} | ${(n * bound).toFixed(0)} | ${((100 * r.perSecond) / (n * bound)).toFixed(0)}% | ${c.scheduler.toFixed(2)} / ${c.recorder.toFixed(2)} / ${c.fetchers.toFixed(2)} / ${c.redis.toFixed(2)} | ${r.checkWaiting.toFixed(0)} / ${r.recordWaiting.toFixed(0)} |`,
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
      '| latency | fetchers | slots | checks running (mean) | checks/s | latency bound (slots / latency) | share of the bound | CPU ms per check: scheduler / recorder / fetchers / redis | queue waiting (mean): check / record |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...rows,
      '',
      "Slots are the requests the fetchers may have in flight (concurrency × processes); checks running is the mean number of check jobs active, sampled every 250 ms with the depth of the check queue (work handed out, not yet taken) and of the record queue (results not yet recorded). CPU per check is each process's CPU time over the measured window divided by the checks recorded in it (bench/proc-cpu.ts).",
      '',
      "How to read it: a check queue that stays deep means the scheduler hands out work faster than the fetchers take it; a record queue that stays short means the recorder keeps up, and one that grows through the window (the fastest rows) that the one recorder, applying one result at a time, is what bounds the rate. Then the rate is the fetchers' own: each slot turns around in the server's latency plus the time its process waits for a core between the steps of a check (take the job, send the request, hand the result on). More fetcher processes add slots, and with them capacity, up to the latency bound; in production the politeness wait per host, shared through Redis, bounds each host whatever the number of fetchers.",
      '',
      "What the distributed pipeline does so that fetchers can add capacity: the scheduler remembers for 5 s the keys it put in the pipeline and passes over them (reading the due rows behind them) instead of asking Redis about each again every tick and asking the recorder to lease it again, which filled the record queue with lease batches; a fetcher reads the queue prefix's owner once a second instead of once per job; due rows are read with the columns a work item needs only.",
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
