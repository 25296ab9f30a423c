import { endpointParsing } from '../store/endpoints';
import { budgetStatus, renderBudget, type BudgetStatus } from './status-budget';
import type { Config } from '../config/types';
import { isoUtc } from '../domain/clock';
import { cadenceOptions, type CadenceOptions } from '../domain/discovery-cadence';
import { formatDuration, plural } from '../report/format';
import { SourceCadenceStore, type SourceCadence } from '../store/cadence';
import { ScreenshotStore, type ScreenshotState } from '../store/screenshots';
import type { Store } from '../store/store';
import { countDeliveries, listDeadLetters, type DeadLetter, type DeliveryCount } from '../alerts/alerter';

/** What `status` shows, as data (rendered as text, or printed as JSON with --json). */
export interface StatusReport {
  readonly database: string;
  readonly mode: 'embedded' | 'distributed';
  readonly watches: readonly {
    id: string;
    name: string;
    targets: Record<string, number>;
    keywords: readonly {
      platform: string;
      query: string;
      state: string | null;
      blocked: boolean;
      lastRunAt: string | null;
      /** What the last page fetched showed, with its message (a transient failure shows here). */
      lastOutcome: string | null;
      /** Its current interval between discovery rounds (ms), adapted within `discovery`'s bounds. */
      discoveryIntervalMs: number;
      /** The last round that set that interval: when, and how many posts new to the watch it brought. */
      lastRound: { at: string; newPosts: number } | null;
      nextRunAt: string | null;
    }[];
  }[];
  /** Where every keyword's and account's discovery interval starts, and the bounds it adapts within (ms). */
  readonly discovery: { readonly everyMs: number; readonly minMs: number; readonly maxMs: number };
  readonly targetsByVerdict: Record<string, number>;
  readonly dueNow: number;
  readonly nextDueAt: string | null;
  /** Per endpoint: unparseable answers among its last 100 (a template change shows here). */
  readonly parsing: readonly {
    platform: string;
    endpoint: string;
    answers: number;
    unparseable: number;
    unparseableTotal: number;
    lastUnparseable: string | null;
  }[];
  /** Per platform: share of transient outcomes among the last 200 observations. */
  readonly hosts: readonly {
    platform: string;
    recent: number;
    transient: number;
    lastTransient: string | null;
  }[];
  /** The observation log's head and its time-stamps: the last granted, and failures since. */
  readonly evidence: {
    readonly logHead: { seq: number; head: string };
    readonly lastTimestamp: { seq: number; at: string | null; tsa: string } | null;
    readonly timestampFailures: number;
    readonly lastTimestampError: string | null;
    /** Screenshots by state (`evidence.screenshots`). */
    readonly screenshots: Readonly<Record<ScreenshotState, number>>;
  };
  /** Per platform: requests spent in the last hour by budget class, and what each could still start. */
  readonly budget: BudgetStatus;
  /** Webhook deliveries by state, and the dead letters (`alerts replay` re-sends them). */
  readonly alerts: {
    readonly deliveries: readonly DeliveryCount[];
    readonly deadLetters: readonly DeadLetter[];
  };
}

/** Gathers the status of a store for a config. */
export function gatherStatus(config: Config, store: Store, now: number): StatusReport {
  const bounds = cadenceOptions(config.schedule);
  const cadence = new SourceCadenceStore(store).all();
  const watches = config.watches.map((w) => {
    const targets = store.countTargetsByVerdict(w.id);
    const keywords = store.listSources(w.id).map((s) => {
      const last = store.sources.lastSearchObservation(s.id);
      return {
        platform: s.platform,
        query: `${s.mode}:${s.query}`,
        state: s.searchState,
        blocked: s.blocked,
        lastRunAt: isoUtc(s.lastRunAt),
        lastOutcome: last ? (last.message ? `${last.outcome} (${last.message})` : last.outcome) : null,
        ...discoveryOf(cadence.get(s.id), bounds),
        nextRunAt: isoUtc(s.nextRunAt),
      };
    });
    return { id: w.id, name: w.name, targets, keywords };
  });
  return {
    database: config.database,
    mode: config.queue.redis ? 'distributed' : 'embedded',
    discovery: { everyMs: bounds.base, minMs: bounds.min, maxMs: bounds.max },
    watches,
    targetsByVerdict: store.countTargetsByVerdict(),
    dueNow: store.countDue(now),
    nextDueAt: isoUtc(store.nextDueAt()),
    alerts: { deliveries: countDeliveries(store), deadLetters: listDeadLetters(store) },
    evidence: evidenceStatus(store),
    budget: budgetStatus(config, store, now),
    parsing: endpointParsing(store).map(({ lastUnparseableAt, ...p }) => ({
      ...p,
      lastUnparseable: isoUtc(lastUnparseableAt),
    })),
    hosts: store.recentTransient(200).map(({ lastTransient, ...h }) => ({
      ...h,
      lastTransient: isoUtc(lastTransient),
    })),
  };
}

/** Renders a status report for a terminal. */
export function renderStatus(s: StatusReport): string {
  const lines: string[] = [];
  lines.push(`database: ${s.database} (${s.mode} mode)`);
  lines.push(`targets: ${fmtCounts(s.targetsByVerdict)}`);
  lines.push(`due now: ${s.dueNow}; next due: ${s.nextDueAt ?? 'nothing scheduled'}`);
  const d = s.discovery;
  lines.push(
    d.minMs === d.maxMs
      ? // "adapts between 1 s and 1 s" read as a bug; equal bounds are a fixed interval.
        `discovery: each keyword and account runs every ${formatDuration(d.minMs)} (schedule.discoverMin and discoverMax are equal: it does not adapt)`
      : `discovery: each keyword and account starts every ${formatDuration(d.everyMs)}, then adapts between ${formatDuration(d.minMs)} and ${formatDuration(d.maxMs)} to how often its rounds bring new posts`,
  );
  for (const w of s.watches) {
    lines.push('', `watch ${w.id} — ${w.name}`, `  targets: ${fmtCounts(w.targets)}`);
    for (const k of w.keywords) {
      lines.push(
        `  ${k.platform} ${k.query}: ${k.blocked ? 'BLOCKED' : (k.lastOutcome ?? 'not run yet')}${k.lastRunAt ? `, last run ${k.lastRunAt}` : ''}`,
        `    every ${formatDuration(k.discoveryIntervalMs)}${k.lastRound ? `; last round ${k.lastRound.at} brought ${k.lastRound.newPosts} new` : ''}${k.nextRunAt ? `; next ${k.nextRunAt}` : ''}`,
      );
    }
  }
  if (s.hosts.length) {
    lines.push('', 'hosts (last 200 observations):');
    for (const h of s.hosts) {
      lines.push(
        `  ${h.platform}: ${h.transient}/${h.recent} transient${h.lastTransient ? `, last at ${h.lastTransient}` : ''}`,
      );
    }
  }
  lines.push(...renderBudget(s.budget));
  const odd = s.parsing.filter((p) => p.unparseableTotal > 0);
  if (odd.length) {
    lines.push('', 'unparseable answers by endpoint (of its last 100 answers; all time):');
    for (const p of odd)
      lines.push(
        `  ${p.endpoint}: ${p.unparseable}/${p.answers}; ${p.unparseableTotal} in all${p.lastUnparseable ? `, last at ${p.lastUnparseable}` : ''}`,
      );
  }
  const e = s.evidence;
  lines.push('', `log head: ${e.logHead.seq} ${e.logHead.head}`);
  const shots = e.screenshots;
  if (shots.taken + shots.wanted + shots.failed + shots.pruned > 0)
    lines.push(
      `  screenshots: ${shots.taken} taken, ${shots.wanted} waiting, ${shots.failed} given up, ${shots.pruned} pruned`,
    );
  if (e.lastTimestamp)
    lines.push(
      `  time-stamped up to entry ${e.lastTimestamp.seq}${e.lastTimestamp.at ? ` at ${e.lastTimestamp.at}` : ''} by ${e.lastTimestamp.tsa}`,
    );
  if (e.timestampFailures > 0)
    lines.push(
      `  time-stamping FAILING: ${plural(e.timestampFailures, 'attempt')} since the last granted (${e.lastTimestampError ?? ''}); retried`,
    );
  if (s.alerts.deliveries.length) {
    lines.push('', 'webhook deliveries:');
    for (const d of s.alerts.deliveries) lines.push(`  ${d.webhook}: ${d.state} ${d.count}`);
  }
  if (s.alerts.deadLetters.length) {
    lines.push(
      '',
      `dead letters (${s.alerts.deadLetters.length}; \`censorwatch alerts replay\` re-sends them):`,
    );
    for (const d of s.alerts.deadLetters.slice(0, 20)) lines.push(`  ${d.webhook}: ${d.summary}`);
  }
  return lines.join('\n') + '\n';
}

/** A source's interval now (`discoverEvery` until a round has set one) and the round that set it. */
function discoveryOf(
  c: SourceCadence | undefined,
  bounds: CadenceOptions,
): Pick<StatusReport['watches'][number]['keywords'][number], 'discoveryIntervalMs' | 'lastRound'> {
  if (!c) return { discoveryIntervalMs: bounds.base, lastRound: null };
  return { discoveryIntervalMs: c.intervalMs, lastRound: { at: isoUtc(c.updatedAt)!, newPosts: c.lastNew } };
}

function fmtCounts(c: Record<string, number>): string {
  const parts = Object.entries(c).map(([k, v]) => `${k} ${v}`);
  return parts.length ? parts.join(', ') : 'none';
}

function evidenceStatus(store: Store): StatusReport['evidence'] {
  const granted = store.timestamps.lastGranted();
  const last = store.timestamps.last();
  return {
    logHead: store.log.head(),
    lastTimestamp: granted
      ? { seq: granted.seq, at: isoUtc(granted.genTime ?? granted.requestedAt), tsa: granted.tsaUrl }
      : null,
    timestampFailures: store.timestamps.failuresSinceGrant(),
    lastTimestampError: last?.state === 'failed' ? last.error : null,
    screenshots: new ScreenshotStore(store).counts(),
  };
}
