/**
 * JSON for queue payloads that keeps Buffers (evidence bodies) as base64 instead of JSON's array of
 * numbers, which would be four times larger and come back as a plain object.
 */

const BUFFER_TAG = '$b64';

/** Encodes a value (plain data plus Buffers) as a JSON string. */
export function encodePayload(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v: unknown) {
    // `v` is already Buffer#toJSON's output here; the holder still has the Buffer itself.
    const raw = key === '' ? value : this[key];
    if (Buffer.isBuffer(raw)) return { [BUFFER_TAG]: raw.toString('base64') };
    return v;
  });
}

/** Decodes what {@link encodePayload} wrote, Buffers included. */
export function decodePayload<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const tagged = (v as Record<string, unknown>)[BUFFER_TAG];
      if (typeof tagged === 'string' && Object.keys(v).length === 1) return Buffer.from(tagged, 'base64');
    }
    return v;
  }) as T;
}
