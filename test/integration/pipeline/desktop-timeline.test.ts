import pino from 'pino';
import { simulatePipeline } from '../../../src/cli/demo';
import { rawSql } from '../../helpers/sql';

const logger = pino({ level: 'silent' });
const QUICK_START = Date.UTC(2024, 0, 10, 2, 0, 0);

describe('account timelines through weibo.com ajax/statuses/mymblog (timeline: desktop)', () => {
  it('quick scenario: the ground truth still matches, and accounts were listed through mymblog only', async () => {
    let endpoints: Array<{ endpoint: string; n: number }> = [];
    const run = await simulatePipeline(
      {
        scenario: 'quick',
        days: 0,
        durationMs: 30_000,
        start: QUICK_START,
        faultRate: 0,
        seed: 7,
        database: null,
        logger,
        weiboTimeline: 'desktop',
      },
      (store) => {
        endpoints = rawSql(store).query<{ endpoint: string; n: number }>(
          `SELECT endpoint, COUNT(*) AS n FROM observations GROUP BY endpoint ORDER BY endpoint`,
        );
      },
    );
    expect(run.config.platforms.weibo.timeline).toBe('desktop');
    const seen = new Map(endpoints.map((e) => [e.endpoint, e.n]));
    expect(seen.get('web.mymblog') ?? 0).toBeGreaterThan(0);
    expect(seen.get('m.timeline') ?? 0).toBe(0);
    // Gone posts were asked on weibo.com too, each answer recorded under its own endpoint.
    expect(seen.get('web.statuses.show') ?? 0).toBeGreaterThan(0);
    expect(run.comparison.mismatches).toEqual([]);
    expect(run.comparison.equal).toBe(true);
  }, 300_000);

  it('under 30% transient faults: no mismatches with the ground truth', async () => {
    const run = await simulatePipeline(
      {
        scenario: 'quick',
        days: 0,
        durationMs: 60_000,
        start: QUICK_START,
        faultRate: 0.3,
        seed: 12,
        database: null,
        logger,
        weiboTimeline: 'desktop',
      },
      (store) => {
        const faults = rawSql(store).query<{ n: number }>(
          `SELECT COUNT(*) AS n FROM observations WHERE outcome IN ('rate_limited','captcha','server_error','network_error','unparseable','login_required')`,
        )[0]!.n;
        // The faults really reached the crawler.
        expect(faults).toBeGreaterThan(10);
      },
    );
    expect(run.comparison.mismatches).toEqual([]);
    // A cap for a loaded machine: the run is on the simulated clock, and its real time is CPU.
  }, 300_000);
});
