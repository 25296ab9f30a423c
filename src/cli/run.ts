import type { Logger } from 'pino';
import type { Config } from '../config/types';
import { systemClock } from '../domain/clock';
import { Alerter } from '../alerts/alerter';
import { resolveExplicitTargets } from '../engine/explicit-targets';
import type { Store } from '../store/store';
import { openRecordingStore } from './recording-store';
import { createEngine, createPlatforms } from './compose';
import { logEvents } from './log-events';
import { assertMetricsAccess, serveMetrics } from './metrics-server';
import type { Metrics } from '../engine/metrics';
import { runIsGone } from '../engine/run-owner';
import { LeaseStore } from '../store/leases';
import type { DatabaseTakenOverError } from '../store/owner';
import { claimDatabase, type DatabaseClaim } from './db-owner';
import { evidenceWorkFor } from './evidence-work';
import { startProgress } from './progress';
import { afterLong } from './timers';

export interface RunCommandOptions {
  readonly config: Config;
  /** Stop after this long (ms); run until a signal otherwise. */
  readonly duration: number | null;
  readonly logger: Logger;
  /** Aborts the run; the CLI wires SIGINT/SIGTERM to it. */
  readonly signal: AbortSignal;
  /** Serve Prometheus metrics here; a host other than loopback needs `token`. */
  readonly metrics?: { readonly host: string; readonly port: number; readonly token: string | null };
}

/**
 * Embedded mode: scheduler, fetchers and recorder in this process, SQLite as the only state.
 * The run's leases carry its id, and at start it takes back the leases of runs that no longer run
 * (killed, crashed), so a crash costs a restart, not the lease time. The end of `duration` and
 * the signal both abort everything in progress (politeness waits, backoffs, retries, fetches);
 * results cut short are dropped and their leases given back before the store closes.
 */
export async function runEmbedded(o: RunCommandOptions): Promise<void> {
  const { config, logger } = o;
  if (o.metrics) assertMetricsAccess(o.metrics.host, o.metrics.token);
  // Listen first: a port in use is one usage error naming --metrics, before any database is opened or created.
  let metrics: Metrics | null = null;
  const metricsServer = o.metrics
    ? await serveMetrics({
        metrics: { text: () => (metrics ? metrics.text() : Promise.reject(new Error('starting'))) },
        ...o.metrics,
      })
    : null;
  let platforms: ReturnType<typeof createPlatforms> | null = null;
  let store: Store | null = null;
  let claim: DatabaseClaim;
  // The duration ends the run the way a signal does: whatever wait is in progress is cut short.
  // A plain controller and timer: a signal from AbortSignal.any/timeout can be collected before it fires.
  const stopper = new AbortController();
  let lost: DatabaseTakenOverError | null = null;
  try {
    platforms = createPlatforms(config, systemClock, logger);
    resolveExplicitTargets(config, platforms.adapters);
    store = openRecordingStore(config.database, config.source);
    // One writer per database: a second run refuses here, before it has written anything.
    claim = claimDatabase({
      store,
      database: config.database,
      role: 'run',
      clock: systemClock,
      logger,
      onLost: (err) => {
        lost = err;
        stopper.abort();
      },
    });
  } catch (err) {
    store?.close();
    await platforms?.close();
    await metricsServer?.close();
    throw err;
  }
  const leases = new LeaseStore(store);
  const self = claim.self;
  const stop = stopper.signal;
  const onSignal = (): void => stopper.abort(o.signal.reason);
  if (o.signal.aborted) onSignal();
  else o.signal.addEventListener('abort', onSignal, { once: true });
  const cancelDuration = o.duration !== null ? afterLong(o.duration, () => stopper.abort()) : null;
  try {
    if (metricsServer) {
      // prom-client is loaded only for a run that serves metrics.
      const [{ Metrics }, { registerBudgetMetrics }] = await Promise.all([
        import('../engine/metrics'),
        import('../engine/budget-metrics'),
      ]);
      metrics = new Metrics(store);
      registerBudgetMetrics(metrics.registry, config, store);
      logger.info({ url: metricsServer.url }, 'metrics');
    }
    const logOne = logEvents(logger);
    const engine = createEngine({
      config,
      store,
      adapters: platforms.adapters,
      clock: systemClock,
      logger,
      onEvents: (events) => {
        logOne(events);
        metrics?.observeEvents(events);
      },
      onResult: (result) => metrics?.observeResult(result),
      leaseOwner: self.id,
    });
    engine.sync();
    engine.reclaimLeases((holder) => runIsGone(holder, self, systemClock.now()));
    const alerter = config.alerts.webhooks.length
      ? new Alerter({ store, webhooks: config.alerts.webhooks, clock: systemClock, logger })
      : null;
    const stopAlerts = new AbortController();
    const alerting = alerter?.runUntil(stopAlerts.signal);
    // Time-stamps and screenshots run beside monitoring: a failure is retried and never stops a check.
    const evidence = evidenceWorkFor(config, store, platforms, systemClock, logger);
    const stamping = evidence.run(stopAlerts.signal);
    const until = o.duration === null ? undefined : systemClock.now() + o.duration;
    logger.info(
      {
        database: config.database,
        watches: config.watches.length,
        until: until ? new Date(until).toISOString() : null,
      },
      'monitoring',
    );
    const stopProgress = startProgress({
      store,
      clock: systemClock,
      logger,
      counters: () => engine.counters,
    });
    try {
      await engine.run({ until, signal: stop });
    } finally {
      stopProgress();
      stopAlerts.abort();
      await alerting;
      await stamping;
      await evidence.close();
      // One last round so events recorded at the very end are sent before the store closes.
      if (alerter && !o.signal.aborted) await alerter.poll();
      alerter?.close();
    }
    logger.info({ ...engine.counters }, 'stopped');
  } finally {
    cancelDuration?.();
    o.signal.removeEventListener('abort', onSignal);
    await metricsServer?.close();
    await platforms.close();
    leases.release(self.id, systemClock.now());
    // Last, so a run that starts meanwhile waits for this one's leases to be given back.
    claim.release();
    store.close();
  }
  if (lost) throw lost;
}
