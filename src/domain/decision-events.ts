/** Events as a decision plans them and as the store records them. */
import type { Cause, DomainEvent, EventType, Platform, TargetRef } from './glossary';

/** An event to insert, once per watch, unless its dedupe key is stored. */
export interface PlannedEvent {
  readonly type: EventType;
  readonly at: number;
  readonly platform: Platform;
  /** The target it is about; null for search and monitor events. */
  readonly target: TargetRef | null;
  readonly keyword: string | null;
  readonly cause: Cause | null;
  readonly detail: Record<string, unknown>;
  /** One row per watch; `[null]` for an event of no watch. */
  readonly watchIds: readonly (string | null)[];
  /**
   * Stem of the dedupe key ({@link eventDedupeKey} adds type and watch). For an event of a target
   * it is built from the target's row id, known only once a new target is stored.
   */
  readonly key: string | ((targetRowId: number) => string);
}

/** An event as recorded, with its row id and watch. */
export interface RecordedEvent extends DomainEvent {
  readonly id: number;
  readonly watch: string | null;
}

/** The dedupe key of one row of a planned event. */
export function eventDedupeKey(e: PlannedEvent, targetRowId: number | null, watch: string | null): string {
  const stem = typeof e.key === 'string' ? e.key : e.key(targetRowId ?? 0);
  return `${stem}:${e.type}:${watch ?? ''}`;
}
