/**
 * What each layer of a check costs in CPU, in one process against bench/weibo-server.ts (a
 * process of its own, so the server's CPU is never counted), all at the same concurrency on the
 * same 3,000 synthetic posts:
 *  1. bare undici `request()` + `JSON.parse` (the ceiling),
 *  2. bare undici + censorwatch's Weibo parser (`parseStatusShow`: classification, normalization),
 *  3. censorwatch's Fetcher (remap, politeness, cookie jar, headers, retries) + the same parser,
 *  4. the Weibo adapter's check (Fetcher, session, headers, parser, send-time stamping),
 *  5. the embedded engine as `run` builds it: schedule from SQLite, the adapter's check, verdict
 *     rules, record with evidence (observation, log entry, capture, hash chain).
 * The difference between two rows is what the layer added costs. Each loop runs twice, in turn,
 * and the round with less CPU per check counts. Writes its section of bench/RESULTS.md.
 *
 *   npx tsx bench/engine.ts [seconds=4] [concurrency=16]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { Agent, request } from 'undici';
import { createEngine, createPlatforms } from '../src/cli/compose';
import { parseConfig } from '../src/config/load';
import { systemClock } from '../src/domain/clock';
import type { HttpResponse } from '../src/http/types';
import { parseStatusShow } from '../src/platforms/weibo/parse';
import { sqlOf } from '../src/store/db';
import { Store } from '../src/store/store';
import { selfCpuMs } from './proc-cpu';
import { machine, writeSection } from './results';
import { postTemplate, startWeiboServer, syntheticMids } from './weibo-server-control';

const SECONDS = Number(process.argv[2] ?? 4);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const POSTS = 3000;
const logger = pino({ level: 'silent' });

interface Figures {
  readonly rate: number;
  readonly cpuPerCheckMs: number;
}

/** Runs `loop` (which returns the checks it made) and measures wall rate and CPU per check. */
async function measure(label: string, loop: (until: number) => Promise<number>): Promise<Figures> {
  const cpu0 = selfCpuMs();
  const start = performance.now();
  const n = await loop(start + SECONDS * 1000);
  const ms = performance.now() - start;
  const f = { rate: n / (ms / 1000), cpuPerCheckMs: (selfCpuMs() - cpu0) / n };
  console.log(
    `${label.padEnd(44)} ${Math.round(f.rate).toString().padStart(6)} checks/s  ${f.cpuPerCheckMs.toFixed(3)} CPU ms/check`,
  );
  return f;
}

/** `CONCURRENCY` workers calling `once` until `until`. */
async function workers(
  until: number,
  once: (mid: string) => Promise<void>,
  mids: readonly string[],
): Promise<number> {
  let i = 0;
  let n = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        await once(mids[i++ % mids.length]!);
        n++;
      }
    }),
  );
  return n;
}

function expectAlive(res: HttpResponse, mid: string): void {
  const [obs] = parseStatusShow(res, Date.now(), mid);
  if (obs?.outcome !== 'alive') throw new Error(`${mid}: expected alive, got ${obs?.outcome}`);
}

async function main(): Promise<void> {
  const server = await startWeiboServer(await postTemplate(), 0);
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-engine-'));
  const mids = syntheticMids(POSTS);
  const hosts = Object.fromEntries(
    ['m.weibo.cn', 'weibo.com', 'www.weibo.com', 'passport.weibo.com', 'visitor.passport.weibo.cn'].map(
      (h) => [h, server.base],
    ),
  );
  const config = parseConfig(
    {
      database: join(dir, 'bench.db'),
      concurrency: CONCURRENCY,
      // As bench/compare.ts runs the CLI: a session cookie (no visitor round trip), no politeness
      // wait, and a ladder that keeps every post due, so the rate is capacity, not schedule.
      platforms: { weibo: { hosts, cookie: 'SUB=bench', minInterval: '0ms' } },
      schedule: { ladder: ['100ms'], discoverEvery: '1h' },
      watches: [{ id: 'bench', name: 'bench', weibo: { posts: mids } }],
    },
    '<bench>',
  );
  const platforms = createPlatforms(config, systemClock, logger);
  const store = Store.open(config.database);
  let recorded = 0;
  const engine = createEngine({
    config,
    store,
    adapters: platforms.adapters,
    clock: systemClock,
    logger,
    onResult: () => recorded++,
  });
  engine.sync();
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: CONCURRENCY });
  const get = async (mid: string): Promise<{ status: number; body: Buffer }> => {
    const res = await request(`${server.base}/statuses/show?id=${mid}`, { dispatcher: agent });
    return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()) };
  };

  const loops: [string, (until: number) => Promise<number>][] = [
    [
      'bare undici request() + JSON.parse',
      (until) =>
        workers(
          until,
          async (mid) => {
            const res = await request(`${server.base}/statuses/show?id=${mid}`, { dispatcher: agent });
            JSON.parse(await res.body.text());
          },
          mids,
        ),
    ],
    [
      "bare undici + censorwatch's Weibo parser",
      (until) =>
        workers(
          until,
          async (mid) => {
            const { status, body } = await get(mid);
            const url = `https://m.weibo.cn/statuses/show?id=${mid}`;
            expectAlive(
              { ok: true, url, finalUrl: url, redirects: [], status, headers: {}, setCookies: [], body },
              mid,
            );
          },
          mids,
        ),
    ],
    [
      "censorwatch's Fetcher + the same parser",
      (until) =>
        workers(
          until,
          async (mid) => {
            const res = await platforms.http.fetch({
              platform: 'weibo',
              url: `https://m.weibo.cn/statuses/show?id=${mid}`,
            });
            if (!res.ok) throw new Error(res.code);
            expectAlive(res, mid);
          },
          mids,
        ),
    ],
    [
      'Weibo adapter check',
      (until) =>
        workers(
          until,
          async (mid) => {
            const { observations } = await platforms.adapters.weibo.check({
              platform: 'weibo',
              kind: 'post',
              id: mid,
            });
            if (observations[0]?.outcome !== 'alive') throw new Error(`${mid}: ${observations[0]?.outcome}`);
          },
          mids,
        ),
    ],
    [
      'embedded engine (schedule, check, record with evidence)',
      async (until) => {
        recorded = 0;
        await engine.run({ until: Date.now() + (until - performance.now()) });
        return recorded;
      },
    ],
  ];

  const best: Figures[] = loops.map(() => ({ rate: 0, cpuPerCheckMs: Number.POSITIVE_INFINITY }));
  const only = process.env.CW_BENCH_ONLY;
  for (let round = 1; round <= 2; round++) {
    for (const [k, [label, loop]] of loops.entries()) {
      if (only && !label.includes(only)) continue;
      const f = await measure(`${label} #${round}`, loop);
      if (f.cpuPerCheckMs < best[k]!.cpuPerCheckMs) best[k] = f;
    }
  }
  const [{ n: notAlive }] = sqlOf(store).dynamic<{ n: number }>(
    `SELECT COUNT(*) AS n FROM observations WHERE outcome <> 'alive'`,
  ) as [{ n: number }];
  if (notAlive > 0) throw new Error(`engine: ${notAlive} observations not alive`);
  store.close();
  await Promise.all([platforms.close(), agent.close()]);
  await server.stop();
  rmSync(dir, { recursive: true, force: true });

  const bare = best[0]!;
  const eng = best[4]!;
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
  const us = (k: number): number =>
    (best[k]!.cpuPerCheckMs - (k === 0 ? 0 : best[k - 1]!.cpuPerCheckMs)) * 1000;
  const shares: [string, number][] = [
    ['HTTP and JSON.parse as the bare loop does them', us(0)],
    ['the parser beyond JSON.parse', us(1)],
    ["censorwatch's HTTP client", us(2)],
    ['the adapter around it', us(3)],
    ['scheduling, verdict rules and recording with evidence', us(4)],
  ];
  const row = (k: number, what: string): string => {
    const f = best[k]!;
    const added = k === 0 ? '' : `${((f.cpuPerCheckMs - best[k - 1]!.cpuPerCheckMs) * 1000).toFixed(0)}`;
    return `| ${loops[k]![0]} | ${what} | ${Math.round(f.rate)} | ${f.cpuPerCheckMs.toFixed(3)} | ${added} |`;
  };
  writeSection(
    'Embedded engine vs bare undici (bench/engine.ts)',
    [
      `Machine: ${machine()}; load average ${load} when the run ended; ${new Date().toISOString().slice(0, 10)}. One process, the server (bench/weibo-server.ts, the simulator's rendering of an alive post) in a process of its own; ${POSTS.toLocaleString('en')} synthetic posts, concurrency ${CONCURRENCY}, ${SECONDS} s per loop, each loop run twice in turn and the round with less CPU per check kept. CPU is user + system of this process (process.cpuUsage), the server's never.`,
      '',
      '| loop | what it adds | checks/s (wall) | CPU ms / check | µs added by the layer |',
      '|---|---|---:|---:|---:|',
      row(0, 'the ceiling'),
      row(
        1,
        'classification and normalization of the post, the same parser every loop of bench/compare uses',
      ),
      row(2, 'host remap, politeness gate, cookie jar, header handling, retries, body collection'),
      row(3, 'the H5 request headers, the session, stamping the observation with the send time'),
      row(4, 'scheduling from SQLite, verdict rules, recording observation, log entry and evidence'),
      '',
      `Where the engine's ${(eng.cpuPerCheckMs * 1000).toFixed(0)} µs per check go, by the layers above: ${shares
        .map(
          ([what, us]) =>
            `${what} ${us.toFixed(0)} µs (${((100 * us) / (eng.cpuPerCheckMs * 1000)).toFixed(0)}%)`,
        )
        .join('; ')}. ` +
        `Even with scheduling and recording free, the adapter's check alone would run at ${(bare.cpuPerCheckMs / best[3]!.cpuPerCheckMs).toFixed(2)}× the bare loop. ` +
        'Results are recorded in one transaction per group that arrives in the same turn of the event loop; holding them up to 20 ms for groups twice as large (8 → 17 results) changed the CPU per check by less than the run-to-run noise (2026-12-01, load ≈ 25, two pairs of runs: 1.49 and 1.35 ms per check as now, 1.52 and 1.26 ms held), so no delay is added.',
      '',
      `The embedded engine runs at ${(bare.cpuPerCheckMs / eng.cpuPerCheckMs).toFixed(2)}× the bare loop in CPU per check (target ≥ 0.5×: ${bare.cpuPerCheckMs / eng.cpuPerCheckMs >= 0.5 ? 'met' : 'not met'}), ${(eng.rate / bare.rate).toFixed(2)}× in wall-clock rate; against the bare loop with the same parser, ${(best[1]!.cpuPerCheckMs / eng.cpuPerCheckMs).toFixed(2)}×.`,
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
