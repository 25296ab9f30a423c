import pino from 'pino';
import { simulatePipeline } from '../../../src/cli/demo';
import { TRANSIENT_OUTCOMES } from '../../../src/domain/glossary';
import { windowViolations } from '../pipeline/windows';
import { chaosSeeds, falseGone, withSeed } from './seeds';
import { rawSql } from '../../helpers/sql';

const logger = pino({ level: 'silent' });
const START = Date.UTC(2024, 0, 10, 2, 0, 0);
/** The share of requests the simulator answers with a fault instead (rate limits, captchas, resets, 5xx). */
const FAULT_RATE = 0.2;
/** At least this many checks, counted by the engine; the run is bounded by simulated time only. */
const MIN_CHECKS = 10_000;
/**
 * Six simulated minutes of the quick-odd scenario make about 12,700 checks: its ladder is in
 * seconds and keeps checking after the last rung, so checks grow with simulated time (listings
 * that stand in for checks and the request budget take some, so four minutes no longer reach 10,000).
 */
const SIMULATED_MS = 360_000;
/** Real time only caps a machine that is far too slow; nothing waits on it. */
const CAP_MS = 600_000;
/** Stops a run that outlived its test (timed out): it would go on, and keep the worker from exiting. */
const stopRuns = new AbortController();
afterAll(() => stopRuns.abort());

describe('chaos: ten thousand checks under 20% injected faults', () => {
  it.each(chaosSeeds([20130417]))(
    'quick-odd scenario (odd answers, faults, reposts, comments), seed %i: no false gone, every deletion found in its window',
    (seed) =>
      withSeed('faults', seed, async () => {
        let faultsSeen = 0;
        let observations = 0;
        let problems: { falseGone: string[]; windows: string[] } = { falseGone: [], windows: [] };
        const run = await simulatePipeline(
          {
            scenario: 'quick-odd',
            days: 0,
            durationMs: SIMULATED_MS,
            start: START,
            faultRate: FAULT_RATE,
            seed,
            database: null,
            logger,
            signal: stopRuns.signal,
          },
          (store, r) => {
            problems = { falseGone: falseGone(store, r.truth), windows: windowViolations(store, r.truth) };
            const transient = new Set<string>(TRANSIENT_OUTCOMES);
            for (const row of rawSql(store).query<{ outcome: string; n: number }>(
              `SELECT outcome, COUNT(*) AS n FROM observations GROUP BY outcome`,
            )) {
              observations += row.n;
              if (transient.has(row.outcome)) faultsSeen += row.n;
            }
          },
        );
        expect(run.counters.checks).toBeGreaterThanOrEqual(MIN_CHECKS);
        // The faults reached the crawler: well over a tenth of what it recorded is transient.
        expect(faultsSeen / observations).toBeGreaterThan(0.1);
        expect(problems.falseGone).toEqual([]);
        expect(problems.windows).toEqual([]);
        // Deletions happened, and the crawler got every verdict and cause of the ground truth.
        expect(run.truth.filter((t) => t.verdict === 'gone').length).toBeGreaterThan(5);
        expect(run.comparison.mismatches).toEqual([]);
      }),
    CAP_MS,
  );
});
