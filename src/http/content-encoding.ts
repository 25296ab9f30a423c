import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/** The accept-encoding the fetcher sends: what mobile Safari sends, and all of it decodable here. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

/**
 * Header names a decoded response keeps the wire's Content-Encoding and Content-Length under, as
 * web archives keep a Transfer-Encoding they removed: the body no longer has that encoding or
 * length, and a replay tool must not decode it twice.
 */
export const ORIGINAL_CONTENT_ENCODING = 'x-archive-orig-content-encoding';
export const ORIGINAL_CONTENT_LENGTH = 'x-archive-orig-content-length';

/** The result of {@link decodeContent}. */
export type Decoded =
  | { readonly ok: true; readonly body: Buffer; readonly headers: Record<string, string> }
  /** `reason` says why; the body is left as it came and no parser should read it. */
  | { readonly ok: false; readonly reason: string };

/**
 * A body decoded from the Content-Encoding its headers declare (gzip, deflate zlib-wrapped or
 * raw, br; several applied in order), never larger than `maxSize` decoded, with headers that say
 * what the decoded body is. `identity` or no Content-Encoding: the response as it is, no copy.
 */
export function decodeContent(headers: Record<string, string>, body: Buffer, maxSize: number): Decoded {
  const declared = headers['content-encoding'];
  // No body (a 204, a 304) has nothing to decode, whatever the header says.
  if (declared === undefined || body.length === 0) return { ok: true, body, headers };
  const codings = declared
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  if (codings.length === 0) return { ok: true, body, headers };
  let out = body;
  // Codings are listed in the order they were applied, so they come off last first.
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!;
    const decode = DECODERS.get(coding);
    if (!decode) return { ok: false, reason: `unknown content-encoding ${JSON.stringify(declared)}` };
    try {
      out = decode(out, maxSize);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError)
        return { ok: false, reason: `${coding} body decodes to more than ${maxSize} bytes` };
      return {
        ok: false,
        reason: `${coding} body does not decode: ${err instanceof Error ? err.message : String(err)}`,
      };
    }
  }
  const rest: Record<string, string> = {};
  for (const k of Object.keys(headers)) {
    if (k === 'content-encoding') rest[ORIGINAL_CONTENT_ENCODING] = headers[k]!;
    else if (k === 'content-length') rest[ORIGINAL_CONTENT_LENGTH] = headers[k]!;
    else rest[k] = headers[k]!;
  }
  return { ok: true, body: out, headers: rest };
}

type Decoder = (body: Buffer, maxOutputLength: number) => Buffer;

/** Deflate as servers send it: zlib-wrapped (RFC 9110) or, from some servers, raw RFC 1951. */
const inflateEither: Decoder = (body, maxOutputLength) => {
  // A zlib header: compression method 8 and a check value that makes the pair a multiple of 31.
  const wrapped = body.length >= 2 && (body[0]! & 0x0f) === 8 && ((body[0]! << 8) | body[1]!) % 31 === 0;
  return wrapped ? inflateSync(body, { maxOutputLength }) : inflateRawSync(body, { maxOutputLength });
};

const gunzip: Decoder = (b, maxOutputLength) => gunzipSync(b, { maxOutputLength });

/** A Map, so that a coding named like an Object property (`constructor`) is unknown, not a function. */
const DECODERS: ReadonlyMap<string, Decoder> = new Map([
  ['gzip', gunzip],
  ['x-gzip', gunzip],
  ['deflate', inflateEither],
  ['br', (b: Buffer, maxOutputLength: number) => brotliDecompressSync(b, { maxOutputLength })],
]);
