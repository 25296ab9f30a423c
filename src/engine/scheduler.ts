import type { Logger } from 'pino';
import type { Config } from '../config/types';
import type { Clock } from '../domain/clock';
import { AppliedResults } from '../store/applied';
import { LeaseStore, type ReleasedLeases, type RunRecord } from '../store/leases';
import type { DueTarget, SourceRow, Store } from '../store/store';
import type { BudgetGate } from './budget-gate';
import type { HostHealth } from './host-health';
import { platformOf, type WorkItem } from './work';

/** How long a dispatched item stays leased before another dispatcher may take it again. */
export const LEASE_MS = 10 * 60_000;

/** What a {@link Scheduler} reads and writes. */
export interface SchedulerDeps {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Whose backoff holds work back: only its pauses are read here. */
  readonly health: Pick<HostHealth, 'pausedUntil'>;
  /**
   * The request budget work taken here is admitted against; the recorder that applies the results
   * settles it (the same gate in one process). Without one, nothing is held back by budget.
   * @defaultValue none
   */
  readonly budget?: BudgetGate;
  /**
   * How long a taken item stays leased: if its result has not been recorded by then (a fetcher
   * died), it is taken again. Tests use seconds. @defaultValue {@link LEASE_MS} (10 minutes)
   */
  readonly leaseMs?: number;
  /**
   * The run id leases are taken in (see {@link Scheduler.reclaimLeases}); without one, leases have
   * no owner and only expire. @defaultValue none
   */
  readonly leaseOwner?: string;
}

/** Options of {@link Scheduler.peek}. */
export interface PeekOptions {
  /** Take leased items too (the queue that held them was lost). @defaultValue false */
  readonly ignoreLeases?: boolean;
  /**
   * Keys to pass over (known to be in the pipeline already): they do not count towards the limit.
   * @defaultValue none
   */
  readonly skip?: (key: string) => boolean;
}

/** An item due now, and the target it checks (null for a discovery). */
export interface DueWork {
  readonly item: WorkItem;
  readonly target: DueTarget | null;
}

/** Most rows one peek reads per item it may return, so passing over skipped keys stays bounded. */
const PEEK_SCAN_FACTOR = 8;

/** The deterministic key of a source's due discovery: one per scheduled run. */
function discoverKey(s: { id: number; nextRunAt: number | null }, now: number): string {
  return `d-${s.id}-${s.nextRunAt ?? now}`;
}

/** The deterministic key of a target's due check: one per observation count. */
function checkKey(t: { rowId: number; state: { observations: number } }): string {
  return `c-${t.rowId}-${t.state.observations}`;
}

/**
 * What is due, and who holds it: the schedule in SQLite turned into work items, with leases so no
 * item goes out twice. Both modes use it: embedded mode takes due work and leases it in one write
 * ({@link take}); a distributed scheduler only reads ({@link peek}) and the recorder, the single
 * writer, writes the leases afterwards ({@link applyLeases}).
 */
export class Scheduler {
  private readonly leases: LeaseStore;
  private readonly log: Logger;

  constructor(private readonly deps: SchedulerDeps) {
    this.leases = new LeaseStore(deps.store);
    this.log = deps.logger.child({ module: 'scheduler' });
  }

  private get leaseMs(): number {
    return this.deps.leaseMs ?? LEASE_MS;
  }

  private get owner(): string | null {
    return this.deps.leaseOwner ?? null;
  }

  /** When a platform's work may go out again: later than `now` while it is backing off. */
  private heldUntil(item: WorkItem): number {
    return this.deps.health.pausedUntil(platformOf(item));
  }

  /**
   * Whether due work taken now may go out: the item (a discovery may be granted fewer pages than
   * it asked for), or the time it has to wait for. The one place where picking due work can say
   * "not yet", in either mode: the platform's backoff first, then its request budget, which counts
   * what it admits.
   */
  admit(work: DueWork, now: number): WorkItem | number {
    const { item, target } = work;
    const held = this.heldUntil(item);
    if (held > now) return held;
    const { budget } = this.deps;
    if (!budget) return item;
    if (item.type === 'discover') return budget.admitDiscovery(item, now);
    return (target && budget.admitCheck(target, item.key, now)) ?? item;
  }

  /** Takes the work due now and leases it; work that may not go out yet is deferred to when it may. */
  take(limit: number): WorkItem[] {
    const { store, clock } = this.deps;
    const now = clock.now();
    const items: WorkItem[] = [];
    for (const s of store.takeDueSources(now, limit, this.leaseMs, this.owner)) {
      const admitted = this.admit({ item: this.discoverItem(s, now), target: null }, now);
      if (typeof admitted === 'number') store.deferSource(s.id, admitted);
      else items.push(admitted);
    }
    for (const t of store.takeDueTargets(now, Math.max(0, limit - items.length), this.leaseMs, this.owner)) {
      const admitted = this.admit({ item: this.checkItem(t), target: t }, now);
      if (typeof admitted === 'number') store.deferTarget(t.rowId, admitted);
      else items.push(admitted);
    }
    return items;
  }

  /**
   * The work due now and not held back by its platform's backoff, earliest first, without writing
   * anything or asking the budget: for a scheduler that reads SQLite while another process (the
   * recorder) is its only writer. It admits what it sends out through {@link admit}; leases come
   * back later through {@link applyLeases}.
   */
  peekDue(limit: number, opts: PeekOptions = {}): DueWork[] {
    const { store, clock } = this.deps;
    const now = clock.now();
    const free = opts.ignoreLeases ?? false;
    const scan = limit * PEEK_SCAN_FACTOR;
    const out: DueWork[] = [];
    for (const s of store.sources.peekDue(now, scan, free)) {
      if (out.length >= limit) break;
      const item = this.discoverItem(s, now);
      if (opts.skip?.(item.key) || this.heldUntil(item) > now) continue;
      out.push({ item, target: null });
    }
    if (out.length >= limit) return out;
    for (const t of store.targets.peekDue(now, scan, free)) {
      if (out.length >= limit) break;
      const item = this.checkItem(t);
      if (opts.skip?.(item.key) || this.heldUntil(item) > now) continue;
      out.push({ item, target: t });
    }
    return out;
  }

  /** The items of {@link peekDue}. */
  peek(limit: number, opts: PeekOptions = {}): WorkItem[] {
    return this.peekDue(limit, opts).map((w) => w.item);
  }

  /**
   * Brings the budget up to what the recorder, in another process, has stored: what it admitted
   * is then counted at what its work really spent (a discovery round often reads fewer pages than
   * it was granted) once the result is recorded, and at what it was granted until then.
   */
  resyncBudget(withLeases = false): void {
    const { budget, store, clock } = this.deps;
    if (!budget) return;
    const applied = new AppliedResults(store);
    const now = clock.now();
    // One transaction: a result recorded in between would otherwise be counted by neither read.
    store.transaction(() => {
      budget.resync(now, (key) => applied.isApplied(key));
      if (withLeases) budget.carryOut(this.leasedOut(now), now);
    });
  }

  /**
   * The work out in the pipeline as SQLite shows it: leased without an owner (by the recorder, for
   * a distributed scheduler) and not recorded yet, each with when it was sent out (its lease's end
   * less the lease time). A scheduler that starts counts it against the hour's budget with
   * `resyncBudget(true)`: its requests are going out whether or not this process sent them.
   */
  *leasedOut(now: number): Generator<{ work: DueWork; at: number }, void, undefined> {
    const { store } = this.deps;
    const sentAt = (until: number): number => Math.min(now, until - this.leaseMs);
    const sources = [...store.sources.leasedOut(now)];
    for (const { source, leasedUntil } of sources)
      yield { work: { item: this.discoverItem(source, now), target: null }, at: sentAt(leasedUntil) };
    for (const { target, leasedUntil } of store.targets.leasedOut(now))
      yield { work: { item: this.checkItem(target), target }, at: sentAt(leasedUntil) };
  }

  /**
   * Moves work the budget held back to the time it may go (`holds`: key and time), as embedded
   * mode defers it, without a lease: a lease means sent out, and a held item was not. A key whose
   * row moved on, or that is leased (in the pipeline after all), is left alone. Returns the rows
   * moved.
   */
  applyHolds(holds: readonly (readonly [string, number])[]): number {
    const { store, clock } = this.deps;
    const now = clock.now();
    let moved = 0;
    store.transaction(() => {
      for (const [key, at] of holds) {
        const m = /^([cd])-(\d+)-(\d+)$/.exec(key);
        if (!m) continue;
        const [, kind, id, guard] = m;
        const ok =
          kind === 'd'
            ? store.sources.deferIfDueAt(Number(id), Number(guard), at, now)
            : store.targets.deferIfObservedTimes(Number(id), Number(guard), at, now);
        if (ok) moved++;
      }
    });
    return moved;
  }

  /**
   * Leases items a scheduler enqueued, until `until`. A key whose source or target has moved on
   * (its result was recorded first) is skipped, so a late lease never holds back the next run.
   * Returns the number of rows leased.
   */
  applyLeases(keys: readonly string[], until: number): number {
    const { store } = this.deps;
    let leased = 0;
    // Guarded writes: a key whose row moved on leases nothing.
    store.transaction(() => {
      for (const key of keys) {
        const m = /^([cd])-(\d+)-(\d+)$/.exec(key);
        if (!m) continue;
        const [, kind, id, guard] = m;
        const ok =
          kind === 'd'
            ? store.sources.leaseIfDueAt(Number(id), Number(guard), until)
            : store.targets.leaseIfObservedTimes(Number(id), Number(guard), until);
        if (ok) leased++;
      }
    });
    return leased;
  }

  /**
   * Gives an item's lease back (it was not fetched), so the next round takes it at once; with
   * `refund`, what the budget granted it is given back too (it never started).
   */
  release(item: WorkItem, refund = false): void {
    if (item.type === 'check') this.leases.releaseTarget(item.rowId, this.owner);
    else this.leases.releaseSource(item.sourceId, this.owner);
    if (refund) this.deps.budget?.released(item);
  }

  /**
   * Moves an item that failed to `at`, so a broken item does not come back at once. What the
   * budget granted it stays spent: its requests may have gone out.
   */
  defer(item: WorkItem, at: number): void {
    this.deps.budget?.failed(item);
    if (item.type === 'check') this.deps.store.deferTarget(item.rowId, at);
    else this.deps.store.deferSource(item.sourceId, at);
  }

  /** When the next source or target falls due, null when nothing is scheduled. */
  nextDueAt(): number | null {
    return this.deps.store.nextDueAt();
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

  private checkItem(t: DueTarget): WorkItem {
    return {
      type: 'check',
      key: checkKey(t),
      rowId: t.rowId,
      target: { platform: t.platform, kind: t.kind, id: t.id },
      url: t.url || undefined,
    };
  }
}
