import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../store/store';
import type { RecordedEvent } from './recorder';
import { answersOf, type WorkResult } from './work';

/**
 * Prometheus metrics of a monitoring process: observations by platform and outcome, events by
 * type, work due now, and detection lag (the width of each deletion window, the most a deletion
 * can have gone unnoticed). Each process has its own registry.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly observations: Counter<'platform' | 'outcome'>;
  private readonly events: Counter<'type'>;
  private readonly lag: Histogram<'platform'>;
  private readonly unparseable: Counter<'platform' | 'endpoint'>;

  constructor(store?: Store, now: () => number = Date.now) {
    this.observations = new Counter({
      name: 'censorwatch_observations_total',
      help: 'Fetch results recorded, by platform and outcome (listing pages count by their own outcome).',
      labelNames: ['platform', 'outcome'],
      registers: [this.registry],
    });
    this.events = new Counter({
      name: 'censorwatch_events_total',
      help: 'Events recorded, by type.',
      labelNames: ['type'],
      registers: [this.registry],
    });
    this.lag = new Histogram({
      name: 'censorwatch_detection_lag_seconds',
      help: 'Width of each deletion window (last alive, first gone]: how long a deletion could go unseen.',
      labelNames: ['platform'],
      buckets: [60, 300, 600, 1800, 3600, 7200, 21_600, 86_400, 259_200],
      registers: [this.registry],
    });
    this.unparseable = new Counter({
      name: 'censorwatch_unparseable_total',
      help: 'Answers that did not parse (unknown template, maintenance, challenge, cut-off), by platform and endpoint.',
      labelNames: ['platform', 'endpoint'],
      registers: [this.registry],
    });
    if (store) {
      new Gauge({
        name: 'censorwatch_work_due',
        help: 'Checks and discovery rounds due now and not yet taken.',
        registers: [this.registry],
        collect() {
          this.set(store.countDue(now()));
        },
      });
    }
  }

  /** Counts a recorded result's outcomes. */
  observeResult(result: WorkResult): void {
    const platform = result.type === 'check' ? result.item.target.platform : result.item.platform;
    for (const a of answersOf(result))
      if (a.outcome === 'unparseable') this.unparseable.inc({ platform, endpoint: a.endpoint });
    if (result.type === 'check') {
      for (const o of result.observations)
        this.observations.inc({ platform: o.target.platform, outcome: o.outcome });
    } else {
      for (const p of result.pages)
        this.observations.inc({ platform: result.item.platform, outcome: p.listing.outcome });
    }
  }

  /** Counts events, and the deletion window of every `post.gone`. */
  observeEvents(events: readonly RecordedEvent[]): void {
    for (const e of events) {
      this.events.inc({ type: e.type });
      const window = e.detail.window;
      if (
        e.type === 'post.gone' &&
        Array.isArray(window) &&
        typeof window[0] === 'number' &&
        typeof window[1] === 'number'
      ) {
        this.lag.observe({ platform: e.platform }, (window[1] - window[0]) / 1000);
      }
    }
  }

  /** The exposition text, for GET /metrics. */
  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
