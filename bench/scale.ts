/**
 * One SQLite file tracking 1,000,000 targets (posts), and `censorwatch run` on it as a researcher
 * runs it: the compiled CLI in a process of its own, whose memory is read from outside.
 *  1. The database is built by bench/scale-fill.ts in its own process and kept in the system's
 *     temporary folder between runs (rebuilt when the schema or the fill changes); each run works
 *     on a copy.
 *  2. Picking 1,000 due targets (`Engine.takeDue`, which leases them, as embedded mode does;
 *     `Scheduler.peek`, which only reads, as the distributed scheduler does), in this process:
 *     50 of each, taking turns, wall and CPU time, with the load average before and after.
 *  3. `node dist/workers/cli.js run --config …` checks the DUE due posts (round 1: first checks)
 *     and is stopped; the posts are made due again, as their next rung would, and a second run
 *     re-checks them (round 2: the answer is the same but for its Date header). The
 *     file's growth between the two (after a WAL checkpoint) is the bytes per unchanged check.
 *  4. A longer run (`--duration`) on a ladder of one second keeps re-checking the due posts, so
 *     the RSS over minutes shows whether anything grows.
 * The RSS of each run is sampled every 250 ms from /proc/PID/status (VmRSS, VmHWM, and the anon
 * and file parts); bench/scale-probe.cjs, preloaded into the run, logs its V8 heap, external and
 * array-buffer split once a second. Writes its section of bench/RESULTS.md.
 *
 *   npx tsx bench/scale.ts [targets=1000000] [due=20000] [soakSeconds=180]
 *
 * CW_SCALE_KEEP=1 keeps the run's folder (the copy, the runs' log, the probe's lines) and prints it.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createEngine, createPlatforms } from '../src/cli/compose';
import { ManualClock } from '../src/domain/clock';
import { LocalHostHealth } from '../src/engine/host-health';
import { Scheduler } from '../src/engine/scheduler';
import { MIGRATIONS } from '../src/store/schema';
import { Store } from '../src/store/store';
import { rawSql } from '../test/helpers/sql';
import { selfCpuMs } from './proc-cpu';
import { machine, writeSection } from './results';
import { BATCH, LATER, T0, scaleConfig, scaleRawConfig } from './scale-fill';
import { postTemplate, startWeiboServer } from './weibo-server-control';

const TARGETS = Number(process.argv[2] ?? 1_000_000);
const DUE = Number(process.argv[3] ?? 20_000);
const SOAK_S = Number(process.argv[4] ?? 180);
/** `takeDue(1000)` in a row without giving the leases back, as this benchmark measured picks before. */
const PICKS = Math.max(1, Math.min(20, Math.floor(DUE / 1000)));
const ROOT = join(__dirname, '..');
/** Bumped when scale-fill.ts fills differently, so a cached database from before is not used. */
const FILL_VERSION = 2;
const MiB = 2 ** 20;
const logger = pino({ level: 'silent' });

/**
 * What was found when the engine's RSS was first measured this way; the figures are from then
 * (a 2-core machine at load 15–30, where the sizes hold and the rates do not).
 */
const WHERE_IT_WENT = [
  'What the RSS was, and what changed (measured while fixing it, on this 2-core machine at load 15–30: the sizes carry over, the rates do not):',
  '',
  "- This benchmark used to fill the million targets in the process it then measured, so the filler's leftovers (a V8 heap of 103 MiB when checking began) counted as the engine's: its 337 MiB were those and the engine together. A fresh `censorwatch run` of the same code peaked at 318, 229 and 343 MiB (round 1, round 2, a 3-minute soak).",
  "- Before the first check a run held 65 MiB of live V8 heap, some 40 of them the code and source text of packages it never used: Playwright (its two bundles' source alone is 13 MiB of strings), BullMQ with ioredis and the dashboard's Express, prom-client. Every command loaded them; they are now loaded when a browser starts, Redis is used or metrics are served (test/integration/cli/startup-modules.test.ts keeps it so). A run now starts at 105 MiB instead of 170, with 23 MiB live instead of 65.",
  '- What checking adds is mostly garbage, not state: what a check has in flight when the young generation is collected (its response, the parsed post, the capture documents: some 6 KB per check promoted here) moves to the old generation, and V8 lets that grow to 3–4 times what the last full collection left before it collects again. With 65 MiB live that was some 230 MiB of heap; with 23 MiB, some 100. Each full collection goes back to the same live size (the column V8 heap live), over the soak too.',
  '- A leak there was: the request budget kept one object per admitted request for its hour, on a platform without a limit too (no politeness wait, as here): 89 bytes each, 600 MB an hour at 2,000 checks/s. An unlimited platform now counts the requests of one second and class together.',
  "- Not causes: the capture store's cache of 512 parsed response documents (without it a check promoted the same 6 KB); the scheduler's keys (the embedded pool holds 64 taken items at a time; the remembered keys are the distributed scheduler's); per-target state (nothing is loaded per target at start, due work is read 64 rows at a time); SQLite, bounded by its page cache.",
].join('\n');

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

const mib = (b: number): string => (b / MiB).toFixed(0);

/** The cached database for these sizes, built by scale-fill.ts in its own process if missing. */
function database(): { file: string; fillMs: number; bytes: number } {
  const dir = join(tmpdir(), 'censorwatch-bench-scale');
  mkdirSync(dir, { recursive: true });
  const name = `scale-${TARGETS}-${DUE}-`;
  const file = join(dir, `${name}schema${MIGRATIONS.length}-fill${FILL_VERSION}.db`);
  // A file of these sizes built for another schema or fill is never used again.
  for (const f of readdirSync(dir))
    if (f.startsWith(name) && !join(dir, f).startsWith(file)) rmSync(join(dir, f), { force: true });
  if (!existsSync(file) || !existsSync(`${file}.json`)) {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'scale-fill.ts'), file, String(TARGETS), String(DUE)],
      { cwd: ROOT, stdio: 'inherit' },
    );
    if (r.status !== 0) throw new Error(`scale-fill.ts exited ${r.status}`);
  } else console.log(`database: ${file} (cached)`);
  const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { fillMs: number; bytes: number };
  return { file, ...meta };
}

/** File bytes after folding the WAL into the database. */
function fileBytes(path: string): number {
  const store = Store.open(path);
  store.checkpoint();
  store.close();
  return statSync(path).size;
}

/** One reading of /proc/PID/status, in bytes; null once the process is gone. */
interface ProcMemory {
  readonly at: number;
  readonly rss: number;
  readonly hwm: number;
  readonly anon: number;
  readonly file: number;
}

function procMemory(pid: number): ProcMemory | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (k: string): number =>
    Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  const r = { at: Date.now(), rss: kb('VmRSS'), hwm: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') };
  return Number.isFinite(r.rss) ? r : null;
}

/** What bench/scale-probe.cjs logged: the process's own split of its memory. */
interface ProbeLine {
  readonly at: number;
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly mallocedMemory: number;
}

/** A finished `censorwatch run`: its memory over time, from outside and from within. */
interface EngineRun {
  readonly spawnedAt: number;
  readonly samples: readonly ProcMemory[];
  /** VmHWM read last while the process still ran. */
  readonly hwm: number;
  readonly probe: readonly ProbeLine[];
}

/**
 * Runs `censorwatch run --config CONFIG [args]` in a process of its own and samples its memory
 * until `done` says so (then it is sent SIGTERM, as a person's Ctrl-C) or it exits by itself.
 */
async function runEngine(
  dir: string,
  config: string,
  args: readonly string[],
  done: () => boolean,
): Promise<EngineRun> {
  const probeFile = join(dir, `probe-${Date.now()}.jsonl`);
  const logFile = join(dir, 'run.log');
  const log = openSync(logFile, 'a');
  const spawnedAt = Date.now();
  const child = spawn(
    process.execPath,
    [
      '--require',
      join(__dirname, 'scale-probe.cjs'),
      join(ROOT, 'dist', 'workers', 'cli.js'),
      'run',
      '--config',
      config,
      ...args,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, CENSORWATCH_LOG: 'info', CW_SCALE_PROBE: probeFile },
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));
  const samples: ProcMemory[] = [];
  let hwm = 0;
  let stopping = false;
  while (running) {
    const m = procMemory(child.pid!);
    if (m && !stopping) {
      samples.push(m);
      hwm = m.hwm;
    }
    if (!stopping && done()) {
      stopping = true;
      child.kill('SIGTERM');
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 250))]);
  }
  const code = await exited;
  if (code !== 0) {
    throw new Error(`censorwatch run exited ${code}:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
  }
  const probe = existsSync(probeFile)
    ? readFileSync(probeFile, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ProbeLine)
    : [];
  return { spawnedAt, samples, hwm, probe };
}

/** A read-only view of the run's file from this process: observations so far, and their times. */
function observationsOf(path: string): { n: number; first: number; last: number } {
  const store = Store.open(path, { readonly: true });
  try {
    return rawSql(store).query<{ n: number; first: number; last: number }>(
      `SELECT COUNT(*) AS n, MIN(at) AS first, MAX(at) AS last FROM observations`,
    )[0]!;
  } finally {
    store.close();
  }
}

/** Stops a run once `path` holds `n` observations (polled every half second). */
function untilObservations(path: string, n: number): () => boolean {
  let next = 0;
  return () => {
    if (Date.now() < next) return false;
    next = Date.now() + 500;
    return observationsOf(path).n >= n;
  };
}

/** Samples of each pick: enough for a median and a p90 that one slow pick does not move. */
const SAMPLES = 50;

/** Wall and CPU time of samples of one operation. */
interface Timings {
  readonly wall: number[];
  readonly cpu: number[];
}

/**
 * Picks measured in this process on the run's copy, then every lease they took given back.
 * `peek` and `takeDue` take turns, sample by sample, so a change in the machine's load falls on
 * both alike; each `takeDue`'s leases are given back after it (untimed), so every pick of either
 * finds the same due set, none of it leased, as the embedded engine does, whose pool holds 64 taken items.
 * The old way is measured after: `takeDue` again and again without giving back, so pick k steps
 * over the (k − 1) × 1,000 rows leased before it (as this benchmark measured before).
 */
function measurePicks(path: string, base: string) {
  const config = scaleConfig(path, base);
  const clock = new ManualClock(Date.now());
  const store = Store.open(path);
  const platforms = createPlatforms(config, clock, logger);
  const engine = createEngine({ config, store, adapters: platforms.adapters, clock, logger });
  // A read-only scheduler over the same file, as the distributed scheduler role builds it.
  const reader = new Scheduler({
    config,
    store,
    clock,
    logger,
    health: new LocalHostHealth((p) => config.platforms[p].backoff),
  });
  const giveBack = (): void => {
    rawSql(store).run(`DELETE FROM target_leases`);
  };
  // Wall time and this process's CPU time: on a shared machine the first includes waiting for a core.
  const once = (t: Timings, f: () => unknown[] | number | null, check: (r: unknown) => boolean): void => {
    const s = performance.now();
    const c = selfCpuMs();
    const r = f();
    t.wall.push(performance.now() - s);
    t.cpu.push(selfCpuMs() - c);
    if (!check(r)) throw new Error(`a pick gave ${JSON.stringify(r)?.slice(0, 80)}`);
  };
  const thousand = (r: unknown): boolean => (r as unknown[]).length === 1000;
  const peek: Timings = { wall: [], cpu: [] };
  const take: Timings = { wall: [], cpu: [] };
  const takeLeased: Timings = { wall: [], cpu: [] };
  const next: Timings = { wall: [], cpu: [] };
  const loadBefore = loadavg()[0]!;
  for (let k = 0; k < SAMPLES; k++) {
    once(peek, () => reader.peek(1000), thousand);
    once(take, () => engine.takeDue(1000), thousand);
    giveBack();
  }
  for (let k = 0; k < PICKS; k++) once(takeLeased, () => engine.takeDue(1000), thousand);
  giveBack();
  // What an idle engine reads between rounds to know how long to sleep.
  for (let k = 0; k < SAMPLES; k++)
    once(
      next,
      () => store.nextDueAt(),
      (r) => r !== null,
    );
  store.close();
  void platforms.close();
  return { peek, take, takeLeased, next, loadBefore, loadAfter: loadavg()[0]! };
}

/** Makes the posts checked so far due again, as their next rung would (they are due before LATER). */
function dueAgain(path: string): void {
  const store = Store.open(path);
  rawSql(store).run(`UPDATE targets SET next_check_at = ? WHERE next_check_at < ?`, T0, LATER);
  store.close();
}

const peakOf = (xs: readonly ProcMemory[]) =>
  xs.reduce((a, m) => (m.rss > a.rss ? m : a), { at: 0, rss: 0, hwm: 0, anon: 0, file: 0 });

/** The probe's line nearest in time to `at`. */
function probeAt(run: EngineRun, at: number): ProbeLine | null {
  let best: ProbeLine | null = null;
  for (const p of run.probe) if (!best || Math.abs(p.at - at) < Math.abs(best.at - at)) best = p;
  return best;
}

async function main(): Promise<void> {
  if (spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' }).status !== 0)
    throw new Error('npm run build failed');
  const db = database();
  const server = await startWeiboServer(await postTemplate(), 0);
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-scale-'));
  const path = join(dir, 'scale.db');
  try {
    copyFileSync(db.file, path);
    const picks = measurePicks(path, server.base);
    console.log(
      `peek(1000) median ${quantile(picks.peek.wall, 0.5).toFixed(2)} ms (CPU ${quantile(picks.peek.cpu, 0.5).toFixed(2)}); takeDue(1000) median ${quantile(picks.take.wall, 0.5).toFixed(2)} ms (CPU ${quantile(picks.take.cpu, 0.5).toFixed(2)}); in a row, none given back: ${quantile(picks.takeLeased.wall, 0.5).toFixed(2)} ms; load ${picks.loadBefore.toFixed(1)} → ${picks.loadAfter.toFixed(1)}`,
    );
    const config = join(dir, 'scale.yaml');
    writeFileSync(config, JSON.stringify(scaleRawConfig(path, server.base)));

    // Round 1: every due post checked for the first time.
    const first = await runEngine(dir, config, [], untilObservations(path, DUE));
    const r1 = observationsOf(path);
    dueAgain(path);
    const before = fileBytes(path);
    // Round 2: each re-checked, its answer unchanged.
    const second = await runEngine(dir, config, [], untilObservations(path, 2 * DUE));
    const r2 = observationsOf(path);
    const after = fileBytes(path);
    const counts = (() => {
      const store = Store.open(path, { readonly: true });
      const q = (sql: string): number => rawSql(store).query<{ n: number }>(sql)[0]!.n;
      const r = {
        edits: q(`SELECT COUNT(*) AS n FROM events WHERE type = 'post.edited'`),
        alive: q(`SELECT COUNT(*) AS n FROM observations WHERE outcome = 'alive'`),
      };
      store.close();
      return r;
    })();
    const unchanged = r2.n - r1.n;
    if (r1.n !== DUE || unchanged !== DUE || counts.edits !== 0 || counts.alive !== 2 * DUE)
      throw new Error(
        `rounds: ${r1.n} + ${unchanged} observations, ${counts.alive} alive, ${counts.edits} edits`,
      );
    // Round 2's own checks: its observations are those after round 1's last.
    const r2times = (() => {
      const store = Store.open(path, { readonly: true });
      const r = rawSql(store).query<{ first: number; last: number }>(
        `SELECT MIN(at) AS first, MAX(at) AS last FROM observations WHERE at > ?`,
        r1.last,
      )[0]!;
      store.close();
      return r;
    })();
    const perCheck = (after - before) / unchanged;
    const rate1 = (DUE - 1) / ((r1.last - r1.first) / 1000);
    const rate2 = (DUE - 1) / ((r2times.last - r2times.first) / 1000);
    const peak1 = peakOf(first.samples);
    const peak2 = peakOf(second.samples);
    console.log(
      `round 1 ${Math.round(rate1)} checks/s, max RSS ${mib(peak1.rss)} MiB (HWM ${mib(first.hwm)}); round 2 ${Math.round(rate2)} checks/s, max RSS ${mib(peak2.rss)} MiB (HWM ${mib(second.hwm)}); ${perCheck.toFixed(0)} bytes per unchanged check`,
    );

    // The longer run: the same posts re-checked every second for SOAK_S seconds.
    const soakConfig = join(dir, 'soak.yaml');
    writeFileSync(soakConfig, JSON.stringify(scaleRawConfig(path, server.base, ['1s'])));
    dueAgain(path);
    const soakBefore = observationsOf(path).n;
    const soak = await runEngine(dir, soakConfig, ['--duration', `${SOAK_S}s`], () => false);
    const soakChecks = observationsOf(path).n - soakBefore;
    if (soakChecks < DUE) throw new Error(`the soak made ${soakChecks} checks`);
    // The soak's RSS minute by minute (the largest sample of each), from its first check on.
    const soakStart = soak.samples[0]?.at ?? soak.spawnedAt;
    const byMinute: number[] = [];
    for (const s of soak.samples) {
      const k = Math.floor((s.at - soakStart) / 60_000);
      byMinute[k] = Math.max(byMinute[k] ?? 0, s.rss);
    }
    console.log(
      `soak ${SOAK_S} s: ${soakChecks} checks; max RSS by minute ${byMinute.map((b) => mib(b)).join(', ')} MiB; HWM ${mib(soak.hwm)} MiB`,
    );

    /** One run's row of the memory table: where its peak RSS went, by /proc and by V8. */
    const memoryRow = (label: string, checks: number, run: EngineRun): string => {
      const peak = peakOf(run.samples);
      const p = probeAt(run, peak.at);
      // What V8 held in use at its lowest, past the first seconds: just after a full collection.
      const live = Math.min(...run.probe.slice(3).map((l) => l.heapUsed));
      const startRss = run.probe[0]?.rss ?? NaN;
      const other = p ? peak.anon - p.heapTotal - p.external : NaN;
      return `| ${label} | ${checks.toLocaleString('en')} | ${mib(startRss)} | ${mib(peak.rss)} / ${mib(run.hwm)} | ${mib(peak.file)} | ${p ? `${mib(p.heapTotal)} / ${mib(p.heapUsed)}` : '?'} | ${Number.isFinite(live) ? mib(live) : '?'} | ${p ? mib(p.external) : '?'} | ${mib(other)} |`;
    };
    const hwm = Math.max(first.hwm, second.hwm, soak.hwm);
    const pct = (xs: readonly number[], q: number): string => quantile(xs, q).toFixed(1);
    const timing = (xs: readonly number[]): string => `${pct(xs, 0.5)} / ${pct(xs, 0.9)}`;
    writeSection(
      'Scale: 1,000,000 targets in one SQLite file (bench/scale.ts)',
      [
        `Machine: ${machine()}; load average ${loadavg()
          .map((x) => x.toFixed(1))
          .join(
            ', ',
          )} at the end; ${new Date().toISOString().slice(0, 10)}. ${TARGETS.toLocaleString('en')} Weibo posts in one watch, added through \`Store.ensureTarget\` in transactions of ${BATCH.toLocaleString('en')} by bench/scale-fill.ts in a process of its own (${(db.fillMs / 1000).toFixed(0)} s; the file is then ${mib(db.bytes)} MiB, ${Math.round(db.bytes / TARGETS)} bytes per target). ${DUE.toLocaleString('en')} of them are due, one row in every ${Math.max(1, Math.floor(TARGETS / DUE))} (as the targets due at one time are spread over a database that has grown for months: 1,000 due targets on 1,000 pages); the rest are due decades later. Leases are rows of their own table (\`target_leases\`), so taking 1,000 writes a few pages of it and none of the targets'. Checks go to a server in a process of its own answering the simulator's rendering of an alive post.`,
        '',
        `The engine is \`censorwatch run --config …\` (the compiled CLI, concurrency 16, no politeness wait) in a fresh process on a copy of that file; its memory is read from /proc/PID/status every 250 ms (VmRSS; VmHWM, the kernel's own peak; RssAnon, the process's own memory, and RssFile, mapped files: the node binary and better-sqlite3). Round 1 checks each due post for the first time; the run is then stopped, the posts made due again, and a second run re-checks them, each answer the same but for its Date header. The soak is \`run --duration ${SOAK_S}s\` with a ladder of one second, so the same posts are re-checked as fast as the engine goes. The V8 split is what the run's own \`process.memoryUsage()\` said at the peak sample (bench/scale-probe.cjs, preloaded, logs it once a second).`,
        '',
        `Picks measured in the benchmark's process, ${SAMPLES} of each, \`peek\` and \`takeDue\` taking turns, at a 1-minute load average of ${picks.loadBefore.toFixed(1)} before and ${picks.loadAfter.toFixed(1)} after on ${cpus().length} cores: wall time includes waiting for a core, CPU time (this process's user + system) does not, so on a loaded machine the CPU figure is the one to hold against the target. Each \`takeDue\`'s leases are given back (untimed) before the next pick, so every pick finds the same ${DUE.toLocaleString('en')} due targets, none leased, as the embedded engine does (its pool holds 64 taken items at a time). The last row of picks is how this benchmark measured before: ${PICKS} \`takeDue\` in a row, none given back, so pick k steps over the (k − 1) × 1,000 due rows already leased.`,
        '',
        '| figure | value | target |',
        '|---|---:|---:|',
        `| pick 1,000 due targets, \`Scheduler.peek\` (read only; distributed scheduler), median / p90 of ${SAMPLES} | wall ${timing(picks.peek.wall)} ms; CPU ${timing(picks.peek.cpu)} ms | ≤ 10 ms |`,
        `| pick 1,000 due targets, \`takeDue\` (leases them; embedded), median / p90 of ${SAMPLES} | wall ${timing(picks.take.wall)} ms; CPU ${timing(picks.take.cpu)} ms | ≤ 10 ms |`,
        `| next due time (\`Store.nextDueAt\`, read by an idle engine between rounds), median of ${SAMPLES} | ${quantile(picks.next.wall, 0.5).toFixed(2)} ms (CPU ${quantile(picks.next.cpu, 0.5).toFixed(2)} ms) | |`,
        `| \`takeDue\` as measured before: ${PICKS} in a row, none given back, median / p90 | wall ${timing(picks.takeLeased.wall)} ms; CPU ${timing(picks.takeLeased.cpu)} ms | |`,
        `| \`censorwatch run\` peak RSS while checking at ${TARGETS.toLocaleString('en')} targets (VmHWM, highest of the three runs) | ${mib(hwm)} MiB (${Math.round(hwm / 1e6)} MB) | ≤ 300 MB |`,
        `| \`censorwatch run\` RSS over the soak of ${SOAK_S} s (${soakChecks.toLocaleString('en')} checks), highest sample of each minute | ${byMinute.map((b) => mib(b)).join(', ')} MiB | flat |`,
        `| bytes stored per unchanged check (file growth after checkpoint over ${unchanged.toLocaleString('en')} checks) | ${Math.round(perCheck)} | ≤ 200 |`,
        `| checks/s, first check of each due post / unchanged re-check (first to last observation of the round) | ${Math.round(rate1)} / ${Math.round(rate2)} | |`,
        '',
        "Where each run's RSS goes, in MiB, at its highest sample: mapped files (the node binary, better-sqlite3's library), V8's heap (reserved / in use at that moment; its lowest in use, just after a full collection, is what is live: mostly the program's own code), buffers outside it (response bodies, undici's), and the rest of the process's own memory (SQLite's page cache, at most 16 MB: better-sqlite3 builds SQLite with `cache_size` -16000 KiB and no `mmap_size`; malloc's arenas, which keep much of the 40 MiB V8 mallocs and frees while compiling at start; thread stacks).",
        '',
        '| run | checks | RSS 1 s in | RSS highest sample / VmHWM | mapped files | V8 heap reserved / in use | V8 heap live | external | other own memory |',
        '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
        memoryRow('round 1: first checks', DUE, first),
        memoryRow('round 2: unchanged re-checks', unchanged, second),
        memoryRow(`soak: re-checks for ${SOAK_S} s`, soakChecks, soak),
        '',
        WHERE_IT_WENT,
      ].join('\n'),
    );
  } finally {
    await server.stop();
    if (process.env.CW_SCALE_KEEP) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
