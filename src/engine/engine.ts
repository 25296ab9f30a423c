import type { Logger } from 'pino';
import type { Config } from '../config/types';
import { ConfigError } from '../errors';
import type { Clock } from '../domain/clock';
import type { Outcome, Platform, TargetRef } from '../domain/glossary';
import { PLATFORMS } from '../domain/glossary';
import type { PlatformAdapter } from '../platforms/platform';
import { LeaseStore, type ReleasedLeases, type RunRecord } from '../store/leases';
import type { SourceRow, Store, TargetRow } from '../store/store';
import { BudgetGate } from './budget-gate';
import { HostHealth, ParseHealth } from './host-health';
import { commentWatchesOf, Recorder, type RecordedEvent } from './recorder';
import { answersOf, outcomesOf, performWork, platformOf, type WorkItem, type WorkResult } from './work';

/** How long a dispatched item stays leased before another dispatcher may take it again. */
export const LEASE_MS = 10 * 60_000;

export interface EngineDeps {
  readonly config: Config;
  readonly store: Store;
  readonly adapters: Partial<Record<Platform, PlatformAdapter>>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random?: () => number;
  /** Called with the events each recorded result produced (alerts, progress). */
  readonly onEvents?: (events: readonly RecordedEvent[]) => void;
  /** Called with every result once it is recorded (metrics). */
  readonly onResult?: (result: WorkResult) => void;
  /**
   * How long a taken item stays leased: if its result has not been recorded by then (a fetcher
   * died), it is taken again. Tests use seconds. @defaultValue {@link LEASE_MS} (10 minutes)
   */
  readonly leaseMs?: number;
  /**
   * The run id leases are taken in (see {@link Engine.reclaimLeases}); without one, leases have no
   * owner and only expire. @defaultValue none
   */
  readonly leaseOwner?: string;
}

/** Options of {@link Engine.peekDue}. */
export interface PeekOptions {
  /** Take leased items too (the queue that held them was lost). @defaultValue false */
  readonly ignoreLeases?: boolean;
  /** When a platform's backoff ends; its items are left out until then. @defaultValue this engine's own health */
  readonly pausedUntil?: (platform: Platform) => number;
}

/** The deterministic key of a source's due discovery: one per scheduled run. */
function discoverKey(s: { id: number; nextRunAt: number | null }, now: number): string {
  return `d-${s.id}-${s.nextRunAt ?? now}`;
}

/** The deterministic key of a target's due check: one per observation count. */
function checkKey(t: { rowId: number; state: { observations: number } }): string {
  return `c-${t.rowId}-${t.state.observations}`;
}

/** A configured post or article URL, resolved to its target. */
export interface ExplicitTarget {
  readonly ref: TargetRef;
  readonly url: string;
  readonly watchId: string;
}

/**
 * Resolves every configured post and article URL to a target, or throws one ConfigError naming
 * every input that is not one of its platform's forms. Call it before opening the store so a bad
 * config writes nothing.
 */
export function resolveExplicitTargets(
  config: Config,
  adapters: Partial<Record<Platform, PlatformAdapter>>,
): ExplicitTarget[] {
  const explicit: ExplicitTarget[] = [];
  const issues: { path: string; message: string }[] = [];
  config.watches.forEach((w, i) => {
    const lists: [Platform, string, readonly string[]][] = [
      ['weibo', 'posts', w.weibo.posts],
      ['netease', 'articles', w.netease.articles],
    ];
    for (const [platform, key, inputs] of lists) {
      inputs.forEach((input, j) => {
        const adapter = adapters[platform];
        const ref = adapter?.resolveTarget(input) ?? null;
        const path = `watches[${i}].${platform}.${key}[${j}]`;
        if (!adapter) issues.push({ path, message: `${platform} is not supported here` });
        else if (!ref) issues.push({ path, message: `not a ${platform} URL or id: "${input}"` });
        // A configured URL is kept as given (it may carry what the id alone does not, like a NetEase channel).
        else
          explicit.push({
            ref,
            url: /^https?:\/\//i.test(input) ? input : adapter.targetUrl(ref),
            watchId: w.id,
          });
      });
    }
  });
  if (issues.length) throw new ConfigError(issues, config.source);
  return explicit;
}

/** Options of {@link Engine.run}. */
export interface RunOptions {
  /** Stop once the clock passes this time. */
  readonly until?: number;
  readonly signal?: AbortSignal;
  /**
   * With a simulated clock: when nothing is due, jump the clock to the next due time instead of
   * waiting. The function moves the clock.
   */
  readonly advanceClock?: (to: number) => void;
  /** Longest real wait between polls of the schedule when idle. @defaultValue 1000 ms */
  readonly idlePoll?: number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * The embedded engine: scheduler, in-process fetch pool and recorder in one process. SQLite holds
 * the schedule; the engine takes due sources and targets, fetches them through the adapters under
 * the per-platform backoff, and records what came back.
 */
export class Engine {
  readonly recorder: Recorder;
  readonly health: HostHealth;
  /** Per endpoint: how many recent answers stopped parsing (a template change). */
  readonly parsing = new ParseHealth();
  private readonly log: Logger;
  private readonly leases: LeaseStore;
  /** The request budget of each platform, shared by discovery, confirmations and re-checks. */
  readonly budget: BudgetGate;
  private stats = { checks: 0, discoveries: 0, events: 0 };

  constructor(private readonly deps: EngineDeps) {
    this.log = deps.logger.child({ module: 'engine' });
    this.recorder = new Recorder(deps.store, deps.config.schedule, this.log, deps.random, {
      commentWatches: commentWatchesOf(deps.config),
    });
    this.health = new HostHealth((p) => deps.config.platforms[p].backoff);
    this.leases = new LeaseStore(deps.store);
    this.budget = new BudgetGate(deps.config, deps.store, deps.clock.now());
  }

  /**
   * Takes back the leases of every run that `isGone` says no longer runs (killed, crashed): what it
   * had in flight is due again at once, at its own scheduled time, instead of after the lease
   * expires. Returns what was released and from which runs.
   */
  reclaimLeases(isGone: (holder: RunRecord) => boolean): ReleasedLeases & { runs: string[] } {
    const { store, clock } = this.deps;
    const now = clock.now();
    return store.transaction(() => {
      let sources = 0;
      let targets = 0;
      const runs: string[] = [];
      for (const holder of this.leases.holders(this.deps.leaseOwner)) {
        if (!isGone(holder)) continue;
        const r = this.leases.release(holder.id, now);
        sources += r.sources;
        targets += r.targets;
        runs.push(holder.id);
      }
      if (runs.length)
        this.log.warn({ runs, sources, targets }, 'took back the leases of runs that no longer run');
      return { sources, targets, runs };
    });
  }

  get counters(): Readonly<{ checks: number; discoveries: number; events: number }> {
    return this.stats;
  }

  /**
   * Brings the store in line with the config: watches, their keyword and account sources, and
   * explicit posts as targets due at once. Every unusable post URL is reported before anything is
   * written.
   */
  sync(): void {
    const { config, store, adapters, clock } = this.deps;
    const now = clock.now();
    const explicit = resolveExplicitTargets(config, adapters);

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

  /** Takes the work due now, skipping platforms that are backing off. */
  takeDue(limit: number): WorkItem[] {
    const { store, clock } = this.deps;
    const now = clock.now();
    const items: WorkItem[] = [];
    const leaseMs = this.deps.leaseMs ?? LEASE_MS;
    const owner = this.deps.leaseOwner ?? null;
    for (const s of store.takeDueSources(now, limit, leaseMs, owner)) {
      const paused = this.health.pausedUntil(s.platform);
      if (paused > now) {
        store.deferSource(s.id, paused);
        continue;
      }
      const item = this.budget.admitDiscovery(this.discoverItem(s, now), now);
      if (typeof item === 'number') store.deferSource(s.id, item);
      else items.push(item);
    }
    for (const t of store.takeDueTargets(now, Math.max(0, limit - items.length), leaseMs, owner)) {
      const paused = this.health.pausedUntil(t.platform);
      if (paused > now) {
        store.deferTarget(t.rowId, paused);
        continue;
      }
      const item = this.checkItem(t);
      const blocked = this.budget.admitCheck(t, item.key, now);
      if (blocked !== null) store.deferTarget(t.rowId, blocked);
      else items.push(item);
    }
    return items;
  }

  /**
   * The work due now, like {@link takeDue} but without writing anything: for a scheduler that reads
   * SQLite while another process (the recorder) is its only writer. Leases come back later through
   * {@link applyLeases}; paused platforms' items are left due.
   */
  peekDue(limit: number, opts: PeekOptions = {}): WorkItem[] {
    const { store, clock } = this.deps;
    const now = clock.now();
    const paused = opts.pausedUntil ?? ((p: Platform) => this.health.pausedUntil(p));
    const free = opts.ignoreLeases ? 1 : 0;
    const items: WorkItem[] = [];
    for (const { id } of store.query<{ id: number }>(
      `SELECT id FROM sources WHERE active = 1 AND next_run_at <= ? AND (? = 1 OR leased_until IS NULL OR leased_until <= ?)
       ORDER BY next_run_at LIMIT ?`,
      now,
      free,
      now,
      limit,
    )) {
      const s = store.getSource(id);
      if (s && paused(s.platform) <= now) items.push(this.discoverItem(s, now));
    }
    for (const { id } of store.query<{ id: number }>(
      `SELECT id FROM targets WHERE next_check_at <= ? AND (? = 1 OR leased_until IS NULL OR leased_until <= ?)
       ORDER BY next_check_at LIMIT ?`,
      now,
      free,
      now,
      Math.max(0, limit - items.length),
    )) {
      const t = store.getTarget(id);
      if (t && paused(t.platform) <= now) items.push(this.checkItem(t));
    }
    return items;
  }

  /**
   * Leases items a scheduler enqueued, until `until`. A key whose source or target has moved on
   * (its result was recorded first) is skipped, so a late lease never holds back the next run.
   * Returns the number of rows leased.
   */
  applyLeases(keys: readonly string[], until: number): number {
    const { store } = this.deps;
    let leased = 0;
    // Guarded writes only, no reads first: another process's commit cannot invalidate a read snapshot.
    store.transaction(() => {
      for (const key of keys) {
        const m = /^([cd])-(\d+)-(\d+)$/.exec(key);
        if (!m) continue;
        const [, kind, id, guard] = m;
        leased +=
          kind === 'd'
            ? store.run(
                `UPDATE sources SET leased_until = ?, leased_by = NULL WHERE id = ? AND next_run_at = ?`,
                until,
                Number(id),
                Number(guard),
              ).changes
            : store.run(
                `UPDATE targets SET leased_until = ?, leased_by = NULL WHERE id = ? AND observations = ?`,
                until,
                Number(id),
                Number(guard),
              ).changes;
      }
    });
    return leased;
  }

  private discoverItem(s: SourceRow, now: number): Extract<WorkItem, { type: 'discover' }> {
    const w = this.deps.config.watches.find((x) => x.id === s.watchId);
    return {
      type: 'discover',
      key: discoverKey(s, now),
      sourceId: s.id,
      platform: s.platform,
      mode: s.mode,
      query: s.query,
      maxPages: w ? w[s.platform].maxPages : 1,
      searchType: s.platform === 'weibo' && w ? w.weibo.searchType : undefined,
    };
  }

  private checkItem(t: TargetRow): WorkItem {
    return {
      type: 'check',
      key: checkKey(t),
      rowId: t.rowId,
      target: { platform: t.platform, kind: t.kind, id: t.id },
      url: t.url || undefined,
    };
  }

  /** Records a fetched result: verdicts, schedule, events, and the platform's health. */
  record(result: WorkResult): RecordedEvent[] {
    const { store, clock } = this.deps;
    const platform = platformOf(result.item);
    const now = clock.now();
    const events: RecordedEvent[] = [];
    for (const outcome of outcomesOf(result)) {
      const asOutcome: Outcome = ['results', 'empty', 'withheld'].includes(outcome)
        ? 'alive'
        : (outcome as Outcome);
      const change = this.health.note(platform, asOutcome, now);
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
    const target = result.type === 'check' ? store.getTarget(result.item.rowId) : undefined;
    this.budget.recorded(result, target, now);
    if (result.type === 'check') {
      if (target) {
        events.push(
          ...this.recorder.recordCheck(target, result.observations, {
            dedupeKey: result.item.key,
            retryAfter: this.health.retryDelay(platform),
          }),
        );
      }
      this.stats.checks++;
    } else {
      const source = store.getSource(result.item.sourceId);
      if (source) {
        result.pages.forEach((p, i) => {
          events.push(
            ...this.recorder.recordListing(source, p.listing, p.at, p.cursor, `${result.item.key}-p${i}`),
          );
        });
        const answered = result.pages.some((p) =>
          ['results', 'empty', 'withheld'].includes(p.listing.outcome),
        );
        this.recorder.finishDiscovery(source, now, answered ? undefined : this.health.retryDelay(platform));
      }
      this.stats.discoveries++;
    }
    this.stats.events += events.length;
    this.deps.onResult?.(result);
    if (events.length) this.deps.onEvents?.(events);
    return events;
  }

  /**
   * Fetches and records one item; a thrown error (a bug or broken infrastructure) defers the item
   * instead. An item the abort cut short is not recorded (an aborted fetch says nothing about the
   * target) and its lease is given back, so the next run takes it at once.
   */
  private async runOne(item: WorkItem, signal?: AbortSignal): Promise<void> {
    let result: WorkResult;
    try {
      result = await performWork(item, this.deps.adapters, this.deps.clock, signal);
    } catch (err) {
      if (signal?.aborted) this.release(item);
      else this.failed(item, err);
      return;
    }
    if (signal?.aborted) {
      this.release(item);
      return;
    }
    await this.recordSoon(item, result);
  }

  private release(item: WorkItem): void {
    const owner = this.deps.leaseOwner ?? null;
    if (item.type === 'check') this.leases.releaseTarget(item.rowId, owner);
    else this.leases.releaseSource(item.sourceId, owner);
  }

  private failed(item: WorkItem, err: unknown): void {
    const { clock, config, store } = this.deps;
    this.log.error({ err, item: item.key }, 'work item failed');
    this.budget.failed(item);
    const retryAt = clock.now() + config.schedule.confirmAfter;
    if (item.type === 'check') store.deferTarget(item.rowId, retryAt);
    else store.deferSource(item.sourceId, retryAt);
  }

  private pending: { item: WorkItem; result: WorkResult }[] = [];
  private flush: Promise<void> | null = null;

  /**
   * Group commit: results that arrive while the event loop is busy are recorded together in one
   * transaction (each in its own savepoint, so one that fails rolls back alone), which spares a
   * commit per check.
   */
  private recordSoon(item: WorkItem, result: WorkResult): Promise<void> {
    this.pending.push({ item, result });
    this.flush ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        const batch = this.pending;
        this.pending = [];
        this.flush = null;
        this.deps.store.transaction(() => {
          for (const b of batch) {
            try {
              this.deps.store.transaction(() => this.record(b.result));
            } catch (err) {
              this.failed(b.item, err);
            }
          }
        });
        resolve();
      }),
    );
    return this.flush;
  }

  /** Fetches and records a batch of items with at most `concurrency` in flight. */
  async runItems(items: readonly WorkItem[], signal?: AbortSignal): Promise<void> {
    const queue = [...items];
    const worker = async (): Promise<void> => {
      for (let item = queue.shift(); item && !signal?.aborted; item = queue.shift())
        await this.runOne(item, signal);
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.config.concurrency, items.length) }, worker));
  }

  /**
   * One scheduling round: everything due now, fetched and recorded, with `concurrency` items in
   * flight all along (the local queue is refilled from SQLite as it runs low, so the pool never
   * waits for the slowest item of a batch). No more work is taken once the clock reaches `until`,
   * so a backlog that never drains cannot hold a run past its end. Returns the number of items.
   */
  async tick(signal?: AbortSignal, until?: number): Promise<number> {
    const width = this.deps.config.concurrency;
    const queue: WorkItem[] = [];
    let exhausted = false;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (!signal?.aborted) {
        if (until !== undefined && this.deps.clock.now() >= until) return;
        if (!exhausted && queue.length < width) {
          const more = this.takeDue(width * 4);
          if (more.length === 0) exhausted = true;
          queue.push(...more);
        }
        const item = queue.shift();
        if (!item) return;
        await this.runOne(item, signal);
        done++;
      }
    };
    await Promise.all(Array.from({ length: width }, worker));
    // Taken but not started (the run ended or was aborted): due again at once for the next run.
    for (const item of queue.splice(0)) {
      this.release(item);
      this.budget.released(item);
    }
    return done;
  }

  /** Runs until `until` (clock time) or the signal aborts. */
  async run(opts: RunOptions = {}): Promise<void> {
    const { store, clock } = this.deps;
    const idlePoll = opts.idlePoll ?? 1000;
    while (!opts.signal?.aborted) {
      const now = clock.now();
      if (opts.until !== undefined && now >= opts.until) break;
      const n = await this.tick(opts.signal, opts.until);
      if (n > 0) continue;
      const due = store.nextDueAt();
      const limit = opts.until ?? Number.POSITIVE_INFINITY;
      if (opts.advanceClock) {
        const to = due === null ? limit : Math.min(Math.max(due, now + 1), limit);
        if (!Number.isFinite(to)) break;
        opts.advanceClock(to);
      } else {
        const wait =
          due === null ? idlePoll : Math.min(Math.max(due - now, 5), idlePoll, Math.max(0, limit - now));
        await sleep(wait, opts.signal);
      }
    }
  }
}
