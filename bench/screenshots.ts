/**
 * Screenshots per second through the browser pool (one Chromium, reused contexts) against a
 * Chromium launched per page, both loading the simulator's NetEase article pages through the host
 * remap at the same concurrency. SCREENSHOT_BENCH_N sets the pool's shot count. Writes its section
 * of bench/RESULTS.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BrowserPool } from '../src/browser/pool';
import { ManualClock } from '../src/domain/clock';
import { NETEASE_HOSTS } from '../src/platforms/netease/hosts';
import { WEIBO_HOSTS } from '../src/platforms/weibo/hosts';
import { buildScenario, Simulator } from '../src/sim';
import { machine, writeSection } from './results';

const CHROMIUM = process.env.CENSORWATCH_CHROMIUM ?? '/usr/bin/chromium';
const N = Number(process.env.SCREENSHOT_BENCH_N ?? 200);
/** Launch-per-page shots: each costs a browser start, so fewer give the same precision. */
const LAUNCH_N = Math.max(8, Math.round(N / 10));
const CONCURRENCY = 4;

/**
 * CPU seconds used so far by this process and every process under it (Chromium's browser, GPU and
 * renderer processes), exited children included: what the shots cost whatever else the machine runs.
 */
function treeCpuSeconds(): number {
  const tick = 100; // USER_HZ on Linux
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const text = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      // After the name: state ppid … utime(14) stime(15) cutime(16) cstime(17), counted from 3.
      const cpu = [11, 12, 13, 14].reduce((sum, i) => sum + Number(f[i]), 0);
      stats.set(Number(d), { ppid: Number(f[1]), cpu });
    } catch {
      // The process ended while /proc was read.
    }
  }
  let total = 0;
  for (const [pid, st] of stats) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = stats.get(p)?.ppid) {
      if (p === process.pid) {
        total += st.cpu;
        break;
      }
    }
  }
  return total / tick;
}

/** Runs `n` shots of `urls` (round robin), `CONCURRENCY` at a time; returns seconds taken. */
async function timeShots(
  n: number,
  urls: readonly string[],
  shoot: (url: string) => Promise<number>,
): Promise<{ seconds: number; bytes: number; cpu: number }> {
  let next = 0;
  let bytes = 0;
  const cpu0 = treeCpuSeconds();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        bytes += await shoot(urls[i % urls.length]!);
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, bytes, cpu: treeCpuSeconds() - cpu0 };
}

interface Pages {
  readonly name: string;
  readonly urls: readonly string[];
  readonly viewport: { readonly width: number; readonly height: number };
}

async function main(): Promise<void> {
  const start = Date.UTC(2024, 0, 10, 2, 0, 0);
  const scenario = buildScenario('quick', { start, seed: 7 });
  // Every post and article alive: the clock stands after they were all published, before any fate.
  const at = start + 4_000;
  const sim = new Simulator({ clock: new ManualClock(at), scenario });
  const base = await sim.start(0);
  const hosts = Object.fromEntries([...WEIBO_HOSTS, ...NETEASE_HOSTS].map((h) => [h, base]));
  const kinds: Pages[] = [
    {
      name: 'Weibo detail pages (m.weibo.cn/detail/ID)',
      urls: scenario.weibo.posts
        .filter((p) => p.createdAt < at)
        .map((p) => `https://m.weibo.cn/detail/${p.mid}`),
      viewport: { width: 390, height: 844 },
    },
    {
      name: 'NetEase article pages',
      urls: scenario.netease.articles.map((a) => `https://www.163.com/${a.channel}/article/${a.docid}.html`),
      viewport: { width: 1280, height: 900 },
    },
  ];

  const rows: string[] = [];
  let weiboPooled = 0;
  let weiboLaunched = 0;
  let warmup = 0;
  for (const [k, pages] of kinds.entries()) {
    // The pool: one browser for all shots; its launch is timed apart, as a long run pays it once.
    const pool = new BrowserPool({ executablePath: CHROMIUM, headless: true, size: CONCURRENCY, hosts });
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) =>
        pool.shoot({ url: pages.urls[i % pages.urls.length]!, viewport: pages.viewport }),
      ),
    );
    if (k === 0) warmup = (performance.now() - t0) / 1000;
    const pooled = await timeShots(
      N,
      pages.urls,
      async (url) => (await pool.shoot({ url, viewport: pages.viewport })).png.length,
    );
    await pool.close();
    const rate = N / pooled.seconds;
    if (k === 0) weiboPooled = rate;
    rows.push(
      `| ${pages.name} | pool (1 browser, ${CONCURRENCY} reused contexts) | ${N} | ${pooled.seconds.toFixed(2)} | **${rate.toFixed(1)}** | ${(pooled.cpu / N).toFixed(3)} | ${(2 / (pooled.cpu / N)).toFixed(1)} | ${Math.round(pooled.bytes / N / 1024)} KiB |`,
    );
    if (k !== 0) continue;
    // A browser per page: what a screenshot costs without the pool.
    const launched = await timeShots(LAUNCH_N, pages.urls, async (url) => {
      const one = new BrowserPool({ executablePath: CHROMIUM, headless: true, size: 1, hosts });
      try {
        return (await one.shoot({ url, viewport: pages.viewport })).png.length;
      } finally {
        await one.close();
      }
    });
    weiboLaunched = LAUNCH_N / launched.seconds;
    rows.push(
      `| ${pages.name} | a browser launched per page | ${LAUNCH_N} | ${launched.seconds.toFixed(2)} | ${weiboLaunched.toFixed(2)} | ${(launched.cpu / LAUNCH_N).toFixed(3)} | ${(2 / (launched.cpu / LAUNCH_N)).toFixed(1)} | ${Math.round(launched.bytes / LAUNCH_N / 1024)} KiB |`,
    );
  }
  await sim.stop();

  const load = loadavg()[0]!.toFixed(1);
  const body = [
    `Machine: ${machine()}; load average ${load} when it ended (other work on the machine slows every row alike); Chromium at ${CHROMIUM}, --headless --no-sandbox --disable-gpu.`,
    `Pages: the simulator's, through the host remap, ${CONCURRENCY} at a time (full page up to 4000 px). "CPU s per shot" is the CPU time this process and its Chromium processes used per shot; "on 2 idle cores" is 2 divided by it, the rate the shots' own cost allows when nothing else runs (the simulator's CPU included, since it serves from this process).`,
    '',
    '| pages | how | shots | seconds | shots/s | CPU s per shot | shots/s on 2 idle cores | mean PNG |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `On Weibo detail pages the pool is ${(weiboPooled / weiboLaunched).toFixed(0)}× faster than a launch per page (target: ≥ 20 shots/s on 2 cores${weiboPooled >= 20 ? ', met' : ', NOT met on this run'}). The pool's first ${CONCURRENCY} shots, which launch the browser and its contexts, took ${warmup.toFixed(2)} s and are not in the figure: a run pays them once.`,
  ].join('\n');
  writeSection('Screenshots: browser pool against a launch per page', body);
  console.log(body);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
