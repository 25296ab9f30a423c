/**
 * Watch problems: a configured keyword, account or URL that cannot be resolved or keeps failing,
 * so that a researcher learns within the first hour that a watch will never find anything, instead
 * of reading it deep in `status`. Pure: the state of one configured item and what it showed last
 * go in, the new state and at most one onset come out.
 *
 * Decided here (DESIGN.md is silent):
 * - `account_unresolved`: an account round that could not be turned into a timeline at all (the
 *   adapter answered `unparseable` without fetching a page it could keep). Opens at once: the
 *   configured value itself is the problem, waiting will not change it.
 * - `keyword_empty`: {@link ProblemRules.emptyRounds} consecutive empty rounds spanning at least
 *   {@link ProblemRules.emptySpan} (a quiet topic may be empty for an hour). Not while the search
 *   counts as blocked: zero results while earlier results are alive is told as `search.blocked`.
 * - `login_wall`: {@link ProblemRules.loginRounds} consecutive rounds of a keyword or account that
 *   hit the platform's login page.
 * - `url_failing`: a configured post or article URL whose checks were all transient, never alive
 *   and never a stated absence, for at least {@link ProblemRules.failingChecks} checks over at
 *   least {@link ProblemRules.failingSpan}.
 * Transient rounds (rate limits, network errors) neither advance nor reset a streak, as with the
 * confirmation of a deletion: they say nothing about the keyword or account.
 * A problem clears on a later success (an answered round; an alive or gone check). Clearing emits
 * no event (the vocabulary has one problem event, for the onset); the store keeps when it cleared
 * and the log says so. A problem that comes back later is a new onset.
 */
import type { Outcome } from './glossary';
import { isTransientOutcome } from './glossary';

/** Kinds of watch problem. */
export const PROBLEM_KINDS = ['account_unresolved', 'keyword_empty', 'login_wall', 'url_failing'] as const;
export type ProblemKind = (typeof PROBLEM_KINDS)[number];

/** What a problem is about: a configured keyword, account, or post/article URL. */
export type ProblemSubject = 'keyword' | 'account' | 'url';

/** Thresholds of the problem rules. */
export interface ProblemRules {
  /** Consecutive empty rounds before a keyword counts as returning nothing. @defaultValue 3 */
  readonly emptyRounds: number;
  /** Least time from the first to the last of those rounds (ms). @defaultValue 30 minutes */
  readonly emptySpan: number;
  /** Consecutive rounds on a login page before it counts as a login wall. @defaultValue 2 */
  readonly loginRounds: number;
  /** Consecutive transient checks of a never-alive configured URL. @defaultValue 5 */
  readonly failingChecks: number;
  /** Least time from the first to the last of those checks (ms). @defaultValue 30 minutes */
  readonly failingSpan: number;
}

/** The thresholds used unless a caller sets others. */
export const DEFAULT_PROBLEM_RULES: ProblemRules = Object.freeze({
  emptyRounds: 3,
  emptySpan: 30 * 60_000,
  loginRounds: 2,
  failingChecks: 5,
  failingSpan: 30 * 60_000,
});

/** What the rules remember about one configured keyword, account or URL. */
export interface ProblemTrack {
  /** Current streak: what kind of problem it would open, how long, since when. */
  readonly streak: { readonly kind: ProblemKind; readonly count: number; readonly since: number } | null;
  /** The open problem, or null. */
  readonly open: { readonly kind: ProblemKind; readonly since: number } | null;
}

/** A track with nothing seen yet. */
export const NO_PROBLEM: ProblemTrack = Object.freeze({ streak: null, open: null });

/** What one discovery round of a keyword or account showed (its first page decides). */
export interface RoundSeen {
  readonly at: number;
  readonly subject: 'keyword' | 'account';
  /** The listing outcome: `results`, `empty`, `withheld`, or a transient outcome. */
  readonly outcome: string;
  /** Whether the adapter kept a response body for it (false: no page was fetched or kept). */
  readonly evidence: boolean;
  /** Whether the keyword's search counts as blocked after this round (told as `search.blocked`). */
  readonly blocked: boolean;
}

/** What one check of a configured URL showed. */
export interface CheckSeen {
  readonly at: number;
  readonly outcome: Outcome;
}

/** A problem that has just begun. */
export interface ProblemOnset {
  readonly kind: ProblemKind;
  /** When the streak that opened it began. */
  readonly since: number;
  /** Rounds or checks in that streak. */
  readonly count: number;
}

/** The new track, and what changed. */
export interface ProblemStep {
  readonly track: ProblemTrack;
  /** Set when a problem opened with this round or check: one event per onset. */
  readonly onset: ProblemOnset | null;
  /** The kind of problem this round or check cleared, or null. */
  readonly cleared: ProblemKind | null;
}

const ANSWERED = new Set(['results', 'empty', 'withheld']);

/** A success: the streak ends and an open problem clears. */
function success(track: ProblemTrack): ProblemStep {
  return { track: NO_PROBLEM, onset: null, cleared: track.open?.kind ?? null };
}

/** Nothing learned: the track stays as it was. */
function unchanged(track: ProblemTrack): ProblemStep {
  return { track, onset: null, cleared: null };
}

/** Extends (or starts) a streak of `kind`, opening the problem once `ripe` says so. */
function extend(
  track: ProblemTrack,
  kind: ProblemKind,
  at: number,
  ripe: (count: number, span: number) => boolean,
): ProblemStep {
  const streak =
    track.streak?.kind === kind
      ? { kind, count: track.streak.count + 1, since: track.streak.since }
      : { kind, count: 1, since: at };
  // The same problem stays open (one event per onset); a different one replaces it only once it
  // is ripe itself, told as a new onset.
  if (track.open?.kind === kind || !ripe(streak.count, at - streak.since))
    return { track: { streak, open: track.open }, onset: null, cleared: null };
  return {
    track: { streak, open: { kind, since: streak.since } },
    onset: { kind, since: streak.since, count: streak.count },
    cleared: track.open?.kind ?? null,
  };
}

/**
 * Whether a round shows an account that cannot be resolved: the adapter answered `unparseable`
 * without a page it could keep (it found no timeline to fetch). Such a round waits the whole
 * discovery interval, like an answer: retrying it after the platform's backoff would repeat the
 * same lookup every few seconds, and the configured value will not change in between.
 */
export function isUnresolvedRound(
  subject: 'keyword' | 'account',
  outcome: string,
  evidence: boolean,
): boolean {
  return subject === 'account' && outcome === 'unparseable' && !evidence;
}

/** Applies one discovery round of a configured keyword or account. */
export function noteRound(
  track: ProblemTrack,
  round: RoundSeen,
  rules: ProblemRules = DEFAULT_PROBLEM_RULES,
): ProblemStep {
  const { outcome, at } = round;
  if (round.subject === 'keyword' && outcome === 'empty' && !round.blocked)
    return extend(track, 'keyword_empty', at, (n, span) => n >= rules.emptyRounds && span >= rules.emptySpan);
  if (ANSWERED.has(outcome)) return success(track);
  if (outcome === 'login_required') return extend(track, 'login_wall', at, (n) => n >= rules.loginRounds);
  if (isUnresolvedRound(round.subject, outcome, round.evidence))
    return extend(track, 'account_unresolved', at, () => true);
  return unchanged(track);
}

/**
 * Applies one check of a configured URL. `everAnswered` says whether an earlier check saw the
 * target alive or stated its absence: a URL that once answered is a target whose checks fail for a
 * while (told by `monitor.degraded` and `status`), not a configuration problem.
 */
export function noteCheck(
  track: ProblemTrack,
  check: CheckSeen,
  everAnswered: boolean,
  rules: ProblemRules = DEFAULT_PROBLEM_RULES,
): ProblemStep {
  if (everAnswered || !isTransientOutcome(check.outcome)) return success(track);
  return extend(
    track,
    'url_failing',
    check.at,
    (n, span) => n >= rules.failingChecks && span >= rules.failingSpan,
  );
}
