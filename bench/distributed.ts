/**
 * Checks per second, embedded vs distributed with one and two fetcher processes, against the
 * simulator on loopback. Every post of the `un-vote` scenario is an explicit target with a 100 ms
 * ladder and no politeness wait, so there is always more due than can be checked: the rate is the
 * pipeline's capacity (scheduling, queueing, fetching, recording), not the schedule's.
 * Writes its section of bench/RESULTS.md.
 *
 *   npx tsx bench/distributed.ts [seconds=10]
 *
 * Redis: a redis-server of its own on a free port, or CENSORWATCH_BENCH_REDIS (a fresh key prefix
 * there, deleted after).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { stringify as stringifyYaml } from 'yaml';
import { parseConfig } from '../src/config/load';
import { runEmbedded } from '../src/cli/run';
import { systemClock } from '../src/domain/clock';
import { Queues, connectRedis } from '../src/engine/distributed';
import { buildScenario, Simulator } from '../src/sim';
import { Store } from '../src/store/store';
import { startRedis } from './redis-server';
import { machine, writeSection } from './results';

const SECONDS = Number(process.argv[2] ?? 10);
let REDIS = process.env.CENSORWATCH_BENCH_REDIS ?? '';
const ROOT = join(__dirname, '..');
/** Warm-up left out of the measured window (process start-up, first ticks, JIT). */
const WARMUP_MS = 2000;
const silent = pino({ level: 'silent' });

interface Setup {
  readonly dir: string;
  readonly configPath: string;
  readonly doc: Record<string, unknown>;
}

function setup(base: string, mids: readonly string[], name: string, prefix: string | null): Setup {
  const dir = mkdtempSync(join(tmpdir(), `cw-bench-${name}-`));
  const doc: Record<string, unknown> = {
    database: join(dir, 'bench.db'),
    platforms: {
      weibo: {
        hosts: { 'm.weibo.cn': base, 'weibo.com': base, 'passport.weibo.com': base },
        minInterval: '0ms',
      },
    },
    schedule: { ladder: ['100ms'], confirmAfter: '100ms', discoverEvery: '1d', jitter: 0 },
    watches: [{ id: 'bench', name: 'Bench', weibo: { keywords: [], accounts: [], posts: [...mids] } }],
    concurrency: 8,
    ...(prefix ? { queue: { redis: REDIS, prefix } } : {}),
  };
  const configPath = join(dir, 'bench.yaml');
  writeFileSync(configPath, stringifyYaml(doc));
  return { dir, configPath, doc };
}

/** Checks per second over the window after warm-up, from the observations' own times. */
function rate(database: string, from: number, to: number): { checks: number; perSecond: number } {
  const store = Store.open(database, { readonly: true });
  try {
    const n = store.observations.countKeyedChecks(from, to);
    return { checks: n, perSecond: n / ((to - from) / 1000) };
  } finally {
    store.close();
  }
}

async function embedded(s: Setup): Promise<{ checks: number; perSecond: number }> {
  const config = parseConfig(s.doc, s.configPath, {});
  const began = Date.now();
  await runEmbedded({
    config,
    duration: WARMUP_MS + SECONDS * 1000,
    logger: silent,
    signal: new AbortController().signal,
  });
  return rate(config.database, began + WARMUP_MS, began + WARMUP_MS + SECONDS * 1000);
}

function spawnRole(role: string, s: Setup, extra: readonly string[] = []): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'tsx/cjs',
        join(ROOT, 'workers', `${role}.ts`),
        '--config',
        s.configPath,
        '--tick',
        '100ms',
        ...extra,
      ],
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

async function distributed(
  s: Setup,
  fetchers: number,
  prefix: string,
): Promise<{ checks: number; perSecond: number }> {
  const children: ChildProcess[] = [];
  try {
    children.push(await spawnRole('recorder', s));
    for (let i = 0; i < fetchers; i++) children.push(await spawnRole('fetcher', s, ['--concurrency', '8']));
    children.push(await spawnRole('scheduler', s));
    const began = Date.now();
    await new Promise((r) => setTimeout(r, WARMUP_MS + SECONDS * 1000));
    // Stop in deployment order: scheduler, fetchers, recorder.
    for (const c of [...children].reverse()) await stop(c);
    return rate(String(s.doc.database), began + WARMUP_MS, began + WARMUP_MS + SECONDS * 1000);
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    const handle = connectRedis(REDIS, 'producer', silent);
    await handle.ready();
    const queues = new Queues(handle, prefix, silent);
    await queues.obliterate();
    await queues.close();
    await handle.close();
  }
}

async function main(): Promise<void> {
  // The scenario started three days ago, so its posts exist (and some are gone) right now.
  const scenario = buildScenario('un-vote', { start: Date.now() - 3 * 86_400_000, seed: 2023 });
  const sim = new Simulator({ clock: systemClock, scenario, seed: 1 });
  const base = await sim.start(0);
  const own = REDIS ? null : await startRedis();
  if (own) REDIS = own.url;
  const mids = scenario.weibo.posts.filter((p) => p.createdAt < Date.now()).map((p) => p.mid);
  const rows: string[] = [];
  const dirs: string[] = [];
  try {
    const runs: [string, (s: Setup, prefix: string) => Promise<{ checks: number; perSecond: number }>][] = [
      ['embedded (one process, concurrency 8)', (s) => embedded(s)],
      ['distributed, 1 fetcher (concurrency 8)', (s, p) => distributed(s, 1, p)],
      ['distributed, 2 fetchers (concurrency 8 each)', (s, p) => distributed(s, 2, p)],
    ];
    for (const [label, fn] of runs) {
      const prefix = `cwbench-${process.pid}-${rows.length}`;
      const s = setup(base, mids, String(rows.length), label.startsWith('embedded') ? null : prefix);
      dirs.push(s.dir);
      const r = await fn(s, prefix);
      console.log(
        `${label.padEnd(46)} ${r.perSecond.toFixed(0).padStart(6)} checks/s (${r.checks} in ${SECONDS} s)`,
      );
      rows.push(`| ${label} | ${r.perSecond.toFixed(0)} | ${r.checks} |`);
    }
  } finally {
    await sim.stop();
    await own?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  writeSection(
    'Distributed: checks per second',
    [
      `Machine: ${machine()}; load average ${loadavg()
        .map((x) => x.toFixed(1))
        .join(
          ', ',
        )} at the end; ${own ? "a redis-server of the benchmark's own" : `Redis ${REDIS.replace(/\/\/[^@]*@/, '//')}`} on the same machine; ${new Date().toISOString().slice(0, 10)}.`,
      '',
      `${mids.length} posts of the \`un-vote\` scenario as explicit targets, a 100 ms ladder and no politeness wait, so more is always due than can be checked; ${SECONDS} s measured after ${WARMUP_MS / 1000} s of warm-up, counted from the observations recorded in SQLite. Every process shares the same cores as the simulator and Redis, so a second fetcher adds queue traffic more than capacity here; across machines it adds its own cores and network.`,
      '',
      '| mode | checks/s | checks |',
      '|---|---:|---:|',
      ...rows,
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
