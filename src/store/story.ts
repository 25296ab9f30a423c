/** The SQL `show` needs beyond the repositories: a target's own events. */
export interface StoryDb {
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
}

/** One event of a target, as `show` tells it. */
export interface StoryEvent {
  readonly type: string;
  readonly at: number;
  readonly cause: string | null;
  readonly detail: Record<string, unknown>;
}

/** A target's events in order, one per type and time (an event is stored once per watch). */
export function targetEvents(db: StoryDb, targetRowId: number): StoryEvent[] {
  return db
    .query<{ type: string; at: number; cause: string | null; detail: string }>(
      `SELECT type, at, cause, MIN(detail) AS detail FROM events WHERE target_id = ? GROUP BY type, at, cause ORDER BY at, MIN(id)`,
      targetRowId,
    )
    .map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
