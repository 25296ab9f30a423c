/**
 * Statistics for reports: pure functions of target and search facts, no store access.
 *
 * Conventions, chosen to match how the censorship literature reports its numbers (Zhu et al.,
 * "The Velocity of Censorship"; Bamman et al. 2012; Weiboscope):
 * - A rate is a {@link Proportion} with a Wilson score 95% interval, and `null` (rendered "n/a")
 *   when its denominator is zero: never a division by zero, never a made-up 0%.
 * - Rates count posts (`kind: post`). Comment threads are counted by verdict but kept out of rates:
 *   a thread disappears with its article, so counting both would count one deletion twice.
 * - The denominator of the deletion and censorship rates is the posts seen alive at least once; a
 *   post that was already gone when first fetched has no deletion window and is reported apart.
 * - Times to deletion come from a Kaplan–Meier curve (./survival.ts) over every post seen alive,
 *   with posts not gone right-censored, never from gone posts alone (which biases them short).
 * - Quartiles of plain samples (deletion window widths) interpolate linearly (R type 7).
 */
import type { Cause, TargetKind, Verdict } from '../domain/glossary';
import { FINAL_OUTCOMES } from '../domain/glossary';
import type { Proportion, Quantiles, RateComparison } from './proportions';
import { compareRates, proportion, quantiles } from './proportions';
import type { SurvivalCurve, SurvivalSubject } from './survival';
import { kaplanMeier } from './survival';

export * from './proportions';

/** Said in every report: what a deletion time means. */
export const DELETION_WINDOW_NOTE =
  'A deletion happened inside its deletion window (last alive observation, first gone observation]: ' +
  'after the last time the target was seen alive and no later than the first observation that found it gone. ' +
  'Times to deletion are measured to the end of that window, so they are upper bounds.';

/** Said in every report: what counts as censorship. */
export const CENSORSHIP_NOTE =
  'Only removed_by_platform counts as censorship. restricted (author visibility settings) and ' +
  'gone_unspecified (not found or no permission, cause not stated) are not counted as censorship; ' +
  'neither are deleted_by_author and account_gone. The deletion rate counts every gone post, whatever the cause.';

/** The facts of one target that statistics need. Times are epoch milliseconds. */
export interface StatsTarget {
  readonly kind: TargetKind;
  readonly verdict: Verdict;
  readonly cause: Cause | null;
  readonly firstSeenAt: number;
  readonly lastAliveAt: number | null;
  readonly goneAt: number | null;
  /** The post's own created time, when the platform stated it. */
  readonly createdAt: number | null;
}

export type VerdictCounts = Record<Verdict, number>;
export type CauseCounts = Record<Cause, number>;

/** Statistics of one watch's targets. */
export interface WatchStats {
  /** Every target of the watch (posts and threads). */
  readonly targets: number;
  readonly byVerdict: VerdictCounts;
  readonly byKind: Record<TargetKind, number>;
  /** Posts only, from here on. */
  readonly posts: number;
  readonly postsByVerdict: VerdictCounts;
  /** Gone posts by cause (all gone posts, seen alive or not). */
  readonly goneByCause: CauseCounts;
  /** Gone posts seen alive by cause: the numerators of the rates, split. */
  readonly goneSeenAliveByCause: CauseCounts;
  /** Posts seen alive at least once: the denominator of the rates. */
  readonly seenAlive: number;
  /** Gone posts that were never seen alive (gone at first fetch): outside the rates. */
  readonly goneNeverSeenAlive: number;
  /** Gone posts seen alive / posts seen alive. */
  readonly deletionRate: Proportion;
  /** `removed_by_platform` posts seen alive / posts seen alive. */
  readonly censorshipRate: Proportion;
  /**
   * Kaplan–Meier survival of the posts seen alive, from the post's created time (or first seen,
   * when the platform gave none): a gone post is an event at the end of its deletion window, any
   * other post is right-censored at its last alive observation.
   */
  readonly survival: SurvivalCurve;
  /**
   * The same with `removed_by_platform` as the event; posts gone for another cause are censored at
   * the end of their window (cause-specific survival, so 1 − S is not a cumulative incidence).
   */
  readonly censorshipSurvival: SurvivalCurve;
  /** How many posts of the curves start at the post's created time; the rest start at first seen. */
  readonly fromCreatedAt: number;
  /** Width of the deletion windows (first gone − last alive) of the curve's events. */
  readonly deletionWindow: Quantiles;
}

/** A topic watch against a baseline watch. */
export interface BaselineComparison {
  readonly topicWatch: string;
  readonly baselineWatch: string;
  readonly deletion: RateComparison;
  readonly censorship: RateComparison;
  /** Targets in both watches; they make the samples dependent. */
  readonly sharedTargets: number;
}

// ---- per watch -----------------------------------------------------------------------------

function zeroVerdicts(): VerdictCounts {
  return { alive: 0, unconfirmed: 0, gone: 0, unknown: 0 };
}

function zeroCauses(): CauseCounts {
  const out = {} as CauseCounts;
  for (const c of FINAL_OUTCOMES) out[c] = 0;
  return out;
}

/** Statistics of one watch's targets; see the module comment for what is counted where. */
export function computeWatchStats(targets: readonly StatsTarget[]): WatchStats {
  const byVerdict = zeroVerdicts();
  const byKind: Record<TargetKind, number> = { post: 0, thread: 0 };
  const postsByVerdict = zeroVerdicts();
  const goneByCause = zeroCauses();
  const goneSeenAliveByCause = zeroCauses();
  let posts = 0;
  let seenAlive = 0;
  let goneSeenAlive = 0;
  let censoredSeenAlive = 0;
  let goneNeverSeenAlive = 0;
  let fromCreatedAt = 0;
  const deletion: SurvivalSubject[] = [];
  const censorship: SurvivalSubject[] = [];
  const windows: number[] = [];

  for (const t of targets) {
    byVerdict[t.verdict] += 1;
    byKind[t.kind] += 1;
    if (t.kind !== 'post') continue;
    posts += 1;
    postsByVerdict[t.verdict] += 1;
    const gone = t.verdict === 'gone';
    if (gone && t.cause) goneByCause[t.cause] += 1;
    if (t.lastAliveAt === null) {
      if (gone) goneNeverSeenAlive += 1;
      continue;
    }
    seenAlive += 1;
    const start = t.createdAt ?? t.firstSeenAt;
    if (t.createdAt !== null) fromCreatedAt += 1;
    // A created time after an observation is a platform clock error; count that span as zero.
    const since = (at: number): number => Math.max(0, at - start);
    if (!gone || t.goneAt === null) {
      deletion.push({ time: since(t.lastAliveAt), event: false });
      censorship.push({ time: since(t.lastAliveAt), event: false });
      continue;
    }
    goneSeenAlive += 1;
    if (t.cause) goneSeenAliveByCause[t.cause] += 1;
    const censored = t.cause === 'removed_by_platform';
    if (censored) censoredSeenAlive += 1;
    deletion.push({ time: since(t.goneAt), event: true });
    censorship.push({ time: since(t.goneAt), event: censored });
    windows.push(t.goneAt - t.lastAliveAt);
  }

  return {
    targets: targets.length,
    byVerdict,
    byKind,
    posts,
    postsByVerdict,
    goneByCause,
    goneSeenAliveByCause,
    seenAlive,
    goneNeverSeenAlive,
    deletionRate: proportion(goneSeenAlive, seenAlive),
    censorshipRate: proportion(censoredSeenAlive, seenAlive),
    survival: kaplanMeier(deletion),
    censorshipSurvival: kaplanMeier(censorship),
    fromCreatedAt,
    deletionWindow: quantiles(windows),
  };
}

/** A topic watch's deletion and censorship rates against a baseline watch's. */
export function compareWatches(
  topicWatch: string,
  topic: WatchStats,
  baselineWatch: string,
  baseline: WatchStats,
  sharedTargets: number,
): BaselineComparison {
  return {
    topicWatch,
    baselineWatch,
    deletion: compareRates(topic.deletionRate, baseline.deletionRate, 'deletion'),
    censorship: compareRates(topic.censorshipRate, baseline.censorshipRate, 'censorship'),
    sharedTargets,
  };
}

// ---- keyword history -----------------------------------------------------------------------

/** One keyword source of a watch, as stored. */
export interface KeywordSourceFacts {
  readonly platform: string;
  readonly query: string;
  readonly searchState: string | null;
  readonly blocked: boolean;
  readonly lastResultsAt: number | null;
}

/** One search of a keyword, as stored. */
export interface SearchFacts {
  readonly at: number;
  readonly outcome: string;
  readonly results: number;
}

/** A `search.blocked` or `search.unblocked` event of a keyword. */
export interface SearchTransitionFacts {
  readonly type: string;
  readonly at: number;
  readonly detail: Record<string, unknown>;
}

/** What happened to one keyword's search over time. */
export interface KeywordHistory {
  readonly platform: string;
  readonly keyword: string;
  /** Last search state: `results`, `empty`, `withheld`, or null before the first answer. */
  readonly state: string | null;
  readonly blocked: boolean;
  readonly lastResultsAt: number | null;
  readonly searches: number;
  /** Searches by outcome (`results`, `empty`, `withheld`, and transient ones such as `rate_limited`). */
  readonly byOutcome: Record<string, number>;
  readonly firstSearchAt: number | null;
  readonly lastSearchAt: number | null;
  /** Blocked and unblocked transitions in time order, with the recorder's reason. */
  readonly transitions: readonly { type: string; at: number; reason: string | null }[];
}

/** Summarises one keyword's searches and its blocked/unblocked transitions. */
export function keywordHistory(
  source: KeywordSourceFacts,
  searches: readonly SearchFacts[],
  transitions: readonly SearchTransitionFacts[],
): KeywordHistory {
  const byOutcome: Record<string, number> = {};
  let first: number | null = null;
  let last: number | null = null;
  for (const s of searches) {
    byOutcome[s.outcome] = (byOutcome[s.outcome] ?? 0) + 1;
    first = first === null ? s.at : Math.min(first, s.at);
    last = last === null ? s.at : Math.max(last, s.at);
  }
  return {
    platform: source.platform,
    keyword: source.query,
    state: source.searchState,
    blocked: source.blocked,
    lastResultsAt: source.lastResultsAt,
    searches: searches.length,
    byOutcome,
    firstSearchAt: first,
    lastSearchAt: last,
    transitions: [...transitions]
      .sort((a, b) => a.at - b.at)
      .map((t) => ({
        type: t.type,
        at: t.at,
        reason: typeof t.detail.reason === 'string' ? t.detail.reason : null,
      })),
  };
}
