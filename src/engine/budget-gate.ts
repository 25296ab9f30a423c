import type { Config } from '../config/types';
import { PLATFORMS, type Platform } from '../domain/glossary';
import { BudgetSpendStore } from '../store/budget-spend';
import type { DueTarget, Store, TargetRow } from '../store/store';
import {
  BUDGET_CLASSES,
  BUDGET_WINDOW_MS,
  type BudgetClass,
  type BudgetUsage,
  budgetUsage,
  checkClass,
  type OpenSpend,
  RequestBudget,
} from './budget';
import type { WorkItem, WorkResult } from './work';

const MINUTE = 60_000;

/** The budget limits of a config, per platform. */
export function budgetLimits(config: Pick<Config, 'platforms'>): Record<Platform, number | null> {
  return Object.fromEntries(PLATFORMS.map((p) => [p, config.platforms[p].budget])) as Record<
    Platform,
    number | null
  >;
}

/** Work out in the pipeline as {@link BudgetGate.carryOut} counts it: the item, and its target for a check. */
export interface OutWork {
  readonly item: WorkItem;
  readonly target: Pick<DueTarget, 'platform' | 'state'> | null;
}

/**
 * The engine's side of the request budget: admits due work by class before it is dispatched, and
 * writes what each recorded result spent to the store (the recorder is its only writer, in either
 * mode). A new gate counts the store's last hour, so a restart does not spend the hour twice.
 */
export class BudgetGate {
  private ledger: RequestBudget;
  private readonly spent: BudgetSpendStore;

  constructor(
    private readonly config: Pick<Config, 'platforms'>,
    store: Store,
    now: number,
  ) {
    this.spent = new BudgetSpendStore(store);
    this.ledger = this.stored(now);
  }

  /** The ledger: what was admitted in the last hour, by platform and class. */
  get budget(): RequestBudget {
    return this.ledger;
  }

  /** A ledger of the store's last hour. */
  private stored(now: number): RequestBudget {
    const budget = new RequestBudget(budgetLimits(this.config));
    // A minute's spending counted at the minute's end: it leaves the window no sooner than it really does.
    for (const r of this.spent.since(now, BUDGET_WINDOW_MS))
      if (isClass(r.cls)) budget.seed(r.platform, r.cls, Math.min(now, r.minute + MINUTE - 1), r.requests);
    return budget;
  }

  /**
   * For a gate whose results another process records (the distributed scheduler's): reads the
   * hour again from the store, where the recorder stored what each result really spent, and keeps
   * what this gate admitted that `recorded` says is not stored yet (its work still in the pipeline).
   * Read both in one transaction, so no result is counted twice or missed.
   */
  resync(now: number, recorded: (key: string) => boolean): void {
    const pending = this.ledger.openSpends().filter((s) => s.at > now - BUDGET_WINDOW_MS && !recorded(s.key));
    const fresh = this.stored(now);
    fresh.carry(pending);
    this.ledger = fresh;
  }

  /**
   * Counts work that is out in the pipeline without this gate having admitted it — sent out by a
   * scheduler that ran before this one, its result not recorded yet — each at the time it went
   * out, open under its key until {@link resync} finds it recorded. A key already open is left as
   * it is. A round counts its `maxPages`: what it was granted is not known here, and more is the
   * safe side. Returns the requests counted.
   */
  carryOut(work: Iterable<{ readonly work: OutWork; readonly at: number }>, now: number): number {
    const spends: OpenSpend[] = [];
    for (const { work: w, at } of work) {
      const { item, target } = w;
      // Out of the window already: it no longer counts (and must not enter the ledger behind its head).
      if (this.ledger.isOpen(item.key) || at <= now - BUDGET_WINDOW_MS) continue;
      if (item.type === 'discover')
        spends.push({ key: item.key, platform: item.platform, cls: 'discovery', at, n: item.maxPages });
      else if (target)
        spends.push({
          key: item.key,
          platform: target.platform,
          cls: checkClass(target.state, at),
          at,
          n: 1,
        });
    }
    if (spends.length) this.ledger.carry(spends);
    return spends.reduce((n, s) => n + s.n, 0);
  }

  /**
   * A due discovery round, with as many pages as the budget grants (at least one), or the time it
   * may run when the budget has no room for it now.
   */
  admitDiscovery(item: Extract<WorkItem, { type: 'discover' }>, now: number): WorkItem | number {
    const a = this.budget.admit(item.platform, 'discovery', item.maxPages, now, item.key, 1);
    return 'retryAt' in a ? a.retryAt : { ...item, maxPages: a.granted };
  }

  /** Whether a due check may start now: null when admitted, otherwise when it may. */
  admitCheck(t: Pick<DueTarget, 'platform' | 'state'>, key: string, now: number): number | null {
    const a = this.budget.admit(t.platform, checkClass(t.state, now), 1, now, key);
    return 'retryAt' in a ? a.retryAt : null;
  }

  /** Gives back what a taken item had been granted, when it was released without running. */
  released(item: WorkItem): void {
    this.budget.refund(item.key);
  }

  /** Closes an item that failed: what it was granted stays spent (its requests may have gone out). */
  failed(item: WorkItem): void {
    this.budget.settle(item.key);
  }

  /**
   * Settles a recorded result at what it really spent (a check one request, a round its pages)
   * and stores it by class; `checked` is the target as it was before the result was applied.
   * With `undos`, what takes the settling back is pushed onto it (the stored spending goes back
   * with the transaction's rollback by itself).
   */
  recorded(result: WorkResult, checked: TargetRow | undefined, now: number, undos?: (() => void)[]): void {
    const platform = result.type === 'check' ? result.item.target.platform : result.item.platform;
    const requests = result.type === 'check' ? 1 : result.pages.length;
    // Stored at the time it was admitted, where this process admitted it, so the stored hour is the ledger's.
    const at = this.budget.settle(result.item.key, requests, undos) ?? now;
    const cls: BudgetClass =
      result.type === 'discover' ? 'discovery' : checked ? checkClass(checked.state, at) : 'recheck';
    this.spent.add(platform, cls, at, requests);
  }
}

/**
 * The budget of every platform as the store records it: the last hour's requests by class against
 * the config's limits. For `status` and metrics, which read the store of a run they are not part of.
 */
export function storedBudgetUsage(
  config: Pick<Config, 'platforms'>,
  store: Store,
  now: number,
): Record<Platform, BudgetUsage> {
  const rows = new BudgetSpendStore(store).since(now, BUDGET_WINDOW_MS);
  const out = {} as Record<Platform, BudgetUsage>;
  for (const p of PLATFORMS) {
    const byClass = Object.fromEntries(BUDGET_CLASSES.map((c) => [c, 0])) as Record<BudgetClass, number>;
    let used = 0;
    // Whole minutes: the oldest is counted as long as any of it is inside the hour.
    for (const r of rows) {
      if (r.platform !== p || !isClass(r.cls) || r.minute + MINUTE <= now - BUDGET_WINDOW_MS) continue;
      byClass[r.cls] += r.requests;
      used += r.requests;
    }
    out[p] = budgetUsage(config.platforms[p].budget, used, byClass);
  }
  return out;
}

function isClass(c: string): c is BudgetClass {
  return (BUDGET_CLASSES as readonly string[]).includes(c);
}
