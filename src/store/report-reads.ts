/**
 * Reads that reports, claims and exports need beyond the Store's own: the observation behind each
 * gone verdict (its notice and evidence digest), the keywords that found each target, and check
 * outcomes over time. SQL stays here, in src/store.
 */
import type { Outcome } from '../domain/glossary';
import { FINAL_OUTCOMES } from '../domain/glossary';
import type { Store } from './store';
import { sqlOf } from './db';

/** The observation that states a gone target's cause. */
export interface GoneObservation {
  readonly targetRowId: number;
  readonly observationId: number;
  readonly at: number;
  readonly outcome: Outcome;
  /** The platform's own words (notice or error message), verbatim; null when it gave none. */
  readonly notice: string | null;
  readonly httpStatus: number | null;
  readonly endpoint: string;
  /** SHA-256 of the raw response body: the evidence digest. */
  readonly bodyHash: string | null;
  /** The observation's link in its target's hash chain. */
  readonly chain: string;
}

const FINALS_SQL = FINAL_OUTCOMES.map((c) => `'${c}'`).join(', ');

/**
 * For every gone (or unconfirmed) target, the observation that states its cause: the first one at
 * or after the first gone observation whose outcome is the recorded cause (so an upgraded cause
 * shows the words that upgraded it), else the first final observation of the streak.
 */
export function goneObservations(store: Store): Map<number, GoneObservation> {
  const rows = sqlOf(store).query<Record<string, unknown>>(
    `SELECT o.* FROM targets t JOIN observations o ON o.id = COALESCE(
       (SELECT x.id FROM observations x WHERE x.target_id = t.id AND x.at >= t.gone_at AND x.outcome = t.cause
          ORDER BY x.at, x.id LIMIT 1),
       (SELECT x.id FROM observations x WHERE x.target_id = t.id AND x.at >= t.gone_at AND x.outcome IN (${FINALS_SQL})
          ORDER BY x.at, x.id LIMIT 1))
     WHERE t.gone_at IS NOT NULL`,
  );
  const out = new Map<number, GoneObservation>();
  for (const r of rows) {
    out.set(r.target_id as number, {
      targetRowId: r.target_id as number,
      observationId: r.id as number,
      at: r.at as number,
      outcome: r.outcome as Outcome,
      notice: (r.message as string | null) ?? null,
      httpStatus: (r.http_status as number | null) ?? null,
      endpoint: r.endpoint as string,
      bodyHash: (r.body_hash as string | null) ?? null,
      chain: r.chain as string,
    });
  }
  return out;
}

/**
 * The watched keywords that found each target (keyed by target row id), from how it joined each
 * watch (`keyword:<query>`); a target added by an account or an explicit URL has none.
 */
export function keywordsByTarget(store: Store): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const r of sqlOf(store).query<{ target_id: number; via: string }>(
    `SELECT target_id, via FROM target_watches WHERE via LIKE 'keyword:%' ORDER BY target_id, watch_id`,
  )) {
    const k = r.via.slice('keyword:'.length);
    const list = out.get(r.target_id) ?? [];
    if (!list.includes(k)) list.push(k);
    out.set(r.target_id, list);
  }
  return out;
}

/** Checks of one watch's posts in one time bucket, by outcome. */
export interface CheckBucket {
  /** Start of the bucket, epoch ms. */
  readonly start: number;
  readonly byOutcome: Partial<Record<Outcome, number>>;
}

/**
 * Observations of a watch's posts (targets of `kind: post` first seen in [since, until)) grouped by
 * time bucket and outcome, in time order.
 */
export function checkOutcomes(
  store: Store,
  watchId: string,
  bucketMs: number,
  period: { since?: number; until?: number } = {},
): CheckBucket[] {
  const rows = sqlOf(store).query<{ bucket: number; outcome: Outcome; n: number }>(
    `SELECT (o.at / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS bucket, o.outcome AS outcome, COUNT(*) AS n
       FROM observations o JOIN targets t ON t.id = o.target_id
      WHERE t.kind = 'post' AND t.id IN (SELECT target_id FROM target_watches WHERE watch_id = ?)
        AND t.first_seen_at >= ? AND t.first_seen_at < ?
      GROUP BY bucket, o.outcome ORDER BY bucket`,
    Math.max(1, Math.round(bucketMs)),
    Math.max(1, Math.round(bucketMs)),
    watchId,
    period.since ?? -8.64e15,
    period.until ?? 8.64e15,
  );
  const out: CheckBucket[] = [];
  for (const r of rows) {
    let last = out[out.length - 1];
    if (!last || last.start !== r.bucket) {
      last = { start: r.bucket, byOutcome: {} };
      out.push(last);
    }
    (last.byOutcome as Record<string, number>)[r.outcome] = r.n;
  }
  return out;
}
