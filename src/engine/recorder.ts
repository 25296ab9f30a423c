import type { Logger } from 'pino';
import type { DomainEvent, Observation, Platform, TargetRef } from '../domain/glossary';
import { isFinalOutcome, isTransientOutcome } from '../domain/glossary';
import { compareComments, flagsTurnedOff } from '../domain/comments';
import { contentHash, threadHash } from '../domain/hash';
import { cadenceOptions, nextDiscoveryInterval, type RoundResult } from '../domain/discovery-cadence';
import { nextLadderCheck } from '../domain/ladder';
import { checkAfterSighting } from '../domain/sighting';
import { applyObservation, type EventDraft } from '../domain/verdict';
import type { Config, ScheduleConfig } from '../config/types';
import type { ListingResult } from '../platforms/platform';
import { SourceCadenceStore } from '../store/cadence';
import { CommentStore } from '../store/comments';
import type { SourceRow, Store, TargetRow } from '../store/store';

/** Where an observation came from, so a new target can be linked to the right watches. */
export interface ObservationContext {
  /** Watches a new target joins (the checked target's watches, or the listing's watch). */
  readonly watchIds: readonly string[];
  /** How it was found, e.g. `keyword:联合国`, `repost-of:4383…`, `post`. */
  readonly via: string;
  /** Idempotency key of the fetch that produced the observation (distributed mode re-deliveries). */
  readonly dedupeKey?: string;
  /**
   * Time a transient outcome waits before the target is tried again (the platform's current
   * backoff); defaults to `confirmAfter`.
   */
  readonly retryAfter?: number;
}

/** An event as recorded, with its row id and watch. */
export interface RecordedEvent extends DomainEvent {
  readonly id: number;
  readonly watch: string | null;
}

const SEARCH_RESULT_STATES = new Set(['results', 'empty', 'withheld']);

/** Options of {@link Recorder}. */
export interface RecorderOptions {
  /**
   * Watches whose posts get their comment thread tracked, per platform (the watch's
   * `<platform>.comments` setting). @defaultValue none
   */
  readonly commentWatches?: Readonly<Partial<Record<Platform, readonly string[]>>>;
}

/** The watches of a config that track comment threads, per platform. */
export function commentWatchesOf(config: Pick<Config, 'watches'>): Record<Platform, string[]> {
  return {
    weibo: config.watches.filter((w) => w.weibo.comments).map((w) => w.id),
    netease: config.watches.filter((w) => w.netease.comments).map((w) => w.id),
  };
}

/**
 * Applies observations to the store: verdict rules, next check from the ladder, events. The only
 * writer of targets, observations and events. Every method is one synchronous transaction.
 */
export class Recorder {
  private readonly comments: CommentStore;
  private readonly cadence: SourceCadenceStore;

  constructor(
    private readonly store: Store,
    private readonly schedule: ScheduleConfig,
    private readonly logger: Logger,
    private readonly random: () => number = Math.random,
    private readonly options: RecorderOptions = {},
  ) {
    this.comments = new CommentStore(store);
    this.cadence = new SourceCadenceStore(store);
  }

  /**
   * Gives every post of a comment-tracking watch its thread target (due at once), for posts that
   * joined before the watch tracked comments or that were added without an observation (explicit
   * posts of the config). Gone posts are left out: their comments went with them.
   */
  syncThreads(now: number): void {
    this.store.transaction(() => {
      for (const [platform, watchIds] of Object.entries(this.options.commentWatches ?? {})) {
        for (const watchId of watchIds ?? []) {
          const posts = this.store.targets.postsWithoutThread(watchId, platform as Platform);
          for (const id of posts)
            this.ensureThread({ platform: platform as Platform, kind: 'post', id }, [watchId], now);
        }
      }
    });
  }

  /** Records every observation of one check (the target's own, then embedded ones). */
  recordCheck(
    target: TargetRow,
    observations: readonly Observation[],
    ctx: Omit<ObservationContext, 'watchIds' | 'via'>,
  ): RecordedEvent[] {
    const watchIds = this.store.watchesOf(target.rowId);
    return this.store.transaction(() => {
      const events: RecordedEvent[] = [];
      observations.forEach((obs, i) => {
        const isOwn =
          obs.target.platform === target.platform &&
          obs.target.kind === target.kind &&
          obs.target.id === target.id;
        events.push(
          ...this.apply(
            obs,
            {
              watchIds,
              via: isOwn ? 'check' : `embedded-in:${target.id}`,
              dedupeKey: ctx.dedupeKey ? `${ctx.dedupeKey}#${i}` : undefined,
              retryAfter: ctx.retryAfter,
            },
            // The checked target's row and watches are known: no need to look them up again.
            isOwn && i === 0 ? target : undefined,
          ),
        );
      });
      return events;
    });
  }

  /**
   * Records one listing page of a source: the listing's own observation (search history and
   * withholding), each listed target (created if new), and asks for a direct check of known
   * targets that should have been listed but were not.
   */
  recordListing(
    source: SourceRow,
    listing: ListingResult,
    at: number,
    page: string | null,
    dedupeKey?: string,
  ): RecordedEvent[] {
    return this.store.transaction(() => {
      const events: RecordedEvent[] = [];
      const listed = listing.observations.filter((o) => o.outcome === 'alive');
      this.store.recordSearchObservation({
        sourceId: source.id,
        at,
        outcome: listing.outcome,
        results: listed.length,
        message: listing.message ?? null,
        body: listing.evidence?.body ?? null,
        page,
      });
      const via = `${source.mode}:${source.query}`;
      listing.observations.forEach((obs, i) => {
        events.push(
          ...this.apply(obs, {
            watchIds: [source.watchId],
            via,
            dedupeKey: dedupeKey ? `${dedupeKey}#${i}` : undefined,
          }),
        );
      });
      if (page === null && source.mode === 'keyword')
        events.push(...this.updateSearchState(source, listing, at));
      if (listing.outcome === 'results' && listed.length > 0)
        this.checkMissing(source, listed, at, via, page);
      // An account timeline that comes back empty while its posts were alive: check them all now
      // (the account may be gone, or the posts hidden from it).
      if (source.mode === 'account' && page === null && listing.outcome === 'empty')
        this.checkAllFrom(source, at, via);
      return events;
    });
  }

  /**
   * Marks the end of a discovery round: the next after the source's adaptive interval (shorter
   * when the round found new posts, longer when it did not; `discoverEvery` without a `round`),
   * or after `retryAfter` when the round got no answer at all (every page transient), so a blip
   * does not cost a whole interval and says nothing about the source's pace.
   */
  finishDiscovery(source: SourceRow, at: number, retryAfter?: number, round?: RoundResult): void {
    const opts = cadenceOptions(this.schedule);
    const stored = this.cadence.get(source.id);
    let wait: number;
    if (retryAfter !== undefined) wait = Math.min(retryAfter, stored?.intervalMs ?? opts.base);
    else if (!round) wait = opts.base;
    else {
      wait = nextDiscoveryInterval(stored?.intervalMs ?? null, round, opts);
      this.cadence.set(source.id, { intervalMs: wait, lastNew: round.newTargets, updatedAt: at });
    }
    this.store.finishSource(source.id, at, at + wait);
  }

  /** Records an event not tied to a target (e.g. `monitor.degraded`). */
  recordMonitorEvent(
    platform: Platform,
    at: number,
    detail: Record<string, unknown>,
    dedupeKey: string,
  ): RecordedEvent[] {
    return this.emit([{ type: 'monitor.degraded', detail }], {
      platform,
      at,
      watchIds: [null],
      target: null,
      dedupeKey,
    });
  }

  private apply(obs: Observation, ctx: ObservationContext, known?: TargetRow): RecordedEvent[] {
    const { store } = this;
    const url = obs.url ?? '';
    const ensured = known
      ? { row: known, linked: [] as string[] }
      : store.ensureTarget(obs.target, url, ctx.watchIds, ctx.via, obs.at, obs.at);
    const row = ensured.row;
    const events: RecordedEvent[] = [];
    const watchIds = known ? ctx.watchIds : store.watchesOf(row.rowId);
    // A post first seen already gone (a repost's placeholder) has no comments left to watch.
    if (obs.target.kind === 'post' && ensured.linked.length > 0 && !isFinalOutcome(obs.outcome))
      this.ensureThread(obs.target, ensured.linked, obs.at);
    if (ensured.linked.length > 0) {
      events.push(
        ...this.emit([{ type: 'post.discovered', detail: { via: ctx.via, url } }], {
          platform: obs.target.platform,
          at: obs.at,
          watchIds: ensured.linked,
          target: { ref: obs.target, rowId: row.rowId },
          dedupeKey: `discovered:${row.rowId}`,
        }),
      );
    }

    const content = obs.outcome === 'alive' ? obs.content : undefined;
    const thread = obs.target.kind === 'thread' && obs.outcome === 'alive' ? obs.comments : undefined;
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
        kind: obs.target.kind,
      },
      this.schedule,
    );
    const changed = hash !== null && !partial && hash !== row.state.lastAliveHash;
    const chain = store.insertObservation(
      {
        targetRowId: row.rowId,
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
      },
      row.chain,
    );
    if (chain === null) return events;
    if (obs.outcome === 'alive' && row.unlistedAt !== null) events.push(...this.noteUnlisted(row, obs, ctx));

    // Only a listing that shows the very content last seen alive proves there was no edit.
    const unchanged = hash !== null && !partial && hash === row.state.lastAliveHash;
    const next = this.nextCheck(row, transition.confirmAt, obs, ctx, unchanged);
    store.saveTargetState(row.rowId, transition.state, {
      lastOutcome: obs.outcome,
      lastCheckedAt: obs.at,
      nextCheckAt: next,
      authorId: content?.author?.id ?? null,
      authorName: content?.author?.name ?? null,
      // Only a target's own check gives a precise creation time; listings give coarse forms.
      createdAt: content?.createdAt && ctx.via === 'check' ? Date.parse(content.createdAt) : null,
      repostOf: content?.repostOf ?? null,
      url: obs.url ?? null,
      chain,
    });
    if (isFinalOutcome(obs.outcome) || transition.events.length > 0) {
      this.logger.debug(
        {
          target: `${obs.target.platform}:${obs.target.id}`,
          outcome: obs.outcome,
          verdict: transition.state.verdict,
        },
        'verdict',
      );
    }
    events.push(
      ...this.emit(transition.events, {
        platform: obs.target.platform,
        at: obs.at,
        watchIds,
        target: { ref: obs.target, rowId: row.rowId },
        dedupeKey: `${row.rowId}:${transition.state.observations}`,
      }),
    );
    if (thread) events.push(...this.trackComments(row, obs, thread, watchIds));
    return events;
  }

  /** The thread target of a post that joined `linked`, in those of them that track comments. */
  private ensureThread(post: TargetRef, linked: readonly string[], at: number): void {
    const tracking = this.options.commentWatches?.[post.platform];
    if (!tracking || tracking.length === 0) return;
    const watchIds = linked.filter((w) => tracking.includes(w));
    if (watchIds.length === 0) return;
    // The URL comes with the thread's first observation (the adapter knows its form).
    this.store.ensureTarget({ ...post, kind: 'thread' }, '', watchIds, `thread-of:${post.id}`, at, at);
  }

  /**
   * Stores the comments one alive thread observation listed and emits `comment.gone` once for each
   * known comment it shows gone, and `thread.closed` when a status flag turned off.
   */
  private trackComments(
    row: TargetRow,
    obs: Observation,
    seen: NonNullable<Observation['comments']>,
    watchIds: readonly string[],
  ): RecordedEvent[] {
    const { comments } = this;
    const changes = compareComments(comments.known(row.rowId), seen);
    for (const c of seen.items) comments.upsert(row.rowId, c, obs.at);
    const target = { ref: obs.target, rowId: row.rowId };
    const events: RecordedEvent[] = [];
    for (const g of changes.gone) {
      if (!comments.markGone(row.rowId, g.comment.id, obs.at)) continue;
      const c = g.comment;
      events.push(
        ...this.emit(
          [
            {
              type: 'comment.gone',
              detail: {
                commentId: c.id,
                author: c.author,
                location: c.location,
                text: c.text,
                createdAt: c.createdAt,
                firstSeenAt: c.firstSeenAt,
                lastSeenAt: c.lastSeenAt,
                reason: g.reason,
                // The deletion window, as for posts: (last seen, first seen gone].
                window: [c.lastSeenAt, obs.at],
              },
            },
          ],
          {
            platform: obs.target.platform,
            at: obs.at,
            watchIds,
            target,
            dedupeKey: `comment-gone:${row.rowId}:${c.id}`,
          },
        ),
      );
    }
    if (seen.flags) {
      const before = comments.flags(row.rowId);
      const off = flagsTurnedOff(before, seen.flags);
      if (off.length > 0) {
        events.push(
          ...this.emit([{ type: 'thread.closed', detail: { flags: off, before, after: seen.flags } }], {
            platform: obs.target.platform,
            at: obs.at,
            watchIds,
            target,
            dedupeKey: `thread-closed:${row.rowId}:${obs.at}`,
          }),
        );
      }
      comments.saveFlags(row.rowId, seen.flags, obs.at);
    }
    return events;
  }

  private nextCheck(
    row: TargetRow,
    confirmAt: number | null,
    obs: Observation,
    ctx: ObservationContext,
    unchanged: boolean,
  ): number | null {
    // A listing that shows the target alive late in its check's rung stands in for that check,
    // but only when it shows the whole content unchanged: a listing without the text (NetEase's)
    // or with a cut or changed text leaves the check that would see an edit where it is.
    if (
      this.schedule.listingChecks !== false &&
      ctx.via !== 'check' &&
      obs.outcome === 'alive' &&
      unchanged
    ) {
      const sighted = checkAfterSighting(
        {
          firstSeenAt: row.state.firstSeenAt,
          nextCheckAt: row.nextCheckAt,
          checkedDirectly: row.createdAt !== null,
          confirming: row.state.verdict === 'unconfirmed',
        },
        obs.at,
        this.schedule,
        this.random,
      );
      if (sighted !== null) return sighted;
    }
    // Observations from listings must not push back a check that is already due sooner.
    const ladder = nextLadderCheck(row.state.firstSeenAt, obs.at, this.schedule, this.random);
    let next = ladder;
    if (confirmAt !== null) next = Math.min(next, confirmAt);
    if (isTransientOutcome(obs.outcome))
      next = Math.min(next, obs.at + (ctx.retryAfter ?? this.schedule.confirmAfter));
    if (row.nextCheckAt !== null && ctx.via !== 'check' && row.nextCheckAt > obs.at)
      next = Math.min(next, row.nextCheckAt);
    return next;
  }

  private updateSearchState(source: SourceRow, listing: ListingResult, at: number): RecordedEvent[] {
    if (!SEARCH_RESULT_STATES.has(listing.outcome)) return [];
    const listedAlive = listing.observations.filter((o) => o.outcome === 'alive').length;
    let blocked: boolean;
    let reason: string;
    if (listing.outcome === 'withheld') {
      blocked = true;
      reason = 'notice';
    } else if (listing.outcome === 'empty') {
      // Zero results while posts found by this keyword earlier are still alive: implicit withholding.
      const stillAlive = this.store.targets.countAliveFoundBy(
        source.watchId,
        `keyword:${source.query}`,
        source.platform,
      );
      blocked = stillAlive > 0;
      reason = blocked ? 'zero results while earlier results are alive' : 'no results';
    } else {
      blocked = false;
      reason = 'results';
    }
    const events: RecordedEvent[] = [];
    if (blocked !== source.blocked) {
      const type = blocked ? 'search.blocked' : 'search.unblocked';
      events.push(
        ...this.emit([{ type, detail: { reason, notice: listing.message ?? null, results: listedAlive } }], {
          platform: source.platform,
          at,
          watchIds: [source.watchId],
          target: null,
          keyword: source.query,
          dedupeKey: `${type}:${source.id}:${at}`,
        }),
      );
    }
    this.store.updateSearchState(
      source.id,
      listing.outcome,
      blocked,
      listedAlive > 0 ? at : source.lastResultsAt,
    );
    return events;
  }

  /**
   * A known alive target inside the time span a listing page covers, but missing from it, is
   * checked at once. The span comes from the listed targets' creation times as their own checks
   * recorded them: listings give only coarse times (MM-DD, 昨天 HH:MM), too coarse to bound a page.
   * An account's timeline lists its posts newest first, so its first page also covers every post
   * newer than the newest listed, and every post of that author counts, however it was found.
   */
  private checkMissing(
    source: SourceRow,
    listed: readonly Observation[],
    at: number,
    via: string,
    page: string | null,
  ): void {
    const ids = new Set(listed.map((o) => o.target.id));
    const times: number[] = [];
    for (const id of ids) {
      const t = this.store.findTarget({ platform: source.platform, kind: 'post', id });
      if (t?.createdAt != null) times.push(t.createdAt);
    }
    const account = source.mode === 'account';
    const openTop = account && page === null;
    if (times.length < (openTop ? 1 : 2)) return;
    const candidates = this.store.targets.aliveMissingFrom(
      source.watchId,
      via,
      account ? source.query : null,
      source.platform,
      Math.min(...times),
      openTop ? null : Math.max(...times),
    );
    for (const c of candidates) {
      if (ids.has(c.nativeId)) continue;
      this.store.scheduleTarget(c.rowId, at, true);
      // Missing from its author's own timeline: if the direct check finds it alive, that is news.
      if (account) this.store.setUnlisted(c.rowId, { missing: at });
    }
  }

  /**
   * A post that went missing from its author's timeline: listed there again clears it; found alive
   * by a direct check means the timeline hides a post that still exists (Weiboscope's "ghostly"
   * posts), told once per absence as `post.unlisted` — an event, not a verdict.
   */
  private noteUnlisted(row: TargetRow, obs: Observation, ctx: ObservationContext): RecordedEvent[] {
    if (ctx.via.startsWith('account:')) {
      this.store.setUnlisted(row.rowId, 'listed');
      return [];
    }
    if (ctx.via !== 'check' || row.unlistedReported) return [];
    this.store.setUnlisted(row.rowId, 'reported');
    return this.emit(
      [
        {
          type: 'post.unlisted',
          detail: { missingSince: row.unlistedAt, stillReachableAt: obs.at, url: obs.url ?? row.url },
        },
      ],
      {
        platform: obs.target.platform,
        at: obs.at,
        watchIds: ctx.watchIds,
        target: { ref: obs.target, rowId: row.rowId },
        dedupeKey: `unlisted:${row.rowId}:${row.unlistedAt}`,
      },
    );
  }

  private checkAllFrom(source: SourceRow, at: number, via: string): void {
    // The account's posts found first by a keyword count too: their author is the account.
    const rows = this.store.targets.alivePostsOfAccount(source.watchId, via, source.query, source.platform);
    for (const id of rows) this.store.scheduleTarget(id, at, true);
  }

  private emit(
    drafts: readonly EventDraft[],
    o: {
      platform: Platform;
      at: number;
      watchIds: readonly (string | null)[];
      target: { ref: TargetRef; rowId: number } | null;
      keyword?: string;
      dedupeKey: string;
    },
  ): RecordedEvent[] {
    const out: RecordedEvent[] = [];
    for (const d of drafts) {
      for (const watch of o.watchIds.length ? o.watchIds : [null]) {
        const id = this.store.insertEvent({
          type: d.type,
          at: o.at,
          watchId: watch,
          platform: o.platform,
          targetRowId: o.target?.rowId ?? null,
          nativeId: o.target?.ref.id ?? null,
          keyword: o.keyword ?? null,
          cause: d.cause ?? null,
          detail: d.detail,
          dedupeKey: `${o.dedupeKey}:${d.type}:${watch ?? ''}`,
        });
        if (id === null) continue;
        out.push({
          id,
          type: d.type,
          at: o.at,
          platform: o.platform,
          targetId: o.target?.ref.id ?? null,
          kind: o.target?.ref.kind,
          keyword: o.keyword ?? null,
          cause: d.cause ?? null,
          detail: d.detail,
          watch,
        });
      }
    }
    return out;
  }
}
