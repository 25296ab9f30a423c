/**
 * The re-check ladder. Each rung is an interval; rung k covers target ages from the sum of the
 * first k intervals up to the sum of the first k+1. The next check is placed by the target's age
 * (counted from first seen), not by how many checks ran, so a check that was late or failed does
 * not shift the rest of the schedule. Past the last rung, checks go on at the last interval.
 */
export interface LadderOptions {
  readonly ladder: readonly number[];
  /** Random spread as a fraction of the interval (0.1 → ±10%). */
  readonly jitter: number;
}

/** Returns the time of the next check after `now` for a target first seen at `firstSeenAt`. */
export function nextLadderCheck(
  firstSeenAt: number,
  now: number,
  opts: LadderOptions,
  random: () => number = Math.random,
): number {
  const { ladder } = opts;
  if (ladder.length === 0) throw new RangeError('ladder is empty');
  const age = Math.max(0, now - firstSeenAt);
  let edge = 0;
  let interval = ladder[ladder.length - 1]!;
  let due: number | null = null;
  for (const step of ladder) {
    edge += step;
    if (edge > age) {
      interval = step;
      due = firstSeenAt + edge;
      break;
    }
  }
  if (due === null) {
    // Past the last rung: continue at its interval, aligned to the rung grid.
    const beyond = age - edge;
    due = firstSeenAt + edge + (Math.floor(beyond / interval) + 1) * interval;
  }
  const spread = interval * opts.jitter;
  const jittered = due + (random() * 2 - 1) * spread;
  // Jitter never schedules a check in the past.
  return Math.max(now + 1, Math.round(jittered));
}
