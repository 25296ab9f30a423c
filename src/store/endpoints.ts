import type { Store } from './store';
import { sqlOf } from './db';

/** How one endpoint's recent answers parsed, for `status`. */
export interface EndpointParsing {
  readonly platform: string;
  readonly endpoint: string;
  /** Answers among the endpoint's latest `last` that parsed or did not (blocking left out). */
  readonly answers: number;
  readonly unparseable: number;
  /** Unparseable answers ever recorded for the endpoint. */
  readonly unparseableTotal: number;
  readonly lastUnparseableAt: number | null;
}

/**
 * Per endpoint (listing pages as `<platform>.listing.<mode>`), the unparseable share of its latest
 * `last` answers: a template change shows as one endpoint whose answers stop parsing.
 */
export function endpointParsing(store: Store, last = 100): EndpointParsing[] {
  return sqlOf(store)
    .query<{
      platform: string;
      endpoint: string;
      answers: number;
      unparseable: number;
      total: number;
      last_at: number | null;
    }>(
      `WITH answers AS (
         SELECT t.platform, o.endpoint, o.outcome, o.at, o.id, 'o' AS src FROM observations o
           JOIN targets t ON t.id = o.target_id
         UNION ALL
         SELECT s.platform, s.platform || '.listing.' || s.mode, so.outcome, so.at, so.id, 's' FROM search_observations so
           JOIN sources s ON s.id = so.source_id),
       parsed AS (
         SELECT *, ROW_NUMBER() OVER (PARTITION BY platform, endpoint ORDER BY at DESC, id DESC) AS n
         FROM answers WHERE outcome NOT IN ('rate_limited','login_required','captcha','network_error','server_error'))
       SELECT platform, endpoint,
         SUM(n <= ?) AS answers, SUM(n <= ? AND outcome = 'unparseable') AS unparseable,
         SUM(outcome = 'unparseable') AS total,
         MAX(CASE WHEN outcome = 'unparseable' THEN at END) AS last_at
       FROM parsed GROUP BY platform, endpoint ORDER BY platform, endpoint`,
      last,
      last,
    )
    .map((r) => ({
      platform: r.platform,
      endpoint: r.endpoint,
      answers: r.answers,
      unparseable: r.unparseable,
      unparseableTotal: r.total,
      lastUnparseableAt: r.last_at,
    }));
}
