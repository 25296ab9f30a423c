/**
 * The rows the store's repositories hand out and take in, named after the vocabulary
 * (src/domain/glossary.ts), and their mapping from SQLite rows.
 */
import type { Cause, Outcome, Platform, TargetKind, TargetRef, Verdict } from '../domain/glossary';
import type { ObservationRecord } from '../domain/decision';
import type { TargetState } from '../domain/verdict';
import type { Row } from './db';

/** A discovery source: one keyword or account of one watch on one platform. */
export interface SourceRow {
  readonly id: number;
  readonly watchId: string;
  readonly platform: Platform;
  readonly mode: 'keyword' | 'account';
  readonly query: string;
  readonly nextRunAt: number | null;
  readonly lastRunAt: number | null;
  readonly searchState: string | null;
  readonly blocked: boolean;
  readonly lastResultsAt: number | null;
}

/** A target with its verdict state and schedule. */
export interface TargetRow extends TargetRef {
  readonly rowId: number;
  readonly url: string;
  readonly state: TargetState;
  readonly authorId: string | null;
  readonly authorName: string | null;
  readonly createdAt: number | null;
  readonly repostOf: string | null;
  readonly lastOutcome: Outcome | null;
  readonly lastCheckedAt: number | null;
  readonly nextCheckAt: number | null;
  /** Head of the observation hash chain. */
  readonly chain: string;
  /** When the post was first found missing from its author's timeline (null while it is listed). */
  readonly unlistedAt: number | null;
  /** Whether `post.unlisted` was emitted for the current absence. */
  readonly unlistedReported: boolean;
}

/** A target as exports and reports see it. */
export interface TargetSummary extends TargetRow {
  readonly watches: readonly string[];
}

export interface EventRow {
  readonly id: number;
  readonly type: string;
  readonly at: number;
  readonly watchId: string | null;
  readonly platform: Platform;
  readonly nativeId: string | null;
  readonly kind: TargetKind | null;
  readonly keyword: string | null;
  readonly cause: Cause | null;
  readonly detail: Record<string, unknown>;
}

/** An observation to store: the row the decision asked for, and the target it belongs to. */
export interface NewObservation extends ObservationRecord {
  readonly targetRowId: number;
}

export interface NewEvent {
  readonly type: string;
  readonly at: number;
  readonly watchId: string | null;
  readonly platform: Platform;
  readonly targetRowId: number | null;
  readonly nativeId: string | null;
  readonly keyword: string | null;
  readonly cause: Cause | null;
  readonly detail: Record<string, unknown>;
  /** Makes the insert idempotent: a second event with the same key is ignored. */
  readonly dedupeKey: string;
}

export interface TargetFilter {
  readonly watchId?: string;
  readonly platform?: Platform;
}

export interface EventFilter {
  readonly watchId?: string;
  readonly since?: number;
  readonly until?: number;
  readonly afterId?: number;
  readonly limit?: number;
}

export function toTargetRow(r: Row): TargetRow {
  return {
    rowId: r.id as number,
    platform: r.platform as Platform,
    kind: r.kind as TargetKind,
    id: r.native_id as string,
    url: r.url as string,
    state: {
      verdict: r.verdict as Verdict,
      cause: (r.cause as Cause | null) ?? null,
      firstSeenAt: r.first_seen_at as number,
      lastAliveAt: (r.last_alive_at as number | null) ?? null,
      lastAliveHash: (r.last_alive_hash as string | null) ?? null,
      lastAliveText: (r.last_alive_text as string | null) ?? null,
      lastContentAt: (r.last_content_at as number | null) ?? null,
      goneAt: (r.gone_at as number | null) ?? null,
      finalStreak: r.final_streak as number,
      lastFinalAt: (r.last_final_at as number | null) ?? null,
      editCount: r.edit_count as number,
      observations: r.observations as number,
    },
    authorId: (r.author_id as string | null) ?? null,
    authorName: (r.author_name as string | null) ?? null,
    createdAt: (r.created_at as number | null) ?? null,
    repostOf: (r.repost_of as string | null) ?? null,
    lastOutcome: (r.last_outcome as Outcome | null) ?? null,
    lastCheckedAt: (r.last_checked_at as number | null) ?? null,
    nextCheckAt: (r.next_check_at as number | null) ?? null,
    chain: (r.chain as string | null) ?? '',
    unlistedAt: (r.unlisted_at as number | null) ?? null,
    unlistedReported: r.unlisted_reported === 1,
  };
}

export function toSourceRow(r: Row): SourceRow {
  return {
    id: r.id as number,
    watchId: r.watch_id as string,
    platform: r.platform as Platform,
    mode: r.mode as 'keyword' | 'account',
    query: r.query as string,
    nextRunAt: (r.next_run_at as number | null) ?? null,
    lastRunAt: (r.last_run_at as number | null) ?? null,
    searchState: (r.search_state as string | null) ?? null,
    blocked: r.blocked === 1,
    lastResultsAt: (r.last_results_at as number | null) ?? null,
  };
}
