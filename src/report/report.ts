/**
 * Reports: {@link buildReport} reads the store once into a typed {@link Report}; the renderers
 * (./markdown.ts, ./html.ts) turn it into Markdown or one self-contained HTML page, and
 * {@link renderJson} into JSON. Absolute times in a Report are ISO 8601 UTC strings; durations
 * (in {@link WatchStats}) are milliseconds.
 *
 * Order, everywhere: the topic watches first, the baseline last (beside the topic in summaries);
 * within a watch, posts before comment threads, which get their own section.
 */
import { diffChars } from 'diff';
import { wellFormedJson } from './escape';
import { isoUtc } from '../domain/clock';
import { UnknownWatchError } from '../errors';
import type { Cause, Outcome, Platform } from '../domain/glossary';
import type { EventRow, Store, TargetSummary } from '../store/store';
import { CommentStore } from '../store/comments';
import { ProblemStore } from '../store/problems';
import { describeProblem, problemHint } from '../engine/problems';
import type { ProblemKind, ProblemSubject } from '../domain/problems';
import type { GoneObservation } from '../store/report-reads';
import { checkOutcomes, goneObservations, keywordsByTarget } from '../store/report-reads';
import type { Pseudonymizer } from './pseudonym';
import type { Period } from './sample';
import { inPeriod, statsTargets, watchTargets } from './sample';
import type { BaselineComparison, KeywordHistory, WatchStats } from './stats';
import {
  CENSORSHIP_NOTE,
  DELETION_WINDOW_NOTE,
  compareWatches,
  computeWatchStats,
  keywordHistory,
} from './stats';

/** Options of {@link buildReport}. Times are epoch milliseconds. */
export interface ReportOptions extends Period {
  /** Report on this watch only (plus the baseline, when given). @defaultValue every watch */
  readonly watchId?: string;
  /** Compare the reported watch (or every other watch) against this one. @defaultValue no comparison */
  readonly baselineId?: string;
  /** When the report is made. */
  readonly now: number;
  /** The config file, named in the evidence bundle commands. @defaultValue `config.yaml` */
  readonly configPath?: string;
  /** Replace author ids and names (and commenters) by keyed hashes. @defaultValue none */
  readonly pseudonymizer?: Pseudonymizer;
}

/** Thrown when a watch id given to {@link buildReport} is not in the store (a usage error, exit 2). */
export { UnknownWatchError };

/** A gone post, with what it said when last seen alive and the proof that it is gone. */
export interface GoneTargetEntry {
  readonly platform: Platform;
  readonly id: string;
  readonly url: string;
  readonly watches: readonly string[];
  readonly author: string | null;
  readonly authorId: string | null;
  readonly cause: Cause | null;
  readonly createdAt: string | null;
  readonly firstSeenAt: string;
  /** Start of the deletion window (exclusive); null when never seen alive. */
  readonly lastAliveAt: string | null;
  /** End of the deletion window (inclusive): the first gone observation. */
  readonly goneAt: string | null;
  /** Window length in milliseconds; null when never seen alive. */
  readonly windowMs: number | null;
  readonly lastAliveText: string | null;
  /** The platform's words on the observation that states the cause. */
  readonly notice: string | null;
  /** SHA-256 of that observation's raw response: the evidence digest. */
  readonly evidenceSha256: string | null;
  /** That observation's link in the target's hash chain. */
  readonly chain: string | null;
  /** The keywords that found it. */
  readonly keywords: readonly string[];
  /** The command that writes its evidence bundle. */
  readonly bundleCommand: string;
}

/** One diff part. */
export interface EditDiffPart {
  readonly op: '=' | '+' | '-';
  readonly text: string;
}

/** An edit of a post, from a `post.edited` event. */
export interface EditEntry {
  readonly platform: Platform;
  readonly id: string;
  readonly url: string | null;
  readonly at: string;
  readonly before: string | null;
  readonly after: string | null;
  /** `[-removed-]{+inserted+}` inside kept text. */
  readonly diffText: string | null;
  /** Character diff; the recorded one, else computed with jsdiff's diffChars from before and after. */
  readonly diff: readonly EditDiffPart[] | null;
}

/** A comment seen in a thread and later found gone. */
export interface GoneCommentEntry {
  readonly id: string;
  readonly author: string | null;
  readonly location: string | null;
  readonly text: string;
  readonly lastSeenAt: string;
  readonly goneAt: string;
}

/** A comment thread of a post, reported apart from posts. */
export interface ThreadEntry {
  readonly platform: Platform;
  readonly id: string;
  readonly url: string;
  readonly verdict: string;
  readonly cause: Cause | null;
  readonly comments: number;
  readonly goneComments: readonly GoneCommentEntry[];
  /** `thread.closed` events: the flag that turned off and when. */
  readonly closed: readonly { readonly at: string; readonly detail: Record<string, unknown> }[];
}

/** One search of a keyword, for its timeline. */
export interface KeywordSearch {
  readonly at: string;
  readonly outcome: string;
  readonly results: number;
}

/** A keyword's search history, times as ISO strings. */
export interface KeywordReport extends Omit<
  KeywordHistory,
  'lastResultsAt' | 'firstSearchAt' | 'lastSearchAt' | 'transitions'
> {
  readonly lastResultsAt: string | null;
  readonly firstSearchAt: string | null;
  readonly lastSearchAt: string | null;
  readonly transitions: readonly { type: string; at: string; reason: string | null }[];
  readonly timeline: readonly KeywordSearch[];
}

/** Checks of a watch's posts in one time bucket, by outcome. */
export interface CoverageBucket {
  readonly start: string;
  readonly byOutcome: Partial<Record<Outcome, number>>;
}

/** Everything reported about one watch. */
export interface WatchReport {
  readonly id: string;
  readonly name: string;
  readonly isBaseline: boolean;
  readonly stats: WatchStats;
  /** Gone posts, by first gone observation. */
  readonly gone: readonly GoneTargetEntry[];
  /** Edits of posts, in time order. */
  readonly edits: readonly EditEntry[];
  readonly keywords: readonly KeywordReport[];
  /** Comment threads, apart from posts. */
  readonly threads: readonly ThreadEntry[];
  /** Checks of the watch's posts over time. */
  readonly coverage: { readonly bucketMs: number; readonly buckets: readonly CoverageBucket[] };
  /** Against the baseline watch; null for the baseline itself or without one. */
  readonly comparison: BaselineComparison | null;
}

/**
 * A configured keyword, account or post URL with a watch problem open when the report was made
 * (it returned nothing, could not be resolved, hit a login wall, or never reached its post): what
 * it would have found is missing from every figure.
 */
export interface ReportProblem {
  readonly kind: ProblemKind;
  readonly subject: ProblemSubject;
  readonly platform: Platform;
  /** The keyword or account as configured (a pseudonym for an account when pseudonymized), or the URL. */
  readonly query: string;
  /** The reported watches it belongs to. */
  readonly watches: readonly string[];
  /** When the streak that opened it began. */
  readonly since: string;
  /** Rounds or checks in the streak so far. */
  readonly count: number;
  /** The platform's or adapter's words on the last failure, when any. */
  readonly message: string | null;
  /** One line saying what is wrong. */
  readonly summary: string;
  /** What the researcher can do about it. */
  readonly hint: string;
}

/** A report over one or more watches. */
export interface Report {
  readonly generatedAt: string;
  readonly filter: {
    readonly watchId: string | null;
    readonly baselineId: string | null;
    readonly since: string | null;
    readonly until: string | null;
  };
  /** Whether author ids and names were replaced by keyed hashes. */
  readonly pseudonymized: boolean;
  /** Watch problems of the reported watches open now, oldest first: gaps in what the report covers. */
  readonly problems: readonly ReportProblem[];
  /** Method statements every rendering repeats. */
  readonly notes: {
    readonly deletionWindow: string;
    readonly censorship: string;
    readonly method: readonly string[];
  };
  /** Topic watches first, the baseline last. */
  readonly watches: readonly WatchReport[];
}

const METHOD_NOTES: readonly string[] = [
  'Rates count posts; comment threads are reported apart, since a thread disappears with its article.',
  'Deletion and censorship rates are over posts seen alive at least once; posts already gone when first fetched are listed but not in the rates.',
  "Intervals are Wilson score 95% intervals; differences use Newcombe's hybrid score interval.",
  "Baseline comparisons are one-sided (H1: topic rate > baseline rate): Fisher's exact test when any expected cell count is below 5, else a pooled two-proportion z-test.",
  "Times to deletion come from a Kaplan–Meier curve over every post seen alive, from the post's created time (or first seen, when the platform gave none): a gone post counts at the end of its deletion window, a post not gone is right-censored at its last alive observation. A quantile is the first time the curve falls to it; 'not reached' when it never does. Intervals use Greenwood's variance on the log(−log) scale.",
  'The sample is what search and the watched timelines surfaced: not a random sample of all posts on the topic.',
  "A target first seen in the period is reported with everything observed about it, also after the period's end.",
];

function targetKey(platform: string, kind: string | null, id: string): string {
  return `${platform}\u001f${kind ?? 'post'}\u001f${id}`;
}

function asDiff(v: unknown): EditDiffPart[] | null {
  if (!Array.isArray(v)) return null;
  const out: EditDiffPart[] = [];
  for (const p of v) {
    if (typeof p !== 'object' || p === null) return null;
    const { op, text } = p as Record<string, unknown>;
    if ((op !== '=' && op !== '+' && op !== '-') || typeof text !== 'string') return null;
    out.push({ op, text });
  }
  return out;
}

/** A character diff with jsdiff (Chinese has no word boundaries, so characters are the unit). */
function charDiff(before: string, after: string): EditDiffPart[] {
  return diffChars(before, after).map((c) => ({
    op: c.added ? '+' : c.removed ? '-' : '=',
    text: c.value,
  }));
}

/** Quotes a command-line argument for a POSIX shell when it needs it. */
function shellArg(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command that writes one target's evidence bundle (DESIGN.md, "Evidence config and bundle"). */
export function bundleCommand(configPath: string, platform: string, id: string): string {
  const file = `${platform}-${id}.zip`.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `censorwatch evidence --config ${shellArg(configPath)} --target ${shellArg(`${platform}:${id}`)} --out ${file}`;
}

interface Lookups {
  readonly gone: Map<number, GoneObservation>;
  readonly keywords: Map<number, string[]>;
  readonly comments: CommentStore;
}

function goneEntry(t: TargetSummary, store: Store, l: Lookups, opts: ReportOptions): GoneTargetEntry {
  const s = t.state;
  const g = l.gone.get(t.rowId);
  const who = opts.pseudonymizer
    ? opts.pseudonymizer.author(t.platform, t.authorId, t.authorName)
    : { author: t.authorName ?? t.authorId, authorId: t.authorId };
  return {
    platform: t.platform,
    id: t.id,
    url: t.url,
    watches: t.watches,
    author: who.author,
    authorId: who.authorId,
    cause: s.cause,
    createdAt: isoUtc(t.createdAt),
    firstSeenAt: isoUtc(s.firstSeenAt)!,
    lastAliveAt: isoUtc(s.lastAliveAt),
    goneAt: isoUtc(s.goneAt),
    windowMs: s.lastAliveAt !== null && s.goneAt !== null ? s.goneAt - s.lastAliveAt : null,
    lastAliveText:
      s.lastAliveText ?? (s.lastAliveAt !== null ? (store.lastContent(t.rowId)?.text ?? null) : null),
    notice: g?.notice ?? null,
    evidenceSha256: g?.bodyHash ?? null,
    chain: g?.chain ?? null,
    keywords: l.keywords.get(t.rowId) ?? [],
    bundleCommand: bundleCommand(opts.configPath ?? 'config.yaml', t.platform, t.id),
  };
}

function threadEntry(
  t: TargetSummary,
  l: Lookups,
  events: readonly EventRow[],
  opts: ReportOptions,
): ThreadEntry {
  const known = l.comments.known(t.rowId);
  return {
    platform: t.platform,
    id: t.id,
    url: t.url,
    verdict: t.state.verdict,
    cause: t.state.verdict === 'gone' ? t.state.cause : null,
    comments: known.length,
    goneComments: known
      .filter((c) => c.goneAt !== null)
      .sort((a, b) => a.goneAt! - b.goneAt!)
      .map((c) => ({
        id: c.id,
        author: opts.pseudonymizer ? opts.pseudonymizer.commenter(t.platform, c.author) : c.author,
        location: c.location,
        text: c.text,
        lastSeenAt: isoUtc(c.lastSeenAt)!,
        goneAt: isoUtc(c.goneAt)!,
      })),
    closed: events
      .filter((e) => e.type === 'thread.closed' && e.nativeId === t.id && e.platform === t.platform)
      .map((e) => ({ at: isoUtc(e.at)!, detail: e.detail })),
  };
}

/** A bucket width that gives a readable number of bars for a span: an hour, 6 hours or a day. */
export function coverageBucket(spanMs: number): number {
  const HOUR = 3_600_000;
  if (spanMs <= 2 * 24 * HOUR) return HOUR;
  if (spanMs <= 10 * 24 * HOUR) return 6 * HOUR;
  return 24 * HOUR;
}

function coverage(
  store: Store,
  watchId: string,
  opts: ReportOptions,
): { bucketMs: number; buckets: CoverageBucket[] } {
  const hourly = checkOutcomes(store, watchId, 3_600_000, opts);
  const span = hourly.length ? hourly[hourly.length - 1]!.start - hourly[0]!.start : 0;
  const bucketMs = coverageBucket(span);
  // Hourly buckets merged into wider ones: one query whatever the width.
  const merged = new Map<number, Partial<Record<Outcome, number>>>();
  for (const h of hourly) {
    const start = Math.floor(h.start / bucketMs) * bucketMs;
    const into = merged.get(start) ?? {};
    for (const [o, n] of Object.entries(h.byOutcome) as [Outcome, number][]) into[o] = (into[o] ?? 0) + n;
    merged.set(start, into);
  }
  return {
    bucketMs,
    buckets: [...merged].map(([start, byOutcome]) => ({ start: isoUtc(start)!, byOutcome })),
  };
}

function watchReport(
  store: Store,
  watch: { id: string; name: string },
  targets: readonly TargetSummary[],
  opts: ReportOptions,
  isBaseline: boolean,
  l: Lookups,
): Omit<WatchReport, 'comparison'> {
  const stats = computeWatchStats(statsTargets(targets));
  const posts = targets.filter((t) => t.kind === 'post');
  const gone = posts
    .filter((t) => t.state.verdict === 'gone')
    .sort((a, b) => (a.state.goneAt ?? 0) - (b.state.goneAt ?? 0))
    .map((t) => goneEntry(t, store, l, opts));

  const byKey = new Map(targets.map((t) => [targetKey(t.platform, t.kind, t.id), t]));
  const events = store.listEvents({ watchId: watch.id });
  const edits: EditEntry[] = [];
  const searchEvents: EventRow[] = [];
  for (const e of events) {
    if (e.type === 'post.edited' && e.nativeId !== null) {
      const t = byKey.get(targetKey(e.platform, e.kind, e.nativeId));
      if (!t || t.kind !== 'post' || !inPeriod(e.at, opts)) continue;
      const before = typeof e.detail.before === 'string' ? e.detail.before : null;
      const after = typeof e.detail.after === 'string' ? e.detail.after : null;
      edits.push({
        platform: e.platform,
        id: e.nativeId,
        url: t.url,
        at: isoUtc(e.at)!,
        before,
        after,
        diffText: typeof e.detail.diffText === 'string' ? e.detail.diffText : null,
        diff: asDiff(e.detail.diff) ?? (before !== null && after !== null ? charDiff(before, after) : null),
      });
    } else if ((e.type === 'search.blocked' || e.type === 'search.unblocked') && inPeriod(e.at, opts)) {
      searchEvents.push(e);
    }
  }

  const keywords: KeywordReport[] = store
    .listSources(watch.id)
    .filter((s) => s.mode === 'keyword')
    .map((s) => {
      const searches = store.searchHistory(s.id).filter((x) => inPeriod(x.at, opts));
      const h = keywordHistory(
        s,
        searches,
        searchEvents.filter((e) => e.keyword === s.query && e.platform === s.platform),
      );
      return {
        ...h,
        lastResultsAt: isoUtc(h.lastResultsAt),
        firstSearchAt: isoUtc(h.firstSearchAt),
        lastSearchAt: isoUtc(h.lastSearchAt),
        transitions: h.transitions.map((t) => ({ ...t, at: isoUtc(t.at)! })),
        timeline: searches.map((x) => ({ at: isoUtc(x.at)!, outcome: x.outcome, results: x.results })),
      };
    });

  const threads = targets.filter((t) => t.kind === 'thread').map((t) => threadEntry(t, l, events, opts));

  return {
    id: watch.id,
    name: watch.name,
    isBaseline,
    stats,
    gone,
    edits,
    keywords,
    threads,
    coverage: coverage(store, watch.id, opts),
  };
}

/** The open problems of the reported watches; an account's name is pseudonymized with its authors. */
function openProblems(store: Store, watchIds: ReadonlySet<string>, opts: ReportOptions): ReportProblem[] {
  return new ProblemStore(store)
    .open()
    .filter((p) => p.watches.some((w) => watchIds.has(w)))
    .map((p) => {
      const hide = p.subject === 'account' && opts.pseudonymizer !== undefined;
      // A numeric account is a uid: its pseudonym is then the one its posts' author carries.
      const who = hide
        ? opts.pseudonymizer!.author(p.platform, /^\d+$/.test(p.query) ? p.query : null, p.query)
        : null;
      // The platform's words on an account may name it, so they go with the name.
      const shown = { ...p, query: who?.author ?? p.query, message: hide ? null : p.message };
      return {
        ...shown,
        watches: p.watches.filter((w) => watchIds.has(w)),
        since: isoUtc(p.since)!,
        summary: describeProblem(shown),
        hint: problemHint(p.kind, p.platform),
      };
    });
}

/**
 * Reads the store into a {@link Report}. With `watchId`, that watch (and the baseline, when given)
 * is reported; without it, every watch. With `baselineId`, each other reported watch is compared
 * against the baseline. Throws {@link UnknownWatchError} for a watch id not in the store.
 */
export function buildReport(store: Store, opts: ReportOptions): Report {
  const all = store.listWatches();
  const known = new Map(all.map((w) => [w.id, w]));
  if (opts.watchId != null && !known.has(opts.watchId))
    throw new UnknownWatchError(opts.watchId, '--watch', store.file);
  if (opts.baselineId != null && !known.has(opts.baselineId))
    throw new UnknownWatchError(opts.baselineId, '--baseline', store.file);
  const selected = (opts.watchId ? [known.get(opts.watchId)!] : all).filter((w) => w.id !== opts.baselineId);
  if (opts.baselineId) selected.push(known.get(opts.baselineId)!);

  const lookups: Lookups = {
    gone: goneObservations(store),
    keywords: keywordsByTarget(store),
    comments: new CommentStore(store),
  };
  const targetsOf = new Map<string, TargetSummary[]>();
  for (const w of selected) targetsOf.set(w.id, watchTargets(store, w.id, opts));
  const partial = selected.map((w) =>
    watchReport(store, w, targetsOf.get(w.id)!, opts, w.id === opts.baselineId, lookups),
  );
  const baseline = partial.find((w) => w.isBaseline);
  const baselineRows = baseline
    ? new Set(
        targetsOf
          .get(baseline.id)!
          .filter((t) => t.kind === 'post')
          .map((t) => t.rowId),
      )
    : null;

  const watches: WatchReport[] = partial.map((w) => {
    if (!baseline || !baselineRows || w.isBaseline) return { ...w, comparison: null };
    const shared = targetsOf.get(w.id)!.filter((t) => baselineRows.has(t.rowId)).length;
    return { ...w, comparison: compareWatches(w.id, w.stats, baseline.id, baseline.stats, shared) };
  });

  return {
    generatedAt: isoUtc(opts.now)!,
    filter: {
      watchId: opts.watchId ?? null,
      baselineId: opts.baselineId ?? null,
      since: isoUtc(opts.since),
      until: isoUtc(opts.until),
    },
    pseudonymized: opts.pseudonymizer !== undefined,
    problems: openProblems(store, new Set(selected.map((w) => w.id)), opts),
    notes: { deletionWindow: DELETION_WINDOW_NOTE, censorship: CENSORSHIP_NOTE, method: METHOD_NOTES },
    watches,
  };
}

/** Renders a report as indented JSON (the {@link Report} shape). */
export function renderJson(r: Report): string {
  return wellFormedJson(r, 2) + '\n';
}
