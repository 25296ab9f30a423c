/**
 * One check — fetch a Weibo post's `statuses/show` and tell whether it is still there — four ways,
 * in one run, against the same server in a process of its own (bench/weibo-server.ts):
 *  1. a bare undici `request()` loop with the same Weibo parser (and, as the floor, with `JSON.parse` only),
 *  2. `censorwatch run` as a user starts it (the CLI, embedded mode), counted from the observations
 *     it recorded in SQLite, in two phases of a post's life measured apart:
 *     a. unchanged re-checks in steady state: 3,000 explicit posts, every one first-checked by a
 *        run before the rounds begin, on a 100 ms ladder that keeps them all due;
 *     b. first checks: a fresh database each round of more posts than the run gets through, on a
 *        ladder of an hour, so every observation is a post's first;
 *  3. Crawlee's HttpCrawler, its request handler running the same Weibo parser censorwatch uses,
 *  4. one reused Playwright page (Chromium) navigating to each URL, then the same parser.
 * The loops take turns, round after round, so the machine's drift falls on all of them alike; the
 * median over the rounds is the figure, the range is shown beside it, and each ratio is taken
 * within a round. Writes the rates and the ratios into bench/RESULTS.md.
 *
 * Crawlee and Playwright are this directory's own dependencies, never the product's:
 *
 *   npm ci --prefix bench/compare && npx tsx bench/compare/compare.ts [seconds=6] [concurrency=16] [rounds=3]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { stringify as stringifyYaml } from 'yaml';
import { parseStatusShow } from '../../src/platforms/weibo/parse';
import type { HttpResponse } from '../../src/http/types';
import { sqlOf } from '../../src/store/db';
import { Store } from '../../src/store/store';
import { cpuMs, selfCpuMs } from '../proc-cpu';
import { machine, writeSection } from '../results';
import { loopFigures, ratioByRound, spreadPct, summarize, withRange } from '../rounds';
import type { LoopFigures, Pass, Summary } from '../rounds';
import { postTemplate, startWeiboServer, syntheticMids } from '../weibo-server-control';

/** `--bare-child BASE PARSE SECONDS CONCURRENCY`: one bare loop in a process of its own (see {@link bareInChild}). */
const CHILD = process.argv[2] === '--bare-child';
const SECONDS = Number((CHILD ? process.argv[5] : process.argv[2]) ?? 6);
const CONCURRENCY = Number((CHILD ? process.argv[6] : process.argv[3]) ?? 16);
const ROUNDS = Number(process.argv[4] ?? 3);
/** Crawlee's run is a list of requests, not a duration: enough for SECONDS at the rate it reaches here, each URL unique so none is deduplicated. */
const CRAWLEE_REQUESTS = Math.max(1000, SECONDS * 250);
const POSTS = 3000;
/**
 * Posts of each first-check run: more than it checks from its first observation to its end (warm-up,
 * window, the rest of its duration) at 2,500 checks/s, well above what one process does here.
 */
const FIRST_POSTS = 2500 * (SECONDS + 8);
const ROOT = join(__dirname, '..', '..');
const CHROMIUM = process.env.CENSORWATCH_BENCH_CHROMIUM ?? '/usr/bin/chromium';

/** A response as censorwatch's parsers take it, from what another client got. */
function asResponse(url: string, status: number, body: Buffer): HttpResponse {
  return {
    ok: true,
    url,
    finalUrl: url,
    redirects: [],
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    setCookies: [],
    body,
  };
}

/** Parses with censorwatch's own Weibo parser and insists on what every loop must find: alive. */
function classify(url: string, status: number, body: Buffer, mid: string): void {
  const [obs] = parseStatusShow(asResponse(url, status, body), Date.now(), mid);
  if (obs?.outcome !== 'alive') throw new Error(`${mid}: expected alive, got ${obs?.outcome}`);
}

/** One pass of a loop: checks per second of wall time, and CPU time per check. */
type Figures = Pass;

function report(label: string, n: number, ms: number, cpu: number): Figures {
  const rate = n / (ms / 1000);
  const cpuPerCheckMs = cpu / n;
  console.log(
    `${label.padEnd(48)} ${Math.round(rate).toString().padStart(7)} checks/s  ${cpuPerCheckMs.toFixed(3)} CPU ms/check  (${n} in ${Math.round(ms)} ms)`,
  );
  return { rate, cpuPerCheckMs, checks: n };
}

/** The bare loop: undici `request()` and, with `parse`, censorwatch's parser, else `JSON.parse` only. */
async function bareUndici(
  base: string,
  mids: readonly string[],
  parse: boolean,
  seconds = SECONDS,
): Promise<Figures> {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: CONCURRENCY });
  let i = 0;
  let n = 0;
  const start = performance.now();
  const cpu0 = selfCpuMs();
  const until = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const mid = mids[i++ % mids.length]!;
        const url = `${base}/statuses/show?id=${mid}`;
        const res = await request(url, { dispatcher: agent });
        if (parse) classify(url, res.statusCode, Buffer.from(await res.body.arrayBuffer()), mid);
        else JSON.parse(await res.body.text());
        n++;
      }
    }),
  );
  const ms = performance.now() - start;
  const cpu = selfCpuMs() - cpu0;
  await agent.close();
  return report(
    parse ? "bare undici request() + censorwatch's parser" : 'bare undici request() + JSON.parse',
    n,
    ms,
    cpu,
  );
}

/**
 * The bare loop in a child process that loads nothing but undici and the parser, as `censorwatch
 * run` is a process of its own: run in this one, a bare loop after the first round shares its heap
 * with Crawlee's and Playwright's modules and was some 15% dearer per check for it. The child runs
 * the loop for the CLI's warm-up time first, then the timed one, as the CLI's window starts after
 * its own.
 */
async function bareInChild(base: string, parse: boolean): Promise<Figures> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      __filename,
      '--bare-child',
      base,
      parse ? '1' : '0',
      String(SECONDS),
      String(CONCURRENCY),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  const last = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`bare loop child exited ${code}: ${out}`);
  const f = JSON.parse(last) as Figures;
  return report(
    parse ? "bare undici request() + censorwatch's parser" : 'bare undici request() + JSON.parse',
    f.checks,
    (f.checks / f.rate) * 1000,
    f.cpuPerCheckMs * f.checks,
  );
}

/** The child's side of {@link bareInChild}: warm up, time one loop, print its figures as JSON. */
async function bareChild(): Promise<void> {
  const [base, parse] = [process.argv[3]!, process.argv[4] === '1'];
  const mids = syntheticMids(POSTS);
  const log = console.log;
  console.log = () => undefined;
  await bareUndici(base, mids, parse, WARMUP_MS / 1000);
  const f = await bareUndici(base, mids, parse);
  console.log = log;
  console.log(JSON.stringify(f));
}

/** A `censorwatch run` finished: when it started, and its CPU time sampled with the wall clock. */
interface CliRun {
  readonly spawnedAt: number;
  readonly samples: readonly { at: number; cpu: number }[];
}

/**
 * `censorwatch run --config CONFIG --duration MS` as a user starts it, its CPU time sampled every
 * 100 ms from /proc; `stop`, polled with the samples, ends it early (SIGTERM, as Ctrl-C would).
 */
async function spawnRun(config: string, durationMs: number, stop?: () => boolean): Promise<CliRun> {
  const samples: { at: number; cpu: number }[] = [];
  const spawnedAt = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(ROOT, 'bin', 'censorwatch.js'), 'run', '--config', config, '--duration', `${durationMs}ms`],
      { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CENSORWATCH_LOG: 'warn' } },
    );
    let stopping = false;
    const poll = setInterval(() => {
      samples.push({ at: Date.now(), cpu: cpuMs(child.pid!) });
      if (stop && !stopping && stop()) {
        stopping = true;
        child.kill('SIGTERM');
      }
    }, 100);
    child.once('error', reject);
    child.once('close', (code) => {
      clearInterval(poll);
      if (code === 0) resolve();
      else reject(new Error(`censorwatch run exited ${code}`));
    });
  });
  return { spawnedAt, samples };
}

/** A config of explicit posts for `censorwatch run` in `dir`, on a ladder of one rung. */
function runConfig(dir: string, base: string, mids: readonly string[], ladder: string): string {
  const hosts = Object.fromEntries(
    ['m.weibo.cn', 'weibo.com', 'www.weibo.com', 'passport.weibo.com', 'visitor.passport.weibo.cn'].map(
      (h) => [h, base],
    ),
  );
  const config = join(dir, `run-${ladder}.yaml`);
  writeFileSync(
    config,
    stringifyYaml({
      database: join(dir, 'run.db'),
      concurrency: CONCURRENCY,
      // A session cookie, so no visitor-cookie round trip; no politeness wait. The ladder is the
      // phase's: 100 ms keeps every post due, so the re-check rate is the run's capacity, not its
      // schedule; an hour keeps a post first-checked in the run from being re-checked in it.
      platforms: { weibo: { hosts, cookie: 'SUB=bench', minInterval: '0ms' } },
      schedule: { ladder: [ladder], discoverEvery: '1h' },
      watches: [{ id: 'bench', name: 'bench', weibo: { posts: [...mids] } }],
    }),
  );
  return config;
}

function withStore<T>(database: string, f: (q: <R>(sql: string, ...p: unknown[]) => R) => T): T {
  const store = Store.open(database, { readonly: true });
  try {
    return f(<R>(sql: string, ...p: unknown[]) => sqlOf(store).dynamic<R>(sql, ...p)[0]!);
  } finally {
    store.close();
  }
}

/** How long a run checks before its window opens (its JIT warming up). */
const WARMUP_MS = 2000;

/**
 * The figures of `run` from the observations it recorded: the window opens at the first CPU
 * sample `WARMUP_MS` after the run's first observation and closes at the last sample before
 * shutdown, at most SECONDS later; the checks are the observations recorded in the window.
 */
function windowOf(label: string, database: string, run: CliRun): Figures {
  return withStore(database, (q) => {
    const first = q<{ at: number | null }>(
      `SELECT MIN(at) AS at FROM observations WHERE at >= ?`,
      run.spawnedAt,
    );
    if (first.at === null) throw new Error(`${label}: no observation recorded`);
    const a = run.samples.find((x) => x.at >= first.at! + WARMUP_MS);
    const b = run.samples.filter((x) => a && x.at <= a.at + SECONDS * 1000 && x.cpu > 0).pop();
    if (!a || !b || b.at - a.at < 1000) throw new Error(`${label}: the run ended before its window`);
    const window = q<{ n: number }>(
      `SELECT COUNT(*) AS n FROM observations WHERE at >= ? AND at < ?`,
      a.at,
      b.at,
    );
    const notAlive = q<{ n: number }>(`SELECT COUNT(*) AS n FROM observations WHERE outcome <> 'alive'`);
    if (notAlive.n > 0) throw new Error(`${label}: ${notAlive.n} observations not alive`);
    return report(label, window.n, b.at - a.at, b.cpu - a.cpu);
  });
}

/**
 * `censorwatch run`, unchanged re-checks in steady state: a database in which every post has been
 * checked (by a run before the first round), on a 100 ms ladder, so every observation of the
 * window is a re-check of an answer seen before (the same but for its Date header).
 */
async function prepareRechecks(
  base: string,
  mids: readonly string[],
): Promise<{ measure: () => Promise<Figures>; close: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-compare-'));
  const config = runConfig(dir, base, mids, '100ms');
  const database = join(dir, 'run.db');
  const checked = (): number =>
    existsSync(database)
      ? withStore(
          database,
          (q) => q<{ n: number }>(`SELECT COUNT(DISTINCT target_id) AS n FROM observations`).n,
        )
      : 0;
  let polled = 0;
  // Every post's first check, unmeasured; stopped once every post has one.
  await spawnRun(config, 600_000, () => ++polled % 5 === 0 && checked() >= mids.length);
  if (checked() < mids.length)
    throw new Error(`re-check set-up: ${checked()} of ${mids.length} posts checked`);
  return {
    measure: async () => {
      const run = await spawnRun(config, WARMUP_MS + SECONDS * 1000 + 3000);
      return windowOf('censorwatch run, unchanged re-checks', database, run);
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * `censorwatch run`, first checks: a fresh database of `mids` (more than it can check in the run)
 * on a ladder of an hour, so every observation is a post's first.
 */
async function firstChecks(base: string, mids: readonly string[]): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-compare-'));
  try {
    const config = runConfig(dir, base, mids, '1h');
    const database = join(dir, 'run.db');
    // Longer than the re-check runs: syncing the many posts into the fresh database comes first.
    const run = await spawnRun(config, WARMUP_MS + SECONDS * 1000 + 5000);
    const f = windowOf('censorwatch run, first checks', database, run);
    const c = withStore(database, (q) =>
      q<{ n: number; posts: number }>(
        `SELECT COUNT(*) AS n, COUNT(DISTINCT target_id) AS posts FROM observations`,
      ),
    );
    if (c.n !== c.posts) throw new Error(`first checks: ${c.n} observations of ${c.posts} posts`);
    // Had every post been checked, the window's end would have been idle time, not checking.
    if (c.posts >= mids.length)
      throw new Error(
        `first checks: all ${mids.length} posts checked before the run ended; raise FIRST_POSTS`,
      );
    return f;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function crawleeHttp(base: string, mids: readonly string[]): Promise<Figures> {
  const storage = mkdtempSync(join(tmpdir(), 'cw-bench-crawlee-'));
  process.env.CRAWLEE_STORAGE_DIR = storage;
  const { HttpCrawler, Configuration, log } = await import('crawlee');
  log.setLevel(log.LEVELS.WARNING);
  try {
    let n = 0;
    const count = CRAWLEE_REQUESTS;
    const WARM = Math.round(count / 5);
    let start = 0;
    let cpu0 = 0;
    let ms = 0;
    let cpu = 0;
    const crawler = new HttpCrawler(
      {
        minConcurrency: CONCURRENCY,
        maxConcurrency: CONCURRENCY,
        maxRequestRetries: 0,
        useSessionPool: false,
        persistCookiesPerSession: false,
        additionalMimeTypes: ['application/json'],
        requestHandler: ({ request: req, body }) => {
          const mid = new URL(req.url).searchParams.get('id')!;
          classify(req.url, 200, Buffer.isBuffer(body) ? body : Buffer.from(body), mid);
          n++;
          // Timed in steady state, as censorwatch run is: from the WARM-th check to the last, so
          // the crawler's start-up, queue filling, ramp and shutdown are not charged to its checks.
          if (n === WARM) {
            start = performance.now();
            cpu0 = selfCpuMs();
          } else if (n === count) {
            ms = performance.now() - start;
            cpu = selfCpuMs() - cpu0;
          }
        },
      },
      new Configuration({ persistStorage: false, storageClientOptions: { localDataDirectory: storage } }),
    );
    const urls = Array.from({ length: count }, (_, k) => ({
      url: `${base}/statuses/show?id=${mids[k % mids.length]}`,
      uniqueKey: `check-${k}`,
    }));
    await crawler.run(urls);
    if (n !== count) throw new Error(`Crawlee handled ${n} of ${count}`);
    return report('Crawlee HttpCrawler + the same parser', count - WARM, ms, cpu);
  } finally {
    rmSync(storage, { recursive: true, force: true });
  }
}

async function playwrightPage(base: string, mids: readonly string[], serverPid: number): Promise<Figures> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/statuses/show?id=${mids[0]}`);
    // Chromium's own processes count (they fetch and render): this process's tree, less the server's.
    const cpuNow = (): number => cpuMs(process.pid, true) - cpuMs(serverPid, true);
    let n = 0;
    const cpu0 = cpuNow();
    const start = performance.now();
    const until = start + SECONDS * 1000;
    while (performance.now() < until) {
      const mid = mids[n % mids.length]!;
      const url = `${base}/statuses/show?id=${mid}`;
      const res = await page.goto(url);
      if (!res) throw new Error(`${url}: no response`);
      classify(url, res.status(), await res.body(), mid);
      n++;
    }
    const ms = performance.now() - start;
    return report('Playwright, one reused page + the same parser', n, ms, cpuNow() - cpu0);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  if (built.status !== 0) throw new Error('npm run build failed');
  const loadAtStart = loadavg()[0]!;
  const template = await postTemplate();
  const server = await startWeiboServer(template, 0);
  const mids = syntheticMids(POSTS);
  const rechecks = await prepareRechecks(server.base, mids);
  try {
    const firstMids = syntheticMids(FIRST_POSTS);
    // Warm the server's JIT (and this process's parser) before the first measured loop.
    await bareUndici(server.base, mids, true);
    const loops: [string, () => Promise<Figures>][] = [
      ['json', () => bareInChild(server.base, false)],
      ['bare', () => bareInChild(server.base, true)],
      ['recheck', rechecks.measure],
      ['first', () => firstChecks(server.base, firstMids)],
      ['crawlee', () => crawleeHttp(server.base, mids)],
      ['playwright', () => playwrightPage(server.base, mids, server.pid)],
    ];
    const passes = new Map<string, Figures[]>(loops.map(([k]) => [k, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round} of ${ROUNDS}`);
      for (const [k, loop] of loops) passes.get(k)!.push(await loop());
    }
    const stats = await server.stats();
    const f = (k: string): LoopFigures => loopFigures(passes.get(k)!);
    const [json, bare, recheck, first, crawlee, playwright] = [
      'json',
      'bare',
      'recheck',
      'first',
      'crawlee',
      'playwright',
    ].map(f) as [LoopFigures, LoopFigures, LoopFigures, LoopFigures, LoopFigures, LoopFigures];
    const fmt = (x: number): string => (x >= 10 ? x.toFixed(0) : x.toFixed(2));
    const ranged = (s: Summary): string => `${fmt(s.median)}× (${fmt(s.min)}–${fmt(s.max)})`;
    // Wall-clock ratios, round by round as the CPU ones.
    const wall = (a: LoopFigures, b: LoopFigures): Summary =>
      summarize(a.passes.map((p, k) => p.rate / b.passes[k]!.rate));
    const toBare = ratioByRound(bare, recheck);
    const firstToBare = ratioByRound(bare, first);
    const crawleeX = ratioByRound(crawlee, recheck);
    const playwrightX = ratioByRound(playwright, recheck);
    const row = (label: string, l: LoopFigures, ratio: string): string =>
      `| ${label} | ${Math.round(l.rate.median)} | ${withRange(l.cpu, 3)} | ${Math.round(1000 / l.cpu.median)} | ${ratio} |`;
    const load = loadavg()
      .map((x) => x.toFixed(1))
      .join(', ');
    const named: [string, LoopFigures][] = [
      ['bare undici + JSON.parse', json],
      ["bare undici + censorwatch's parser", bare],
      ['censorwatch run re-checks', recheck],
      ['first checks', first],
      ['Crawlee', crawlee],
      ['Playwright', playwright],
    ];
    writeSection(
      'censorwatch vs bare undici, Crawlee and Playwright (bench/compare)',
      [
        `Machine: ${machine()}; load average ${loadAtStart.toFixed(1)} at the start, ${load} when the run ended; ${new Date().toISOString().slice(0, 10)}. The server is a process of its own on 127.0.0.1 answering \`statuses/show\` with the simulator's rendering of an alive post; every loop checks the same ${POSTS} synthetic posts at concurrency ${CONCURRENCY} (Playwright: one page, one at a time; the first checks: ${FIRST_POSTS.toLocaleString('en')} posts, more than a run gets through), about ${SECONDS} s each (Crawlee: ${CRAWLEE_REQUESTS} requests, however long they take, timed from the ${Math.round(CRAWLEE_REQUESTS / 5)}th to the last handled, so its start-up and shutdown are left out as the CLI's are). The loops take turns in this run, ${ROUNDS} rounds of all of them in the order of the table, and each figure is the median over the rounds with the range of the rounds in brackets. Requests the server saw: ${Object.entries(
          stats,
        )
          .map(([p, c]) => `${p} ${c}`)
          .join(', ')}.`,
        '',
        "On a shared machine checks per second say how much CPU a loop was given; CPU time per check (user + system of the process doing the loop, Chromium's processes included for Playwright, the server never) says what a check costs, so the ratios are taken from it, within each round (between loops that ran within a minute or two of each other), and their median over the rounds is given with their range.",
        '',
        "`censorwatch run` is measured in two phases of a post's life, each its own run of the CLI counted from the observations it recorded in SQLite: **unchanged re-checks in steady state** (a database in which every post was first-checked by a run before the first round, on a 100 ms ladder that keeps every post due, each answer the same as the last but for its Date header) and **first checks** (a fresh database each round on a ladder of an hour, so every observation is a post's first). " +
          `A post is checked first once and then re-checked at every rung of its ladder for the rest of its life, so the targets are stated on the re-check; the first check is shown beside it.`,
        '',
        `| loop | checks/s (wall) | CPU ms / check (range over ${ROUNDS} rounds) | checks per CPU-second | ratio (CPU) |`,
        '|---|---:|---:|---:|---:|',
        row(
          'bare undici `request()` + `JSON.parse` only',
          json,
          `${ranged(ratioByRound(json, bare))} the parsing loop`,
        ),
        row("bare undici `request()` + censorwatch's parser", bare, '1'),
        row(
          '`censorwatch run`, unchanged re-checks (CLI, embedded: schedule from SQLite, fetch, classify, record with evidence)',
          recheck,
          `${ranged(toBare)} bare (${fmt(ratioByRound(json, recheck).median)}× JSON.parse only)`,
        ),
        row(
          "`censorwatch run`, first checks (the same, storing each post's first capture)",
          first,
          `${ranged(firstToBare)} bare; ${fmt(ratioByRound(first, recheck).median)}× a re-check`,
        ),
        row(
          "Crawlee `HttpCrawler` + censorwatch's parser",
          crawlee,
          `censorwatch ${ranged(crawleeX)} cheaper (first checks: ${fmt(ratioByRound(crawlee, first).median)}×)`,
        ),
        row(
          "Playwright, one reused page + censorwatch's parser",
          playwright,
          `censorwatch ${ranged(playwrightX)} cheaper (first checks: ${fmt(ratioByRound(playwright, first).median)}×)`,
        ),
        '',
        `Spread over the rounds, (highest − lowest) / median CPU per check: ${named
          .map(([n, l]) => `${n} ${spreadPct(l.cpu).toFixed(0)}%`)
          .join('; ')}.`,
        '',
        `Targets, on unchanged re-checks: engine ≥ 0.5× bare: ${toBare.median >= 0.5 ? 'met' : 'not met'} (wall: ${fmt(wall(recheck, bare).median)}×); ≥ 10× Crawlee: ${crawleeX.median >= 10 ? 'met' : 'not met'} (wall: ${fmt(wall(recheck, crawlee).median)}×); ≥ 200× Playwright: ${playwrightX.median >= 200 ? 'met' : 'not met'} (wall: ${fmt(wall(recheck, playwright).median)}×). ` +
          'The engine ratio is taken against the bare loop that runs the same parser (the JSON.parse-only loop is the floor beside it). ' +
          `What is held equal: one server process for all loops, the same posts and answers, concurrency ${CONCURRENCY} (Playwright's one page excepted), censorwatch's own \`parseStatusShow\` in every loop but the floor, each insisting the post is alive. What is not: \`censorwatch run\` does its whole job (schedule from SQLite with leases, the session's headers, verdict rules, the observation, its log entry and hash chain, the evidence capture of request and response), counted from the observations it recorded in a window that starts ${WARMUP_MS / 1000} s after its first one, as each bare loop, run in a fresh process of its own that loads only undici and the parser, is counted after ${WARMUP_MS / 1000} s of the same loop, where Crawlee and Playwright are counted from their first request; the other loops only fetch and parse, and none of them stores anything, so none has a first check dearer than the rest. ` +
          'Crawlee and Playwright are installed in bench/compare only (`npm ci --prefix bench/compare`).',
      ].join('\n'),
    );
  } finally {
    rechecks.close();
    await server.stop();
  }
}

(CHILD ? bareChild() : main()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
