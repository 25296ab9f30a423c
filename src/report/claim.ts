/**
 * `censorwatch claim`: one watch's numbers, tested against a baseline watch, as a paragraph a
 * journalist can quote and as JSON (DESIGN.md, "Claim").
 *
 * The verdict rule (also in docs/claim.md):
 * - `insufficient_data` when the topic watch (or the baseline, when given) has fewer than
 *   {@link MIN_SEEN_ALIVE} posts seen alive: too few to say anything either way.
 * - With a baseline: `supported` when the topic's censorship rate (removed_by_platform / seen alive)
 *   is above the baseline's with a one-sided p-value below {@link ALPHA}; else `not_supported`.
 * - Without a baseline: `supported` when at least one post seen alive was removed by the platform
 *   (the claim "posts on this topic were removed" is then shown, not its rate); else `not_supported`.
 * Author deletions, restrictions, closed accounts and unspecified absences are never censorship.
 */
import type { Cause, Outcome } from '../domain/glossary';
import { FINAL_OUTCOMES, TRANSIENT_OUTCOMES } from '../domain/glossary';
import { isoUtc } from '../domain/clock';
import { UnknownClaimWatchError } from '../errors';
import type { Store } from '../store/store';
import { checkOutcomes } from '../store/report-reads';
import type { ComparisonTest, Proportion, RateComparison } from './proportions';
import { compareRates, formatP } from './proportions';
import type { Period } from './sample';
import { statsTargets, watchTargets } from './sample';
import type { WatchStats } from './stats';
import { computeWatchStats } from './stats';
import { formatDuration, plural } from './format';
import { showInvisible, wellFormedJson } from './escape';

/** Fewest posts seen alive per watch for a verdict other than `insufficient_data`. */
export const MIN_SEEN_ALIVE = 10;
/** One-sided significance level of the baseline comparison. */
export const ALPHA = 0.05;

/** A rate with its Wilson 95% interval; all null when nothing was seen alive. */
export interface ClaimRate {
  readonly value: number | null;
  readonly low: number | null;
  readonly high: number | null;
}

/** One watch's side of a claim. */
export interface ClaimSide {
  /** Posts (not comment threads) first seen in the period. */
  readonly posts: number;
  /** Posts seen alive at least once: the denominator. */
  readonly seenAlive: number;
  /** Posts seen alive that are now gone, whatever the cause. */
  readonly gone: number;
  /** Of `gone`, those removed by the platform: the censorship signal. */
  readonly removedByPlatform: number;
  /** `gone` by cause. */
  readonly byCause: Record<Cause, number>;
  /** gone / seenAlive, Wilson 95%. */
  readonly rate: ClaimRate;
  /** removedByPlatform / seenAlive, Wilson 95%: the rate the test and verdict are about. */
  readonly censorshipRate: ClaimRate;
}

/** `supported`, `not_supported` or `insufficient_data`; see the module comment for the rule. */
export type ClaimVerdict = 'supported' | 'not_supported' | 'insufficient_data';

/** The JSON form of a claim; top-level keys are the contract. */
export interface ClaimResult {
  readonly watch: string;
  readonly baselineWatch: string | null;
  readonly topic: ClaimSide;
  readonly baseline: ClaimSide | null;
  /** One-sided p-value of the censorship-rate comparison; null without a baseline. */
  readonly pValue: number | null;
  readonly test: ComparisonTest | null;
  readonly verdict: ClaimVerdict;
  readonly caveats: readonly string[];
}

/** Options of {@link buildClaim}. */
export interface ClaimOptions extends Period {
  readonly watchId: string;
  readonly baselineId?: string;
  /** How often keywords and accounts were polled (config `schedule.discoverEvery`), for a caveat. */
  readonly discoverEvery?: number;
  /** The shortest and longest interval discovery adapts between (config `schedule.discoverMin`/`discoverMax`). */
  readonly discoverRange?: { readonly min: number; readonly max: number };
}

/** A claim with what its paragraph needs beyond the JSON. */
export interface Claim {
  readonly result: ClaimResult;
  readonly names: { readonly watch: string; readonly baseline: string | null };
  readonly period: { readonly since: string | null; readonly until: string | null };
  readonly stats: { readonly topic: WatchStats; readonly baseline: WatchStats | null };
  readonly comparison: RateComparison | null;
}

/** Thrown for a watch id that is not in the store (a usage error, exit 2). */
export { UnknownClaimWatchError };

function claimRate(p: Proportion): ClaimRate {
  return { value: p.rate, low: p.ci95?.[0] ?? null, high: p.ci95?.[1] ?? null };
}

function side(s: WatchStats): ClaimSide {
  return {
    posts: s.posts,
    seenAlive: s.seenAlive,
    gone: s.deletionRate.k,
    removedByPlatform: s.censorshipRate.k,
    byCause: { ...s.goneSeenAliveByCause },
    rate: claimRate(s.deletionRate),
    censorshipRate: claimRate(s.censorshipRate),
  };
}

/** The verdict rule of the module comment. */
export function claimVerdict(
  topic: WatchStats,
  baseline: WatchStats | null,
  comparison: RateComparison | null,
): ClaimVerdict {
  if (topic.seenAlive < MIN_SEEN_ALIVE) return 'insufficient_data';
  if (baseline && baseline.seenAlive < MIN_SEEN_ALIVE) return 'insufficient_data';
  if (!baseline) return topic.censorshipRate.k > 0 ? 'supported' : 'not_supported';
  const c = comparison!;
  return c.pValue !== null && c.pValue < ALPHA && (c.difference ?? 0) > 0 ? 'supported' : 'not_supported';
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

function caveats(
  store: Store,
  opts: ClaimOptions,
  topic: WatchStats,
  baseline: WatchStats | null,
  shared: number,
): string[] {
  const out: string[] = [];
  const never = topic.posts - topic.seenAlive;
  if (never > 0) {
    out.push(
      `${plural(never, 'post was', 'posts were')} never seen alive (${topic.goneNeverSeenAlive} already gone at the first check, ` +
        `${topic.postsByVerdict.unknown} never answered): they are left out of the rates, since nothing shows when they disappeared.`,
    );
  }
  if (topic.postsByVerdict.unconfirmed > 0) {
    out.push(
      `${plural(topic.postsByVerdict.unconfirmed, 'post was', 'posts were')} found gone once and await a confirming check; they are counted as not gone.`,
    );
  }
  const checks = checkOutcomes(store, opts.watchId, 8.64e15, opts);
  let total = 0;
  let conclusive = 0;
  for (const b of checks) {
    for (const [o, n] of Object.entries(b.byOutcome) as [Outcome, number][]) {
      total += n;
      if (!(TRANSIENT_OUTCOMES as readonly string[]).includes(o)) conclusive += n;
    }
  }
  if (total > 0) {
    out.push(
      `${pct(conclusive / total)} of the ${plural(total, 'observation')} of these posts (direct checks, and sightings in searches and timelines) got a definite answer (alive, or a stated absence); ` +
        `${total === conclusive ? 'none' : `the other ${total - conclusive}`} met rate limits, captchas, login walls, network or server errors or unreadable pages, which never count as deletions.`,
    );
  }
  const w = topic.deletionWindow;
  const every = opts.discoverEvery
    ? ` Keywords and accounts were polled every ${formatDuration(opts.discoverEvery)}${
        opts.discoverRange &&
        (opts.discoverRange.min !== opts.discoverEvery || opts.discoverRange.max !== opts.discoverEvery)
          ? ` at first, then every ${formatDuration(opts.discoverRange.min)} to ${formatDuration(opts.discoverRange.max)} by how often they brought new posts`
          : ''
      }; a post deleted before it was first seen is not in the sample.`
    : '';
  out.push(
    'Each deletion happened inside its window (last alive observation, first gone observation]; times to deletion are measured to the end of the window, so they are upper bounds' +
      (w.n > 0
        ? ` (window width: median ${formatDuration(w.median)}, widest ${formatDuration(w.max)}).`
        : '.') +
      every,
  );
  out.push(
    "The sample is what the platforms' search and the watched timelines surfaced, not a random sample of all posts on the topic; posts are not independent of one another.",
  );
  const withheld = store.listSources(opts.watchId).filter((s) => s.mode === 'keyword' && s.blocked);
  if (withheld.length > 0) {
    out.push(
      `Search results were withheld for ${plural(withheld.length, 'keyword')} at the last search (${withheld.map((s) => `"${s.query}"`).join(', ')}), so posts found through them may be missing.`,
    );
  }
  if (baseline && shared > 0) {
    out.push(
      `${plural(shared, 'post is', 'posts are')} in both watches, which makes the two samples dependent.`,
    );
  }
  out.push('Comment threads are not counted as posts.');
  return out;
}

/**
 * Builds a claim from the store. Throws {@link UnknownClaimWatchError} for a watch id the store
 * does not know.
 */
export function buildClaim(store: Store, opts: ClaimOptions): Claim {
  const known = new Map(store.listWatches().map((w) => [w.id, w.name]));
  if (!known.has(opts.watchId)) throw new UnknownClaimWatchError(opts.watchId, '--watch', store.file);
  if (opts.baselineId != null && !known.has(opts.baselineId))
    throw new UnknownClaimWatchError(opts.baselineId, '--baseline', store.file);
  const topicTargets = watchTargets(store, opts.watchId, opts);
  const topic = computeWatchStats(statsTargets(topicTargets));
  let baseline: WatchStats | null = null;
  let shared = 0;
  if (opts.baselineId != null) {
    const bt = watchTargets(store, opts.baselineId, opts);
    baseline = computeWatchStats(statsTargets(bt));
    const rows = new Set(bt.filter((t) => t.kind === 'post').map((t) => t.rowId));
    shared = topicTargets.filter((t) => t.kind === 'post' && rows.has(t.rowId)).length;
  }
  const comparison = baseline
    ? compareRates(topic.censorshipRate, baseline.censorshipRate, 'censorship')
    : null;
  return {
    result: {
      watch: opts.watchId,
      baselineWatch: opts.baselineId ?? null,
      topic: side(topic),
      baseline: baseline ? side(baseline) : null,
      pValue: comparison?.pValue ?? null,
      test: comparison?.test ?? null,
      verdict: claimVerdict(topic, baseline, comparison),
      caveats: caveats(store, opts, topic, baseline, shared),
    },
    names: {
      watch: known.get(opts.watchId)!,
      baseline: opts.baselineId ? known.get(opts.baselineId)! : null,
    },
    period: { since: isoUtc(opts.since), until: isoUtc(opts.until) },
    stats: { topic, baseline },
    comparison,
  };
}

const CAUSE_WORDS: Record<Cause, [string, string]> = {
  removed_by_platform: ['removed by the platform', 'removed by the platform'],
  deleted_by_author: ['deleted by its author', 'deleted by their authors'],
  restricted: ["hidden by its author's visibility settings", "hidden by their authors' visibility settings"],
  account_gone: ['gone with its account', 'gone with their accounts'],
  gone_unspecified: ['gone without a stated cause', 'gone without a stated cause'],
};

function rateText(r: ClaimRate): string {
  return r.value === null ? 'n/a' : `${pct(r.value)}, 95% CI ${pct(r.low)}–${pct(r.high)}`;
}

function byCauseText(s: ClaimSide): string {
  // The censorship signal first, then the rest in the glossary's order.
  const order = [
    'removed_by_platform',
    ...FINAL_OUTCOMES.filter((c) => c !== 'removed_by_platform'),
  ] as const;
  const parts = order
    .filter((c) => s.byCause[c] > 0)
    .map((c) => `${s.byCause[c]} ${CAUSE_WORDS[c][s.byCause[c] === 1 ? 0 : 1]}`);
  return parts.length ? `: ${parts.join(', ')}` : '';
}

const VERDICT_TEXT: Record<ClaimVerdict, string> = {
  supported: 'supported',
  not_supported: 'not supported',
  insufficient_data: 'insufficient data',
};

/** The claim as one quotable paragraph with its numbers and caveats. */
export function renderClaimText(c: Claim): string {
  const r = c.result;
  const t = r.topic;
  const when =
    c.period.since || c.period.until
      ? `Among posts first seen from ${c.period.since ?? 'the start'} until ${c.period.until ?? 'the end'} (UTC), `
      : '';
  const s: string[] = [];
  s.push(
    `${when}censorwatch found ${plural(t.posts, 'post')} for the watch "${c.names.watch}" (${r.watch}) and saw ${t.seenAlive} of them alive at least once.`,
  );
  s.push(`Of those, ${t.gone} ${t.gone === 1 ? 'is' : 'are'} gone (${rateText(t.rate)})${byCauseText(t)}.`);
  s.push(
    `The censorship rate, posts removed by the platform, is ${rateText(t.censorshipRate)} (${t.removedByPlatform} of ${t.seenAlive}).`,
  );
  if (r.baseline && c.comparison) {
    const b = r.baseline;
    const cmp = c.comparison;
    s.push(
      `In the baseline watch "${c.names.baseline}" (${r.baselineWatch}), ${b.removedByPlatform} of ${plural(b.seenAlive, 'post')} seen alive ${b.removedByPlatform === 1 ? 'was' : 'were'} removed by the platform (${rateText(b.censorshipRate)}).`,
    );
    if (cmp.difference !== null) {
      const ratio =
        t.censorshipRate.value !== null && b.censorshipRate.value
          ? `, ${(t.censorshipRate.value / b.censorshipRate.value).toFixed(1)} times the baseline's rate`
          : ' (the baseline rate is zero, so there is no ratio)';
      const ci = cmp.differenceCi95
        ? ` (95% CI ${(cmp.differenceCi95[0] * 100).toFixed(1)} to ${(cmp.differenceCi95[1] * 100).toFixed(1)})`
        : '';
      const testName =
        cmp.test === 'z-test-pooled-one-sided'
          ? 'a one-sided pooled two-proportion z-test'
          : "a one-sided Fisher's exact test";
      s.push(
        `The difference is ${(cmp.difference * 100).toFixed(1)} percentage points${ci}${ratio}; ${testName} gives p = ${formatP(cmp.pValue!)}.`,
      );
    }
  }
  s.push(`Verdict: ${VERDICT_TEXT[r.verdict]} (${verdictReason(c)}).`);
  s.push(`Caveats: ${r.caveats.join(' ')}`);
  // Names and keywords come from a config, and may hold what a reader cannot see; one line stays one.
  return showInvisible(s.join(' '), '') + '\n';
}

function verdictReason(c: Claim): string {
  const r = c.result;
  if (r.verdict === 'insufficient_data') {
    return `fewer than ${MIN_SEEN_ALIVE} posts seen alive in ${r.topic.seenAlive < MIN_SEEN_ALIVE ? 'the topic watch' : 'the baseline watch'}`;
  }
  if (!r.baseline) {
    return r.verdict === 'supported'
      ? 'at least one post seen alive was removed by the platform; without a baseline this says nothing about how unusual that is'
      : 'no post seen alive was removed by the platform';
  }
  return r.verdict === 'supported'
    ? `the topic's censorship rate is above the baseline's with one-sided p < ${ALPHA}`
    : `the topic's censorship rate is not above the baseline's with one-sided p < ${ALPHA}`;
}

/** The claim's JSON form, keys in contract order. */
export function renderClaimJson(c: Claim): string {
  return wellFormedJson(c.result, 2) + '\n';
}
