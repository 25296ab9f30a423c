/**
 * Which targets a report or claim is about: a watch's targets first seen in a period. Reports and
 * claims both read through here, so their numbers agree.
 */
import type { Store, TargetSummary } from '../store/store';
import type { StatsTarget } from './stats';

/** A period over first-seen times, epoch ms: [since, until). Either end may be open. */
export interface Period {
  readonly since?: number;
  readonly until?: number;
}

/** Whether `at` falls in the period. */
export function inPeriod(at: number, p: Period): boolean {
  return (p.since == null || at >= p.since) && (p.until == null || at < p.until);
}

/** A watch's targets first seen in the period, posts and threads. */
export function watchTargets(store: Store, watchId: string, p: Period): TargetSummary[] {
  return store.listTargets({ watchId }).filter((t) => inPeriod(t.state.firstSeenAt, p));
}

/** The facts statistics need of each target. */
export function statsTargets(targets: readonly TargetSummary[]): StatsTarget[] {
  return targets.map((t) => ({
    kind: t.kind,
    verdict: t.state.verdict,
    cause: t.state.cause,
    firstSeenAt: t.state.firstSeenAt,
    lastAliveAt: t.state.lastAliveAt,
    goneAt: t.state.goneAt,
    createdAt: t.createdAt,
  }));
}
