import { gunzipSync, gzipSync } from 'node:zlib';
import type { Content } from '../domain/glossary';
import { sha256Hex } from '../domain/hash';
import type { CaptureStore } from './captures';
import type { Row, Sql } from './db';
import type { ObservationLog } from './log';
import type { ObservationRecord } from '../domain/decision';

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

/**
 * A target's key and its latest observation and capture, resolved to the rows holding their
 * values; read with the target's row when the recorder reads its snapshot (see {@link LATEST_JOINS}).
 */
export interface Latest {
  platform: string;
  kind: string;
  native_id: string;
  last_base: number | null;
  last_endpoint: string | null;
  last_outcome_of: string | null;
  last_message: string | null;
  last_http_status: number | null;
  last_url: string | null;
  last_final_url: string | null;
  last_content_hash: string | null;
  last_body_hash: string | null;
  cap_base: number | null;
  cap_request: string | null;
  cap_response: string | null;
  cap_shape: string | null;
}

/** The {@link Latest} columns beside a targets row `t`, from {@link LATEST_JOINS}. */
export const LATEST_COLUMNS = `b.id AS last_base, b.endpoint AS last_endpoint, b.outcome AS last_outcome_of,
    b.message AS last_message, b.http_status AS last_http_status, b.url AS last_url, b.final_url AS last_final_url,
    b.content_hash AS last_content_hash, b.body_hash AS last_body_hash, cb.observation_id AS cap_base,
    cb.request_hash AS cap_request, cb.response_hash AS cap_response, cb.shape AS cap_shape`;

/**
 * Joins a targets row `t` to its latest observation (the one its row names) and capture and the
 * rows holding their values.
 */
export const LATEST_JOINS = `LEFT JOIN observation_rows l ON l.id = t.last_observation AND l.target_id = t.id
  LEFT JOIN observation_rows b ON b.id = COALESCE(l.ref, l.id) AND b.ref IS NULL
  LEFT JOIN captures pc ON pc.observation_id = l.id
  LEFT JOIN captures cb ON cb.observation_id = COALESCE(pc.refers_to, pc.observation_id) AND cb.refers_to IS NULL`;

const LATEST = `SELECT t.platform, t.kind, t.native_id, ${LATEST_COLUMNS} FROM targets t ${LATEST_JOINS} WHERE t.id = ?`;

/**
 * A check's own key, `c-<target row>-<n>#<i>` (src/engine/scheduler.ts), as the row stores it:
 * n*16+i beside the target row, 2 or 3 bytes instead of some 12 and a smaller unique index.
 * Undefined for any other key, and for one that would not print back to the same text.
 */
function checkKey(key: string): { targetId: number; no: number } | undefined {
  const m = /^c-([1-9][0-9]*)-(0|[1-9][0-9]*)#(0|[1-9][0-9]?)$/.exec(key);
  if (!m) return undefined;
  const n = Number(m[2]);
  const i = Number(m[3]);
  if (i >= 16 || n > 2 ** 40) return undefined;
  return { targetId: Number(m[1]), no: n * 16 + i };
}

/** What {@link ObservationRepository.insert} stored. */
export interface InsertedObservation {
  /** The observation's row id. */
  readonly id: number;
  /** The target's new chain head. */
  readonly chain: string;
  /** The target's latest observation and capture now, when the insert was given them as they were. */
  readonly latest: Latest | undefined;
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
   * `hash`, when the caller has it, must be `body`'s own SHA-256 (the body is not hashed twice).
   */
  putBlob(body: Buffer, hash: string = sha256Hex(body)): string {
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
    const check = checkKey(key);
    return check
      ? this.sql.get(
          `SELECT 1 AS x FROM observation_rows WHERE target_id = ? AND check_no = ?`,
          check.targetId,
          check.no,
        ) !== undefined
      : this.sql.get(`SELECT 1 AS x FROM observation_rows WHERE dedupe_key = ?`, key) !== undefined;
  }

  /**
   * Inserts an observation, extending its target's hash chain from `prevChain`. Returns the new
   * chain head, or null (and writes nothing) when an observation with the same dedupe key was
   * already recorded. The caller stores the head with the target's state.
   *
   * One read first (the target's key and its latest observation and capture): an observation that
   * repeats the latest one's endpoint, outcome, notice, status, URLs and digests refers to the row
   * holding them, and its capture is a revisit where it can be. The log entry is built from the
   * values at hand. `latest`, when given, is that read done already in this transaction, with no
   * observation of the target inserted since; the result then has the target's latest observation
   * and capture as they are after this one, as that read would find them now.
   *
   * The target's row is pointed at the new observation (`last_observation`) here, unless
   * `pointedByCaller`: the caller then writes the returned id with the target's state.
   */
  insert(
    o: ObservationRecord,
    targetRowId: number,
    prevChain: string,
    latest?: Latest,
    pointedByCaller = false,
  ): InsertedObservation | null {
    const bodyHash = o.body ? sha256Hex(o.body) : null;
    if (o.body && o.keepBody) this.putBlob(o.body, bodyHash!);
    const chain = chainHash(prevChain, {
      target_id: targetRowId,
      at: o.at,
      endpoint: o.endpoint,
      outcome: o.outcome,
      message: o.message,
      content_hash: o.contentHash,
      body_hash: bodyHash,
    });
    const last = latest ?? this.sql.get<Latest>(LATEST, targetRowId);
    const same =
      last?.last_base != null &&
      last.last_endpoint === o.endpoint &&
      last.last_outcome_of === o.outcome &&
      last.last_message === o.message &&
      last.last_http_status === o.httpStatus &&
      last.last_url === o.url &&
      last.last_final_url === o.finalUrl &&
      last.last_content_hash === o.contentHash &&
      last.last_body_hash === bodyHash;
    const content = o.content ? JSON.stringify(o.content) : null;
    const bodyKept = o.body && o.keepBody ? 1 : 0;
    const key = o.dedupeKey === null ? undefined : checkKey(o.dedupeKey);
    const checkNo = key?.targetId === targetRowId ? key.no : null;
    const r = this.sql.run(
      `INSERT OR IGNORE INTO observation_rows (target_id, at, endpoint, outcome, message, http_status, url, final_url,
         content_hash, content, body_hash, body_kept, chain, dedupe_key, ref, check_no)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      targetRowId,
      o.at,
      same ? null : o.endpoint,
      same ? null : o.outcome,
      same ? null : o.message,
      same ? null : o.httpStatus,
      same ? null : o.url,
      same ? null : o.finalUrl,
      same ? null : o.contentHash,
      content,
      same ? null : bodyHash,
      bodyKept,
      Buffer.from(chain, 'hex'),
      checkNo === null ? o.dedupeKey : null,
      same ? last.last_base : null,
      checkNo,
    );
    if (r.changes === 0) return null;
    const id = Number(r.lastInsertRowid);
    if (!pointedByCaller)
      this.sql.run(`UPDATE targets SET last_observation = ? WHERE id = ?`, id, targetRowId);
    // The capture first: the log entry commits to its digest.
    const capture =
      o.exchanges && o.exchanges.length > 0
        ? this.captures().put(
            id,
            o.exchanges,
            last?.cap_base != null && last.cap_request != null && last.cap_response != null
              ? {
                  observationId: last.cap_base,
                  requestHash: last.cap_request,
                  responseHash: last.cap_response,
                  shape: last.cap_shape,
                }
              : undefined,
            // The exchange whose body is the observation's (the same Buffer) takes its hash from here.
            o.body && bodyHash ? { body: o.body, hash: bodyHash } : undefined,
          )
        : null;
    const captureSha256 = capture?.sha256 ?? null;
    if (!last) {
      // The target row is missing only if the foreign key did not stop the insert; read it back.
      this.log().append(id);
      return { id, chain, latest: undefined };
    }
    this.log().appendRow(id, {
      id,
      target_id: targetRowId,
      at: o.at,
      endpoint: o.endpoint,
      outcome: o.outcome,
      message: o.message,
      http_status: o.httpStatus,
      url: o.url,
      final_url: o.finalUrl,
      content_hash: o.contentHash,
      content,
      body_hash: bodyHash,
      body_kept: bodyKept,
      dedupe_key: o.dedupeKey,
      t_platform: last.platform,
      t_kind: last.kind,
      t_native_id: last.native_id,
      capture_sha256: captureSha256,
    });
    if (!latest) return { id, chain, latest: undefined };
    const full = capture?.full;
    const base = same
      ? last
      : {
          last_base: id,
          last_endpoint: o.endpoint,
          last_outcome_of: o.outcome,
          last_message: o.message ?? null,
          last_http_status: o.httpStatus ?? null,
          last_url: o.url ?? null,
          last_final_url: o.finalUrl ?? null,
          last_content_hash: o.contentHash ?? null,
          last_body_hash: bodyHash,
        };
    return {
      id,
      chain,
      latest: {
        platform: last.platform,
        kind: last.kind,
        native_id: last.native_id,
        last_base: base.last_base,
        last_endpoint: base.last_endpoint,
        last_outcome_of: base.last_outcome_of,
        last_message: base.last_message,
        last_http_status: base.last_http_status,
        last_url: base.last_url,
        last_final_url: base.last_final_url,
        last_content_hash: base.last_content_hash,
        last_body_hash: base.last_body_hash,
        cap_base: full?.observationId ?? null,
        cap_request: full?.requestHash ?? null,
        cap_response: full?.responseHash ?? null,
        cap_shape: full?.shape ?? null,
      },
    };
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
      `SELECT COUNT(*) AS n FROM observation_rows WHERE at >= ? AND at < ?
         AND (check_no & 15 = 0 OR (check_no IS NULL AND dedupe_key LIKE 'c-%#0'))`,
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
