import type { Config } from '../config/types';
import { PLATFORMS } from '../domain/glossary';
import { BUDGET_CLASSES, type BudgetUsage } from '../engine/budget';
import { storedBudgetUsage } from '../engine/budget-gate';
import type { Store } from '../store/store';

/** The request budget of each platform as `status` shows it: the last hour's split by class. */
export type BudgetStatus = readonly ({ readonly platform: string } & BudgetUsage)[];

/** Gathers the budget section of `status` from the store. */
export function budgetStatus(config: Pick<Config, 'platforms'>, store: Store, now: number): BudgetStatus {
  const usage = storedBudgetUsage(config, store, now);
  return PLATFORMS.map((platform) => ({ platform, ...usage[platform] }));
}

/** Renders the budget section: one line per platform, used/available per class. */
export function renderBudget(budget: BudgetStatus): string[] {
  const lines = ['', 'request budget (last hour; used/available per class, highest priority first):'];
  for (const b of budget) {
    const limit = b.limit === null ? 'unlimited' : `${b.used}/${b.limit}`;
    const classes = BUDGET_CLASSES.map(
      (c) => `${c} ${b.byClass[c]}/${b.available[c] === null ? '∞' : b.available[c]}`,
    ).join(', ');
    lines.push(`  ${b.platform}: ${limit} — ${classes}`);
  }
  return lines;
}
