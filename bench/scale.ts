/**
 * One SQLite file tracking 1,000,000 targets (posts), through the store's and the engine's own
 * methods:
 *  - how long picking 1,000 due targets takes (`Engine.takeDue`, which leases them, as embedded
 *    mode does; `Scheduler.peek`, which only reads, as the distributed scheduler does);
 *  - the engine's RSS while it checks the due targets against a server in a process of its own;
 *  - bytes the file grows per unchanged check (the second check of a post whose answer is the
 *    same but for its Date header), after a WAL checkpoint.
 * Writes its section of bench/RESULTS.md.
 *
 *   npx tsx bench/scale.ts [targets=1000000] [due=20000]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createEngine, createPlatforms } from '../src/cli/compose';
import { parseConfig } from '../src/config/load';
import { ManualClock } from '../src/domain/clock';
import { LocalHostHealth } from '../src/engine/host-health';
import { Scheduler } from '../src/engine/scheduler';
import { Store } from '../src/store/store';
import { selfCpuMs } from './proc-cpu';
import { machine, writeSection } from './results';
import { postTemplate, startWeiboServer } from './weibo-server-control';
import { rawSql } from '../test/helpers/sql';

const TARGETS = Number(process.argv[2] ?? 1_000_000);
const DUE = Number(process.argv[3] ?? 20_000);
const PICKS = Math.max(1, Math.min(20, Math.floor(DUE / 1000)));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const logger = pino({ level: 'silent' });

const mid = (i: number): string => String(4_990_000_000_000_000 + i * 7);

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

/** File bytes after folding the WAL into the database. */
function fileBytes(store: Store, path: string): number {
  rawSql(store).query(`PRAGMA wal_checkpoint(TRUNCATE)`);
  return statSync(path).size;
}

async function main(): Promise<void> {
  const server = await startWeiboServer(await postTemplate(), 0);
  const dir = mkdtempSync(join(tmpdir(), 'cw-bench-scale-'));
  const database = join(dir, 'scale.db');
  try {
    const t0 = Date.UTC(2024, 0, 10);
    const clock = new ManualClock(t0);
    const hosts = Object.fromEntries(
      ['m.weibo.cn', 'weibo.com', 'www.weibo.com', 'passport.weibo.com', 'visitor.passport.weibo.cn'].map(
        (h) => [h, server.base],
      ),
    );
    const config = parseConfig(
      {
        database,
        concurrency: 16,
        platforms: { weibo: { hosts, cookie: 'SUB=bench', minInterval: '0ms' } },
        // One rung: a checked post is due again an hour later, which the second round relies on.
        schedule: { ladder: ['1h'] },
        watches: [{ id: 'scale', name: 'scale', weibo: { keywords: ['scale'] } }],
      },
      '<bench>',
    );
    const store = Store.open(database);
    const platforms = createPlatforms(config, clock, logger, { sleep: async () => {} });
    const engine = createEngine({ config, store, adapters: platforms.adapters, clock, logger });
    // A read-only scheduler over the same file, as the distributed scheduler role builds it.
    const reader = new Scheduler({
      config,
      store,
      clock,
      logger,
      health: new LocalHostHealth((p) => config.platforms[p].backoff),
    });
    engine.sync();
    rawSql(store).run(`UPDATE sources SET active = 0`);

    // DUE posts due now (oldest first), the rest spread over the next 30 days after a 60-day gap.
    const insertStart = performance.now();
    const BATCH = 10_000;
    for (let b = 0; b < TARGETS; b += BATCH) {
      store.transaction(() => {
        for (let i = b; i < Math.min(TARGETS, b + BATCH); i++) {
          const next =
            i < DUE
              ? t0 - DUE + i
              : t0 + 60 * DAY + Math.floor(((i * 7919) % TARGETS) * ((30 * DAY) / TARGETS));
          store.ensureTarget(
            { platform: 'weibo', kind: 'post', id: mid(i) },
            `https://m.weibo.cn/detail/${mid(i)}`,
            ['scale'],
            'post',
            t0 - 30 * DAY,
            next,
          );
        }
      });
      if ((b / BATCH) % 20 === 0) process.stdout.write(`\r${b + BATCH} targets`);
    }
    const insertMs = performance.now() - insertStart;
    const emptyBytes = fileBytes(store, database);
    console.log(
      `\n${TARGETS} targets in ${(insertMs / 1000).toFixed(1)} s; ${(emptyBytes / 2 ** 20).toFixed(0)} MiB`,
    );

    // Picking: peek first (reads only), then take (leases), 1,000 at a time.
    // Wall time and this process's CPU time: on a shared machine the first includes waiting for a core.
    const peekMs: number[] = [];
    const peekCpu: number[] = [];
    for (let k = 0; k < PICKS; k++) {
      const s = performance.now();
      const c = selfCpuMs();
      const items = reader.peek(1000);
      peekMs.push(performance.now() - s);
      peekCpu.push(selfCpuMs() - c);
      if (items.length !== 1000) throw new Error(`peek gave ${items.length}`);
    }
    const takeMs: number[] = [];
    const takeCpu: number[] = [];
    for (let k = 0; k < PICKS; k++) {
      const s = performance.now();
      const c = selfCpuMs();
      const items = engine.takeDue(1000);
      takeMs.push(performance.now() - s);
      takeCpu.push(selfCpuMs() - c);
      if (items.length !== 1000) throw new Error(`takeDue gave ${items.length}`);
    }
    rawSql(store).run(
      `UPDATE targets SET leased_until = NULL, leased_by = NULL WHERE leased_until IS NOT NULL`,
    );
    // What an idle engine reads between rounds to know how long to sleep.
    const nextMs: number[] = [];
    for (let k = 0; k < PICKS; k++) {
      const s = performance.now();
      if (store.nextDueAt() === null) throw new Error('nothing scheduled');
      nextMs.push(performance.now() - s);
    }
    const pickLoad = loadavg()[0]!;
    console.log(
      `peek(1000) median ${quantile(peekMs, 0.5).toFixed(2)} ms; takeDue(1000) median ${quantile(takeMs, 0.5).toFixed(2)} ms`,
    );

    // Checking: round 1 (first checks) and round 2 (unchanged), RSS sampled throughout.
    const rss: number[] = [];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 50);
    const round = async (): Promise<{ checks: number; ms: number }> => {
      const s = performance.now();
      let checks = 0;
      for (;;) {
        const n = await engine.tick();
        if (n === 0) break;
        checks += n;
      }
      return { checks, ms: performance.now() - s };
    };
    const first = await round();
    clock.advanceTo(t0 + 2 * HOUR);
    const before = fileBytes(store, database);
    const observationsBefore = rawSql(store).query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM observations`,
    )[0]!.n;
    const second = await round();
    clearInterval(sampler);
    const after = fileBytes(store, database);
    const unchanged =
      rawSql(store).query<{ n: number }>(`SELECT COUNT(*) AS n FROM observations`)[0]!.n - observationsBefore;
    const edits = rawSql(store).query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM events WHERE type = 'post.edited'`,
    )[0]!.n;
    if (unchanged !== DUE || edits !== 0)
      throw new Error(`round 2: ${unchanged} observations, ${edits} edits`);
    const perCheck = (after - before) / unchanged;
    const maxRss = Math.max(...rss);
    console.log(
      `round 1 ${first.checks} checks in ${Math.round(first.ms)} ms; round 2 ${second.checks}; max RSS ${(maxRss / 2 ** 20).toFixed(0)} MiB; ${perCheck.toFixed(0)} bytes per unchanged check`,
    );

    store.close();
    await platforms.close();
    const mib = (b: number): string => (b / 2 ** 20).toFixed(0);
    writeSection(
      'Scale: 1,000,000 targets in one SQLite file (bench/scale.ts)',
      [
        `Machine: ${machine()}; load average ${loadavg()
          .map((x) => x.toFixed(1))
          .join(
            ', ',
          )} at the end; ${new Date().toISOString().slice(0, 10)}. ${TARGETS.toLocaleString('en')} Weibo posts in one watch, added through \`Store.ensureTarget\` in transactions of ${BATCH.toLocaleString('en')} (${(insertMs / 1000).toFixed(0)} s; the file is then ${mib(emptyBytes)} MiB, ${Math.round(emptyBytes / TARGETS)} bytes per target). ${DUE.toLocaleString('en')} of them are due; the rest are due 60–90 days later. Checks go to a server in a process of its own answering the simulator's rendering of an alive post.`,
        '',
        `Picks measured at a 1-minute load average of ${pickLoad.toFixed(1)} on ${cpus().length} cores: wall time includes waiting for a core, CPU time does not.`,
        '',
        '| figure | value | target |',
        '|---|---:|---:|',
        `| pick 1,000 due targets, \`Scheduler.peek\` (read only; distributed scheduler), median / p90 of ${PICKS} | ${quantile(peekMs, 0.5).toFixed(1)} / ${quantile(peekMs, 0.9).toFixed(1)} ms (CPU ${quantile(peekCpu, 0.5).toFixed(1)} ms) | ≤ 10 ms |`,
        `| pick 1,000 due targets, \`takeDue\` (leases them; embedded), median / p90 of ${PICKS} | ${quantile(takeMs, 0.5).toFixed(1)} / ${quantile(takeMs, 0.9).toFixed(1)} ms (CPU ${quantile(takeCpu, 0.5).toFixed(1)} ms) | ≤ 10 ms |`,
        `| next due time (\`Store.nextDueAt\`, read by an idle engine between rounds), median of ${PICKS} | ${quantile(nextMs, 0.5).toFixed(2)} ms | |`,
        `| engine RSS while checking ${(2 * DUE).toLocaleString('en')} posts (max of samples every 50 ms) | ${mib(maxRss)} MiB | ≤ 300 MB |`,
        `| bytes stored per unchanged check (file growth after checkpoint over ${unchanged.toLocaleString('en')} checks) | ${Math.round(perCheck)} | ≤ 200 |`,
        `| checks/s, first check of each due post / unchanged re-check (concurrency 16) | ${Math.round(first.checks / (first.ms / 1000))} / ${Math.round(second.checks / (second.ms / 1000))} | |`,
      ].join('\n'),
    );
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
