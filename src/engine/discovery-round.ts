import type { RoundResult } from '../domain/discovery-cadence';
import type { RecordedEvent } from './recorder';
import type { WorkResult } from './work';

/**
 * What a recorded discovery round found, for its source's cadence: the targets it brought to the
 * watch (`post.discovered`), and whether it ran out of pages while every listed post was new.
 */
export function roundResult(
  result: Extract<WorkResult, { type: 'discover' }>,
  events: readonly RecordedEvent[],
): RoundResult {
  const newTargets = events.filter((e) => e.type === 'post.discovered').length;
  const listed = result.pages.reduce(
    (n, p) => n + p.listing.observations.filter((o) => o.outcome === 'alive').length,
    0,
  );
  const last = result.pages[result.pages.length - 1];
  const overflowed =
    listed > 0 &&
    newTargets >= listed &&
    result.pages.length >= result.item.maxPages &&
    last?.listing.outcome === 'results' &&
    !!last.listing.nextCursor;
  return { newTargets, overflowed };
}
