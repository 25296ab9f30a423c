/**
 * The words censorwatch is built on. The same names are used in SQL tables, exports and docs.
 *
 * - **Watch**: a topic a researcher defines in config: keywords, accounts and explicit post URLs
 *   per platform.
 * - **Target**: one thing being tracked, keyed by (platform, kind, native id): a Weibo post or a
 *   NetEase article (`kind: post`), or a comment thread (`kind: thread`).
 * - **Observation**: the result of fetching a target once: an {@link Outcome}, normalized
 *   {@link Content}, a content hash and the raw evidence.
 * - **Verdict**: a target's current state derived from its observations.
 * - **Cause**: why a gone target is gone (the final outcomes).
 * - **Event**: a state change worth telling (see {@link EventType}).
 * - **Ladder**: the re-check schedule by target age.
 */

/** Platforms censorwatch can watch. */
export const PLATFORMS = ['weibo', 'netease'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** `post` is a Weibo post or a NetEase article; `thread` is a comment thread. */
export type TargetKind = 'post' | 'thread';

/** Identity of a target: (platform, kind, native id). Weibo ids are mids as strings; NetEase ids are DOCIDs. */
export interface TargetRef {
  readonly platform: Platform;
  readonly kind: TargetKind;
  readonly id: string;
}

/** Outcomes that may make a target gone (after confirmation); each is also the cause. */
export const FINAL_OUTCOMES = [
  'deleted_by_author',
  'removed_by_platform',
  'restricted',
  'account_gone',
  'gone_unspecified',
] as const;
export type FinalOutcome = (typeof FINAL_OUTCOMES)[number];
/** Why a gone target is gone. */
export type Cause = FinalOutcome;

/** Outcomes that never make a target gone and never count as a deletion. */
export const TRANSIENT_OUTCOMES = [
  'rate_limited',
  'login_required',
  'captcha',
  'network_error',
  'server_error',
  'unparseable',
] as const;
export type TransientOutcome = (typeof TRANSIENT_OUTCOMES)[number];

/** What one fetch of a target showed: a closed union. */
export type Outcome = 'alive' | FinalOutcome | TransientOutcome;

export const OUTCOMES: readonly Outcome[] = ['alive', ...FINAL_OUTCOMES, ...TRANSIENT_OUTCOMES];

export function isFinalOutcome(o: Outcome): o is FinalOutcome {
  return (FINAL_OUTCOMES as readonly string[]).includes(o);
}

export function isTransientOutcome(o: Outcome): o is TransientOutcome {
  return (TRANSIENT_OUTCOMES as readonly string[]).includes(o);
}

/**
 * How specific a cause is: a later observation with a more specific cause upgrades the recorded one
 * (e.g. `removed_by_platform` after `gone_unspecified`). Higher is more specific.
 */
export const CAUSE_SPECIFICITY: Readonly<Record<Cause, number>> = {
  gone_unspecified: 0,
  restricted: 1,
  deleted_by_author: 2,
  account_gone: 2,
  removed_by_platform: 2,
};

/** A target's current state derived from its observations. */
export type Verdict = 'alive' | 'unconfirmed' | 'gone' | 'unknown';

export const EVENT_TYPES = [
  'post.discovered',
  'post.edited',
  'post.gone',
  'post.restored',
  'post.cause_changed',
  'post.unlisted',
  'comment.gone',
  // A comment thread's status flag (e.g. NetEase `status.web`: comments open on the web) went from on to off.
  'thread.closed',
  'search.blocked',
  'search.unblocked',
  'monitor.degraded',
  // A configured keyword, account or URL that cannot be resolved or keeps failing (see problems.ts).
  'watch.problem',
] as const;
/** A state change worth telling. */
export type EventType = (typeof EVENT_TYPES)[number];

/** Author of a post, as the platform shows it. */
export interface Author {
  readonly id: string | null;
  readonly name: string | null;
}

/** Interaction counts; null where the platform did not say. */
export interface Counts {
  readonly reposts: number | null;
  readonly comments: number | null;
  readonly likes: number | null;
}

/** Normalized content of an alive observation. */
export interface Content {
  /** Title, for NetEase articles. */
  readonly title?: string | null;
  /** Text as the platform's HTML. */
  readonly html: string;
  /** Plain text: emoji as their alt text, links as their text, line breaks kept. */
  readonly text: string;
  readonly author: Author | null;
  /** ISO 8601 UTC, or null when unknown. */
  readonly createdAt: string | null;
  readonly counts: Counts;
  /** Image and video URLs, in order. */
  readonly media: readonly string[];
  /** Native id of the original when this is a repost. */
  readonly repostOf: string | null;
  /** Edit count as the platform states it, or null. */
  readonly editCount: number | null;
  /** IP location (Weibo region_name, NetEase IP属地), or null. */
  readonly region?: string | null;
  /** True when the text is truncated and a long-text endpoint has the rest. */
  readonly truncated?: boolean;
}

/** Raw evidence of one fetch, kept so a verdict can be re-checked later. */
export interface Evidence {
  readonly url: string;
  readonly finalUrl: string;
  readonly status: number | null;
  readonly contentType: string | null;
  readonly body: Buffer;
  /**
   * The HTTP exchanges behind it (one, or one per page read), archived as WARC request and
   * response records. Absent when no response came (transport failures).
   */
  readonly exchanges?: readonly Exchange[];
}

/** A header as sent or received: name and value, in order, repeats kept. */
export type HeaderPair = readonly [name: string, value: string];

/** One request and the response that answered it, as the wire carried them. */
export interface Exchange {
  readonly method: string;
  /** The URL asked for last (after redirects), in the platform's real host. */
  readonly url: string;
  readonly requestHeaders: readonly HeaderPair[];
  readonly status: number;
  readonly responseHeaders: readonly HeaderPair[];
  /** The body as received (de-chunked; not decoded). */
  readonly body: Buffer;
}

/**
 * One comment as a thread check saw it. Only what a reader sees is kept: the commenter's public
 * name and location, never an account id (NetEase's `user.id` encodes an account name or e-mail).
 */
export interface CommentSnapshot {
  /** The platform's comment id, as a string. */
  readonly id: string;
  /** Plain text. */
  readonly text: string;
  /** Screen name or nickname; null for anonymous comments. */
  readonly author: string | null;
  /** Location the platform shows with the comment (NetEase province/city, Weibo IP region), when any. */
  readonly location?: string | null;
  /** ISO 8601 UTC, or null when unknown. */
  readonly createdAt: string | null;
  /** True when the platform lists the comment as deleted (NetEase `isDel`). */
  readonly deleted: boolean;
}

/** The comments one thread check saw. */
export interface CommentsSeen {
  /** Newest first, as the platform lists them; each comment once. */
  readonly items: readonly CommentSnapshot[];
  /** False when the per-target page cap cut the list: older comments may exist unseen. */
  readonly complete: boolean;
  /**
   * The thread's status flags (`true` = on), e.g. NetEase `{web, app, audio, …}`; absent when the
   * platform has none.
   */
  readonly flags?: Readonly<Record<string, boolean>>;
}

/** The result of fetching one target once. */
export interface Observation {
  readonly target: TargetRef;
  /** Epoch milliseconds. */
  readonly at: number;
  /** Which endpoint answered, e.g. `m.statuses.show`, `m.search`, `m.repost-embed`. */
  readonly endpoint: string;
  readonly outcome: Outcome;
  /** Present when `outcome` is `alive`. */
  readonly content?: Content;
  /** The platform's message or the reason for a transient outcome (e.g. `HTTP 418`). */
  readonly message?: string;
  /** URL a human can open to see the target. */
  readonly url?: string;
  readonly evidence?: Evidence;
  /** Present on alive observations of `thread` targets. */
  readonly comments?: CommentsSeen;
}

/** A state change worth telling. `targetId` is null for search and monitor events. */
export interface DomainEvent {
  readonly type: EventType;
  readonly at: number;
  readonly platform: Platform;
  readonly targetId: string | null;
  readonly kind?: TargetKind;
  readonly keyword?: string | null;
  readonly cause?: Cause | null;
  readonly detail: Record<string, unknown>;
}
