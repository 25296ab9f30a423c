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

/**
 * Returns the time of the next check after `now` for a target first seen at `firstSeenAt`: the
 * first rung edge whose jittered time is still ahead. A check that ran just before an edge (inside
 * its jitter) therefore moves on to the following rung instead of firing again at once.
 */
export function nextLadderCheck(
  firstSeenAt: number,
  now: number,
  opts: LadderOptions,
  random: () => number = Math.random,
): number {
  const { ladder } = opts;
  if (ladder.length === 0) throw new RangeError('ladder is empty');
  const last = ladder[ladder.length - 1]!;
  const age = now - firstSeenAt;
  let edge = 0;
  for (let i = 0; ; i++) {
    const interval = ladder[i] ?? last;
    if (i >= ladder.length && edge <= age) {
      // Past the last rung: jump straight to the grid step just before now, then continue at its interval.
      edge += Math.max(0, Math.floor((age - edge) / interval)) * interval;
    }
    edge += interval;
    if (edge <= age) continue;
    const due = firstSeenAt + edge + Math.round((random() * 2 - 1) * interval * opts.jitter);
    if (due > now) return due;
  }
}
