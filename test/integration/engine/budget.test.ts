import { mkdtempSync, rmSync } from 'node:fs';
import { rawSql } from '../../helpers/sql';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { request } from 'undici';
import { parse } from 'yaml';
import { gatherStatus, renderStatus } from '../../../src/cli/status';
import { createEngine, createPlatforms } from '../../../src/cli/compose';
import { seeded } from '../../../src/cli/demo';
import { parseConfig } from '../../../src/config';
import { ManualClock } from '../../../src/domain/clock';
import { PLATFORMS } from '../../../src/domain/glossary';
import { BUDGET_CEILING } from '../../../src/engine/budget';
import { registerBudgetMetrics } from '../../../src/engine/budget-metrics';
import { Metrics } from '../../../src/engine/metrics';
import { buildScenario, Simulator } from '../../../src/sim';
import { Store } from '../../../src/store/store';
import { guardAgainstLeaks } from '../../helpers/leak-guard';

// No server or child process started here outlives this file.
guardAgainstLeaks();

const START = Date.UTC(2024, 0, 10, 2, 0, 0);
const MIN = 60_000;
const BUDGET = 90;

/**
 * The quick scenario wants far more than 90 requests an hour (a discovery round every second, a
 * ladder of seconds): the engine must hold every hour to the budget on each platform, give
 * discovery no more than its ceiling, keep re-checking with the rest, and show the split.
 */
describe('request budget', () => {
  it('no hour of a run spends more than the budget, and status and metrics show the split', async () => {
    const seed = 13;
    const clock = new ManualClock(START);
    const scenario = buildScenario('quick', { start: START, seed: 7 });
    const sim = new Simulator({ clock, scenario, faultRate: 0, seed });
    const base = await sim.start(0);
    const dir = mkdtempSync(join(tmpdir(), 'censorwatch-budget-'));
    try {
      const res = await request(`${base}/__sim/config?db=${encodeURIComponent(join(dir, 'b.db'))}`);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const raw: any = parse(await res.body.text());
      raw.platforms.weibo.budget = BUDGET;
      raw.platforms.netease.budget = BUDGET;
      // Discovery at a fixed pace, hungrier than its ceiling: adaptive discovery would slow quiet sources.
      raw.schedule.discoverMin = raw.schedule.discoverEvery;
      raw.schedule.discoverMax = raw.schedule.discoverEvery;
      const config = parseConfig(raw, '<simulator>');
      const store = Store.open(config.database);
      const logger = pino({ level: 'silent' });
      const platforms = createPlatforms(config, clock, logger, { random: seeded(seed) });
      try {
        const engine = createEngine({
          config,
          store,
          adapters: platforms.adapters,
          clock,
          logger,
          random: seeded(seed),
        });
        engine.sync();
        const until = START + 150 * MIN;
        await engine.run({ until, advanceClock: (t) => clock.advanceTo(t) });

        const rows = rawSql(store).query<{
          platform: string;
          class: string;
          minute: number;
          requests: number;
        }>(`SELECT platform, class, minute, requests FROM budget_spend ORDER BY minute`);
        for (const platform of PLATFORMS) {
          const perMinute = new Map<number, Record<string, number>>();
          for (const r of rows.filter((x) => x.platform === platform)) {
            const m = perMinute.get(r.minute) ?? {};
            m[r.class] = (m[r.class] ?? 0) + r.requests;
            perMinute.set(r.minute, m);
          }
          // Any 60 whole minutes lie inside one hour, which the budget must have kept to.
          const worst = { all: 0, discovery: 0 };
          const checksByHour: number[] = [];
          for (let from = START; from + 60 * MIN <= until + MIN; from += MIN) {
            let all = 0;
            let discovery = 0;
            for (let m = from; m < from + 60 * MIN; m += MIN) {
              for (const [cls, n] of Object.entries(perMinute.get(m) ?? {})) {
                all += n;
                if (cls === 'discovery') discovery += n;
              }
            }
            worst.all = Math.max(worst.all, all);
            worst.discovery = Math.max(worst.discovery, discovery);
            if ((from - START) % (60 * MIN) === 0) checksByHour.push(all - discovery);
          }
          expect({ platform, seed, worst }).toEqual({
            platform,
            seed,
            worst: { all: BUDGET, discovery: Math.floor(BUDGET * BUDGET_CEILING.discovery) },
          });
          // Discovery wants every request; the checks still get theirs, hour after hour.
          expect(checksByHour.length).toBeGreaterThanOrEqual(2);
          for (const n of checksByHour) expect(n).toBeGreaterThan(0);
        }

        const status = gatherStatus(config, store, clock.now());
        const weibo = status.budget.find((b) => b.platform === 'weibo')!;
        expect(weibo.limit).toBe(BUDGET);
        expect(weibo.used).toBeGreaterThan(0);
        expect(weibo.used).toBeLessThanOrEqual(BUDGET);
        expect(Object.values(weibo.byClass).reduce((a, b) => a + b, 0)).toBe(weibo.used);
        expect(renderStatus(status)).toMatch(
          new RegExp(`weibo: ${weibo.used}/${BUDGET} — discovery \\d+/\\d+`),
        );

        const metrics = new Metrics(store, () => clock.now());
        registerBudgetMetrics(metrics.registry, config, store, () => clock.now());
        const text = (await metrics.text()).body;
        expect(text).toContain(`censorwatch_budget_limit_requests{platform="weibo"} ${BUDGET}`);
        expect(text).toContain(
          `censorwatch_budget_used_requests{platform="weibo",class="discovery"} ${weibo.byClass.discovery}`,
        );
        expect(text).toMatch(
          /censorwatch_budget_available_requests\{platform="netease",class="recheck"\} \d+/,
        );
      } finally {
        await platforms.close();
        store.close();
      }
    } finally {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
