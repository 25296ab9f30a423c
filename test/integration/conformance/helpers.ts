import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';
import type { HttpResponse } from '../../../src/http/types';

/**
 * Shared parts of the conformance suite: the real captures, responses as the fetcher hands them to
 * a parser, and the normalized fields a parse result has, so the captures and the simulator's
 * answers can be compared field by field.
 */

const REFERENCE = join(__dirname, '../../fixtures/reference');

/** Bytes of a reference capture. */
export function reference(platform: 'weibo' | 'netease', name: string): Buffer {
  return readFileSync(join(REFERENCE, platform, name));
}

/** A captured body as the fetcher would hand it over from `url`. */
export function sample(
  body: Buffer,
  url: string,
  contentType = 'text/html; charset=utf-8',
  status = 200,
): HttpResponse {
  return {
    ok: true,
    url,
    finalUrl: url,
    redirects: [],
    status,
    headers: { 'content-type': contentType },
    setCookies: [],
    body,
  };
}

/**
 * A response as the fetcher hands it over: asked for at the real URL, sent to the simulator at
 * `base` (every host maps onto its port), redirects followed.
 */
export async function fetchAs(base: string, realUrl: string): Promise<HttpResponse> {
  const redirects: string[] = [];
  let url = realUrl;
  for (let hop = 0; hop < 5; hop++) {
    const u = new URL(url);
    const res = await request(base + u.pathname + u.search);
    const body = Buffer.from(await res.body.arrayBuffer());
    const location = res.headers['location'];
    if (res.statusCode >= 300 && res.statusCode < 400 && typeof location === 'string') {
      redirects.push(url);
      url = new URL(location, url).toString();
      continue;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
    return {
      ok: true,
      url: realUrl,
      finalUrl: url,
      redirects,
      status: res.statusCode,
      headers,
      setCookies: [],
      body,
    };
  }
  throw new Error(`too many redirects from ${realUrl}`);
}

/**
 * The dotted paths of the fields a parse result has: nested objects are walked, arrays count when
 * not empty, and null, undefined, '', false and empty arrays count as absent.
 */
export function presentFields(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (v === null || v === undefined || v === '' || v === false) return;
    if (Array.isArray(v)) {
      if (v.length > 0) out.push(path);
      return;
    }
    if (typeof v === 'object' && !Buffer.isBuffer(v)) {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
      return;
    }
    out.push(path);
  };
  walk(value, '');
  return out.sort();
}

/** `fields` without the named ones. */
export function without(fields: readonly string[], names: readonly string[]): string[] {
  return fields.filter((f) => !names.some((n) => f === n || f.startsWith(`${n}.`)));
}
