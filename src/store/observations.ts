import { gunzipSync, gzipSync } from 'node:zlib';
import type { Content } from '../domain/glossary';
import { sha256Hex } from '../domain/hash';
import type { CaptureStore } from './captures';
import type { Row, Sql } from './db';
import type { ObservationLog } from './log';
import type { NewObservation } from './rows';

/** The facts an observation's chain hash covers; `verify` recomputes it from the stored row. */
export function chainHash(prev: string, o: Row): string {
  return sha256Hex(
    [
      prev,
      o.target_id,
      o.at,
      o.endpoint,
      o.outcome,
      o.message ?? '',
      o.content_hash ?? '',
      o.body_hash ?? '',
    ].join('\u001f'),
  );
}

/** An observation as alert payloads cite it. */
export interface ObservationEvidence {
  readonly at: number;
  readonly outcome: string;
  readonly endpoint: string;
  readonly bodyHash: string | null;
  readonly contentHash: string | null;
  readonly chain: string;
}

/** Transient outcomes of a platform's latest observations, for `status`. */
export interface HostOutcomes {
  readonly platform: string;
  readonly recent: number;
  readonly transient: number;
  readonly lastTransient: number | null;
}

/**
 * Response bodies (`blobs`, content-addressed) and observations (`observations`), each appended to
 * the one log and its capture stored as it is inserted.
 */
export class ObservationRepository {
  constructor(
    private readonly sql: Sql,
    private readonly log: () => ObservationLog,
    private readonly captures: () => CaptureStore,
  ) {}

  /**
   * Stores a body once per content; returns its hash. A body already stored is looked up by its
   * hash and neither compressed nor written again: most checks see a response they have seen.
   */
  putBlob(body: Buffer): string {
    const hash = sha256Hex(body);
    if (this.sql.get(`SELECT 1 AS x FROM blobs WHERE hash = ?`, hash) === undefined)
      this.sql.run(`INSERT INTO blobs (hash, size, gz) VALUES (?, ?, ?)`, hash, body.length, gzipSync(body));
    return hash;
  }

  getBlob(hash: string): Buffer | undefined {
    const r = this.sql.get<{ gz: Buffer }>(`SELECT gz FROM blobs WHERE hash = ?`, hash);
    return r ? gunzipSync(r.gz) : undefined;
  }

  /** Whether an observation with this dedupe key was recorded. */
  hasDedupeKey(key: string): boolean {
    return this.sql.get(`SELECT 1 AS x FROM observations WHERE dedupe_key = ?`, key) !== undefined;
  }

  /**
   * Inserts an observation, extending its target's hash chain from `prevChain`. Returns the new
   * chain head, or null (and writes nothing) when an observation with the same dedupe key was
   * already recorded. The caller stores the head with the target's state.
   */
  insert(o: NewObservation, prevChain: string): string | null {
    const bodyHash = o.body ? (o.keepBody ? this.putBlob(o.body) : sha256Hex(o.body)) : null;
    const chain = chainHash(prevChain, {
      target_id: o.targetRowId,
      at: o.at,
      endpoint: o.endpoint,
      outcome: o.outcome,
      message: o.message,
      content_hash: o.contentHash,
      body_hash: bodyHash,
    });
    const r = this.sql.run(
      `INSERT OR IGNORE INTO observations (target_id, at, endpoint, outcome, message, http_status, url, final_url,
         content_hash, content, body_hash, body_kept, chain, dedupe_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      o.targetRowId,
      o.at,
      o.endpoint,
      o.outcome,
      o.message,
      o.httpStatus,
      o.url,
      o.finalUrl,
      o.contentHash,
      o.content ? JSON.stringify(o.content) : null,
      bodyHash,
      o.body && o.keepBody ? 1 : 0,
      chain,
      o.dedupeKey,
    );
    if (r.changes === 0) return null;
    const id = Number(r.lastInsertRowid);
    // The capture first: the log entry commits to its digest.
    if (o.exchanges && o.exchanges.length > 0) this.captures().put(id, o.exchanges);
    this.log().append(id);
    return chain;
  }

  /** A target's observations as stored, oldest first. */
  of(rowId: number): Row[] {
    return this.sql.query(`SELECT * FROM observations WHERE target_id = ? ORDER BY id`, rowId);
  }

  /** Last stored normalized content of a target (from its latest changed alive observation). */
  lastContent(rowId: number): Content | null {
    const r = this.sql.get<{ content: string }>(
      `SELECT content FROM observations WHERE target_id = ? AND content IS NOT NULL ORDER BY id DESC LIMIT 1`,
      rowId,
    );
    return r ? (JSON.parse(r.content) as Content) : null;
  }

  /** A target's latest observations up to `at`, newest first: the evidence an alert cites. */
  evidence(rowId: number, at: number, limit: number): ObservationEvidence[] {
    return this.sql
      .query<{
        at: number;
        outcome: string;
        endpoint: string;
        body_hash: string | null;
        content_hash: string | null;
        chain: string;
      }>(
        `SELECT at, outcome, endpoint, body_hash, content_hash, chain FROM observations
         WHERE target_id = ? AND at <= ? ORDER BY id DESC LIMIT ?`,
        rowId,
        at,
        limit,
      )
      .map((o) => ({
        at: o.at,
        outcome: o.outcome,
        endpoint: o.endpoint,
        bodyHash: o.body_hash,
        contentHash: o.content_hash,
        chain: o.chain,
      }));
  }

  /**
   * Checks recorded in [from, to) through a work key (distributed mode): each check's own
   * observation carries its key with `#0`, so one row counts one check.
   */
  countKeyedChecks(from: number, to: number): number {
    return this.sql.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM observations WHERE at >= ? AND at < ? AND dedupe_key LIKE 'c-%#0'`,
      from,
      to,
    )!.n;
  }

  /** Per platform, how many of the latest `last` observations were transient, and when the last was. */
  recentTransient(last = 200): HostOutcomes[] {
    return this.sql
      .query<{ platform: string; recent: number; transient: number; last_transient: number | null }>(
        `SELECT platform, COUNT(*) AS recent,
           SUM(outcome IN ('rate_limited','login_required','captcha','network_error','server_error','unparseable')) AS transient,
           MAX(CASE WHEN outcome IN ('rate_limited','login_required','captcha','network_error','server_error','unparseable') THEN at END) AS last_transient
         FROM (SELECT t.platform, o.outcome, o.at FROM observations o JOIN targets t ON t.id = o.target_id ORDER BY o.id DESC LIMIT ?)
         GROUP BY platform`,
        last,
      )
      .map((h) => ({
        platform: h.platform,
        recent: h.recent,
        transient: h.transient,
        lastTransient: h.last_transient,
      }));
  }
}
