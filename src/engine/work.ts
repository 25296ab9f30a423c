import type { Observation, Platform, TargetRef } from '../domain/glossary';
import type { Clock } from '../domain/clock';
import { NonRetryableError } from '../errors';
import type { DiscoveryMode, ListingResult, PlatformAdapter } from '../platforms/platform';

/** One unit of fetch work. Plain data, so it can travel through a queue. */
export type WorkItem =
  | {
      readonly type: 'check';
      readonly key: string;
      readonly rowId: number;
      readonly target: TargetRef;
      readonly url?: string;
    }
  | {
      readonly type: 'discover';
      readonly key: string;
      readonly sourceId: number;
      readonly platform: Platform;
      readonly mode: DiscoveryMode;
      readonly query: string;
      readonly maxPages: number;
      readonly searchType?: number;
    };

/** One listing page and the cursor it was fetched with (null for the first page). */
export interface FetchedPage {
  readonly cursor: string | null;
  readonly at: number;
  readonly listing: ListingResult;
}

/** What a fetcher hands to the recorder. Plain data, so it can travel through a queue. */
export type WorkResult =
  | {
      readonly type: 'check';
      readonly item: Extract<WorkItem, { type: 'check' }>;
      readonly observations: readonly Observation[];
    }
  | {
      readonly type: 'discover';
      readonly item: Extract<WorkItem, { type: 'discover' }>;
      readonly pages: readonly FetchedPage[];
    };

/** The platform of a work item. */
export function platformOf(item: WorkItem): Platform {
  return item.type === 'check' ? item.target.platform : item.platform;
}

/**
 * Does the fetch part of a work item: stateless, needs only the adapters. Used in-process in
 * embedded mode and by fetcher workers in distributed mode.
 *
 * @throws NonRetryableError when no adapter serves the item's platform
 * @throws what an adapter lets through, such as a PolitenessUnavailableError (shared slots out of reach)
 */
export async function performWork(
  item: WorkItem,
  adapters: Partial<Record<Platform, PlatformAdapter>>,
  clock: Clock,
  signal?: AbortSignal,
): Promise<WorkResult> {
  const adapter = adapters[platformOf(item)];
  // No later try of this process can do better: the job fails at once instead of retrying.
  if (!adapter) throw new NonRetryableError(`no adapter for platform ${platformOf(item)}`);
  if (item.type === 'check') {
    const result = await adapter.check(item.target, signal, { url: item.url });
    return { type: 'check', item, observations: result.observations };
  }
  const pages: FetchedPage[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < item.maxPages; n++) {
    const listing = await adapter.discover(
      { mode: item.mode, query: item.query, cursor, searchType: item.searchType },
      signal,
    );
    // Read after the page arrived: what the listing showed held then, not when the request was queued.
    const at = clock.now();
    pages.push({ cursor: cursor ?? null, at, listing });
    if (listing.outcome !== 'results' || !listing.nextCursor || signal?.aborted) break;
    cursor = listing.nextCursor;
  }
  return { type: 'discover', item, pages };
}

/** Outcomes of a result, for host health: every observation's or listing's outcome. */
export function outcomesOf(result: WorkResult): string[] {
  return result.type === 'check'
    ? result.observations.slice(0, 1).map((o) => o.outcome)
    : result.pages.map((p) => p.listing.outcome);
}

/**
 * The endpoint and outcome of each answer in a result, for parse health: every observation of a
 * check; each listing page as `<platform>.listing.<mode>` (a page that did not parse has no
 * observations to name its endpoint), `unparseable` when it showed parts the parser could not read.
 */
export function answersOf(result: WorkResult): { endpoint: string; outcome: string }[] {
  return result.type === 'check'
    ? result.observations.map((o) => ({ endpoint: o.endpoint, outcome: o.outcome }))
    : result.pages.map((p) => ({
        endpoint: `${result.item.platform}.listing.${result.item.mode}`,
        outcome: (p.listing.unread?.length ?? 0) > 0 ? 'unparseable' : p.listing.outcome,
      }));
}
