import type { Cause, EventType, Outcome, TargetKind, Verdict } from './glossary';
import { CAUSE_SPECIFICITY, isFinalOutcome } from './glossary';
import { diffText, renderDiff } from './diff';

/** What the verdict rules need to know about a target between observations. */
export interface TargetState {
  readonly verdict: Verdict;
  /** Cause of a gone target, or the pending cause of an unconfirmed one; null otherwise. */
  readonly cause: Cause | null;
  readonly firstSeenAt: number;
  readonly lastAliveAt: number | null;
  readonly lastAliveHash: string | null;
  readonly lastAliveText: string | null;
  /**
   * Latest observation that showed the whole content {@link lastAliveHash} names (a listing's
   * partial one shows none): what a newer text is judged against, while {@link lastAliveAt}, which
   * a listing moves too, is what a restore is.
   */
  readonly lastContentAt: number | null;
  /** First final observation of the current run of final observations. */
  readonly goneAt: number | null;
  /** Final observations counted towards confirmation (each at least `confirmAfter` after the previous). */
  readonly finalStreak: number;
  readonly lastFinalAt: number | null;
  readonly editCount: number;
  readonly observations: number;
}

/** How gone is confirmed. */
export interface VerdictRules {
  /** Consecutive final observations needed. @defaultValue 2 */
  readonly confirmGone: number;
  /** Minimum time between two counted final observations. @defaultValue 1 minute */
  readonly confirmAfter: number;
}

/** The parts of an observation the rules look at. */
export interface ObservationFacts {
  readonly at: number;
  readonly outcome: Outcome;
  /** Content hash of an alive observation. */
  readonly contentHash?: string | null;
  /** Plain text of an alive observation, for edit diffs. */
  readonly text?: string | null;
  /**
   * True when the content is partial (a truncated long text in a listing): it proves the target
   * alive but cannot show an edit.
   */
  readonly partial?: boolean;
  /**
   * The target's kind. A `thread`'s content (counts, comment list) changes all the time and is
   * tracked comment by comment, so it never counts as an edit. @defaultValue 'post'
   */
  readonly kind?: TargetKind;
}

/** An event the rules want emitted, before the recorder adds identity. */
export interface EventDraft {
  readonly type: EventType;
  readonly cause?: Cause | null;
  readonly detail: Record<string, unknown>;
  /** When it was seen, if not at the observation's own time. */
  readonly at?: number;
}

export interface Transition {
  readonly state: TargetState;
  readonly events: readonly EventDraft[];
  /** When set, check again at this time (confirmation), ahead of the ladder. */
  readonly confirmAt: number | null;
}

/** The state of a target that has just been discovered and not yet observed. */
export function initialState(firstSeenAt: number): TargetState {
  return {
    verdict: 'unknown',
    cause: null,
    firstSeenAt,
    lastAliveAt: null,
    lastAliveHash: null,
    lastAliveText: null,
    lastContentAt: null,
    goneAt: null,
    finalStreak: 0,
    lastFinalAt: null,
    editCount: 0,
    observations: 0,
  };
}

function moreSpecific(current: Cause | null, next: Cause): Cause {
  if (current === null) return next;
  return CAUSE_SPECIFICITY[next] > CAUSE_SPECIFICITY[current] ? next : current;
}

/**
 * Applies one observation to a target's state. Pure: the same state and observation always give
 * the same transition.
 *
 * - alive: a hash that differs from the last alive one is an edit (never for a thread, whose list
 *   and counts change all the time); alive after gone is a restore.
 * - final outcome: the first one makes the target `unconfirmed` and asks for a confirmation check
 *   `confirmAfter` later; the `confirmGone`-th counted one makes it `gone` and emits `post.gone`
 *   with the deletion window (last alive, first gone]. A more specific cause later upgrades the
 *   recorded one without a second `post.gone`.
 * - transient outcome: changes nothing but the count; it neither confirms nor resets.
 * - an observation older than the state (an alive one older than the last alive or final one, a
 *   final one older than the last alive one): as a transient outcome, since a newer answer is known;
 *   but the whole content of an alive one that is newer than the last whole content seen is still
 *   taken (an edit, if it differs), since only a listing's title or a final answer came since; and
 *   an older whole content that differs, while no edit is known, is the edit to the held one.
 */
export function applyObservation(prev: TargetState, obs: ObservationFacts, rules: VerdictRules): Transition {
  const observations = prev.observations + 1;
  const events: EventDraft[] = [];

  // Older than what the target's state already holds: results recorded in another order than they
  // were fetched (a listing whose pages outlast a later check, a delivery retried after Redis came
  // back). Taken as news, an older text would be an edit back, an older alive a restore, and a
  // final answer older than an alive one a deletion the alive one already disproved. It is counted
  // (and kept as evidence) and otherwise passed over like a transient outcome. Final answers among
  // themselves keep their own rule below: an older one adds no confirmation but may name the cause.
  const lastAlive = prev.lastAliveAt ?? -Infinity;
  const stale =
    obs.outcome === 'alive'
      ? obs.at < Math.max(lastAlive, prev.lastFinalAt ?? -Infinity)
      : obs.at < lastAlive;
  // A text is old only next to a newer text: a listing (title only) or a final answer fetched after
  // it and recorded before says nothing about the text, and passing the text over for them would
  // lose its edit, or take the next check's edited text for the first one seen.
  const newContentHash =
    obs.outcome === 'alive' && !obs.partial && obs.contentHash && obs.at >= (prev.lastContentAt ?? -Infinity)
      ? obs.contentHash
      : null;
  let { editCount, lastAliveHash, lastAliveText, lastContentAt } = prev;
  const edited = (before: string | null, after: string | null, at?: number): void => {
    editCount += 1;
    const parts = diffText(before ?? '', after ?? '');
    events.push({
      type: 'post.edited',
      at,
      detail: { before, after, diff: parts, diffText: renderDiff(parts) },
    });
  };
  if (newContentHash !== null) {
    if (lastAliveHash !== null && newContentHash !== lastAliveHash && obs.kind !== 'thread')
      edited(lastAliveText, obs.text ?? null);
    lastAliveHash = newContentHash;
    lastAliveText = obs.text ?? null;
    lastContentAt = obs.at;
  } else if (
    // An older text than the one held, while no edit is known: the held text was first seen after
    // it (the first check recorded after the second), so that text is an edit of this one, seen
    // when the held text was. With an edit known, this text may be the one it replaced: passed over.
    editCount === 0 &&
    obs.outcome === 'alive' &&
    !obs.partial &&
    obs.contentHash &&
    lastAliveHash !== null &&
    obs.contentHash !== lastAliveHash &&
    obs.kind !== 'thread'
  )
    edited(obs.text ?? null, lastAliveText, lastContentAt ?? undefined);
  if (obs.outcome === 'alive' && !stale) {
    if (prev.verdict === 'gone') {
      events.push({ type: 'post.restored', detail: { goneAt: prev.goneAt, cause: prev.cause } });
    }
    // One copy of the state, not three: every re-check of a live post takes this way.
    return {
      state: {
        ...prev,
        observations,
        editCount,
        lastAliveHash,
        lastAliveText,
        lastContentAt,
        verdict: 'alive',
        cause: null,
        lastAliveAt: obs.at,
        goneAt: null,
        finalStreak: 0,
        lastFinalAt: null,
      },
      events,
      confirmAt: null,
    };
  }

  if (!isFinalOutcome(obs.outcome) || stale) {
    // Transient (or stale): nothing learned about the verdict (a stale alive one may have told its
    // text); an unconfirmed target still needs its confirmation.
    const confirmAt =
      prev.verdict === 'unconfirmed' && prev.lastFinalAt !== null
        ? Math.max(prev.lastFinalAt + rules.confirmAfter, obs.at + rules.confirmAfter)
        : null;
    return {
      state: { ...prev, observations, editCount, lastAliveHash, lastAliveText, lastContentAt },
      events,
      confirmAt,
    };
  }

  const outcome = obs.outcome;
  if (prev.verdict === 'gone') {
    const cause = moreSpecific(prev.cause, outcome);
    if (cause !== prev.cause) {
      events.push({ type: 'post.cause_changed', cause, detail: { from: prev.cause, to: cause } });
    }
    return { state: { ...prev, observations, cause, lastFinalAt: obs.at }, events, confirmAt: null };
  }

  const starting = prev.verdict !== 'unconfirmed' || prev.lastFinalAt === null;
  const counts = starting || obs.at - prev.lastFinalAt! >= rules.confirmAfter;
  const finalStreak = starting ? 1 : counts ? prev.finalStreak + 1 : prev.finalStreak;
  const lastFinalAt = counts ? obs.at : prev.lastFinalAt;
  const goneAt = starting ? obs.at : prev.goneAt;
  const cause = moreSpecific(starting ? null : prev.cause, outcome);

  if (finalStreak >= rules.confirmGone) {
    events.push({
      type: 'post.gone',
      cause,
      detail: {
        lastAliveAt: prev.lastAliveAt,
        goneAt,
        window: [prev.lastAliveAt, goneAt],
        confirmations: finalStreak,
      },
    });
    return {
      state: { ...prev, observations, verdict: 'gone', cause, goneAt, finalStreak, lastFinalAt },
      events,
      confirmAt: null,
    };
  }
  return {
    state: { ...prev, observations, verdict: 'unconfirmed', cause, goneAt, finalStreak, lastFinalAt },
    events,
    confirmAt: lastFinalAt! + rules.confirmAfter,
  };
}
