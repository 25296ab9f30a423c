/**
 * What a listing page means beyond its observations (each decided by decideObservation in
 * ./decision): a keyword search's state (blocked or not, told once per change), and the direct
 * checks the page implies for known targets it should have listed but did not. Pure: the store
 * reads the counts and candidates named in {@link ListingSnapshot} after the page's observations
 * are applied, and commits the {@link ListingDecision} in the same transaction.
 */
import type { PlannedEvent } from './decision-events';
import type { Platform } from './glossary';

/** A discovery source as the listing rules need it; the store's source row has these fields. */
export interface ListingSource {
  readonly id: number;
  readonly watchId: string;
  readonly platform: Platform;
  readonly mode: 'keyword' | 'account';
  readonly query: string;
  readonly blocked: boolean;
  readonly lastResultsAt: number | null;
}

/** The facts of one listing page the rules look at. */
export interface ListingFacts {
  readonly at: number;
  /** The listing's outcome (`results`, `empty`, `withheld`, or a transient one). */
  readonly outcome: string;
  readonly message: string | null;
  /** Platform ids of the targets the page shows alive, in page order. */
  readonly listed: readonly string[];
  /**
   * Platform ids of every target the page shows, whatever its observation (a post card the parser
   * could not read, a placeholder): a target on the page is never missing from it.
   */
  readonly shown: readonly string[];
  /** Cursor of the page; null for the first. */
  readonly page: string | null;
  /**
   * How many parts of the page the parser could not read (cards of an unknown kind): any of them
   * may hold a post, so such a page bounds no span and says of no target that it is missing.
   * @defaultValue 0
   */
  readonly unread?: number;
}

/** The listing rules' view of the store, read after the page's observations are applied. */
export interface ListingSnapshot {
  /** For a keyword search's first page that is empty: how many targets it found earlier are alive. */
  readonly stillAlive: number | null;
  /** Known alive posts inside the page's span ({@link listingSpan}); empty when it has none. */
  readonly inSpan: readonly { readonly rowId: number; readonly nativeId: string }[];
  /** For an account's empty first page: the alive posts of the account. */
  readonly ofAccount: readonly number[];
}

/** What a listing page changes beyond its observations. */
export interface ListingDecision {
  readonly at: number;
  /** The keyword search's new state; null when the page says nothing about it. */
  readonly search: {
    readonly state: string;
    readonly blocked: boolean;
    readonly lastResultsAt: number | null;
  } | null;
  /** `search.blocked` or `search.unblocked`. */
  readonly events: readonly PlannedEvent[];
  /** Targets to check at once (never later than they are due already). */
  readonly checkNow: readonly number[];
  /** Targets found missing from their author's own timeline now. */
  readonly unlisted: readonly number[];
}

const SEARCH_RESULT_STATES = new Set(['results', 'empty', 'withheld']);

/** How the source names the targets it finds (`keyword:联合国`, `account:…`). */
export function viaOf(source: Pick<ListingSource, 'mode' | 'query'>): string {
  return `${source.mode}:${source.query}`;
}

/** Whether the rules need {@link ListingSnapshot.stillAlive}. */
export function needsStillAlive(source: ListingSource, facts: ListingFacts): boolean {
  return facts.page === null && source.mode === 'keyword' && facts.outcome === 'empty';
}

/** Whether the rules need {@link ListingSnapshot.ofAccount}. */
export function needsAccountPosts(source: ListingSource, facts: ListingFacts): boolean {
  return source.mode === 'account' && facts.page === null && facts.outcome === 'empty';
}

/**
 * The creation-time span a page covers, from its listed targets' creation times as their own checks
 * recorded them (`createdAt`; listings give only coarse times, too coarse to bound a page), or null
 * when it bounds nothing. An account's timeline lists its posts newest first, so its first page also
 * covers every post newer than the newest listed (an open top, `to` null).
 */
export function listingSpan(
  source: ListingSource,
  facts: ListingFacts,
  createdAt: readonly number[],
): { readonly from: number; readonly to: number | null } | null {
  if (facts.outcome !== 'results' || facts.listed.length === 0 || (facts.unread ?? 0) > 0) return null;
  const openTop = source.mode === 'account' && facts.page === null;
  if (createdAt.length < (openTop ? 1 : 2)) return null;
  return { from: Math.min(...createdAt), to: openTop ? null : Math.max(...createdAt) };
}

/** Decides what a listing page changes beyond its observations; see the module comment. */
export function decideListing(
  source: ListingSource,
  facts: ListingFacts,
  snap: ListingSnapshot,
): ListingDecision {
  const { at } = facts;
  const events: PlannedEvent[] = [];
  let search: ListingDecision['search'] = null;
  if (facts.page === null && source.mode === 'keyword' && SEARCH_RESULT_STATES.has(facts.outcome)) {
    const results = facts.listed.length;
    let blocked: boolean;
    let reason: string;
    if (facts.outcome === 'withheld') {
      blocked = true;
      reason = 'notice';
    } else if (facts.outcome === 'empty') {
      // Zero results while posts found by this keyword earlier are still alive: implicit withholding.
      blocked = (snap.stillAlive ?? 0) > 0;
      reason = blocked ? 'zero results while earlier results are alive' : 'no results';
    } else {
      blocked = false;
      reason = 'results';
    }
    if (blocked !== source.blocked) {
      const type = blocked ? 'search.blocked' : 'search.unblocked';
      events.push({
        type,
        at,
        platform: source.platform,
        target: null,
        keyword: source.query,
        cause: null,
        detail: { reason, notice: facts.message, results },
        watchIds: [source.watchId],
        key: `${type}:${source.id}:${at}`,
      });
    }
    search = { state: facts.outcome, blocked, lastResultsAt: results > 0 ? at : source.lastResultsAt };
  }

  // A known alive target inside the page's span but missing from it is checked at once; missing
  // from its author's own timeline, it is noted, so a direct check that finds it alive tells so.
  const listed = new Set([...facts.listed, ...facts.shown]);
  const checkNow: number[] = [];
  const unlisted: number[] = [];
  for (const c of snap.inSpan) {
    if (listed.has(c.nativeId)) continue;
    checkNow.push(c.rowId);
    if (source.mode === 'account') unlisted.push(c.rowId);
  }
  // An account timeline that comes back empty while its posts were alive: check them all now
  // (the account may be gone, or the posts hidden from it).
  if (needsAccountPosts(source, facts)) checkNow.push(...snap.ofAccount);
  return { at, search, events, checkNow, unlisted };
}
