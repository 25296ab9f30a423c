import type { Evidence } from '../domain/glossary';
import type { HttpResponse } from '../http/types';

/** Content type of evidence that bundles several responses of one check (pages of a comment list). */
export const PAGES_CONTENT_TYPE = 'application/vnd.censorwatch.pages+json';

/** Raw evidence of one response, as observations keep it. */
export function evidenceOf(res: HttpResponse): Evidence {
  return {
    url: res.url,
    finalUrl: res.finalUrl,
    status: res.status,
    contentType: res.headers['content-type'] ?? null,
    body: res.body,
  };
}

/**
 * The evidence of a check that took several requests. One response is kept as it is; several are
 * kept together, each with its URL, status, content type and body text, so a `comment.gone` can be
 * shown against every page that was read.
 */
export function pagesEvidence(responses: readonly HttpResponse[]): Evidence | undefined {
  const [first] = responses;
  if (!first) return undefined;
  const last = responses[responses.length - 1]!;
  if (responses.length === 1) return evidenceOf(first);
  const pages = responses.map((r) => ({
    url: r.url,
    finalUrl: r.finalUrl,
    status: r.status,
    contentType: r.headers['content-type'] ?? null,
    body: r.body.toString('utf8'),
  }));
  return {
    url: first.url,
    finalUrl: last.finalUrl,
    status: last.status,
    contentType: PAGES_CONTENT_TYPE,
    body: Buffer.from(JSON.stringify({ pages }), 'utf8'),
  };
}
