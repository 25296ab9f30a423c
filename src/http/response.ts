import type { Clock } from '../domain/clock';
import { CensorwatchError, RetryableError } from '../errors';
import type { FetchResult, HttpResponse } from './types';

/**
 * When a fetch's answer arrived (its response was read, or the client gave up), on the client's
 * clock; `clock.now()` for a result that carries no time (a fixture), read at the call, after the
 * fetch. Observations are stamped with it, so a deletion window (last alive, first gone] ends
 * after what the platform showed, however long the politeness waits and retries took.
 */
export function arrivedAt(result: FetchResult, clock: Clock): number {
  return (result.ok ? result.receivedAt : result.failedAt) ?? clock.now();
}

/**
 * Observations parsed from `res`, with each `alive` one stamped when the request was sent rather
 * than when the answer arrived: the platform showed the content at some moment between the two,
 * so only the send time is sure to precede a deletion that the next answer reveals. Final and
 * transient outcomes keep the arrival time, which is sure to follow a deletion they show.
 */
export function aliveAtSend<T extends { readonly outcome: string; readonly at: number }>(
  observations: readonly T[],
  res: FetchResult,
): T[] {
  const sent = res.ok ? res.sentAt : undefined;
  return observations.map((o) =>
    o.outcome === 'alive' && sent !== undefined && sent < o.at ? { ...o, at: sent } : o,
  );
}

/**
 * Every URL a response passed through after the one asked for, in order: the redirects followed,
 * the final URL, and the Location of a redirect that was not followed. Walls (login, visitor
 * system, CDN error pages) show up here rather than in the body.
 */
export function visitedUrls(res: HttpResponse): string[] {
  const location = res.headers['location'];
  const unfollowed = res.status >= 300 && res.status < 400 && location;
  // Most answers came straight from the URL asked for: every check asks this twice.
  if (res.redirects.length === 0 && !unfollowed) return res.finalUrl === res.url ? [] : [res.finalUrl];
  const urls = [...new Set([...res.redirects, res.finalUrl])].filter((u) => u !== res.url);
  if (unfollowed) {
    try {
      urls.push(new URL(location, res.finalUrl || res.url).toString());
    } catch {
      // An unparseable Location names no place.
    }
  }
  return urls;
}

/**
 * A fetch the HTTP client rejected instead of answering (a client bug, a dependency down): the
 * request never got an answer from the platform, so the check is tried again later and nothing
 * is recorded about its target.
 */
export class FetchRejectedError extends RetryableError {}

/**
 * What an adapter throws for a rejected fetch: the client's own error when it already says whether
 * to retry (PolitenessUnavailableError does), else a {@link FetchRejectedError} around it.
 * Never an observation: a check that never reached the platform observed nothing of it.
 */
export function rejectedFetch(err: unknown, url: string): CensorwatchError {
  if (err instanceof CensorwatchError) return err;
  const reason = err instanceof Error ? err.message : String(err);
  return new FetchRejectedError(`fetch of ${url} rejected: ${reason}`, { cause: err });
}
