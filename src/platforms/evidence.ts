import type { Evidence, Exchange, HeaderPair } from '../domain/glossary';
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
    exchanges: [exchangeOf(res)],
  };
}

/** Headers whose values are credentials: archived with their cookie names only. */
const CREDENTIAL_HEADERS = new Set(['cookie', 'set-cookie', 'authorization', 'proxy-authorization']);

/** A credential header's value with every secret replaced, keeping cookie names and attributes. */
export function redactHeader(name: string, value: string): string {
  const n = name.toLowerCase();
  if (!CREDENTIAL_HEADERS.has(n)) return value;
  if (n === 'cookie') {
    // Every request of a session sends the same Cookie header: its redaction is kept, not redone.
    if (value !== lastCookie.value)
      lastCookie = { value, redacted: value.replace(/(^|;\s*)([^=;]+)=[^;]*/g, '$1$2=[redacted]') };
    return lastCookie.redacted;
  }
  if (n === 'set-cookie') return value.replace(/^(\s*[^=;]+)=[^;]*/, '$1=[redacted]');
  return '[redacted]';
}

/** The last Cookie header redacted, and its redaction. */
let lastCookie = { value: '', redacted: '' };

/**
 * The exchange behind a response, for the WARC archive: the request as sent (its Host added, as the
 * wire had it) and the response headers as received, set-cookie lines included. Cookie values and
 * authorizations are redacted: a bundle is handed to others, a session is not.
 */
export function exchangeOf(res: HttpResponse): Exchange {
  const url = res.request?.url ?? res.finalUrl;
  const sent = res.request?.headers ?? {};
  const names = Object.keys(sent);
  const requestHeaders: HeaderPair[] = [];
  if (!names.some((k) => k.toLowerCase() === 'host'))
    requestHeaders.push(['host', res.request?.host ?? hostOf(url)]);
  for (const k of names) requestHeaders.push([k, redactHeader(k, sent[k]!)]);
  const responseHeaders: HeaderPair[] = [];
  for (const k of Object.keys(res.headers)) responseHeaders.push([k, redactHeader(k, res.headers[k]!)]);
  for (const c of res.setCookies) responseHeaders.push(['set-cookie', redactHeader('set-cookie', c)]);
  return {
    method: res.request?.method ?? 'GET',
    url,
    requestHeaders,
    status: res.status,
    responseHeaders,
    body: res.body,
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
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
    exchanges: responses.map(exchangeOf),
  };
}
