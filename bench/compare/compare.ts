/**
 * One check — fetch a Weibo post's `statuses/show` and tell whether it is still there — four ways,
 * in one run, against the same server in a process of its own (bench/weibo-server.ts):
 *  1. a bare undici `request()` loop with the same Weibo parser (and, as the floor, with `JSON.parse` only),
 *  2. `censorwatch run` as a user starts it (the CLI, embedded mode) on 3,000 explicit posts,
 *     counted from the observations it recorded in SQLite,
 *  3. Crawlee's HttpCrawler, its request handler running the same Weibo parser censorwatch uses,
 *  4. one reused Playwright page (Chromium) navigating to each URL, then the same parser.
 * Writes the rates and the ratios into bench/RESULTS.md.
 *
 * Crawlee and Playwright are this directory's own dependencies, never the product's:
 *
 *   npm ci --prefix bench/compare && npx tsx bench/compare/compare.ts [seconds=6] [concurrency=16]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
import { postTemplate, startWeiboServer, syntheticMids } from '../weibo-server-control';

const SECONDS = Number(process.argv[2] ?? 6);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const POSTS = 3000;
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

/** One loop's figures: checks per second of wall time, and CPU time per check. */
interface Figures {
  readonly rate: number;
  readonly cpuPerCheckMs: number;
  readonly checks: number;
}

function report(label: string, n: number, ms: number, cpu: number): Figures {
  const rate = n / (ms / 1000);
  const cpuPerCheckMs = cpu / n;
  console.log(
    `${label.padEnd(48)} ${Math.round(rate).toString().padStart(7)} checks/s  ${cpuPerCheckMs.toFixed(3)} CPU ms/check  (${n} in ${Math.round(ms)} ms)`,
  );
  return { rate, cpuPerCheckMs, checks: n };
}

/** The bare loop: undici `request()` and, with `parse`, censorwatch's parser, else `JSON.parse` only. */
async function bareUndici(base: string, mids: readonly string[], parse: boolean): Promise<Figures> {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: CONCURRENCY });
  let i = 0;
  let n = 0;
  const start = performance.now();
  const cpu0 = selfCpuMs();
  const until = start + SECONDS * 1000;
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

/** `censorwatch run --duration` on a config of explicit posts; the rate comes from what it recorded. */
async function censorwatchRun(base: string, mids: readonly string[]): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-compare-'));
  try {
    const database = join(dir, 'run.db');
    const hosts = Object.fromEntries(
      ['m.weibo.cn', 'weibo.com', 'www.weibo.com', 'passport.weibo.com', 'visitor.passport.weibo.cn'].map(
        (h) => [h, base],
      ),
    );
    const config = join(dir, 'run.yaml');
    writeFileSync(
      config,
      stringifyYaml({
        database,
        concurrency: CONCURRENCY,
        // A session cookie, so no visitor-cookie round trip; no politeness wait, a ladder that keeps
        // every post due: the run's rate is its capacity, not its schedule.
        platforms: { weibo: { hosts, cookie: 'SUB=bench', minInterval: '0ms' } },
        schedule: { ladder: ['100ms'], discoverEvery: '1h' },
        watches: [{ id: 'bench', name: 'bench', weibo: { posts: [...mids] } }],
      }),
    );
    const warmupMs = 2000;
    // The child's CPU time, sampled with the wall clock, so the measured window's share is known.
    const samples: { at: number; cpu: number }[] = [];
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          join(ROOT, 'bin', 'censorwatch.js'),
          'run',
          '--config',
          config,
          '--duration',
          `${SECONDS * 1000 + warmupMs + 1000}ms`,
        ],
        { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CENSORWATCH_LOG: 'warn' } },
      );
      const poll = setInterval(() => samples.push({ at: Date.now(), cpu: cpuMs(child.pid!) }), 100);
      child.once('error', reject);
      child.once('close', (code) => {
        clearInterval(poll);
        if (code === 0) resolve();
        else reject(new Error(`censorwatch run exited ${code}`));
      });
    });
    const store = Store.open(database, { readonly: true });
    try {
      const [first] = sqlOf(store).dynamic<{ at: number }>(`SELECT MIN(at) AS at FROM observations`);
      // The window runs from one CPU sample after the warm-up to the last one before shutdown.
      const a = samples.find((x) => x.at >= first!.at + warmupMs)!;
      const b = samples.filter((x) => x.at <= a.at + SECONDS * 1000 && x.cpu > 0).pop()!;
      const [window] = sqlOf(store).dynamic<{ n: number }>(
        `SELECT COUNT(*) AS n FROM observations WHERE at >= ? AND at < ?`,
        a.at,
        b.at,
      );
      const [notAlive] = sqlOf(store).dynamic<{ n: number }>(
        `SELECT COUNT(*) AS n FROM observations WHERE outcome <> 'alive'`,
      );
      if (notAlive!.n > 0) throw new Error(`censorwatch run: ${notAlive!.n} observations not alive`);
      return report('censorwatch run (embedded, CLI)', window!.n, b.at - a.at, b.cpu - a.cpu);
    } finally {
      store.close();
    }
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
    // Enough requests for SECONDS at the rate Crawlee reaches here, each URL unique so none is deduplicated.
    const count = Math.max(600, SECONDS * 150);
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
        },
      },
      new Configuration({ persistStorage: false, storageClientOptions: { localDataDirectory: storage } }),
    );
    const urls = Array.from({ length: count }, (_, k) => ({
      url: `${base}/statuses/show?id=${mids[k % mids.length]}`,
      uniqueKey: `check-${k}`,
    }));
    const start = performance.now();
    const cpu0 = selfCpuMs();
    await crawler.run(urls);
    const ms = performance.now() - start;
    const cpu = selfCpuMs() - cpu0;
    if (n !== count) throw new Error(`Crawlee handled ${n} of ${count}`);
    return report('Crawlee HttpCrawler + the same parser', n, ms, cpu);
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
  const template = await postTemplate();
  const server = await startWeiboServer(template, 0);
  try {
    const mids = syntheticMids(POSTS);
    // Warm the server's JIT (and this process's parser) before the first measured loop.
    await bareUndici(server.base, mids, true);
    const json1 = await bareUndici(server.base, mids, false);
    const bare1 = await bareUndici(server.base, mids, true);
    const run = await censorwatchRun(server.base, mids);
    const crawlee = await crawleeHttp(server.base, mids);
    const playwright = await playwrightPage(server.base, mids, server.pid);
    const bare2 = await bareUndici(server.base, mids, true);
    const json2 = await bareUndici(server.base, mids, false);
    const stats = await server.stats();
    const mean = (a: Figures, b: Figures): Figures => ({
      rate: (a.rate + b.rate) / 2,
      cpuPerCheckMs: (a.cpuPerCheckMs + b.cpuPerCheckMs) / 2,
      checks: a.checks + b.checks,
    });
    const bare = mean(bare1, bare2);
    const json = mean(json1, json2);
    const fmt = (x: number): string => (x >= 10 ? x.toFixed(0) : x.toFixed(2));
    const cpuRatio = (other: Figures): number => other.cpuPerCheckMs / run.cpuPerCheckMs;
    const row = (label: string, f: Figures, ratio: string): string =>
      `| ${label} | ${Math.round(f.rate)} | ${f.cpuPerCheckMs.toFixed(3)} | ${Math.round(1000 / f.cpuPerCheckMs)} | ${ratio} |`;
    const load = loadavg()
      .map((x) => x.toFixed(1))
      .join(', ');
    writeSection(
      'censorwatch vs bare undici, Crawlee and Playwright (bench/compare)',
      [
        `Machine: ${machine()}; load average ${load} when the run ended; ${new Date().toISOString().slice(0, 10)}. The server is a process of its own on 127.0.0.1 answering \`statuses/show\` with the simulator's rendering of an alive post; every loop checks the same ${POSTS} synthetic posts at concurrency ${CONCURRENCY} (Playwright: one page, one at a time), about ${SECONDS} s each, one after the other in this run. Requests the server saw: ${Object.entries(
          stats,
        )
          .map(([p, c]) => `${p} ${c}`)
          .join(', ')}.`,
        '',
        "On a shared machine checks per second say how much CPU a loop was given; CPU time per check (user + system of the process doing the loop, Chromium's processes included for Playwright, the server never) says what a check costs, so the ratios are taken from it.",
        '',
        '| loop | checks/s (wall) | CPU ms / check | checks per CPU-second | ratio (CPU) |',
        '|---|---:|---:|---:|---:|',
        row(
          'bare undici `request()` + `JSON.parse` only (mean of the runs before and after)',
          json,
          `${(json.cpuPerCheckMs / bare.cpuPerCheckMs).toFixed(2)}× the parsing loop`,
        ),
        row("bare undici `request()` + censorwatch's parser (mean of the runs before and after)", bare, '1'),
        row(
          '`censorwatch run` (CLI, embedded: schedule from SQLite, fetch, classify, record with evidence)',
          run,
          `${(bare.cpuPerCheckMs / run.cpuPerCheckMs).toFixed(2)}× bare (${(json.cpuPerCheckMs / run.cpuPerCheckMs).toFixed(2)}× JSON.parse only)`,
        ),
        row(
          "Crawlee `HttpCrawler` + censorwatch's parser",
          crawlee,
          `censorwatch ${fmt(cpuRatio(crawlee))}× cheaper`,
        ),
        row(
          "Playwright, one reused page + censorwatch's parser",
          playwright,
          `censorwatch ${fmt(cpuRatio(playwright))}× cheaper`,
        ),
        '',
        `Targets: engine ≥ 0.5× bare: ${bare.cpuPerCheckMs / run.cpuPerCheckMs >= 0.5 ? 'met' : 'not met'} (wall: ${(run.rate / bare.rate).toFixed(2)}×); ≥ 10× Crawlee: ${cpuRatio(crawlee) >= 10 ? 'met' : 'not met'} (wall: ${fmt(run.rate / crawlee.rate)}×); ≥ 200× Playwright: ${cpuRatio(playwright) >= 200 ? 'met' : 'not met'} (wall: ${fmt(run.rate / playwright.rate)}×). ` +
          'The engine ratio is taken against the bare loop that runs the same parser (the JSON.parse-only loop is the floor beside it). ' +
          "What is held equal: one server process for all loops, the same posts and answers, concurrency 16 (Playwright's one page excepted), censorwatch's own `parseStatusShow` in every loop but the floor, each insisting the post is alive. What is not: `censorwatch run` does its whole job (schedule from SQLite with leases, the session's headers, verdict rules, the observation, its log entry and hash chain, the evidence capture of request and response), counted from the observations it recorded in a window that starts 2 s after its first one; the other loops only fetch and parse. " +
          'Crawlee and Playwright are installed in bench/compare only (`npm ci --prefix bench/compare`).',
      ].join('\n'),
    );
  } finally {
    await server.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
