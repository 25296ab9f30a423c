/**
 * The report's and the claim's figures on the simulated `quick` scenario against what the test
 * computes itself from the simulator's ground truth (which posts went, why, and when), with its
 * own Wilson interval and its own Kaplan–Meier estimate, not the library's.
 */
import pino from 'pino';
import { simulatePipeline, type SimulatedRun } from '../../../src/cli/demo';
import { buildClaim } from '../../../src/report/claim';
import { buildReport, type Report } from '../../../src/report/report';
import type { Claim } from '../../../src/report/claim';
import { buildScenario, type GroundTruthRow } from '../../../src/sim';
import type { Store } from '../../../src/store/store';

const QUICK_START = Date.UTC(2024, 0, 10, 2, 0, 0);
const SEED = 7;
const logger = pino({ level: 'silent' });

/** Wilson score interval, written out again from its textbook form. */
function wilson(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p) + (z * z) / (4 * n)) / n);
  const d = 1 + (z * z) / n;
  return [Math.max(0, (centre - spread) / d), Math.min(1, (centre + spread) / d)];
}

/** Kaplan–Meier median by brute force: S(t) = Π over event times ≤ t of (1 − d/n). */
function kmMedian(subjects: { time: number; event: boolean }[]): number | null {
  const times = [...new Set(subjects.filter((s) => s.event).map((s) => s.time))].sort((a, b) => a - b);
  let s = 1;
  for (const t of times) {
    const atRisk = subjects.filter((x) => x.time >= t).length;
    const d = subjects.filter((x) => x.event && x.time === t).length;
    s *= 1 - d / atRisk;
    if (s <= 0.5 + 1e-12) return t;
  }
  return null;
}

interface Facts {
  readonly platform: string;
  readonly id: string;
  readonly createdAt: number | null;
  readonly firstSeenAt: number;
  readonly lastAliveAt: number | null;
  readonly goneAt: number | null;
  readonly verdict: string;
}

let run: SimulatedRun;
let report: Report;
let claim: Claim;
let facts: Map<string, Facts>;
let topicIds: Set<string>;
let baselineIds: Set<string>;

beforeAll(async () => {
  run = await simulatePipeline(
    {
      scenario: 'quick',
      days: 0,
      durationMs: 30_000,
      start: QUICK_START,
      faultRate: 0,
      seed: SEED,
      database: null,
      logger,
    },
    (store: Store, r) => {
      report = buildReport(store, { watchId: 'quick-topic', baselineId: 'quick-baseline', now: r.endedAt });
      claim = buildClaim(store, { watchId: 'quick-topic', baselineId: 'quick-baseline' });
      facts = new Map(
        store
          .listTargets()
          .filter((t) => t.kind === 'post')
          .map((t) => [
            `${t.platform}:${t.id}`,
            {
              platform: t.platform,
              id: t.id,
              createdAt: t.createdAt,
              firstSeenAt: t.state.firstSeenAt,
              lastAliveAt: t.state.lastAliveAt,
              goneAt: t.state.goneAt,
              verdict: t.state.verdict,
            },
          ]),
      );
      topicIds = new Set(
        store
          .listTargets({ watchId: 'quick-topic' })
          .filter((t) => t.kind === 'post')
          .map((t) => `${t.platform}:${t.id}`),
      );
      baselineIds = new Set(
        store
          .listTargets({ watchId: 'quick-baseline' })
          .filter((t) => t.kind === 'post')
          .map((t) => `${t.platform}:${t.id}`),
      );
    },
  );
}, 120_000);

const key = (t: GroundTruthRow): string => `${t.platform}:${t.id}`;

describe(`report and claim against the simulator's ground truth (quick, seed ${SEED})`, () => {
  it('every post the simulator served is in the report, with the verdict and cause it really has', () => {
    expect(run.comparison.mismatches).toEqual([]);
    const served = new Set(run.truth.map(key));
    for (const id of [...topicIds, ...baselineIds]) expect(served.has(id)).toBe(true);
  });

  it.each([
    ['quick-topic', () => topicIds],
    ['quick-baseline', () => baselineIds],
  ] as const)('%s: counts, rates and Wilson intervals equal those computed from the truth', (watch, ids) => {
    const truth = run.truth.filter((t) => ids().has(key(t)));
    const seen = truth.length; // the simulator served each of them alive at least once
    const gone = truth.filter((t) => t.verdict === 'gone').length;
    const removed = truth.filter((t) => t.cause === 'removed_by_platform').length;
    const side = watch === 'quick-topic' ? claim.result.topic : claim.result.baseline!;
    expect(side).toMatchObject({ posts: seen, seenAlive: seen, gone, removedByPlatform: removed });
    const [lo, hi] = wilson(gone, seen);
    expect(side.rate.value).toBeCloseTo(gone / seen, 12);
    expect(side.rate.low).toBeCloseTo(lo, 12);
    expect(side.rate.high).toBeCloseTo(hi, 12);
    const [clo, chi] = wilson(removed, seen);
    expect(side.censorshipRate.low).toBeCloseTo(clo, 12);
    expect(side.censorshipRate.high).toBeCloseTo(chi, 12);
    const w = report.watches.find((x) => x.id === watch)!;
    expect(w.stats.deletionRate.k).toBe(gone);
    expect(w.stats.deletionRate.ci95![0]).toBeCloseTo(lo, 12);
    expect(w.stats.censorshipRate.k).toBe(removed);
  });

  it('each deletion window contains the real deletion time', () => {
    for (const t of run.truth.filter((x) => x.verdict === 'gone')) {
      const f = facts.get(key(t))!;
      expect(f.lastAliveAt).not.toBeNull();
      expect(t.goneAt!).toBeGreaterThan(f.lastAliveAt!);
      expect(t.goneAt!).toBeLessThanOrEqual(f.goneAt!);
    }
  });

  it('the Kaplan–Meier median equals one computed by hand from the truth and the observation times', () => {
    const scenario = buildScenario('quick', { start: QUICK_START, seed: SEED });
    const created = new Map(scenario.weibo.posts.map((p) => [`weibo:${p.mid}`, p.createdAt]));
    for (const [watch, ids] of [
      ['quick-topic', topicIds],
      ['quick-baseline', baselineIds],
    ] as const) {
      // Events: posts the truth says are gone, at the end of their window; the rest censored at their last alive check.
      const subjects = run.truth
        .filter((t) => ids.has(key(t)))
        .map((t) => {
          const f = facts.get(key(t))!;
          const origin = f.createdAt ?? f.firstSeenAt;
          return t.verdict === 'gone'
            ? { time: Math.max(0, f.goneAt! - origin), event: true }
            : { time: Math.max(0, f.lastAliveAt! - origin), event: false };
        });
      const s = report.watches.find((x) => x.id === watch)!.stats.survival;
      expect(s.median).toBe(kmMedian(subjects));
      expect(s.events + s.censored).toBe(subjects.length);
      // And the same median from the simulator's own deletion times is no later: windows are upper bounds.
      const real = run.truth
        .filter((t) => ids.has(key(t)) && t.platform === 'weibo')
        .map((t) => {
          const f = facts.get(key(t))!;
          const origin = created.get(key(t)) ?? f.firstSeenAt;
          return t.verdict === 'gone'
            ? { time: t.goneAt! - origin, event: true }
            : { time: f.lastAliveAt! - origin, event: false };
        });
      const realMedian = kmMedian(real);
      if (realMedian !== null && watch === 'quick-topic')
        expect(realMedian).toBeLessThanOrEqual(s.median! + 1000);
    }
  });

  it('the claim compares the censorship rates with the test the report uses', () => {
    const c = report.watches.find((w) => w.id === 'quick-topic')!.comparison!;
    expect(claim.result.pValue).toBeCloseTo(c.censorship.pValue!, 12);
    expect(claim.result.test).toBe(c.censorship.test);
  });
});
