/**
 * The request budget of each platform: at most `platforms.<p>.budget` requests in any hour,
 * shared between kinds of work by priority. On Weibo requests are the scarce resource (about one
 * every 2 s before 418s start), and a post never discovered can never be caught, while a late
 * re-check still finds a deletion, only later. So the classes, highest first:
 *
 * 1. `discovery` — keyword and account listing pages (a round costs its pages);
 * 2. `confirm` — checks of targets found gone once and awaiting confirmation;
 * 3. `early` — checks of targets first seen less than an hour ago, when most deletions happen;
 * 4. `recheck` — every other check.
 *
 * Priority works by reserve: a class may spend only while the hour's spending leaves at least its
 * reserve (a share of the budget) free, so a backlog of re-checks never takes the last requests of
 * the hour from the discovery rounds that come due meanwhile. Discovery alone has a ceiling: many
 * keywords polled often could otherwise take the whole hour and leave nothing to see a deletion
 * with. Pure apart from the state it keeps: time comes in as arguments.
 */
import type { Platform, Verdict } from '../domain/glossary';

/** The kinds of work the budget tells apart, highest priority first. */
export const BUDGET_CLASSES = ['discovery', 'confirm', 'early', 'recheck'] as const;
export type BudgetClass = (typeof BUDGET_CLASSES)[number];

/**
 * Share of the hourly budget each class leaves free for the classes above it. Confirmations are
 * few (one or two per deletion) and are the proof itself, so they keep a small reserve only; the
 * bulk of re-checks leaves a quarter of the hour to discovery and to the first hour of new posts.
 */
export const BUDGET_RESERVE: Readonly<Record<BudgetClass, number>> = {
  discovery: 0,
  confirm: 0.05,
  early: 0.1,
  recheck: 0.25,
};

/**
 * Most of the hourly budget one class may hold. Discovery stops at 60%, so that at least 40% is
 * left to re-check and confirm what it found; the checks have no ceiling of their own.
 */
export const BUDGET_CEILING: Readonly<Record<BudgetClass, number>> = {
  discovery: 0.6,
  confirm: 1,
  early: 1,
  recheck: 1,
};

/** The window the budget counts in. */
export const BUDGET_WINDOW_MS = 3_600_000;

/** Age below which a target's checks are `early`. */
export const EARLY_AGE_MS = 3_600_000;

/** The class of a check of a target in `state` at `now`. */
export function checkClass(
  state: { readonly verdict: Verdict; readonly firstSeenAt: number },
  now: number,
): BudgetClass {
  if (state.verdict === 'unconfirmed') return 'confirm';
  return now - state.firstSeenAt < EARLY_AGE_MS ? 'early' : 'recheck';
}

/**
 * The default budget of a platform: what its per-host politeness lets one host serve in an hour
 * (1,800 for Weibo's 2 s), so a config without a `budget` key behaves as before, with priority.
 * Null (unlimited) when there is no politeness wait.
 */
export function defaultBudget(minIntervalMs: number): number | null {
  return minIntervalMs > 0 ? Math.floor(BUDGET_WINDOW_MS / minIntervalMs) : null;
}

/** One platform's spending as the budget sees it. */
export interface BudgetUsage {
  /** Requests per hour; null when unlimited. */
  readonly limit: number | null;
  /** Requests spent in the last hour, in all. */
  readonly used: number;
  /** ... by class. */
  readonly byClass: Readonly<Record<BudgetClass, number>>;
  /** What each class could still start now (its reserve kept free); null when unlimited. */
  readonly available: Readonly<Record<BudgetClass, number | null>>;
}

/** What {@link RequestBudget.admit} decided: how many requests may start, or when to ask again. */
export type Admission = { readonly granted: number } | { readonly retryAt: number };

/** Most requests of class `cls` the hour may hold: the budget less the class's reserve (at least 1). */
export function classCap(limit: number, cls: BudgetClass): number {
  return Math.max(1, Math.floor(limit * (1 - BUDGET_RESERVE[cls])));
}

/** Most requests of class `cls` the hour may hold of its own (its ceiling, at least 1). */
export function classCeiling(limit: number, cls: BudgetClass): number {
  return Math.max(1, Math.floor(limit * BUDGET_CEILING[cls]));
}

/** A spend admitted under a key and not settled yet (see {@link RequestBudget.carry}). */
export interface OpenSpend {
  readonly key: string;
  readonly platform: Platform;
  readonly cls: BudgetClass;
  readonly at: number;
  readonly n: number;
}

/**
 * Requests admitted at one moment (or, on an unlimited platform, in one second: see {@link add}),
 * counted in its ledger's totals while inside the window.
 */
interface Spend {
  readonly at: number;
  readonly cls: BudgetClass;
  n: number;
  readonly ledger: Ledger;
  /** Still inside the window (counted in its ledger's totals). */
  live: boolean;
}

/**
 * The per-platform spending ledger. {@link admit} decides and records in one call; a spend's cost
 * can be corrected once the work is done ({@link settle}: a discovery round reserves its
 * `maxPages` and often needs fewer).
 */
export class RequestBudget {
  private readonly ledgers = new Map<Platform, Ledger>();
  /** Keyed spends not settled yet: the spend they are counted in, when and how much was admitted. */
  private readonly open = new Map<string, { spend: Spend; at: number; n: number }>();

  /** @param limits - requests per hour per platform; null or absent is unlimited. */
  constructor(private readonly limits: Readonly<Partial<Record<Platform, number | null>>>) {}

  /** The budget of `platform` (requests per hour), null when unlimited. */
  limit(platform: Platform): number | null {
    return this.limits[platform] ?? null;
  }

  /**
   * Admits up to `cost` requests of class `cls` at `now`, at least `min` of them, if the
   * platform's last hour leaves room above the class's reserve, and records them under `key` (for
   * {@link settle}). A discovery round asks for its `maxPages` with `min` 1 and may be granted fewer
   * pages; a check asks for exactly 1. Otherwise says when `min` would be admitted.
   */
  admit(
    platform: Platform,
    cls: BudgetClass,
    cost: number,
    now: number,
    key?: string,
    min: number = cost,
  ): Admission {
    const limit = this.limit(platform);
    const ledger = this.window(platform, now);
    let granted = cost;
    if (limit !== null) {
      const cap = classCap(limit, cls);
      const ceiling = classCeiling(limit, cls);
      let used = ledger.used;
      let own = ledger.byClass[cls];
      const room = (): number => Math.min(cap - used, ceiling - own);
      granted = Math.min(cost, room());
      if (granted < min) {
        // The oldest spends leave the window first: the first moment enough of them have gone.
        for (let i = ledger.head; i < ledger.spends.length; i++) {
          const s = ledger.spends[i]!;
          used -= s.n;
          if (s.cls === cls) own -= s.n;
          if (room() >= min) return { retryAt: s.at + BUDGET_WINDOW_MS };
        }
        // More than the class may ever spend in an hour: refused for good, said as an hour away.
        return { retryAt: now + BUDGET_WINDOW_MS };
      }
    }
    const spend = add(ledger, now, cls, granted, limit === null);
    if (key !== undefined) this.open.set(key, { spend, at: now, n: granted });
    return { granted };
  }

  /**
   * Closes the spend admitted under `key`, corrected to what the work really took when `actual`
   * is given (kept as granted otherwise). Returns when it was admitted, null for an unknown key.
   * With `undos`, a function that opens the spend again as it was is pushed onto it.
   */
  settle(key: string, actual?: number, undos?: (() => void)[]): number | null {
    const open = this.open.get(key);
    if (!open) return null;
    this.open.delete(key);
    const { spend } = open;
    const change = actual === undefined ? 0 : Math.max(0, actual) - open.n;
    if (change !== 0) {
      if (spend.live) {
        spend.ledger.used += change;
        spend.ledger.byClass[spend.cls] += change;
      }
      spend.n += change;
    }
    // Open again as it was; a spend that left the window since took its whole count with it.
    undos?.push(() => {
      this.open.set(key, open);
      if (change === 0) return;
      if (spend.live) {
        spend.ledger.used -= change;
        spend.ledger.byClass[spend.cls] -= change;
      }
      spend.n -= change;
    });
    return open.at;
  }

  /** The spends admitted under a key and not settled yet. */
  openSpends(): OpenSpend[] {
    return [...this.open].map(([key, { spend, at, n }]) => ({
      key,
      platform: spend.ledger.platform,
      cls: spend.cls,
      at,
      n,
    }));
  }

  /**
   * Counts spends admitted by an earlier ledger this one replaces, each open again under its key.
   * Call it after {@link seed} and before admitting anything.
   */
  carry(spends: readonly OpenSpend[]): void {
    const touched = new Set<Ledger>();
    for (const s of spends) {
      const ledger = this.ledger(s.platform);
      this.open.set(s.key, { spend: add(ledger, s.at, s.cls, s.n), at: s.at, n: s.n });
      touched.add(ledger);
    }
    for (const ledger of touched) ledger.spends.sort((a, b) => a.at - b.at);
  }

  /** Whether a spend is open under `key` (admitted or carried, not settled yet). */
  isOpen(key: string): boolean {
    return this.open.has(key);
  }

  /** Gives back a spend whose work never ran (released before it started). */
  refund(key: string): void {
    this.settle(key, 0);
  }

  /**
   * Counts requests spent before this ledger started (by an earlier run, read from the store), so
   * a restart does not grant the hour's budget twice. Call it before admitting anything.
   */
  seed(platform: Platform, cls: BudgetClass, at: number, n: number): void {
    if (n <= 0) return;
    const ledger = this.ledger(platform);
    add(ledger, at, cls, n);
    ledger.spends.sort((a, b) => a.at - b.at);
  }

  /** The platform's spending in the hour up to `now`, and what each class could still start. */
  usage(platform: Platform, now: number): BudgetUsage {
    const ledger = this.window(platform, now);
    return budgetUsage(this.limit(platform), ledger.used, { ...ledger.byClass });
  }

  private ledger(platform: Platform): Ledger {
    let ledger = this.ledgers.get(platform);
    if (!ledger) {
      ledger = { platform, spends: [], head: 0, used: 0, byClass: zeroes() };
      this.ledgers.set(platform, ledger);
    }
    return ledger;
  }

  /** The platform's ledger with the spends older than an hour dropped from its totals. */
  private window(platform: Platform, now: number): Ledger {
    const ledger = this.ledger(platform);
    const { spends } = ledger;
    while (ledger.head < spends.length && spends[ledger.head]!.at <= now - BUDGET_WINDOW_MS) {
      const s = spends[ledger.head++]!;
      s.live = false;
      ledger.used -= s.n;
      ledger.byClass[s.cls] -= s.n;
    }
    // Compacted now and then rather than shifted per drop, which would cost the whole array each time.
    if (ledger.head > 1024 && ledger.head * 2 > spends.length) {
      spends.splice(0, ledger.head);
      ledger.head = 0;
    }
    return ledger;
  }
}

interface Ledger {
  readonly platform: Platform;
  readonly spends: Spend[];
  /** Index of the oldest spend still in the window. */
  head: number;
  used: number;
  readonly byClass: Record<BudgetClass, number>;
}

function zeroes(): Record<BudgetClass, number> {
  return Object.fromEntries(BUDGET_CLASSES.map((c) => [c, 0])) as Record<BudgetClass, number>;
}

/**
 * Counts `n` requests at `at`. With `coarse` (an unlimited platform: no admission reads the
 * ledger, only the hour's totals are shown) requests of one class in the same second share one
 * spend, so an hour of fast checks costs at most 3,600 spends per class instead of one object per
 * request (89 bytes each, held for the hour: 600 MB at 2,000 checks/s).
 */
function add(ledger: Ledger, at: number, cls: BudgetClass, n: number, coarse = false): Spend {
  const last = ledger.spends[ledger.spends.length - 1];
  if (coarse && last?.live && last.cls === cls && Math.floor(last.at / 1000) === Math.floor(at / 1000)) {
    last.n += n;
    ledger.used += n;
    ledger.byClass[cls] += n;
    return last;
  }
  const spend: Spend = { at, cls, n, ledger, live: true };
  ledger.spends.push(spend);
  ledger.used += n;
  ledger.byClass[cls] += n;
  return spend;
}

/** A {@link BudgetUsage} from a limit and the hour's spending by class. */
export function budgetUsage(
  limit: number | null,
  used: number,
  byClass: Readonly<Record<BudgetClass, number>>,
): BudgetUsage {
  const available = Object.fromEntries(
    BUDGET_CLASSES.map((c) => [
      c,
      limit === null
        ? null
        : Math.max(0, Math.min(classCap(limit, c) - used, classCeiling(limit, c) - byClass[c])),
    ]),
  ) as Record<BudgetClass, number | null>;
  return { limit, used, byClass, available };
}
