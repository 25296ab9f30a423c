/**
 * Kaplan–Meier survival of posts, from their creation to their deletion.
 *
 * Why not a median over gone posts: posts still alive at the end of the study would have been
 * deleted later, if at all; leaving them out biases every time-to-deletion figure short. Here every
 * post seen alive counts: a gone post is an event at the end of its deletion window (an upper bound
 * of its deletion time; the window's width is reported beside the curve), a post not gone is
 * right-censored at the last time it was seen alive (known to have survived that long, no longer).
 *
 * Conventions (those of R's `survival::survfit` and lifelines):
 * - At a time with both events and censorings, the events happen first: a post censored at t is
 *   still at risk at t.
 * - A quantile p ("the time by which a share p of posts was deleted") is the first time at which
 *   S(t) ≤ 1 − p; null ("not reached") when the curve never falls that low.
 * - Intervals of S(t) use Greenwood's variance on the log(−log S) scale, which keeps them in [0, 1].
 */
import { Z95 } from './proportions';

/** One subject: time from origin (ms) and whether the event was observed (false: right-censored). */
export interface SurvivalSubject {
  readonly time: number;
  readonly event: boolean;
}

/** One distinct time of the curve, where something happened. */
export interface SurvivalStep {
  /** Milliseconds from origin. */
  readonly time: number;
  /** Subjects still at risk just before `time`. */
  readonly atRisk: number;
  readonly events: number;
  readonly censored: number;
  /** S(time): survival just after `time`. */
  readonly survival: number;
  /** Greenwood log(−log) 95% interval of `survival`; null when S is 0 or 1 (no spread to show). */
  readonly ci95: readonly [number, number] | null;
}

/** A share of posts deleted by a given time, read from the curve: 1 − S(t). */
export interface DeletedBy {
  /** Milliseconds from origin. */
  readonly within: number;
  /** 1 − S(within); null without subjects. */
  readonly value: number | null;
  /** 95% interval of the value; null when S(within) is 0 or 1. */
  readonly ci95: readonly [number, number] | null;
  /** Subjects still at risk at `within`: how much the figure rests on. */
  readonly atRisk: number;
}

/** A Kaplan–Meier curve with the figures read from it. */
export interface SurvivalCurve {
  readonly n: number;
  readonly events: number;
  readonly censored: number;
  /** Steps in time order, one per distinct time with an event or a censoring. */
  readonly steps: readonly SurvivalStep[];
  /** Time by which 25% / 50% / 75% were deleted; null when not reached. */
  readonly q1: number | null;
  readonly median: number | null;
  readonly q3: number | null;
  readonly deletedWithin1h: DeletedBy;
  readonly deletedWithin24h: DeletedBy;
}

const HOUR = 3_600_000;

/** Builds the Kaplan–Meier curve of `subjects`. */
export function kaplanMeier(subjects: readonly SurvivalSubject[]): SurvivalCurve {
  const sorted = [...subjects].sort((a, b) => a.time - b.time);
  const steps: SurvivalStep[] = [];
  let atRisk = sorted.length;
  let s = 1;
  let greenwood = 0;
  let events = 0;
  for (let i = 0; i < sorted.length;) {
    const time = sorted[i]!.time;
    let d = 0;
    let c = 0;
    while (i < sorted.length && sorted[i]!.time === time) {
      if (sorted[i]!.event) d++;
      else c++;
      i++;
    }
    if (d > 0) {
      s *= 1 - d / atRisk;
      // Greenwood's sum is undefined once everyone at risk is gone (S = 0); it is not needed then.
      if (atRisk > d) greenwood += d / (atRisk * (atRisk - d));
    }
    steps.push({ time, atRisk, events: d, censored: c, survival: s, ci95: logLogInterval(s, greenwood) });
    events += d;
    atRisk -= d + c;
  }
  const curve = { n: sorted.length, events, censored: sorted.length - events, steps };
  return {
    ...curve,
    q1: quantileTime(steps, 0.25),
    median: quantileTime(steps, 0.5),
    q3: quantileTime(steps, 0.75),
    deletedWithin1h: deletedBy(curve, HOUR),
    deletedWithin24h: deletedBy(curve, 24 * HOUR),
  };
}

function logLogInterval(s: number, greenwood: number): [number, number] | null {
  if (s <= 0 || s >= 1) return null;
  const se = Math.sqrt(greenwood) / Math.abs(Math.log(s));
  const lo = s ** Math.exp(Z95 * se);
  const hi = s ** Math.exp(-Z95 * se);
  return [lo, hi];
}

/** S(t) at an arbitrary time: the value of the last step at or before t (1 before the first). */
export function survivalAt(steps: readonly SurvivalStep[], t: number): SurvivalStep | null {
  let last: SurvivalStep | null = null;
  for (const st of steps) {
    if (st.time > t) break;
    last = st;
  }
  return last;
}

function quantileTime(steps: readonly SurvivalStep[], p: number): number | null {
  // A tiny tolerance: 1 − 1/2 computed as products of fractions can land a hair above 0.5.
  for (const st of steps) if (st.events > 0 && st.survival <= 1 - p + 1e-12) return st.time;
  return null;
}

function deletedBy(curve: { n: number; steps: readonly SurvivalStep[] }, within: number): DeletedBy {
  if (curve.n === 0) return { within, value: null, ci95: null, atRisk: 0 };
  const st = survivalAt(curve.steps, within);
  const atRisk = curve.steps.find((x) => x.time > within)?.atRisk ?? 0;
  if (!st) return { within, value: 0, ci95: null, atRisk: curve.n };
  return {
    within,
    value: 1 - st.survival,
    ci95: st.ci95 ? [1 - st.ci95[1], 1 - st.ci95[0]] : null,
    atRisk,
  };
}
