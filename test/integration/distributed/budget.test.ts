import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { PLATFORMS } from '../../../src/domain/glossary';
import { Store } from '../../../src/store/store';
import { rawSql } from '../../helpers/sql';
import {
  READY,
  REDIS,
  cleanupDirs,
  killAll,
  obliterate,
  scratchDir,
  sleep,
  spawnRole,
  startQuickSim,
  uniquePrefix,
  waitIdle,
  type RoleProcess,
} from './helpers';

// One distributed run (four processes, the scheduler killed and started again) of the quick
// scenario, read by both tests.
jest.setTimeout(300_000);

/** Requests per hour per platform: far fewer than the quick scenario wants in its first seconds. */
const BUDGET = 40;
/** Weibo's politeness, long enough that two fetchers would break it if each kept its own. */
const MIN_INTERVAL = 150;
/** Real time the scenario plays at least after the scheduler is started again. */
const RUN_MS = 10_000;
/** Most real time it plays on after that until most of the budget is spent. */
const SPEND_CAP_MS = 90_000;
/** Weibo work out in the pipeline (leased, not recorded) when the scheduler is killed. */
const OUT_AT_KILL = 3;

interface Slot {
  readonly host: string;
  readonly slot: number;
  readonly pid: number;
}

let spend: Record<string, number>;
let recorded: Record<string, number>;
let checked: Record<string, number>;
let slots: Slot[];
let fetcherPids: number[];
let outAtKill: number;

/** Weibo rows leased without an owner (sent out by the scheduler, not recorded yet). */
function weiboOut(database: string): number {
  const store = Store.open(database, { readonly: true });
  try {
    const now = Date.now();
    return rawSql(store).query<{ n: number }>(
      `SELECT (SELECT COUNT(*) FROM target_leases l JOIN targets t ON t.id = l.target_id
               WHERE t.platform = 'weibo' AND l.leased_until > ? AND l.leased_by IS NULL)
            + (SELECT COUNT(*) FROM sources WHERE platform = 'weibo' AND leased_until > ? AND leased_by IS NULL) AS n`,
      now,
      now,
    )[0]!.n;
  } finally {
    store.close();
  }
}

/**
 * What a run spent by the budget's own ledger, and what the recorder applied independently of it:
 * each check result (key c-<row>-<n>) is one request, each page a discovery round read is one.
 * Observations would overcount: a listing stands in for some checks without a request of their own.
 */
function tally(database: string): {
  spend: Record<string, number>;
  recorded: Record<string, number>;
  checked: Record<string, number>;
} {
  const store = Store.open(database, { readonly: true });
  try {
    const sql = rawSql(store);
    const spend = Object.fromEntries(
      sql
        .query<{ platform: string; n: number }>(
          `SELECT platform, SUM(requests) AS n FROM budget_spend GROUP BY platform`,
        )
        .map((r) => [r.platform, r.n]),
    );
    const checks = sql.query<{ platform: string; n: number }>(
      `SELECT t.platform, COUNT(*) AS n FROM distributed_applied a JOIN targets t
         ON t.id = CAST(substr(a.key, 3, instr(substr(a.key, 3), '-') - 1) AS INTEGER)
       WHERE a.key LIKE 'c-%' GROUP BY t.platform`,
    );
    const pages = sql.query<{ platform: string; n: number }>(
      `SELECT s.platform, COUNT(*) AS n FROM search_observations so JOIN sources s ON s.id = so.source_id GROUP BY s.platform`,
    );
    const recorded: Record<string, number> = {};
    for (const r of [...checks, ...pages]) recorded[r.platform] = (recorded[r.platform] ?? 0) + r.n;
    return { spend, recorded, checked: Object.fromEntries(checks.map((r) => [r.platform, r.n])) };
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  const run = await startQuickSim();
  const dir = scratchDir();
  const prefix = uniquePrefix();
  const doc = parseYaml(run.sim.configYaml(join(dir, 'budget.db'))) as {
    platforms: Record<string, Record<string, unknown>>;
    [k: string]: unknown;
  };
  for (const p of PLATFORMS) doc.platforms[p]!.budget = BUDGET;
  doc.platforms.weibo!.minInterval = `${MIN_INTERVAL}ms`;
  doc.queue = { redis: REDIS, prefix };
  const path = join(dir, 'budget.yaml');
  writeFileSync(path, stringifyYaml(doc));
  const roles: RoleProcess[] = [];
  try {
    const recorder = spawnRole('recorder', path, dir);
    roles.push(recorder);
    await recorder.waitFor(READY);
    // Each fetcher logs every request slot it reserves (debug), to audit the spacing across them.
    const fetchers = [0, 1].map(() => spawnRole('fetcher', path, dir, ['--concurrency', '4'], 'debug'));
    roles.push(...fetchers);
    const first = spawnRole('scheduler', path, dir);
    roles.push(first);
    await Promise.all(roles.map((r) => r.waitFor(READY)));
    run.go();
    const began = Date.now();
    // kill -9 of the scheduler while what it admitted is still out: the one that starts next must
    // count that against the hour, or it grants those requests a second time.
    for (outAtKill = 0; outAtKill < OUT_AT_KILL; outAtKill = weiboOut(String(doc.database))) {
      if (Date.now() - began > 60_000) throw new Error(`never ${OUT_AT_KILL} Weibo items out at once`);
      await sleep(100);
    }
    await first.kill9();
    const scheduler = spawnRole('scheduler', path, dir);
    roles.push(scheduler);
    await scheduler.waitFor(READY);
    // The scenario plays on with the new scheduler; start-up on a loaded machine is not its time.
    // At least RUN_MS, so a scheduler that ignored the budget would have overspent it by then, and
    // on until the run has spent most of it: a loaded machine sends fewer requests in that time.
    await sleep(RUN_MS);
    const spentEnough = (): boolean => {
      const t = tally(String(doc.database));
      // Both fetchers took a slot of the Weibo host, so the spacing below is across processes.
      const hosts = fetchers.map((f) =>
        f
          .log()
          .split('\n')
          .some((l) => l.includes('"msg":"request slot"') && l.includes('"host":"m.weibo.cn"')),
      );
      return (
        PLATFORMS.every((p) => (t.spend[p] ?? 0) >= BUDGET / 2 && (t.checked[p] ?? 0) > 0) &&
        hosts.every(Boolean)
      );
    };
    const cap = Date.now() + SPEND_CAP_MS;
    while (Date.now() < cap && !spentEnough()) await sleep(200);
    await scheduler.stop();
    await waitIdle(REDIS, prefix, 60_000);
    for (const r of [...fetchers, recorder]) await r.stop();

    fetcherPids = fetchers.map((f) => f.child.pid!);
    slots = fetchers.flatMap((f) =>
      f
        .log()
        .split('\n')
        .filter((l) => l.includes('"msg":"request slot"'))
        .map((l) => JSON.parse(l) as { host: string; slot: number })
        .map((l) => ({ host: l.host, slot: l.slot, pid: f.child.pid! })),
    );
    ({ spend, recorded, checked } = tally(String(doc.database)));
  } finally {
    await killAll();
    await run.stop();
    await obliterate(REDIS, prefix).catch(() => undefined);
  }
});

afterAll(() => cleanupDirs());

describe('distributed mode keeps to the request budget and to politeness across processes', () => {
  it('no platform spends more than its hourly budget, a scheduler killed and started again included, and the budget is what held the run back', () => {
    expect(outAtKill).toBeGreaterThanOrEqual(OUT_AT_KILL);
    for (const p of PLATFORMS) {
      // Everything ran inside one hour: the whole run is one budget window.
      expect(spend[p]).toBeLessThanOrEqual(BUDGET);
      expect(recorded[p]).toBeLessThanOrEqual(BUDGET);
      // The scenario wants many times the budget: a scheduler that did not apply it spends it all
      // in the first seconds and goes on. Reaching most of it shows the run was held back by it.
      expect(spend[p]).toBeGreaterThanOrEqual(BUDGET / 2);
      // Discovery's ceiling leaves requests to the checks.
      expect(checked[p]).toBeGreaterThan(0);
    }
  });

  it('requests to one host are minInterval apart, whichever fetcher process sends them', () => {
    const weibo = slots.filter((s) => s.host === 'm.weibo.cn');
    // Both processes sent requests to the host...
    for (const pid of fetcherPids) expect(weibo.filter((s) => s.pid === pid).length).toBeGreaterThan(0);
    // ...and their slots, taken together, never come closer than the interval.
    const sorted = weibo.map((s) => s.slot).sort((a, b) => a - b);
    expect(sorted.length).toBeGreaterThan(3);
    const gaps = sorted.slice(1).map((t, i) => t - sorted[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_INTERVAL);
  });
});
