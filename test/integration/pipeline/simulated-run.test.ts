import pino from 'pino';
import { simulatePipeline } from '../../../src/cli/demo';
import { windowViolations } from './windows';
import { rawSql } from '../../helpers/sql';

const logger = pino({ level: 'silent' });
const QUICK_START = Date.UTC(2024, 0, 10, 2, 0, 0);
/**
 * Every run here is on the simulated clock: how much real time it takes depends only on how busy
 * the machine is, so the caps are generous and nothing else waits on real time.
 */
const QUICK_CAP = 240_000;
const DAYS_CAP = 900_000;

describe('the whole pipeline against the simulator on a simulated clock', () => {
  it(
    'quick scenario: every served post ends with the verdict and cause of the ground truth',
    async () => {
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
        },
        (store, r) => expect(windowViolations(store, r.truth)).toEqual([]),
      );
      expect(run.truth.length).toBeGreaterThanOrEqual(15);
      // The scenario has every cause; the comparison covers them all.
      const causes = new Set(run.truth.map((t) => t.cause).filter(Boolean));
      expect([...causes].sort()).toEqual(
        ['account_gone', 'deleted_by_author', 'gone_unspecified', 'removed_by_platform', 'restricted'].sort(),
      );
      expect(run.comparison.mismatches).toEqual([]);
      expect(run.comparison.equal).toBe(true);
    },
    QUICK_CAP,
  );

  it.each([11, 12, 13])(
    'with 30%% transient faults (seed %i): no false gone, every alive post stays alive, causes still right',
    async (seed) => {
      const run = await simulatePipeline(
        {
          scenario: 'quick',
          days: 0,
          durationMs: 60_000,
          start: QUICK_START,
          faultRate: 0.3,
          seed,
          database: null,
          logger,
        },
        (store, r) => {
          // Each deletion window holds the ground-truth deletion time.
          expect(windowViolations(store, r.truth)).toEqual([]);
          const transient = rawSql(store).query<{ n: number }>(
            `SELECT COUNT(*) AS n FROM observations WHERE outcome IN ('rate_limited','captcha','server_error','network_error','unparseable','login_required')`,
          )[0]!.n;
          // The faults really reached the crawler.
          expect(transient).toBeGreaterThan(10);
        },
      );
      const aliveInTruth = new Set(run.truth.filter((t) => t.verdict === 'alive').map((t) => t.id));
      const falseGone = run.comparison.mismatches.filter((m) =>
        aliveInTruth.has(m.split(' ')[0]!.split(':')[1]!),
      );
      expect(falseGone).toEqual([]);
      expect(run.comparison.mismatches).toEqual([]);
    },
    QUICK_CAP,
  );
});

describe('the un-vote scenario', () => {
  it(
    'three simulated days under 30% faults match the ground truth, causes learned through reposts included',
    async () => {
      const run = await simulatePipeline(
        {
          scenario: 'un-vote',
          days: 3,
          faultRate: 0.3,
          seed: 2023,
          database: null,
          logger,
        },
        (store, r) => expect(windowViolations(store, r.truth)).toEqual([]),
      );
      expect(run.truth.filter((t) => t.cause === 'removed_by_platform').length).toBeGreaterThan(10);
      expect(run.comparison.mismatches).toEqual([]);
    },
    DAYS_CAP,
  );
});
