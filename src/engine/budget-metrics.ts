import { Gauge, type Registry } from 'prom-client';
import type { Config } from '../config/types';
import { PLATFORMS } from '../domain/glossary';
import type { Store } from '../store/store';
import { BUDGET_CLASSES } from './budget';
import { storedBudgetUsage } from './budget-gate';

/**
 * Adds the request budget to a metrics registry, read from the store at each scrape (so it shows
 * the recorder's figures in either mode): requests spent in the last hour and what each class
 * could still start, by platform and class, and each platform's limit (absent when unlimited).
 */
export function registerBudgetMetrics(
  registry: Registry,
  config: Pick<Config, 'platforms'>,
  store: Store,
  now: () => number = Date.now,
): void {
  const usage = () => storedBudgetUsage(config, store, now());
  new Gauge({
    name: 'censorwatch_budget_used_requests',
    help: 'Requests spent in the last hour, by platform and budget class (discovery, confirm, early, recheck).',
    labelNames: ['platform', 'class'],
    registers: [registry],
    collect() {
      const u = usage();
      for (const p of PLATFORMS)
        for (const c of BUDGET_CLASSES) this.set({ platform: p, class: c }, u[p].byClass[c]);
    },
  });
  new Gauge({
    name: 'censorwatch_budget_available_requests',
    help: 'Requests each budget class could still start now, its reserve for the classes above kept free.',
    labelNames: ['platform', 'class'],
    registers: [registry],
    collect() {
      const u = usage();
      for (const p of PLATFORMS)
        for (const c of BUDGET_CLASSES) {
          const a = u[p].available[c];
          if (a !== null) this.set({ platform: p, class: c }, a);
        }
    },
  });
  new Gauge({
    name: 'censorwatch_budget_limit_requests',
    help: 'Request budget per hour of each platform (platforms.<p>.budget); absent when unlimited.',
    labelNames: ['platform'],
    registers: [registry],
    collect() {
      for (const p of PLATFORMS) {
        const limit = config.platforms[p].budget;
        if (limit !== null) this.set({ platform: p }, limit);
      }
    },
  });
}
