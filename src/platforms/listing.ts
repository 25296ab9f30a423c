/**
 * Listing rules both platforms share: how an answer that carried no listing becomes a listing
 * outcome, and which page of a paged listing a URL asks for.
 */
import { isTransientOutcome } from '../domain/glossary';
import type { Outcome } from '../domain/glossary';
import type { ListingOutcome } from './platform';

/**
 * The listing outcome of an answer that carried no listing.
 *
 * Transient outcomes (blocking, errors, `unparseable`) pass through, so an unrecognised listing page
 * stays `unparseable` and is never read as "nothing here". A final outcome reaches this point only
 * from a positive statement of absence (a known notice, HTTP 404/410 from the platform's own host),
 * which says the listing's subject shows nothing: `empty`, and the caller names the cause in its
 * message. Callers must not map pages they do not recognise to a final outcome first.
 */
export function listingOutcomeOf(o: Exclude<Outcome, 'alive'>): ListingOutcome {
  return isTransientOutcome(o) ? o : 'empty';
}

/** The `page` query parameter of a URL (a positive integer), or 1. */
export function pageOf(url: string): number {
  try {
    const p = Number(new URL(url).searchParams.get('page'));
    return Number.isInteger(p) && p > 0 ? p : 1;
  } catch {
    return 1;
  }
}
