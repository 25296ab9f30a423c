/** Formatting shared by the claim and the report renderers: durations, rates, curves, times. */
import type { Proportion, Quantiles, RateComparison } from './proportions';
import { formatP } from './proportions';
import type { BaselineComparison, WatchStats } from './stats';
import type { DeletedBy, SurvivalCurve } from './survival';

/** A duration for people: `45 s`, `12 min`, `3 h 5 min`, `1 h`, `2 d 4 h`, `1 d`; `n/a` for null. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return 'n/a';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  // A part that rounds to 0 is left out: "1 h", not "1 h 0 min".
  if (min < 24 * 60) return min % 60 ? `${Math.floor(min / 60)} h ${min % 60} min` : `${min / 60} h`;
  const h = Math.round(ms / 3_600_000);
  return h % 24 ? `${Math.floor(h / 24)} d ${h % 24} h` : `${h / 24} d`;
}

/**
 * A count with its noun, singular for exactly one: `plural(1, 'post')` is `1 post`,
 * `plural(0, 'post')` `0 posts`. `many` is the plural when it is not `one` + `s` (also for a noun
 * with its verb: `plural(n, 'post is', 'posts are')`).
 */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A share as a percentage with one decimal: `12.5%`. */
export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** A rate for people: `25.0% (3/12; 95% CI 8.9–53.2%)`, or `n/a (0/0)`. */
export function formatRate(p: Proportion): string {
  if (p.rate === null || !p.ci95) return `n/a (${p.k}/${p.n})`;
  return `${pct(p.rate)} (${p.k}/${p.n}; 95% CI ${pct(p.ci95[0])}–${pct(p.ci95[1])})`;
}

/** Median and IQR of a sample of durations. */
export function formatQuantiles(q: Quantiles): string {
  if (q.n === 0) return 'n/a (none)';
  return `median ${formatDuration(q.median)} (IQR ${formatDuration(q.q1)} – ${formatDuration(q.q3)}; n = ${q.n})`;
}

/** A time read from a survival curve: a duration, or `not reached` when the curve stays above it. */
export function formatCurveTime(ms: number | null, n: number): string {
  if (n === 0) return 'n/a';
  return ms === null ? 'not reached' : formatDuration(ms);
}

/** Median and quartiles of a Kaplan–Meier curve, with its counts. */
export function formatSurvival(c: SurvivalCurve): string {
  if (c.n === 0) return 'n/a (no posts seen alive)';
  return (
    `median ${formatCurveTime(c.median, c.n)} (25% by ${formatCurveTime(c.q1, c.n)}, 75% by ${formatCurveTime(c.q3, c.n)}; ` +
    `${c.events} deleted, ${c.censored} censored)`
  );
}

/** A share deleted by a time, from the curve: `12.5% (95% CI 3.1–40.2%; 7 still at risk)`. */
export function formatDeletedBy(d: DeletedBy): string {
  if (d.value === null) return 'n/a';
  const ci = d.ci95 ? `95% CI ${pct(d.ci95[0])}–${pct(d.ci95[1])}; ` : '';
  return `${pct(d.value)} (${ci}${d.atRisk} still at risk)`;
}

/** A comparison's difference, interval and test statement. */
export function formatComparison(c: RateComparison): string {
  if (c.difference === null) return c.statement;
  const sign = c.difference >= 0 ? '+' : '';
  const ci = c.differenceCi95 ? ` (95% CI ${pct(c.differenceCi95[0])} to ${pct(c.differenceCi95[1])})` : '';
  return `difference ${sign}${pct(c.difference)}${ci}. ${c.statement}`;
}

const BEIJING_OFFSET = 8 * 3_600_000;

/** An ISO UTC time also in Beijing time (UTC+8, no daylight saving): `2023-02-24 16:00 北京`. */
export function beijingTime(iso: string | null): string | null {
  if (iso === null) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  return new Date(t + BEIJING_OFFSET).toISOString().slice(0, 16).replace('T', ' ') + ' UTC+8';
}

/** What every rendering says above the watch problems it lists. */
export const PROBLEMS_NOTE =
  'These configured keywords, accounts or posts have a problem open now: what they would have found is missing from every figure below.';

/** An ISO UTC time shortened for people: `2023-02-24 08:00:05 UTC`. */
export function utcTime(iso: string | null): string | null {
  if (iso === null) return null;
  return iso
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/Z$/, ' UTC');
}

/** The key figures of a watch, as label and value, in the order every rendering shows them. */
export function summaryRows(s: WatchStats): [string, string][] {
  return [
    [
      'Targets',
      `${s.targets} (${plural(s.byKind.post, 'post')}, ${plural(s.byKind.thread, 'comment thread')})`,
    ],
    ['Posts seen alive', String(s.seenAlive)],
    ['Posts gone', `${s.postsByVerdict.gone} (${s.goneNeverSeenAlive} of them never seen alive)`],
    ['Posts unconfirmed (gone once)', String(s.postsByVerdict.unconfirmed)],
    ['Deletion rate', formatRate(s.deletionRate)],
    ['Censorship rate (removed_by_platform)', formatRate(s.censorshipRate)],
    ['Time to deletion (Kaplan–Meier)', formatSurvival(s.survival)],
    ['Time to censorship (Kaplan–Meier)', formatSurvival(s.censorshipSurvival)],
    ['Deleted within 1 h (Kaplan–Meier)', formatDeletedBy(s.survival.deletedWithin1h)],
    ['Deleted within 24 h (Kaplan–Meier)', formatDeletedBy(s.survival.deletedWithin24h)],
    ['Deletion windows (width)', formatQuantiles(s.deletionWindow)],
  ];
}

/** One rate compared with the baseline, cell by cell. */
export interface ComparisonRow {
  readonly measure: string;
  readonly topic: string;
  readonly baseline: string;
  readonly difference: string;
  readonly ratio: string;
  readonly test: string;
  readonly p: string;
}

/** The deletion and censorship comparisons of a watch against its baseline. */
export function comparisonRows(c: BaselineComparison): ComparisonRow[] {
  const row = (measure: string, r: RateComparison): ComparisonRow => ({
    measure,
    topic: formatRate(r.topic),
    baseline: formatRate(r.baseline),
    difference:
      r.difference === null
        ? 'n/a'
        : `${r.difference >= 0 ? '+' : ''}${pct(r.difference)}` +
          (r.differenceCi95 ? ` (95% CI ${pct(r.differenceCi95[0])} to ${pct(r.differenceCi95[1])})` : ''),
    ratio:
      r.topic.rate !== null && r.baseline.rate ? `${(r.topic.rate / r.baseline.rate).toFixed(1)}×` : 'n/a',
    test:
      r.test === 'z-test-pooled-one-sided'
        ? 'one-sided pooled z-test'
        : r.test === 'fisher-exact-one-sided'
          ? "one-sided Fisher's exact"
          : 'n/a',
    p: r.pValue === null ? 'n/a' : formatP(r.pValue),
  });
  return [row('Deletion rate', c.deletion), row('Censorship rate', c.censorship)];
}
