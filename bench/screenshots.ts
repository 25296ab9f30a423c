/**
 * Screenshots per second through the browser pool (one Chromium, reused contexts) against a
 * Chromium launched per page, both loading the simulator's NetEase article pages through the host
 * remap at the same concurrency. SCREENSHOT_BENCH_N sets the pool's shot count. Writes its section
 * of bench/RESULTS.md.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BrowserPool } from '../src/browser/pool';
import { ManualClock } from '../src/domain/clock';
import { buildScenario, Simulator } from '../src/sim';
import { machine, writeSection } from './results';

const CHROMIUM = process.env.CENSORWATCH_CHROMIUM ?? '/usr/bin/chromium';
const N = Number(process.env.SCREENSHOT_BENCH_N ?? 200);
/** Launch-per-page shots: each costs a browser start, so fewer give the same precision. */
const LAUNCH_N = Math.max(8, Math.round(N / 10));
const CONCURRENCY = 4;
const VIEWPORT = { width: 1280, height: 900 };

/** Runs `n` shots of `urls` (round robin), `CONCURRENCY` at a time; returns seconds taken. */
async function timeShots(
  n: number,
  urls: readonly string[],
  shoot: (url: string) => Promise<number>,
): Promise<{ seconds: number; bytes: number }> {
  let next = 0;
  let bytes = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        bytes += await shoot(urls[i % urls.length]!);
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, bytes };
}

async function main(): Promise<void> {
  const start = Date.UTC(2024, 0, 10, 2, 0, 0);
  const scenario = buildScenario('quick', { start, seed: 7 });
  // Every article alive: the clock stands after they were all published and before any removal.
  const clock = new ManualClock(start + 4_000);
  const sim = new Simulator({ clock, scenario });
  const base = await sim.start(0);
  const hosts = Object.fromEntries(
    ['www.163.com', 'news.163.com', 'dy.163.com', 'm.163.com', 'static.ws.126.net'].map((h) => [h, base]),
  );
  const urls = scenario.netease.articles.map(
    (a) => `https://www.163.com/${a.channel}/article/${a.docid}.html`,
  );

  // The pool: one browser for all shots; its launch is timed apart, as a long run pays it once.
  const pool = new BrowserPool({ executablePath: CHROMIUM, headless: true, size: CONCURRENCY, hosts });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, (_, i) =>
      pool.shoot({ url: urls[i % urls.length]!, viewport: VIEWPORT }),
    ),
  );
  const warmup = (performance.now() - t0) / 1000;
  const pooled = await timeShots(
    N,
    urls,
    async (url) => (await pool.shoot({ url, viewport: VIEWPORT })).png.length,
  );
  await pool.close();

  // A browser per page: what a screenshot costs without the pool.
  const launched = await timeShots(LAUNCH_N, urls, async (url) => {
    const one = new BrowserPool({ executablePath: CHROMIUM, headless: true, size: 1, hosts });
    try {
      return (await one.shoot({ url, viewport: VIEWPORT })).png.length;
    } finally {
      await one.close();
    }
  });
  await sim.stop();

  const rate = (r: { seconds: number }, n: number): number => n / r.seconds;
  const pooledRate = rate(pooled, N);
  const launchedRate = rate(launched, LAUNCH_N);
  const load = loadavg()[0]!.toFixed(1);
  const body = [
    `Machine: ${machine()}; load average ${load} when it ended (other work on the machine slows both rows alike); Chromium at ${CHROMIUM}, --headless --no-sandbox --disable-gpu.`,
    `Pages: the simulator's ${urls.length} NetEase article pages (${VIEWPORT.width}×${VIEWPORT.height}, full page up to 4000 px), through the host remap, ${CONCURRENCY} at a time.`,
    '',
    '| | shots | seconds | shots/s | mean PNG |',
    '|---|---:|---:|---:|---:|',
    `| pool (1 browser, ${CONCURRENCY} reused contexts) | ${N} | ${pooled.seconds.toFixed(2)} | **${pooledRate.toFixed(1)}** | ${Math.round(pooled.bytes / N / 1024)} KiB |`,
    `| a browser launched per page | ${LAUNCH_N} | ${launched.seconds.toFixed(2)} | ${launchedRate.toFixed(2)} | ${Math.round(launched.bytes / LAUNCH_N / 1024)} KiB |`,
    '',
    `The pool is ${(pooledRate / launchedRate).toFixed(0)}× faster (target: ≥ 20 shots/s on 2 cores${pooledRate >= 20 ? ', met' : ', NOT met'}). Its first ${CONCURRENCY} shots, which launch the browser and its contexts, took ${warmup.toFixed(2)} s and are not in the figure: a run pays them once.`,
  ].join('\n');
  writeSection('Screenshots: browser pool against a launch per page', body);
  console.log(body);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
