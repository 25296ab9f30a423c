/**
 * Proportions and their tests: Wilson intervals, Fisher's exact and the pooled z-test, Newcombe's
 * interval of a difference, and sample quartiles. Pure functions, no store access.
 */
/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** k out of n, with its rate and Wilson 95% interval; `rate` and `ci95` are null when n is 0. */
export interface Proportion {
  readonly k: number;
  readonly n: number;
  readonly rate: number | null;
  readonly ci95: readonly [number, number] | null;
}

/** Summary of a sample of durations (milliseconds); every figure is null when n is 0. */
export interface Quantiles {
  readonly n: number;
  readonly min: number | null;
  readonly q1: number | null;
  readonly median: number | null;
  readonly q3: number | null;
  readonly max: number | null;
}

/** Which test produced a comparison's p-value. */
export type ComparisonTest = 'fisher-exact-one-sided' | 'z-test-pooled-one-sided';

/** One rate of a topic watch against the same rate of a baseline watch. */
export interface RateComparison {
  readonly topic: Proportion;
  readonly baseline: Proportion;
  /** topic rate − baseline rate; null when either has no denominator. */
  readonly difference: number | null;
  /** Newcombe (hybrid Wilson score) 95% interval of the difference. */
  readonly differenceCi95: readonly [number, number] | null;
  /** The test used: Fisher's exact when any expected cell count is below 5, else the pooled z-test. */
  readonly test: ComparisonTest | null;
  /** z statistic, for the z-test only. */
  readonly z: number | null;
  /** One-sided p-value for H1: topic rate > baseline rate. */
  readonly pValue: number | null;
  /** Plain words on what the p-value does and does not say. */
  readonly statement: string;
}

// ---- building blocks -----------------------------------------------------------------------

/** Wilson score interval for k successes in n trials; null when n is 0. */
export function wilsonInterval(k: number, n: number, z: number = Z95): [number, number] | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // k = 0 and k = n give exactly 0 and 1 in theory; pin them so rounding cannot show 99.99…%.
  return [k <= 0 ? 0 : Math.max(0, centre - half), k >= n ? 1 : Math.min(1, centre + half)];
}

/** k out of n as a {@link Proportion}. */
export function proportion(k: number, n: number): Proportion {
  return { k, n, rate: n > 0 ? k / n : null, ci95: wilsonInterval(k, n) };
}

/** Quantile of sorted values by linear interpolation (R type 7). */
function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (h - lo) * (b - a);
}

/** Min, quartiles, median and max of a sample; all null for an empty sample. */
export function quantiles(values: readonly number[]): Quantiles {
  if (values.length === 0) return { n: 0, min: null, q1: null, median: null, q3: null, max: null };
  const s = [...values].sort((x, y) => x - y);
  return {
    n: s.length,
    min: s[0]!,
    q1: quantileSorted(s, 0.25),
    median: quantileSorted(s, 0.5),
    q3: quantileSorted(s, 0.75),
    max: s[s.length - 1]!,
  };
}

/** Complementary error function (Numerical Recipes' Chebyshev fit; relative error < 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const y = x - 1;
  let a = LANCZOS[0]!;
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

function lnChoose(n: number, k: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}

/**
 * One-sided Fisher exact test on the 2×2 table [[k1, n1−k1], [k2, n2−k2]]: P(X ≥ k1) where X, the
 * successes in the first row, is hypergeometric given the table's margins.
 */
export function fisherExactGreater(k1: number, n1: number, k2: number, n2: number): number {
  const total = n1 + n2;
  const successes = k1 + k2;
  const hi = Math.min(n1, successes);
  const lnDenominator = lnChoose(total, n1);
  let p = 0;
  for (let x = k1; x <= hi; x++) {
    p += Math.exp(lnChoose(successes, x) + lnChoose(total - successes, n1 - x) - lnDenominator);
  }
  return Math.min(1, p);
}

/**
 * One-sided pooled two-proportion z-test of H1: p1 > p2. Returns z and P(Z > z); null when the
 * pooled rate is 0 or 1 (no variance: nothing to test).
 */
export function twoProportionZTest(
  k1: number,
  n1: number,
  k2: number,
  n2: number,
): { z: number; pValue: number } | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (se === 0) return null;
  const z = (k1 / n1 - k2 / n2) / se;
  return { z, pValue: normalUpperTail(z) };
}

/** Newcombe's hybrid score interval (method 10) for p1 − p2, from the two Wilson intervals. */
export function newcombeDifference(a: Proportion, b: Proportion): [number, number] | null {
  if (a.rate === null || b.rate === null || !a.ci95 || !b.ci95) return null;
  const d = a.rate - b.rate;
  const [l1, u1] = a.ci95;
  const [l2, u2] = b.ci95;
  return [
    d - Math.sqrt((a.rate - l1) ** 2 + (u2 - b.rate) ** 2),
    d + Math.sqrt((u1 - a.rate) ** 2 + (b.rate - l2) ** 2),
  ];
}

/**
 * Compares a topic rate with a baseline rate, one-sided (H1: topic > baseline).
 *
 * Bamman et al. tested terms with a one-tailed binomial test against a baseline rate taken as
 * known; here the baseline is itself a sample of posts, so a two-proportion test is used instead:
 * Fisher's exact test when any expected cell of the 2×2 table is below 5 (Cochran's rule), else the
 * pooled z-test. Both assume posts are independent, which posts on one topic are not fully.
 */
export function compareRates(topic: Proportion, baseline: Proportion, what: string): RateComparison {
  if (topic.n === 0 || baseline.n === 0) {
    return {
      topic,
      baseline,
      difference: null,
      differenceCi95: null,
      test: null,
      z: null,
      pValue: null,
      statement: `n/a: the ${topic.n === 0 ? 'topic' : 'baseline'} watch has no posts seen alive, so its ${what} rate is undefined.`,
    };
  }
  const { k: k1, n: n1 } = topic;
  const { k: k2, n: n2 } = baseline;
  const total = n1 + n2;
  const successes = k1 + k2;
  const expected = [
    (n1 * successes) / total,
    (n1 * (total - successes)) / total,
    (n2 * successes) / total,
    (n2 * (total - successes)) / total,
  ];
  const small = expected.some((e) => e < 5);
  const zt = small ? null : twoProportionZTest(k1, n1, k2, n2);
  const test: ComparisonTest = zt ? 'z-test-pooled-one-sided' : 'fisher-exact-one-sided';
  const pValue = zt ? zt.pValue : fisherExactGreater(k1, n1, k2, n2);
  const testName = zt ? 'One-sided pooled two-proportion z-test' : "One-sided Fisher's exact test";
  const zText = zt ? ` (z = ${zt.z.toFixed(2)})` : '';
  const statement =
    `${testName}, H1: topic ${what} rate > baseline ${what} rate; p = ${formatP(pValue)}${zText}. ` +
    `A small p says a difference this large would be unlikely if both watches had the same ${what} rate and posts were independent; ` +
    `it does not say why posts were removed, and posts on one topic are not independent.`;
  return {
    topic,
    baseline,
    difference: topic.rate! - baseline.rate!,
    differenceCi95: newcombeDifference(topic, baseline),
    test,
    z: zt ? zt.z : null,
    pValue,
    statement,
  };
}

/** A p-value for humans: three significant digits, or `< 0.0001`. */
export function formatP(p: number): string {
  return p < 0.0001 ? '< 0.0001' : String(Number(p.toPrecision(3)));
}
