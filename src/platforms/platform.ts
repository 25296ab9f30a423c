import type { Observation, Platform, TargetRef } from '../domain/glossary';
import type { FetchResult, HttpClient, HttpResponse } from '../http/types';
import { evidenceOf } from './evidence';
import type { Clock } from '../domain/clock';

/** How a watch finds targets on a platform. */
export type DiscoveryMode = 'keyword' | 'account';

/** One listing request: a keyword search page or an account timeline page. */
export interface DiscoveryRequest {
  readonly mode: DiscoveryMode;
  /** The keyword, or the account as configured (uid, name or URL). */
  readonly query: string;
  /** Opaque paging cursor from the previous page's {@link ListingResult.nextCursor}; undefined for page 1. */
  readonly cursor?: string;
  /** Weibo search type: 1 综合, 61 实时, 60 热门. @defaultValue 1 */
  readonly searchType?: number;
}

/**
 * What a listing showed, as a whole. `results` and `empty` are successful answers; `withheld` is a
 * search that carried the platform's withholding notice; the rest are transient outcomes.
 */
export type ListingOutcome =
  | 'results'
  | 'empty'
  | 'withheld'
  | 'rate_limited'
  | 'login_required'
  | 'captcha'
  | 'network_error'
  | 'server_error'
  | 'unparseable';

/** The answer to one {@link DiscoveryRequest}. */
export interface ListingResult {
  readonly outcome: ListingOutcome;
  /** The notice text or the reason for a transient outcome. */
  readonly message?: string;
  /**
   * Observations carried by the listing: an `alive` observation for each listed target (a listing
   * is a cheap check), and observations of embedded originals (a repost's `retweeted_status`,
   * including its deletion placeholders).
   */
  readonly observations: readonly Observation[];
  /** Cursor for the next page, or null when this was the last. */
  readonly nextCursor: string | null;
  /**
   * What the page showed that the parser could not read, one line each (a card of a kind it does
   * not know, an entry without an id): a parse problem of the listing. A post may hide in any of
   * them, so a page with any says of no target that it is missing from the page.
   */
  readonly unread?: readonly string[];
  /** Raw evidence of the listing itself. */
  readonly evidence?: Observation['evidence'];
}

/** The answer to one check of one target. */
export interface CheckResult {
  /**
   * The first observation is of the checked target; more may follow for targets it embeds (the
   * original of a repost, with its placeholder cause when the original is gone).
   */
  readonly observations: readonly Observation[];
}

/** What the engine knows about a target beyond its identity. */
export interface CheckHint {
  /** The URL the target was found at (NetEase keeps the channel there: /dy/article/ vs /news/article/). */
  readonly url?: string;
}

/** What an adapter is given: its HTTP client (host remap, politeness, cookies) and a clock. */
export interface AdapterContext {
  readonly http: HttpClient;
  readonly clock: Clock;
}

/**
 * The platform adapter contract. Adapters never throw for anything a platform does: blocking,
 * errors and odd pages come back as outcomes. They throw only for programming errors. Every
 * string they hand back outside the raw evidence is well-formed (see `well-formed.ts`).
 */
export interface PlatformAdapter {
  readonly platform: Platform;
  /** A target from a configured URL or bare id, or null when the input is not one of this platform's forms. */
  resolveTarget(input: string): TargetRef | null;
  /** The URL a person opens to see the target. */
  targetUrl(target: TargetRef): string;
  discover(request: DiscoveryRequest, signal?: AbortSignal): Promise<ListingResult>;
  /** Checks one target; `hint.url` is where it was found, which the adapter may fetch when it names the same target. */
  check(target: TargetRef, signal?: AbortSignal, hint?: CheckHint): Promise<CheckResult>;
}

/**
 * The observation of a response whose body did not decode from its Content-Encoding: whatever its
 * status says, nothing in it was read, so it is `unparseable` with the body kept as it came.
 */
export function undecodableObservation(
  base: Pick<Observation, 'target' | 'at' | 'endpoint' | 'url'>,
  res: HttpResponse & { readonly undecodable: string },
): Observation {
  return {
    target: base.target,
    at: base.at,
    endpoint: base.endpoint,
    outcome: 'unparseable',
    message: `HTTP ${res.status}: ${res.undecodable}`,
    ...(base.url !== undefined ? { url: base.url } : {}),
    evidence: evidenceOf(res),
  };
}

/** The listing of a response whose body did not decode; see {@link undecodableObservation}. */
export function undecodableListing(res: HttpResponse & { readonly undecodable: string }): ListingResult {
  return {
    outcome: 'unparseable',
    message: `HTTP ${res.status}: ${res.undecodable}`,
    observations: [],
    nextCursor: null,
    evidence: evidenceOf(res),
  };
}

/** Whether a fetch is a response whose body did not decode from its Content-Encoding. */
export function isUndecodable(res: FetchResult): res is HttpResponse & { readonly undecodable: string } {
  return res.ok && res.undecodable !== undefined;
}
