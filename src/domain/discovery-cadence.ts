/**
 * Adaptive discovery: how long a keyword or account waits before its next round. A post deleted
 * before the round that would list it is never seen at all, and every round costs requests
 * whether it finds anything or not; so a source that keeps bringing new posts is polled more
 * often and a quiet one less, between `min` and `max`.
 *
 * The rule is multiplicative: a round with new results halves the interval, a round without
 * them lengthens it by half. For posts arriving at a steady rate λ it settles where about 37% of
 * rounds find something (P(new) · ln ½ + (1 − P(new)) · ln 1.5 = 0), that is an interval near
 * 0.46 / λ: roughly "poll when the next post is due". A round whose every page was new (the
 * listing ran past its last page, so posts may have been skipped) goes straight to `min`.
 */
export interface CadenceOptions {
  /** The interval a new source starts at (`schedule.discoverEvery`). */
  readonly base: number;
  /** Shortest interval (`schedule.discoverMin`). */
  readonly min: number;
  /** Longest interval (`schedule.discoverMax`). */
  readonly max: number;
}

/** `discoverMin` when the config leaves it out: this share of `discoverEvery`. */
export const DEFAULT_MIN_SHARE = 0.5;
/** `discoverMax` when the config leaves it out: this multiple of `discoverEvery`. */
export const DEFAULT_MAX_FACTOR = 5;

/** The bounds of a schedule, those it leaves out derived from `discoverEvery`. */
export function cadenceOptions(s: {
  readonly discoverEvery: number;
  readonly discoverMin?: number;
  readonly discoverMax?: number;
}): CadenceOptions {
  return {
    base: s.discoverEvery,
    min: s.discoverMin ?? Math.max(1, Math.round(s.discoverEvery * DEFAULT_MIN_SHARE)),
    max: s.discoverMax ?? Math.round(s.discoverEvery * DEFAULT_MAX_FACTOR),
  };
}

/** What one discovery round showed. */
export interface RoundResult {
  /** Targets this round brought that the source's watch did not have yet. */
  readonly newTargets: number;
  /** Every page fetched was full of new targets: the round stopped before reaching known ones. */
  readonly overflowed: boolean;
}

/** Factor applied to the interval after a round with new results. */
export const FASTER = 0.5;
/** Factor applied after a round without them. */
export const SLOWER = 1.5;

/**
 * The interval before a source's next round, given the interval it ran at (null for a source that
 * has none yet: it starts at `base`) and what the round found.
 */
export function nextDiscoveryInterval(
  previous: number | null,
  round: RoundResult,
  opts: CadenceOptions,
): number {
  const { min, max } = opts;
  const from = clamp(previous ?? opts.base, min, max);
  if (round.overflowed) return min;
  return clamp(Math.round(from * (round.newTargets > 0 ? FASTER : SLOWER)), min, max);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
