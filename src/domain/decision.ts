/**
 * Decide, then commit: what one observation means, as a pure function of what the store knows
 * about its target. The recorder reads a snapshot (the target's row and watches, its comments for
 * a thread), asks {@link decideObservation}, and hands the whole decision to the store, which
 * applies it in the result's one write transaction. Listings add a decision of their own once
 * their observations are applied ({@link decideListing}): the search's state and the direct
 * checks a page implies.
 *
 * Dedupe keys are part of the decision: distributed mode re-delivers results, and a repeat must
 * write nothing twice. An observation whose dedupe key is already stored stops the decision at
 * that point: the target, its watches and its discovery are made sure of, nothing after.
 */
import type { PlannedEvent } from './decision-events';
import { commentPlan, type CommentPlan, type ThreadSnapshot } from './decision-thread';
import type { Content, Exchange, Observation, Outcome, TargetRef } from './glossary';
import { isFinalOutcome, isTransientOutcome } from './glossary';
import { contentHash, threadHash } from './hash';
import { nextLadderCheck, type LadderOptions } from './ladder';
import { checkAfterSighting } from './sighting';
import { applyObservation, initialState, type TargetState, type VerdictRules } from './verdict';

export { eventDedupeKey, type PlannedEvent, type RecordedEvent } from './decision-events';
export type { CommentPlan, ThreadSnapshot } from './decision-thread';

/** Where an observation came from, so a new target can be linked to the right watches. */
export interface ObservationContext {
  /** Watches a new target joins (the checked target's watches, or the listing's watch). */
  readonly watchIds: readonly string[];
  /** How it was found, e.g. `keyword:联合国`, `repost-of:4383…`, `check`, `embedded-in:…`. */
  readonly via: string;
  /** Idempotency key of the fetch that produced the observation (distributed mode re-deliveries). */
  readonly dedupeKey?: string;
  /**
   * Time a transient outcome waits before the target is tried again (the platform's current
   * backoff); defaults to `confirmAfter`.
   */
  readonly retryAfter?: number;
}

/** A target as the decision needs it; the store's target row has these fields. */
export interface KnownTarget {
  readonly rowId: number;
  readonly url: string;
  readonly state: TargetState;
  /** Creation time its own check recorded; null before one did. */
  readonly createdAt: number | null;
  readonly nextCheckAt: number | null;
  readonly unlistedAt: number | null;
  readonly unlistedReported: boolean;
}

/** What the store knows that one observation's decision reads. */
export interface ObservationSnapshot {
  /** The observed target as stored, or null when this observation introduces it. */
  readonly target: KnownTarget | null;
  /** The watches it is in (sorted). */
  readonly watches: readonly string[];
  /** For an alive thread observation that lists comments: the comments known and the last flags. */
  readonly thread?: ThreadSnapshot;
}

/** The schedule settings a decision applies. */
export interface DecisionRules extends VerdictRules, LadderOptions {
  /** Whether a listing may stand in for a direct check. @defaultValue true */
  readonly listingChecks?: boolean;
}

/** Settings and collaborators of a decision. */
export interface DecisionOptions {
  readonly rules: DecisionRules;
  /** Random source of the ladder's jitter. */
  readonly random: () => number;
  /** Watches of the observed target's platform that track comment threads. @defaultValue none */
  readonly commentWatches?: readonly string[];
}

/** An observation row as the decision wants it stored (the store adds the target and the chain). */
export interface ObservationRecord {
  readonly at: number;
  readonly endpoint: string;
  readonly outcome: Outcome;
  readonly message: string | null;
  readonly httpStatus: number | null;
  readonly url: string | null;
  readonly finalUrl: string | null;
  readonly contentHash: string | null;
  /** The content, kept only when it changed since the last alive observation (or is the first). */
  readonly content: Content | null;
  readonly body: Buffer | null;
  /** Keep the body? False for an unchanged alive observation (its evidence is already stored). */
  readonly keepBody: boolean;
  readonly dedupeKey: string | null;
  readonly exchanges?: readonly Exchange[];
}

/** A target to make sure of (created due at `at` if new) and link to watches. */
export interface TargetToEnsure {
  readonly ref: TargetRef;
  readonly url: string;
  readonly watchIds: readonly string[];
  readonly via: string;
  readonly at: number;
}

/** Everything one observation means, in the order the store applies it. */
export interface ObservationDecision {
  readonly ref: TargetRef;
  /** Store the target first (it was not known), with this URL, first seen and due at `at`. */
  readonly create: { readonly url: string; readonly at: number } | null;
  /** Watches the target joins now (in the context's order), with how it was found. */
  readonly link: { readonly watchIds: readonly string[]; readonly via: string; readonly at: number };
  /** Comment threads of a post that joined comment-tracking watches. */
  readonly threads: readonly TargetToEnsure[];
  /** `post.discovered` for the watches it joined; recorded even for a repeat. */
  readonly discovered: PlannedEvent | null;
  /** The observation row. When its dedupe key is already stored, nothing below is applied. */
  readonly observation: ObservationRecord;
  /** Change to the target's timeline presence: listed there again, or told as unlisted. */
  readonly unlisted: 'listed' | 'reported' | null;
  /** The target's new verdict state. */
  readonly state: TargetState;
  /** What is saved beside the state (null fields keep what is stored). */
  readonly save: {
    readonly lastOutcome: Outcome;
    readonly lastCheckedAt: number;
    readonly nextCheckAt: number | null;
    readonly authorId: string | null;
    readonly authorName: string | null;
    readonly createdAt: number | null;
    readonly repostOf: string | null;
    readonly url: string | null;
  };
  /** Events after the observation: `post.unlisted`, then the verdict's. */
  readonly events: readonly PlannedEvent[];
  /** For an alive thread observation. */
  readonly comments: CommentPlan | null;
  /** A final outcome or an event of the verdict rules: worth a log line. */
  readonly noteworthy: boolean;
}

/** `ids` without repeats, each where it first occurs. */
function unique(ids: readonly string[]): string[] {
  // A target's watches come sorted and distinct (the store's, a check's context): such a list is
  // already its own answer, without a Set built for it on every observation.
  for (let i = 1; i < ids.length; i++) if (!(ids[i - 1]! < ids[i]!)) return [...new Set(ids)];
  return [...ids];
}

/** Decides what one observation means; see the module comment. Pure but for `random`. */
export function decideObservation(
  snap: ObservationSnapshot,
  obs: Observation,
  ctx: ObservationContext,
  opts: DecisionOptions,
): ObservationDecision {
  const ref = obs.target;
  const url = obs.url ?? '';
  const known = snap.target;
  const row: KnownTarget = known ?? {
    rowId: 0,
    url,
    state: initialState(obs.at),
    createdAt: null,
    nextCheckAt: obs.at,
    unlistedAt: null,
    unlistedReported: false,
  };
  const linked = unique(ctx.watchIds).filter((w) => !snap.watches.includes(w));
  const watches = unique(linked.length === 0 ? snap.watches : [...snap.watches, ...linked]).sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const target = ref;
  const base = { at: obs.at, platform: ref.platform, target, keyword: null };

  // A post first seen already gone (a repost's placeholder) has no comments left to watch.
  const threads: TargetToEnsure[] = [];
  if (ref.kind === 'post' && linked.length > 0 && !isFinalOutcome(obs.outcome)) {
    const tracking = opts.commentWatches ?? [];
    const inTracking = linked.filter((w) => tracking.includes(w));
    // The URL comes with the thread's first observation (the adapter knows its form).
    if (inTracking.length > 0)
      threads.push({
        ref: { ...ref, kind: 'thread' },
        url: '',
        watchIds: inTracking,
        via: `thread-of:${ref.id}`,
        at: obs.at,
      });
  }
  const discovered: PlannedEvent | null =
    linked.length > 0
      ? {
          ...base,
          type: 'post.discovered',
          cause: null,
          detail: { via: ctx.via, url },
          watchIds: linked,
          key: (rowId) => `discovered:${rowId}`,
        }
      : null;

  const content = obs.outcome === 'alive' ? obs.content : undefined;
  const thread = ref.kind === 'thread' && obs.outcome === 'alive' ? obs.comments : undefined;
  // A thread's hash follows its comment list, so its evidence is kept whenever the list changes.
  const hash = thread ? threadHash(thread) : content ? contentHash(content) : null;
  const partial = content?.truncated === true;
  const transition = applyObservation(
    row.state,
    {
      at: obs.at,
      outcome: obs.outcome,
      contentHash: hash,
      text: content?.text ?? null,
      partial,
      kind: ref.kind,
    },
    opts.rules,
  );
  const changed = hash !== null && !partial && hash !== row.state.lastAliveHash;
  const observation: ObservationRecord = {
    at: obs.at,
    endpoint: obs.endpoint,
    outcome: obs.outcome,
    message: obs.message ?? null,
    httpStatus: obs.evidence?.status ?? null,
    url: obs.evidence?.url ?? null,
    finalUrl: obs.evidence?.finalUrl ?? null,
    contentHash: hash,
    content: changed || (content && row.state.lastAliveHash === null) ? (content ?? null) : null,
    body: obs.evidence?.body ?? null,
    // An unchanged alive observation's evidence is already stored with the first one.
    keepBody: obs.outcome !== 'alive' || changed,
    dedupeKey: ctx.dedupeKey ?? null,
    exchanges: obs.evidence?.exchanges,
  };

  const events: PlannedEvent[] = [];
  const unlisted = obs.outcome === 'alive' && row.unlistedAt !== null ? unlistedChange(row, ctx) : null;
  if (unlisted === 'reported') {
    events.push({
      ...base,
      type: 'post.unlisted',
      cause: null,
      detail: { missingSince: row.unlistedAt, stillReachableAt: obs.at, url: obs.url ?? row.url },
      watchIds: ctx.watchIds.length ? ctx.watchIds : [null],
      key: (rowId) => `unlisted:${rowId}:${row.unlistedAt}`,
    });
  }

  // Only a listing that shows the very content last seen alive proves there was no edit.
  const unchanged = hash !== null && !partial && hash === row.state.lastAliveHash;
  const next = nextCheck(row, transition.confirmAt, obs, ctx, unchanged, opts);
  const observations = transition.state.observations;
  for (const d of transition.events) {
    events.push({
      ...base,
      at: d.at ?? obs.at,
      type: d.type,
      cause: d.cause ?? null,
      detail: d.detail,
      watchIds: watches.length ? watches : [null],
      key: (rowId) => `${rowId}:${observations}`,
    });
  }

  return {
    ref,
    create: known ? null : { url, at: obs.at },
    link: { watchIds: linked, via: ctx.via, at: obs.at },
    threads,
    discovered,
    observation,
    unlisted,
    state: transition.state,
    save: {
      lastOutcome: obs.outcome,
      lastCheckedAt: obs.at,
      nextCheckAt: next,
      authorId: content?.author?.id ?? null,
      authorName: content?.author?.name ?? null,
      // Only a target's own check gives a precise creation time; listings give coarse forms.
      createdAt: content?.createdAt && ctx.via === 'check' ? Date.parse(content.createdAt) : null,
      repostOf: content?.repostOf ?? null,
      url: obs.url ?? null,
    },
    events,
    comments: thread ? commentPlan(snap.thread, obs, thread, watches) : null,
    noteworthy: isFinalOutcome(obs.outcome) || transition.events.length > 0,
  };
}

/**
 * A post that went missing from its author's timeline: listed there again clears it; found alive
 * by a direct check means the timeline hides a post that still exists (Weiboscope's "ghostly"
 * posts), told once per absence as `post.unlisted` — an event, not a verdict.
 */
function unlistedChange(row: KnownTarget, ctx: ObservationContext): 'listed' | 'reported' | null {
  if (ctx.via.startsWith('account:')) return 'listed';
  if (ctx.via !== 'check' || row.unlistedReported) return null;
  return 'reported';
}

function nextCheck(
  row: KnownTarget,
  confirmAt: number | null,
  obs: Observation,
  ctx: ObservationContext,
  unchanged: boolean,
  opts: DecisionOptions,
): number | null {
  const { rules, random } = opts;
  // A listing that shows the target alive late in its check's rung stands in for that check,
  // but only when it shows the whole content unchanged: a listing without the text (NetEase's)
  // or with a cut or changed text leaves the check that would see an edit where it is.
  if (rules.listingChecks !== false && ctx.via !== 'check' && obs.outcome === 'alive' && unchanged) {
    const sighted = checkAfterSighting(
      {
        firstSeenAt: row.state.firstSeenAt,
        nextCheckAt: row.nextCheckAt,
        checkedDirectly: row.createdAt !== null,
        confirming: row.state.verdict === 'unconfirmed',
      },
      obs.at,
      rules,
      random,
    );
    if (sighted !== null) return sighted;
  }
  // Observations from listings must not push back a check that is already due sooner.
  const ladder = nextLadderCheck(row.state.firstSeenAt, obs.at, rules, random);
  let next = ladder;
  if (confirmAt !== null) next = Math.min(next, confirmAt);
  if (isTransientOutcome(obs.outcome)) next = Math.min(next, obs.at + (ctx.retryAfter ?? rules.confirmAfter));
  if (row.nextCheckAt !== null && ctx.via !== 'check' && row.nextCheckAt > obs.at)
    next = Math.min(next, row.nextCheckAt);
  return next;
}
