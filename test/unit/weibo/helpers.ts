import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpResponse } from '../../../src/http/types';

/** Directory of the real captured Weibo responses. */
export const REFERENCE_DIR = join(__dirname, '..', '..', 'fixtures', 'reference', 'weibo');

/** Bytes of one reference sample. */
export function sample(name: string): Buffer {
  return readFileSync(join(REFERENCE_DIR, name));
}

/** Parsed JSON of one reference sample. */
export function sampleJson<T = unknown>(name: string): T {
  return JSON.parse(sample(name).toString('utf8')) as T;
}

/** An HttpResponse as the HTTP client would hand it to a parser. */
export function response(
  body: string | Buffer | object,
  opts: {
    url?: string;
    status?: number;
    contentType?: string;
    finalUrl?: string;
    redirects?: string[];
    headers?: Record<string, string>;
  } = {},
): HttpResponse {
  const url = opts.url ?? 'https://m.weibo.cn/statuses/show?id=4383411844046171';
  const buf = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  const looksJson = !Buffer.isBuffer(body) && typeof body === 'object';
  return {
    ok: true,
    url,
    finalUrl: opts.finalUrl ?? url,
    redirects: opts.redirects ?? [],
    status: opts.status ?? 200,
    headers: {
      'content-type':
        opts.contentType ?? (looksJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8'),
      ...(opts.headers ?? {}),
    },
    setCookies: [],
    body: buf,
  };
}

/** 2019-06-16 12:00 China time: just after the 2019 samples were captured. */
export const AT_2019 = Date.UTC(2019, 5, 16, 4, 0, 0);
