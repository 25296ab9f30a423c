import type { Logger } from 'pino';
import type { Config } from '../config/types';
import type { Clock } from '../domain/clock';
import type { Outcome } from '../domain/glossary';
import { PLATFORMS } from '../domain/glossary';
import type { Store } from '../store/store';
import type { BudgetGate } from './budget-gate';
import { roundResult } from './discovery-round';
import type { ExplicitTarget } from './explicit-targets';
import { ParseHealth, type HostHealth } from './host-health';
import { ProblemHook } from './problems';
import { isUnresolvedRound } from '../domain/problems';
import { commentWatchesOf, Recorder, type RecordedEvent } from './recorder';
import { answersOf, outcomesOf, platformOf, type WorkItem, type WorkResult } from './work';

/** What a {@link ResultRecorder} needs. */
export interface ResultRecorderDeps {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Fed every outcome; its retry delay spaces transient outcomes. */
  readonly health: HostHealth;
  readonly random?: () => number;
  /**
   * The request budget each result settles, and whose spending is stored with it (the recorder is
   * its only writer, in either mode). @defaultValue none
   */
  readonly budget?: BudgetGate;
  /** Called with the events each recorded result produced (alerts, progress). */
  readonly onEvents?: (events: readonly RecordedEvent[]) => void;
  /** Called with every result once it is recorded (metrics). */
  readonly onResult?: (result: WorkResult) => void;
}

/** Results recorded and events they produced, since start. */
export interface RecordCounters {
  readonly checks: number;
  readonly discoveries: number;
  readonly events: number;
}

/**
 * The recorder both modes use: applies one fetched result to the store (verdicts, schedule,
 * events) and feeds the platform's health and each endpoint's parse health. Embedded mode calls it
 * from the in-process pool; distributed mode from the recorder role, for results that came back
 * through the queue. Writes only; the caller decides the transaction ({@link applyAll} groups
 * several).
 */
export class ResultRecorder {
  /** The verdict rules' recorder: targets, observations and events. */
  readonly recorder: Recorder;
  /** Per endpoint: how many recent answers stopped parsing (a template change). */
  readonly parsing = new ParseHealth();
  readonly health: HostHealth;
  private readonly log: Logger;
  /** Watch problems: configured keywords, accounts and URLs that cannot be resolved or keep failing. */
  private readonly problems: ProblemHook;
  private stats = { checks: 0, discoveries: 0, events: 0 };

  constructor(private readonly deps: ResultRecorderDeps) {
    this.log = deps.logger.child({ module: 'engine' });
    this.health = deps.health;
    this.recorder = new Recorder(deps.store, deps.config.schedule, this.log, deps.random, {
      commentWatches: commentWatchesOf(deps.config),
    });
    this.problems = new ProblemHook(deps.store, this.log);
  }

  get counters(): RecordCounters {
    return this.stats;
  }

  /**
   * Brings the store in line with the config: watches, their keyword and account sources, and
   * `explicit` posts as targets due at once (resolve them first: see resolveExplicitTargets).
   */
  sync(explicit: readonly ExplicitTarget[]): void {
    const { config, store, clock } = this.deps;
    const now = clock.now();
    const sources = config.watches.flatMap((w) =>
      PLATFORMS.flatMap((platform) => [
        ...w[platform].keywords.map((query) => ({
          watchId: w.id,
          platform,
          mode: 'keyword' as const,
          query,
        })),
        ...w[platform].accounts.map((query) => ({
          watchId: w.id,
          platform,
          mode: 'account' as const,
          query,
        })),
      ]),
    );
    store.transaction(() => {
      store.syncWatches(config.watches, sources, now);
      for (const e of explicit) {
        const r = store.ensureTarget(e.ref, e.url, [e.watchId], 'post', now, now);
        if (r.linked.length) {
          store.insertEvent({
            type: 'post.discovered',
            at: now,
            watchId: e.watchId,
            platform: e.ref.platform,
            targetRowId: r.row.rowId,
            nativeId: e.ref.id,
            keyword: null,
            cause: null,
            detail: { via: 'post', url: e.url },
            dedupeKey: `discovered:${r.row.rowId}:post.discovered:${e.watchId}`,
          });
        }
      }
      // Explicit posts, and posts of a watch that has just started tracking comments, get their threads.
      this.recorder.syncThreads(now);
    });
  }

  /**
   * Records a fetched result in one transaction (a savepoint inside the caller's, as a group's
   * replay in {@link applyAll} records each): verdicts, schedule, events, and the platform's health.
   */
  apply(result: WorkResult): RecordedEvent[] {
    return this.deps.store.transaction(() => {
      const events = this.record(result);
      this.announce(result, events);
      return events;
    });
  }

  /** Tells the callbacks of a recorded result. */
  private announce(result: WorkResult, events: RecordedEvent[]): void {
    this.deps.onResult?.(result);
    if (events.length) this.deps.onEvents?.(events);
  }

  /**
   * Applies one result to the store, inside the caller's transaction; what it changes in memory
   * besides (the platform's and the endpoints' health, the budget, the counters) can be taken back
   * through `undos` where the caller passes them.
   */
  private record(result: WorkResult, undos?: (() => void)[]): RecordedEvent[] {
    const { store, clock } = this.deps;
    const platform = platformOf(result.item);
    const now = clock.now();
    const events: RecordedEvent[] = [];
    for (const outcome of outcomesOf(result)) {
      const asOutcome: Outcome = ['results', 'empty', 'withheld'].includes(outcome)
        ? 'alive'
        : (outcome as Outcome);
      const change = this.health.note(platform, asOutcome, now);
      // Why the crawler went quiet on a platform. A host that stopped answering is a warning when
      // its pause begins; a rate limit is the platform's routine pushback (a debug line: sustained
      // pushback is 'platform degraded' below), and so is each lengthening of a pause.
      if (change.paused)
        this.log[change.started && asOutcome === 'network_error' ? 'warn' : 'debug'](
          { platform, outcome, pausedUntil: new Date(change.backoffUntil).toISOString() },
          'platform backing off',
        );
      if (change.degraded) {
        this.log.warn(
          { platform, outcome, pausedUntil: new Date(change.backoffUntil).toISOString() },
          'platform degraded',
        );
        events.push(
          ...this.recorder.recordMonitorEvent(
            platform,
            now,
            { reason: outcome, pausedUntil: change.backoffUntil },
            `degraded:${platform}:${now}`,
          ),
        );
      }
    }
    for (const { endpoint, outcome } of answersOf(result)) {
      const p = this.parsing.note(endpoint, outcome);
      if (!p?.degraded) continue;
      this.log.warn({ platform, endpoint, ...p }, 'endpoint answers stopped parsing');
      events.push(
        ...this.recorder.recordMonitorEvent(
          platform,
          now,
          { reason: 'unparseable', endpoint, answers: p.answers, unparseable: p.unparseable },
          `unparseable:${endpoint}:${now}`,
        ),
      );
    }
    const checked = result.type === 'check' ? this.recorder.checked(result.item.rowId) : undefined;
    const target = checked?.row;
    this.deps.budget?.recorded(result, target, now, undos);
    if (result.type === 'check') {
      if (checked && target) {
        events.push(
          ...this.recorder.check(checked, result.observations, {
            dedupeKey: result.item.key,
            retryAfter: this.health.retryDelay(platform),
          }),
        );
        events.push(...this.problems.afterCheck(target, result.observations, checked.configuredIn));
      }
      this.stats.checks++;
    } else {
      const source = store.getSource(result.item.sourceId);
      if (source) {
        result.pages.forEach((p, i) => {
          events.push(
            ...this.recorder.listing(source, p.listing, p.at, p.cursor, `${result.item.key}-p${i}`),
          );
        });
        // An account that cannot be resolved waits the whole interval too: it will not resolve in seconds.
        const first = result.pages[0]?.listing;
        const answered =
          result.pages.some((p) => ['results', 'empty', 'withheld'].includes(p.listing.outcome)) ||
          (first !== undefined &&
            isUnresolvedRound(source.mode, first.outcome, first.evidence !== undefined));
        this.recorder.finishDiscovery(
          source,
          now,
          answered ? undefined : this.health.retryDelay(platform),
          roundResult(result, events),
        );
        events.push(...this.problems.afterRound(source, result.pages));
      }
      this.stats.discoveries++;
    }
    this.stats.events += events.length;
    return events;
  }

  /**
   * Group commit: records several results in one transaction, so one commit's cost is shared by
   * all of them. One that fails rolls back alone (and goes to `failed`) while the rest are kept:
   * the group is first recorded as one piece, and only if a result throws is all of it rolled
   * back and recorded again result by result, each in its own savepoint (the one {@link apply}
   * opens). A savepoint and its release on every result cost more than the rare replay; the
   * health, budget and counters the first attempt changed are put back before the replay, so
   * nothing is noted twice. The callbacks hear of the results once they are committed. Where the
   * health cannot be put back, every result has its savepoint from the start.
   */
  applyAll(
    batch: readonly { readonly item: WorkItem; readonly result: WorkResult }[],
    failed: (item: WorkItem, err: unknown) => void,
  ): void {
    if (batch.length > 1 && this.health.restorePoint && this.applyWhole(batch)) return;
    this.deps.store.transaction(() => {
      for (const b of batch) {
        try {
          this.apply(b.result);
        } catch (err) {
          failed(b.item, err);
        }
      }
    });
  }

  /**
   * Records `batch` in one transaction without a savepoint per result and announces it; false,
   * with the transaction and what it changed in memory rolled back, when a result threw.
   */
  private applyWhole(batch: readonly { readonly result: WorkResult }[]): boolean {
    const health = this.health.restorePoint!();
    const parsing = this.parsing.restorePoint();
    const stats = { ...this.stats };
    const undos: (() => void)[] = [];
    const recorded: RecordedEvent[][] = [];
    let threw = false;
    try {
      this.deps.store.transaction(() => {
        for (const b of batch) {
          try {
            recorded.push(this.record(b.result, undos));
          } catch (err) {
            threw = true;
            throw err;
          }
        }
      });
    } catch (err) {
      // A failed commit is not a result's failure: it is thrown as the savepoints' commit would be.
      if (!threw) throw err;
      for (let i = undos.length - 1; i >= 0; i--) undos[i]!();
      parsing();
      health();
      this.stats = stats;
      return false;
    }
    batch.forEach((b, i) => this.announce(b.result, recorded[i]!));
    return true;
  }
}
