import type { Logger } from 'pino';
import type { Observation, Platform } from '../domain/glossary';
import {
  decideObservation,
  type DecisionOptions,
  type ObservationContext,
  type RecordedEvent,
} from '../domain/decision';
import { decideListing, viaOf, type ListingFacts } from '../domain/decision-listing';
import { cadenceOptions, nextDiscoveryInterval, type RoundResult } from '../domain/discovery-cadence';
import type { Config, ScheduleConfig } from '../config/types';
import type { ListingResult } from '../platforms/platform';
import { SourceCadenceStore } from '../store/cadence';
import { Recording, type TargetWithWatches } from '../store/recording';
import type { SourceRow, Store, TargetRow } from '../store/store';

export type { ObservationContext, RecordedEvent } from '../domain/decision';

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
 * Applies observations to the store: for each, reads what the store knows about its target, asks
 * the pure decision (src/domain/decision.ts) what it means, and commits the whole decision
 * (src/store/recording.ts). The only writer of targets, observations and events. The `record…`
 * methods are one transaction each; {@link check} and {@link listing} join the caller's, so a
 * result is one transaction however many observations it carries.
 */
export class Recorder {
  private readonly recording: Recording;
  private readonly cadence: SourceCadenceStore;

  constructor(
    private readonly store: Store,
    private readonly schedule: ScheduleConfig,
    private readonly logger: Logger,
    private readonly random: () => number = Math.random,
    private readonly options: RecorderOptions = {},
  ) {
    this.recording = new Recording(store);
    this.cadence = new SourceCadenceStore(store);
  }

  /** The target a check was for, with its watches (one read), as {@link check} takes it. */
  checked(rowId: number): TargetWithWatches | undefined {
    return this.recording.checked(rowId);
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
            this.store.ensureTarget(
              { platform: platform as Platform, kind: 'thread', id },
              '',
              [watchId],
              `thread-of:${id}`,
              now,
              now,
            );
        }
      }
    });
  }

  /** Records every observation of one check (the target's own, then embedded ones), in one transaction. */
  recordCheck(
    target: TargetRow,
    observations: readonly Observation[],
    ctx: Omit<ObservationContext, 'watchIds' | 'via'>,
  ): RecordedEvent[] {
    const watches = this.recording.watchesOf(target.rowId);
    return this.store.transaction(() => this.check({ row: target, watches }, observations, ctx));
  }

  /** {@link recordCheck} inside the caller's transaction, for a target read with {@link checked}. */
  check(
    checked: TargetWithWatches,
    observations: readonly Observation[],
    ctx: Omit<ObservationContext, 'watchIds' | 'via'>,
  ): RecordedEvent[] {
    const target = checked.row;
    const events: RecordedEvent[] = [];
    for (const [i, obs] of observations.entries()) {
      const isOwn =
        obs.target.platform === target.platform &&
        obs.target.kind === target.kind &&
        obs.target.id === target.id;
      // The checked target's row and watches are known: no need to look them up again.
      const known = isOwn && i === 0 ? checked : undefined;
      const r = this.observe(
        obs,
        {
          watchIds: checked.watches,
          via: isOwn ? 'check' : `embedded-in:${target.id}`,
          dedupeKey: ctx.dedupeKey ? `${ctx.dedupeKey}#${i}` : undefined,
          retryAfter: ctx.retryAfter,
        },
        known,
      );
      events.push(...r);
    }
    return events;
  }

  /**
   * Records one listing page of a source, in one transaction: the listing's own observation
   * (search history and withholding), each listed target (created if new), then the search's
   * state and a direct check of known targets that should have been listed but were not.
   */
  recordListing(
    source: SourceRow,
    listing: ListingResult,
    at: number,
    page: string | null,
    dedupeKey?: string,
  ): RecordedEvent[] {
    return this.store.transaction(() => this.listing(source, listing, at, page, dedupeKey));
  }

  /** {@link recordListing} inside the caller's transaction. */
  listing(
    source: SourceRow,
    listing: ListingResult,
    at: number,
    page: string | null,
    dedupeKey?: string,
  ): RecordedEvent[] {
    const facts: ListingFacts = {
      at,
      outcome: listing.outcome,
      message: listing.message ?? null,
      listed: listing.observations.filter((o) => o.outcome === 'alive').map((o) => o.target.id),
      shown: listing.observations.map((o) => o.target.id),
      page,
      unread: listing.unread?.length ?? 0,
    };
    this.recording.recordSearchObservation(source, facts, listing.evidence?.body ?? null);
    const events: RecordedEvent[] = [];
    const via = viaOf(source);
    listing.observations.forEach((obs, i) => {
      events.push(
        ...this.observe(obs, {
          watchIds: [source.watchId],
          via,
          dedupeKey: dedupeKey ? `${dedupeKey}#${i}` : undefined,
        }),
      );
    });
    const decision = decideListing(source, facts, this.recording.listingSnapshot(source, facts));
    events.push(...this.recording.commitListing(source, decision));
    return events;
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
    return this.recording.insertEvents(
      [
        {
          type: 'monitor.degraded',
          at,
          platform,
          target: null,
          keyword: null,
          cause: null,
          detail,
          watchIds: [null],
          key: dedupeKey,
        },
      ],
      null,
    );
  }

  /** Read, decide, commit: one observation. */
  private observe(obs: Observation, ctx: ObservationContext, known?: TargetWithWatches): RecordedEvent[] {
    const snap = this.recording.snapshot(obs, known);
    const decision = decideObservation(snap, obs, ctx, this.decisionOptions(obs.target.platform));
    const done = this.recording.commit(snap, decision);
    if (done.stored && decision.noteworthy) {
      this.logger.debug(
        {
          target: `${obs.target.platform}:${obs.target.id}`,
          outcome: obs.outcome,
          verdict: decision.state.verdict,
        },
        'verdict',
      );
    }
    return done.events;
  }

  private decisionOptions(platform: Platform): DecisionOptions {
    return {
      rules: this.schedule,
      random: this.random,
      commentWatches: this.options.commentWatches?.[platform] ?? [],
    };
  }
}
