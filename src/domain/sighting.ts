/**
 * Listings as cheap checks. A search page or timeline shows up to 20 targets in one request, and
 * each listed target is seen alive there. Such a sighting stands in for the target's next direct
 * check when it comes late in that check's rung: the time it leaves unobserved before the check
 * after (at most half a rung more) is within the spacing the ladder already accepts. A target is
 * always checked directly once first (only its own page gives the full text and exact creation
 * time that bound later listings), and a sighting never moves a check earlier or skips a
 * confirmation.
 */
import { nextLadderCheck, type LadderOptions } from './ladder';

/** A target as the rule needs it. */
export interface SightedTarget {
  readonly firstSeenAt: number;
  /** The direct check it is due for; null when none is scheduled. */
  readonly nextCheckAt: number | null;
  /** Whether it has had a direct check of its own yet. */
  readonly checkedDirectly: boolean;
  /** Whether it awaits confirmation of a gone outcome (a sighting never replaces that check). */
  readonly confirming: boolean;
}

/** Share of a rung, counted back from its check, in which a sighting replaces the check. */
export const SIGHTING_SHARE = 0.5;

/**
 * The next direct check after a listing showed the target alive at `seenAt`: the rung after the
 * due one when the sighting falls in the due check's last {@link SIGHTING_SHARE} of its rung,
 * otherwise the check already due (unchanged). Returns null when the sighting changes nothing.
 */
export function checkAfterSighting(
  t: SightedTarget,
  seenAt: number,
  opts: LadderOptions,
  random: () => number = Math.random,
): number | null {
  if (!t.checkedDirectly || t.confirming || t.nextCheckAt === null) return null;
  // An overdue check is answered by the sighting: the ladder goes on from it.
  if (t.nextCheckAt <= seenAt) return nextLadderCheck(t.firstSeenAt, seenAt, opts, random);
  const rung = rungAt(t.firstSeenAt, t.nextCheckAt, opts.ladder);
  if (t.nextCheckAt - seenAt > rung * SIGHTING_SHARE) return null;
  // Past the due check's edge even if jitter placed it early, so the rung after is the one found.
  return nextLadderCheck(t.firstSeenAt, t.nextCheckAt + Math.ceil(rung * opts.jitter), opts, random);
}

/** The interval of the rung whose check falls at `at` (the last one past the ladder's end). */
export function rungAt(firstSeenAt: number, at: number, ladder: readonly number[]): number {
  const age = at - firstSeenAt;
  let edge = 0;
  for (const interval of ladder) {
    edge += interval;
    // Jitter puts a check up to a fraction of its rung either side of the edge.
    if (age <= edge + interval / 2) return interval;
  }
  return ladder[ladder.length - 1] ?? 0;
}
