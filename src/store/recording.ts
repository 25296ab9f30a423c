/**
 * The store's side of "decide, then commit": reads the snapshot a decision needs
 * (src/domain/decision.ts, src/domain/decision-listing.ts) and applies a whole decision. Every
 * commit runs inside the caller's transaction, one per result; nothing here opens its own.
 */
import type { KnownComment } from '../domain/comments';
import {
  eventDedupeKey,
  type ObservationDecision,
  type ObservationSnapshot,
  type PlannedEvent,
  type RecordedEvent,
} from '../domain/decision';
import {
  listingSpan,
  needsAccountPosts,
  needsStillAlive,
  viaOf,
  type ListingDecision,
  type ListingFacts,
  type ListingSnapshot,
  type ListingSource,
} from '../domain/decision-listing';
import type { Observation, TargetRef } from '../domain/glossary';
import type { Latest } from './observations';
import type { Store, TargetRow } from './store';

/** A target's row and the watches it is in. */
export interface TargetWithWatches {
  readonly row: TargetRow;
  readonly watches: readonly string[];
  /**
   * Of its watches, those it is in as a configured post (`via = 'post'`), when read with the row:
   * the watches the problem rules count its checks for.
   */
  readonly configuredIn?: readonly string[];
  /** Its latest observation and capture, when read with the row in the same transaction. */
  readonly latest?: Latest;
}

/** An observation's snapshot, with the stored row a commit extends (its id and chain). */
export interface StoredSnapshot extends ObservationSnapshot {
  readonly target: TargetRow | null;
  readonly latest?: Latest;
}

/** What a commit of one observation did. */
export interface ObservationCommit {
  /** Events inserted (none repeated). */
  readonly events: RecordedEvent[];
  /** False when the observation's dedupe key was already stored: only its target was made sure of. */
  readonly stored: boolean;
  /** The target's row id. */
  readonly rowId: number;
}

/** Reads decisions' snapshots and commits decisions; see the module comment. */
export class Recording {
  constructor(private readonly store: Store) {}

  /** A target and its watches, in one read (the target a check was for). */
  checked(rowId: number): TargetWithWatches | undefined {
    return this.store.targets.getWithWatches(rowId);
  }

  /** The watches a target is in. */
  watchesOf(rowId: number): string[] {
    return this.store.targets.watchesOf(rowId);
  }

  /**
   * What the store knows about an observation's target: `known` when the caller has read it already
   * (a check's own target), otherwise looked up; its comments for an alive thread observation.
   */
  snapshot(obs: Observation, known?: TargetWithWatches): StoredSnapshot {
    const found = known ?? this.store.targets.findWithWatches(obs.target);
    if (!found) return { target: null, watches: [] };
    const { row, watches, latest } = found;
    if (obs.target.kind !== 'thread' || obs.outcome !== 'alive' || !obs.comments)
      return { target: row, watches, latest };
    const thread: { known: KnownComment[]; flags: Record<string, boolean> | null } = {
      known: this.store.comments.known(row.rowId),
      flags: this.store.comments.flags(row.rowId),
    };
    return { target: row, watches, latest, thread };
  }

  /**
   * Applies one observation's decision, in this order: the target and its links, the threads, the
   * discovery, the observation row; then, unless that row was a repeat, the timeline presence, the
   * state, the events and the comments.
   */
  commit(snap: StoredSnapshot, d: ObservationDecision): ObservationCommit {
    const { targets, comments } = this.store;
    const rowId = snap.target?.rowId ?? targets.create(d.ref, d.create?.url ?? '', d.link.at, d.link.at);
    if (d.link.watchIds.length > 0) targets.link(rowId, d.link.watchIds, d.link.via, d.link.at);
    for (const t of d.threads) targets.ensure(t.ref, t.url, t.watchIds, t.via, t.at, t.at);
    const events: RecordedEvent[] = d.discovered ? this.insertEvents([d.discovered], rowId) : [];
    // Found by the new watch at link.at: what was recorded of the target after that is its story too.
    if (snap.target)
      for (const w of d.link.watchIds) events.push(...this.shareEvents(d.ref, rowId, d.link.at, w));
    // Nothing above adds an observation of this target: the latest read with the snapshot holds.
    // (The decision's parts are passed as they are: a spread copy of one, on every recorded
    // result, cost more than some of the statements.)
    // The target's pointer to its latest observation is written with its state, below.
    const inserted = this.store.observations.insert(
      d.observation,
      rowId,
      snap.target?.chain ?? '',
      snap.latest,
      true,
    );
    if (inserted === null) return { events, stored: false, rowId };
    if (d.unlisted) targets.setUnlisted(rowId, d.unlisted);
    // A row read with its latest observation was read in this transaction: only what changes is
    // written, and the target's snapshot is kept as this leaves it (see TargetRepository.saveState).
    targets.saveState(
      rowId,
      d.state,
      d.save,
      inserted.chain,
      snap.latest ? (snap.target ?? undefined) : undefined,
      inserted.latest,
      inserted.id,
    );
    events.push(...this.insertEvents(d.events, rowId));
    const plan = d.comments;
    if (plan) {
      const at = d.observation.at;
      for (const c of plan.upserts) comments.upsert(rowId, c, at);
      for (const g of plan.gone)
        if (comments.markGone(rowId, g.commentId, at)) events.push(...this.insertEvents([g.event], rowId));
      if (plan.closed) events.push(...this.insertEvents([plan.closed], rowId));
      if (plan.flags) comments.saveFlags(rowId, plan.flags, at);
    }
    return { events, stored: true, rowId };
  }

  /** Stores a listing page's own observation (search history and withholding evidence). */
  recordSearchObservation(source: ListingSource, facts: ListingFacts, body: Buffer | null): void {
    this.store.recordSearchObservation({
      sourceId: source.id,
      at: facts.at,
      outcome: facts.outcome,
      results: facts.listed.length,
      message: facts.message,
      body,
      page: facts.page,
    });
  }

  /** What the listing rules read, once the page's observations are applied. */
  listingSnapshot(source: ListingSource, facts: ListingFacts): ListingSnapshot {
    const { targets } = this.store;
    const via = viaOf(source);
    const stillAlive = needsStillAlive(source, facts)
      ? targets.countAliveFoundBy(source.watchId, `keyword:${source.query}`, source.platform)
      : null;
    let inSpan: ListingSnapshot['inSpan'] = [];
    if (facts.outcome === 'results' && facts.listed.length > 0) {
      const ids = [...new Set(facts.listed)];
      const span = listingSpan(source, facts, targets.createdTimesOf(source.platform, ids));
      if (span)
        inSpan = targets.aliveMissingFrom(
          source.watchId,
          via,
          source.mode === 'account' ? source.query : null,
          source.platform,
          span.from,
          span.to,
        );
    }
    // The account's posts found first by a keyword count too: their author is the account.
    const ofAccount = needsAccountPosts(source, facts)
      ? targets.alivePostsOfAccount(source.watchId, via, source.query, source.platform)
      : [];
    return { stillAlive, inSpan, ofAccount };
  }

  /** Applies a listing page's decision: the search's state and events, the checks it asks for. */
  commitListing(source: ListingSource, d: ListingDecision): RecordedEvent[] {
    const events = this.insertEvents(d.events, null);
    if (d.search)
      this.store.updateSearchState(source.id, d.search.state, d.search.blocked, d.search.lastResultsAt);
    for (const rowId of d.checkNow) this.store.scheduleTarget(rowId, d.at, true);
    for (const rowId of d.unlisted) this.store.setUnlisted(rowId, { missing: d.at });
    return events;
  }

  /** {@link EventRepository.shareWithWatch}, as recorded events. */
  private shareEvents(ref: TargetRef, rowId: number, since: number, watch: string): RecordedEvent[] {
    return this.store.events.shareWithWatch(rowId, since, watch).map((r) => ({
      id: r.id,
      type: r.type as RecordedEvent['type'],
      at: r.at,
      platform: ref.platform,
      targetId: ref.id,
      kind: ref.kind,
      keyword: r.keyword,
      cause: r.cause as RecordedEvent['cause'],
      detail: JSON.parse(r.detail) as Record<string, unknown>,
      watch,
    }));
  }

  /** Inserts planned events, one row per watch; returns those not already stored. */
  insertEvents(plans: readonly PlannedEvent[], targetRowId: number | null): RecordedEvent[] {
    const out: RecordedEvent[] = [];
    for (const e of plans) {
      const target: TargetRef | null = e.target;
      for (const watch of e.watchIds) {
        const id = this.store.insertEvent({
          type: e.type,
          at: e.at,
          watchId: watch,
          platform: e.platform,
          targetRowId: target ? targetRowId : null,
          nativeId: target?.id ?? null,
          keyword: e.keyword,
          cause: e.cause,
          detail: e.detail,
          dedupeKey: eventDedupeKey(e, targetRowId, watch),
        });
        if (id === null) continue;
        out.push({
          id,
          type: e.type,
          at: e.at,
          platform: e.platform,
          targetId: target?.id ?? null,
          kind: target?.kind,
          keyword: e.keyword,
          cause: e.cause,
          detail: e.detail,
          watch,
        });
      }
    }
    return out;
  }
}
