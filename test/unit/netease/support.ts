import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HttpResponse } from '../../../src/http/types';

/** Directory of the real captured NetEase responses. */
export const REFERENCE = path.join(__dirname, '../../fixtures/reference/netease');

export function reference(name: string): Buffer {
  return readFileSync(path.join(REFERENCE, name));
}

export const DOCID = 'KC12OUHK000189FH';
export const ARTICLE_URL = `https://www.163.com/news/article/${DOCID}.html`;

/** A response as the HTTP client would hand it to a parser (plain data, no network). */
export function response(
  init: Partial<Omit<HttpResponse, 'body'>> & { body?: Buffer | string },
): HttpResponse {
  const url = init.url ?? ARTICLE_URL;
  const body =
    init.body === undefined
      ? Buffer.alloc(0)
      : Buffer.isBuffer(init.body)
        ? init.body
        : Buffer.from(init.body, 'utf8');
  return {
    ok: true,
    url,
    finalUrl: init.finalUrl ?? url,
    redirects: init.redirects ?? [],
    status: init.status ?? 200,
    headers: init.headers ?? { 'content-type': 'text/html; charset=utf-8' },
    setCookies: [],
    body,
  };
}
