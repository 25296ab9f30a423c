/**
 * CPU per check of the engine's fetch path against the bare loop's, in one process, against the
 * same server in a process of its own (bench/weibo-server.ts): what `censorwatch run` pays beyond
 * bench/compare's bare undici loop before the scheduler and recorder see a result.
 *  - bare:     undici `request()`, the body as a Buffer (bench/compare's bare loop without the parser)
 *  - fetcher:  the Fetcher as `run` builds it (remap, politeness, cookie jar, retries, timeouts)
 *  - adapter:  WeiboAdapter.check through it, the parser included (the Weibo session, its jar)
 *  - bare+parse: the bare loop with the same parser, as bench/compare times it
 * The loops take turns for many rounds; each figure is the median over the rounds of CPU µs per
 * check (process.cpuUsage), so the machine's load falls on all of them alike.
 *
 *   npm run build && npx tsx bench/compare/fetch-path.ts [rounds=15] [checks per round=3000] [concurrency=16]
 *
 * LOOPS=bare,adapter runs only those loops; DIST=/path/to/other/dist measures another build.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import pino from 'pino';
import type { HttpResponse } from '../../src/http/types';
import type * as ClockModule from '../../src/domain/clock';
import type * as ConfigModule from '../../src/config';
import type * as ComposeModule from '../../src/cli/compose';
import type * as ParseModule from '../../src/platforms/weibo/parse';
import { postTemplate, startWeiboServer, syntheticMids } from '../weibo-server-control';

/**
 * The code measured: the compiled dist/ that `censorwatch run` executes (or DIST's), or with SRC=1 the
 * sources through tsx (whose module getters cost a little on every imported call).
 */
const FROM = process.env.SRC ? '../../src' : `${process.env.DIST ?? '../../dist'}/src`;
/* eslint-disable @typescript-eslint/no-require-imports */
const { systemClock } = require(`${FROM}/domain/clock`) as typeof ClockModule;
const { parseConfig } = require(`${FROM}/config`) as typeof ConfigModule;
const { createPlatforms } = require(`${FROM}/cli/compose`) as typeof ComposeModule;
const { parseStatusShow } = require(`${FROM}/platforms/weibo/parse`) as typeof ParseModule;
/* eslint-enable @typescript-eslint/no-require-imports */

const ROUNDS = Number(process.argv[2] ?? 15);
const N = Number(process.argv[3] ?? 3000);
const CONCURRENCY = Number(process.argv[4] ?? 16);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const server = await startWeiboServer(await postTemplate(), 0);
  const mids = syntheticMids(3000);
  const hosts = Object.fromEntries(
    ['m.weibo.cn', 'weibo.com', 'www.weibo.com', 'passport.weibo.com', 'visitor.passport.weibo.cn'].map(
      (h) => [h, server.base],
    ),
  );
  const config = parseConfig(
    {
      database: '/tmp/unused.db',
      concurrency: CONCURRENCY,
      platforms: { weibo: { hosts, cookie: 'SUB=bench', minInterval: '0ms' } },
      schedule: { ladder: ['100ms'] },
      watches: [{ id: 'bench', name: 'bench', weibo: { posts: [mids[0]] } }],
    },
    'bench',
  );
  const platforms = createPlatforms(config, systemClock, pino({ level: 'warn' }));
  const adapter = platforms.adapters.weibo;
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: CONCURRENCY });

  const asResponse = (url: string, status: number, body: Buffer): HttpResponse => ({
    ok: true,
    url,
    finalUrl: url,
    redirects: [],
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    setCookies: [],
    body,
  });

  const loops: Record<string, (mid: string) => Promise<void>> = {
    bare: async (mid) => {
      const res = await request(`${server.base}/statuses/show?id=${mid}`, { dispatcher: agent });
      Buffer.from(await res.body.arrayBuffer());
    },
    'bare+parse': async (mid) => {
      const url = `${server.base}/statuses/show?id=${mid}`;
      const res = await request(url, { dispatcher: agent });
      const body = Buffer.from(await res.body.arrayBuffer());
      const [obs] = parseStatusShow(asResponse(url, res.statusCode, body), Date.now(), mid);
      if (obs?.outcome !== 'alive') throw new Error('not alive');
    },
    fetcher: async (mid) => {
      const res = await platforms.http.fetch({
        platform: 'weibo',
        url: `https://m.weibo.cn/statuses/show?id=${mid}`,
        headers: (adapter as unknown as { headersFor(r: string): Record<string, string> }).headersFor(
          `https://m.weibo.cn/detail/${mid}`,
        ),
      });
      if (!res.ok) throw new Error(res.code);
    },
    adapter: async (mid) => {
      const { observations } = await adapter.check({ platform: 'weibo', kind: 'post', id: mid });
      if (observations[0]?.outcome !== 'alive') throw new Error(`not alive: ${observations[0]?.outcome}`);
    },
  };
  const only = process.env.LOOPS?.split(',');
  const names = Object.keys(loops).filter((n) => !only || only.includes(n));
  const figures: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  let k = 0;
  const run = async (name: string): Promise<number> => {
    const once = loops[name]!;
    let i = 0;
    const cpu0 = process.cpuUsage();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (i < N) {
          i++;
          await once(mids[k++ % mids.length]!);
        }
      }),
    );
    const c = process.cpuUsage(cpu0);
    return (c.user + c.system) / N;
  };
  for (const n of names) await run(n); // warm-up
  const t0 = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    // A different order each round, so no loop always follows the same one.
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const n of order) figures[n]!.push(await run(n));
  }
  for (const n of names)
    console.log(
      `${n.padEnd(12)} ${median(figures[n]!).toFixed(1).padStart(7)} µs CPU/check  (rounds ${Math.min(...figures[n]!).toFixed(1)}-${Math.max(...figures[n]!).toFixed(1)})`,
    );
  console.log(`${ROUNDS} rounds of ${N} checks each in ${Math.round(performance.now() - t0)} ms`);
  await agent.close();
  await platforms.close();
  await server.stop();
}

void main();
