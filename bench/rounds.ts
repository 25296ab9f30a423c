/**
 * Figures of loops measured in interleaved rounds (every loop once per round, in turn), for
 * benchmarks on a shared machine: its load drifts within one run, so a loop measured once,
 * before or after another, can be dearer or cheaper by the drift alone. Taking turns spreads the
 * drift over every loop alike; the median over rounds is the figure, the range beside it says how
 * far the rounds disagreed, and a ratio is taken within each round (between neighbours in time)
 * before its median is.
 */

/** One measured pass of a loop. */
export interface Pass {
  /** Checks per second of wall time. */
  readonly rate: number;
  readonly cpuPerCheckMs: number;
  readonly checks: number;
}

/** Median and range of one figure over the rounds. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) throw new Error('no rounds to summarize');
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]! };
}

/** The range as a share of the median, in percent. */
export function spreadPct(s: Summary): number {
  return (100 * (s.max - s.min)) / s.median;
}

/** `median (min–max)`. */
export function withRange(s: Summary, digits: number): string {
  return `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** A loop's passes over the rounds, summarized. */
export interface LoopFigures {
  readonly passes: readonly Pass[];
  readonly rate: Summary;
  readonly cpu: Summary;
}

export function loopFigures(passes: readonly Pass[]): LoopFigures {
  return {
    passes,
    rate: summarize(passes.map((p) => p.rate)),
    cpu: summarize(passes.map((p) => p.cpuPerCheckMs)),
  };
}

/**
 * `a`'s CPU per check over `b`'s, round by round (both loops measured in every round), summarized:
 * how many times dearer a check of `a` is than one of `b`.
 */
export function ratioByRound(a: LoopFigures, b: LoopFigures): Summary {
  if (a.passes.length !== b.passes.length) throw new Error('loops measured in different rounds');
  return summarize(a.passes.map((p, k) => p.cpuPerCheckMs / b.passes[k]!.cpuPerCheckMs));
}
