import type { Exchange, HeaderPair } from '../domain/glossary';
import { sha256Hex } from '../domain/hash';

/**
 * Captures, content-addressed: each observation's exchanges are kept as three kinds of blob — one
 * document of the requests (method, URL, headers), one of the responses (status, headers, each
 * body's SHA-256) and the bodies themselves. A check whose requests and bodies are those of the
 * target's previous capture is stored as a revisit (WARC's word, profile identical-payload-digest):
 * a row naming the capture it refers to and the response header values that differ (the Date
 * header, mostly), so an unchanged response adds some 30 bytes. Its documents and digest are the
 * ones a full capture of it would have. The WARC records are written from these when a bundle asks.
 */

/** The blob store the captures use (the store's `blobs` table). */
export interface CaptureDb {
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  run(sql: string, ...params: unknown[]): unknown;
  /** `hash`, when given, is `body`'s SHA-256, already computed. */
  putBlob(body: Buffer, hash?: string): string;
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

/** The full capture a new one may be a revisit of: the target's latest, resolved. */
export interface CaptureBase {
  readonly observationId: number;
  readonly requestHash: string;
  readonly responseHash: string;
  /** Its stored {@link Shape} (null for a capture stored before shapes were). */
  readonly shape?: string | null;
}

/**
 * What a revisit needs of the response document it refers to, kept beside the full capture so
 * that an unchanged check need not read and decompress that document: the SHA-256 of the document
 * with every HTTP-date header value left out, and those values. A new response with the same
 * digest differs from the document in date values alone, and its patch follows from them.
 */
interface Shape {
  readonly digest: string;
  readonly dates: readonly [number, number, number][];
}

function shapeOf(responses: readonly StoredResponse[]): Draft {
  const dates: [number, number, number][] = [];
  const skeleton = responses.map((r, i) => ({
    status: r.status,
    headers: r.headers.map(([name, value], j) => {
      const packed = packValue(value);
      if (typeof packed === 'string') return [name, value];
      dates.push([i, j, packed]);
      return [name, null];
    }),
    payload: r.payload,
  }));
  return { skeleton: JSON.stringify(skeleton), dates };
}

/** A {@link Shape} before its digest: the document without its date values, as text. */
interface Draft {
  readonly skeleton: string;
  readonly dates: Shape['dates'];
}

/**
 * The response document as text (`JSON.stringify(responses)`, byte for byte) and its {@link Shape},
 * in one pass: each name and value is escaped once for both texts. Undefined for a document of
 * other than the types it is declared with, whose text only JSON.stringify itself can give.
 */
function documentAndShape(responses: readonly StoredResponse[]): { json: string; shape: Draft } | undefined {
  const dates: [number, number, number][] = [];
  let json = '[';
  let skeleton = '[';
  for (let i = 0; i < responses.length; i++) {
    const r = responses[i]!;
    if (!Number.isFinite(r.status) || typeof r.payload !== 'string' || !Array.isArray(r.headers))
      return undefined;
    const head = `${i > 0 ? ',' : ''}{"status":${JSON.stringify(r.status)},"headers":[`;
    json += head;
    skeleton += head;
    for (let j = 0; j < r.headers.length; j++) {
      const pair = r.headers[j]!;
      const [name, value] = pair;
      if (pair.length !== 2 || typeof name !== 'string' || typeof value !== 'string') return undefined;
      const start = `${j > 0 ? ',' : ''}[${JSON.stringify(name)},`;
      const packed = packValue(value);
      const text = JSON.stringify(value);
      json += `${start}${text}]`;
      if (typeof packed === 'string') skeleton += `${start}${text}]`;
      else {
        dates.push([i, j, packed]);
        skeleton += `${start}null]`;
      }
    }
    const tail = `],"payload":${JSON.stringify(r.payload)}}`;
    json += tail;
    skeleton += tail;
  }
  return { json: `${json}]`, shape: { skeleton: `${skeleton}]`, dates } };
}

/** A stored shape, or undefined when there is none or it does not read as one. */
function parseShape(text: string | null | undefined): Shape | undefined {
  if (!text) return undefined;
  const hit = parsedShapes.get(text);
  if (hit) return hit;
  const shape = readShape(text);
  if (shape) {
    if (parsedShapes.size >= SHAPE_CACHE) parsedShapes.delete(parsedShapes.keys().next().value as string);
    parsedShapes.set(text, shape);
  }
  return shape;
}

/** Shapes parsed, by their text: every revisit of a capture reads the same one. */
const parsedShapes = new Map<string, Shape>();
const SHAPE_CACHE = 4096;

function readShape(text: string): Shape | undefined {
  try {
    const [digest, dates] = JSON.parse(text) as [unknown, unknown];
    if (typeof digest !== 'string' || !Array.isArray(dates)) return undefined;
    return { digest, dates: dates as [number, number, number][] };
  } catch {
    return undefined;
  }
}

/**
 * A revisit's differences from the response document it refers to: [exchange, header, value]. A
 * value that is an HTTP date (IMF-fixdate, as the Date header is) is kept as its epoch second when
 * it prints back to the same text: 10 bytes instead of 29 on every unchanged check.
 */
type Patch = [number, number, string | number][];

/** A header value as a patch keeps it. */
function packValue(value: string): string | number {
  // An IMF-fixdate is always 29 characters ("Sun, 06 Nov 1994 08:49:37 GMT"): most values need no parse.
  if (value.length !== 29 || !value.endsWith(' GMT')) return value;
  // The checks of one second all carry the same Date: it is parsed and printed back once.
  if (value === lastDate.text) return lastDate.packed;
  const ms = Date.parse(value);
  const packed =
    Number.isFinite(ms) && ms % 1000 === 0 && new Date(ms).toUTCString() === value ? ms / 1000 : value;
  lastDate = { text: value, packed };
  return packed;
}

let lastDate: { text: string; packed: string | number } = { text: '', packed: '' };

/** A header value from a patch. */
function unpackValue(value: unknown): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return new Date(value * 1000).toUTCString();
  if (typeof value === 'string') return value;
  throw new Error('a header value in a patch is neither text nor a date');
}

interface CaptureRow {
  observation_id: number;
  request_hash: string | null;
  response_hash: string | null;
  sha256: string | null;
  refers_to: number | null;
  patch: string | null;
}

/** What {@link CaptureStore.put} stored. */
export interface StoredCapture {
  /** The capture's digest. */
  readonly sha256: string;
  /** The full capture it is or is a revisit of: what the target's next capture may refer to. */
  readonly full: CaptureBase;
}

/** Parsed response documents kept for the next revisit of the same capture. */
const DOC_CACHE = 512;
/** Request documents kept: as many as the target snapshots kept (src/store/targets.ts), so a re-check finds its own. */
const REQUEST_CACHE = 4096;

/** Whether `exchanges` ask what `requests` (a request document's values) ask: the same document. */
function sameRequestsAs(requests: readonly StoredRequest[], exchanges: readonly Exchange[]): boolean {
  if (requests.length !== exchanges.length) return false;
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i]!;
    const e = exchanges[i]!;
    if (r.method !== e.method || r.url !== e.url) return false;
    const a = r.headers;
    const b = e.requestHeaders;
    if (a.length !== b.length) return false;
    for (let j = 0; j < a.length; j++) {
      const x = a[j]!;
      const y = b[j]!;
      if (x.length !== 2 || y.length !== 2 || x[0] !== y[0] || x[1] !== y[1]) return false;
    }
  }
  return true;
}

/** Reads and writes captures. Runs inside the caller's transaction. */
export class CaptureStore {
  private readonly docs = new Map<string, StoredResponse[]>();
  /**
   * Request documents by their hash, as they were printed: a check's requests equal to the ones
   * its base capture's hash names are that document (JSON.stringify of equal values is equal).
   */
  private readonly requests = new Map<string, readonly StoredRequest[]>();
  /**
   * Shape skeletons by their digest, as hashed here: a revisit's skeleton equal to the text its
   * base's digest was taken of has that digest, so an unchanged check compares instead of hashing.
   */
  private readonly skeletons = new Map<string, string>();

  constructor(private readonly db: CaptureDb) {}

  /** The SHA-256 of a skeleton, remembered for {@link hasDigest}. */
  private skeletonDigest(skeleton: string): string {
    const digest = sha256Hex(skeleton);
    const known = this.skeletons;
    if (!known.has(digest)) {
      if (known.size >= REQUEST_CACHE) known.delete(known.keys().next().value as string);
      known.set(digest, skeleton);
    }
    return digest;
  }

  /** Whether `skeleton`'s SHA-256 is `digest`: compared with the text hashed to it when that is known. */
  private hasDigest(skeleton: string, digest: string): boolean {
    const known = this.skeletons.get(digest);
    return known !== undefined ? known === skeleton : this.skeletonDigest(skeleton) === digest;
  }

  private shapeText(s: Draft): string {
    return JSON.stringify([this.skeletonDigest(s.skeleton), s.dates]);
  }

  /**
   * Stores the exchanges of one observation; returns the capture's digest. With `base` (the
   * target's latest full capture), a capture whose requests, statuses, bodies and header names are
   * the same is stored as a revisit of it. `known` is a body already hashed (the observation's): an
   * exchange carrying that very Buffer uses its hash instead of hashing the bytes again.
   */
  put(
    observationId: number,
    exchanges: readonly Exchange[],
    base?: CaptureBase,
    known?: { readonly body: Buffer; readonly hash: string },
  ): StoredCapture {
    // A re-check asks what the target's last capture asked: its request document is known by the
    // base's hash, so it is neither printed nor hashed again.
    const known_ = base ? this.requests.get(base.requestHash) : undefined;
    const sameRequests = known_ !== undefined && sameRequestsAs(known_, exchanges);
    let requestJson = '';
    let requestHash: string;
    if (sameRequests) requestHash = base!.requestHash;
    else {
      const requests = exchanges.map((e): StoredRequest => ({
        method: e.method,
        url: e.url,
        headers: e.requestHeaders,
      }));
      requestJson = JSON.stringify(requests);
      requestHash = sha256Hex(requestJson);
      this.rememberRequests(requestHash, requests);
    }
    const responses = exchanges.map((e): StoredResponse => ({
      status: e.status,
      headers: e.responseHeaders,
      payload: known !== undefined && e.body === known.body ? known.hash : sha256Hex(e.body),
    }));
    const built = documentAndShape(responses);
    const responseJson = built?.json ?? JSON.stringify(responses);
    const responseHash = sha256Hex(responseJson);
    const sha256 = captureDigest(requestHash, responseHash);
    if (base && base.requestHash === requestHash) {
      const patch = base.responseHash === responseHash ? [] : this.patchFor(base, responses, built?.shape);
      if (patch) {
        this.db.run(
          `INSERT OR REPLACE INTO captures (observation_id, refers_to, patch) VALUES (?, ?, ?)`,
          observationId,
          base.observationId,
          JSON.stringify(patch),
        );
        return { sha256, full: base };
      }
    }
    exchanges.forEach((e, i) => this.db.putBlob(e.body, responses[i]!.payload));
    if (sameRequests) requestJson = JSON.stringify(known_);
    this.db.putBlob(Buffer.from(requestJson, 'utf8'), requestHash);
    this.db.putBlob(Buffer.from(responseJson, 'utf8'), responseHash);
    this.remember(responseHash, responses);
    const shape = this.shapeText(built?.shape ?? shapeOf(responses));
    this.db.run(
      `INSERT OR REPLACE INTO captures (observation_id, request_hash, response_hash, payload_hash, sha256, shape)
       VALUES (?, ?, ?, ?, ?, ?)`,
      observationId,
      requestHash,
      responseHash,
      responses[responses.length - 1]?.payload ?? null,
      sha256,
      shape,
    );
    return { sha256, full: { observationId, requestHash, responseHash, shape } };
  }

  /**
   * The patch that makes `base`'s response document into `responses`, or undefined when they differ
   * in more than header values. From the base's shape when it has one and the two differ in date
   * values alone; otherwise from the document itself, and a base without a shape is given one.
   */
  private patchFor(
    base: CaptureBase,
    responses: readonly StoredResponse[],
    shape?: Draft,
  ): Patch | undefined {
    const stored = parseShape(base.shape);
    if (stored) {
      const now = shape ?? shapeOf(responses);
      if (this.hasDigest(now.skeleton, stored.digest)) return datePatch(stored.dates, now.dates);
    }
    const patch = this.patchFrom(base.responseHash, responses);
    if (!stored) {
      const doc = this.doc(base.responseHash);
      if (doc)
        this.db.run(
          `UPDATE captures SET shape = ? WHERE observation_id = ? AND refers_to IS NULL`,
          this.shapeText(shapeOf(doc)),
          base.observationId,
        );
    }
    return patch;
  }

  /** The capture of one observation, or undefined when it has none (or its blobs are lost). */
  get(observationId: number): Capture | undefined {
    const c = this.resolve(observationId);
    if (!c) return undefined;
    const req = this.db.getBlob(c.requestHash);
    if (!req) return undefined;
    const requests = JSON.parse(req.toString('utf8')) as StoredRequest[];
    const exchanges = requests.map((q, i) => {
      const p = c.responses[i];
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
      sha256: c.sha256,
      requestHash: c.requestHash,
      responseHash: c.responseHash,
      exchanges,
    };
  }

  /** The digest of one observation's capture: stored, or derived for a revisit (undefined if it cannot be). */
  digestOf(observationId: number): string | undefined {
    try {
      return this.resolve(observationId)?.sha256;
    } catch {
      return undefined;
    }
  }

  /**
   * Every capture that does not hold together: a digest that does not follow from its documents,
   * a document or body that is missing, or a revisit whose original or differences are lost.
   */
  problems(limit = 50): string[] {
    const out: string[] = [];
    for (const c of this.db.query<CaptureRow>(
      `SELECT observation_id, request_hash, response_hash, sha256, refers_to, patch FROM captures ORDER BY observation_id`,
    )) {
      if (out.length >= limit) break;
      const label = `capture of observation ${c.observation_id}`;
      if (c.refers_to != null) {
        // Its digest is derived, and the log entry commits to it: here only that it can be.
        try {
          if (!this.resolve(c.observation_id)) out.push(`${label}: the capture it revisits is missing`);
        } catch {
          out.push(`${label}: its differences from the capture it revisits cannot be applied`);
        }
        continue;
      }
      if (c.request_hash == null || c.response_hash == null || c.sha256 == null) {
        out.push(`${label}: request or response document missing`);
        continue;
      }
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

  /**
   * A capture's documents and digest; a revisit's are those of the capture it refers to with its
   * differences applied. Undefined when the capture or a document is missing; throws when a
   * revisit's differences do not fit the document they are applied to.
   */
  private resolve(
    observationId: number,
  ): { requestHash: string; responseHash: string; sha256: string; responses: StoredResponse[] } | undefined {
    const r = this.db.query<CaptureRow>(
      `SELECT c.observation_id, c.refers_to, c.patch, COALESCE(b.request_hash, c.request_hash) AS request_hash,
         COALESCE(b.response_hash, c.response_hash) AS response_hash, c.sha256
       FROM captures c LEFT JOIN captures b ON b.observation_id = c.refers_to WHERE c.observation_id = ?`,
      observationId,
    )[0];
    if (!r || r.request_hash == null || r.response_hash == null) return undefined;
    const base = this.doc(r.response_hash);
    if (!base) return undefined;
    if (r.refers_to == null) {
      return {
        requestHash: r.request_hash,
        responseHash: r.response_hash,
        sha256: r.sha256 ?? '',
        responses: base,
      };
    }
    const responses = applyPatch(base, JSON.parse(r.patch ?? '[]') as Patch);
    const responseHash = sha256Hex(JSON.stringify(responses));
    return {
      requestHash: r.request_hash,
      responseHash,
      sha256: captureDigest(r.request_hash, responseHash),
      responses,
    };
  }

  /** The header values in which `responses` differ from the stored document, or undefined if more does. */
  private patchFrom(baseHash: string, responses: readonly StoredResponse[]): Patch | undefined {
    const base = this.doc(baseHash);
    if (!base || base.length !== responses.length) return undefined;
    const patch: Patch = [];
    for (let i = 0; i < responses.length; i++) {
      const a = base[i]!;
      const b = responses[i]!;
      if (a.status !== b.status || a.payload !== b.payload || a.headers.length !== b.headers.length)
        return undefined;
      for (let j = 0; j < b.headers.length; j++) {
        const [an, av] = a.headers[j]!;
        const [bn, bv] = b.headers[j]!;
        if (an !== bn) return undefined;
        if (av !== bv) patch.push([i, j, packValue(bv)]);
      }
    }
    return patch;
  }

  /** A stored response document, parsed (cached: revisits of one capture read it again and again). */
  private doc(hash: string): StoredResponse[] | undefined {
    const hit = this.docs.get(hash);
    if (hit) return hit;
    const blob = this.db.getBlob(hash);
    if (!blob) return undefined;
    const parsed = JSON.parse(blob.toString('utf8')) as StoredResponse[];
    this.remember(hash, parsed);
    return parsed;
  }

  private rememberRequests(hash: string, doc: readonly StoredRequest[]): void {
    const requests = this.requests;
    if (requests.has(hash)) return;
    if (requests.size >= REQUEST_CACHE) requests.delete(requests.keys().next().value as string);
    // Copied: the document must keep the values it was hashed with, whatever becomes of the exchange's.
    requests.set(
      hash,
      doc.map((r) => ({ method: r.method, url: r.url, headers: r.headers.map((h) => [...h] as HeaderPair) })),
    );
  }

  private remember(hash: string, doc: StoredResponse[]): void {
    if (this.docs.size >= DOC_CACHE) this.docs.delete(this.docs.keys().next().value as string);
    this.docs.set(hash, doc);
  }
}

/**
 * The date values in which `now` differs from `before`, of two shapes with the same digest: the
 * same headers hold dates in both, listed in the same order, unless the stored one was changed.
 */
function datePatch(before: Shape['dates'], now: Shape['dates']): Patch {
  const aligned =
    before.length === now.length && now.every(([i, j], k) => before[k]![0] === i && before[k]![1] === j);
  if (aligned) return now.filter(([, , v], k) => before[k]![2] !== v);
  const byPosition = new Map(before.map(([i, j, v]) => [`${i}:${j}`, v]));
  return now.filter(([i, j, v]) => byPosition.get(`${i}:${j}`) !== v);
}

/** The response documents a revisit stands for: its original with the differing values put in. */
function applyPatch(base: readonly StoredResponse[], patch: Patch): StoredResponse[] {
  const out = base.map((r) => ({
    status: r.status,
    headers: r.headers.map(([name, value]): [string, string] => [name, value]),
    payload: r.payload,
  }));
  for (const [i, j, value] of patch) {
    const header = out[i]?.headers[j];
    if (!header) throw new Error(`no header ${j} in response ${i}`);
    header[1] = unpackValue(value);
  }
  return out;
}
