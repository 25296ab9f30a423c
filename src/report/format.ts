/** Formatting shared by the claim and the report renderers: durations, rates, curves, times. */
import type { Proportion, Quantiles, RateComparison } from './proportions';
import type { DeletedBy, SurvivalCurve } from './survival';

/** A duration for people: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`; `n/a` for null. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return 'n/a';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const totalMin = Math.floor(ms / 60_000);
  const h = Math.floor(totalMin / 60);
  if (h < 24) return `${h} h ${totalMin % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
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

/** An ISO UTC time shortened for people: `2023-02-24 08:00:05 UTC`. */
export function utcTime(iso: string | null): string | null {
  if (iso === null) return null;
  return iso
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/Z$/, ' UTC');
}
