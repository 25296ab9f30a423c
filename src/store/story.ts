import { sqlOf, type SqlOwner } from './db';
import { EventRepository, type StoryEvent } from './events';

export type { StoryEvent } from './events';

/** A target's events in order, one per type and time (an event is stored once per watch). */
export function targetEvents(store: SqlOwner, targetRowId: number): StoryEvent[] {
  return new EventRepository(sqlOf(store)).ofTarget(targetRowId);
}
