import type { Exchange, HeaderPair } from '../domain/glossary';
import { sha256Hex } from '../domain/hash';

/**
 * Captures, content-addressed: each observation's exchanges are kept as three kinds of blob — one
 * document of the requests (method, URL, headers), one of the responses (status, headers, each
 * body's SHA-256) and the bodies themselves — so a check whose response did not change adds a row
 * of digests and nothing else. The WARC records are written from these when a bundle asks.
 */

/** The blob store the captures use (the store's `blobs` table). */
export interface CaptureDb {
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  run(sql: string, ...params: unknown[]): unknown;
  putBlob(body: Buffer): string;
  getBlob(hash: string): Buffer | undefined;
}

/** The request half of an exchange as stored. */
interface StoredRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: readonly HeaderPair[];
}

/** The response half of an exchange as stored; the body by its SHA-256. */
interface StoredResponse {
  readonly status: number;
  readonly headers: readonly HeaderPair[];
  readonly payload: string;
}

/** A capture as read back: its digests and its exchanges, bodies included. */
export interface Capture {
  readonly observationId: number;
  /** What the observation's log entry commits to: sha256(requestHash + "\n" + responseHash). */
  readonly sha256: string;
  readonly requestHash: string;
  readonly responseHash: string;
  readonly exchanges: readonly (Exchange & { readonly payloadSha256: string })[];
}

/** The digest a capture row carries, from its two documents' hashes. */
export function captureDigest(requestHash: string, responseHash: string): string {
  return sha256Hex(`${requestHash}\n${responseHash}`);
}

/** Reads and writes captures. Runs inside the caller's transaction. */
export class CaptureStore {
  constructor(private readonly db: CaptureDb) {}

  /** Stores the exchanges of one observation; returns the capture's digest. */
  put(observationId: number, exchanges: readonly Exchange[]): string {
    const requests: StoredRequest[] = exchanges.map((e) => ({
      method: e.method,
      url: e.url,
      headers: e.requestHeaders,
    }));
    const responses: StoredResponse[] = exchanges.map((e) => ({
      status: e.status,
      headers: e.responseHeaders,
      payload: this.db.putBlob(e.body),
    }));
    const requestHash = this.db.putBlob(Buffer.from(JSON.stringify(requests), 'utf8'));
    const responseHash = this.db.putBlob(Buffer.from(JSON.stringify(responses), 'utf8'));
    const sha256 = captureDigest(requestHash, responseHash);
    this.db.run(
      `INSERT OR REPLACE INTO captures (observation_id, request_hash, response_hash, payload_hash, sha256)
       VALUES (?, ?, ?, ?, ?)`,
      observationId,
      requestHash,
      responseHash,
      responses[responses.length - 1]?.payload ?? null,
      sha256,
    );
    return sha256;
  }

  /** The capture of one observation, or undefined when it has none (or its blobs are lost). */
  get(observationId: number): Capture | undefined {
    const r = this.db.query<{ request_hash: string; response_hash: string; sha256: string }>(
      `SELECT request_hash, response_hash, sha256 FROM captures WHERE observation_id = ?`,
      observationId,
    )[0];
    if (!r) return undefined;
    const req = this.db.getBlob(r.request_hash);
    const res = this.db.getBlob(r.response_hash);
    if (!req || !res) return undefined;
    const requests = JSON.parse(req.toString('utf8')) as StoredRequest[];
    const responses = JSON.parse(res.toString('utf8')) as StoredResponse[];
    const exchanges = requests.map((q, i) => {
      const p = responses[i];
      return {
        method: q.method,
        url: q.url,
        requestHeaders: q.headers,
        status: p?.status ?? 0,
        responseHeaders: p?.headers ?? [],
        payloadSha256: p?.payload ?? '',
        body: (p && this.db.getBlob(p.payload)) ?? Buffer.alloc(0),
      };
    });
    return {
      observationId,
      sha256: r.sha256,
      requestHash: r.request_hash,
      responseHash: r.response_hash,
      exchanges,
    };
  }

  /**
   * Every capture that does not hold together: a digest that does not follow from its documents,
   * or a document or body that is missing.
   */
  problems(limit = 50): string[] {
    const out: string[] = [];
    for (const c of this.db.query<{
      observation_id: number;
      request_hash: string;
      response_hash: string;
      sha256: string;
    }>(`SELECT observation_id, request_hash, response_hash, sha256 FROM captures ORDER BY observation_id`)) {
      if (out.length >= limit) break;
      const label = `capture of observation ${c.observation_id}`;
      if (captureDigest(c.request_hash, c.response_hash) !== c.sha256) {
        out.push(`${label}: digest does not follow from its request and response documents`);
        continue;
      }
      let responses: StoredResponse[];
      try {
        const res = this.db.getBlob(c.response_hash);
        if (!res || !this.db.getBlob(c.request_hash)) {
          out.push(`${label}: request or response document missing`);
          continue;
        }
        responses = JSON.parse(res.toString('utf8')) as StoredResponse[];
      } catch {
        // A damaged blob is reported by the blob re-hash; its capture cannot be read either.
        out.push(`${label}: documents cannot be read`);
        continue;
      }
      for (const p of responses) {
        const has = this.db.query(`SELECT 1 FROM blobs WHERE hash = ?`, p.payload).length > 0;
        if (!has) out.push(`${label}: body ${p.payload} missing`);
      }
    }
    return out;
  }
}
